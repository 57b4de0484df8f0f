"""The e-mails of the inbox: one item, or the day's digest. Vietnamese, plain text and HTML,
with the link to the object on SITE_URL; sent by the worker (inbox.tasks)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

SUBJECT_PREFIX = "[Đào tạo, bồi dưỡng] "


def absolute(url):
    return settings.SITE_URL.rstrip("/") + url


def _message(user, subject, template, context):
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"inbox/mail/{template}.txt", context)
    html = render_to_string(f"inbox/mail/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(html, "text/html")
    return message


def notice_message(notice):
    return _message(
        notice.recipient,
        notice.title,
        "notice",
        {"notice": notice, "link": absolute(notice.url)},
    )


def digest_message(user, notices):
    items = [{"notice": notice, "link": absolute(notice.url)} for notice in notices]
    return _message(
        user,
        f"{len(items)} việc cần xử lý",
        "digest",
        {"items": items, "inbox_link": absolute("/inbox/")},
    )
