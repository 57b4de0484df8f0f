"""Telling users what waits on them: items of the inbox (and their e-mails), read and done.

Other apps call `notify` where something happens (a nomination moves, a class opens, a plan is
issued) and `close` when the object moves on; the e-mail goes as a task of the worker, enqueued
in the same transaction, so a change that is rolled back tells nobody."""

from django.db import transaction
from django.utils import timezone

from inbox.models import MailPreference, Notice


def subject_key(obj):
    """What an item is about, e.g. "nomination:42"."""
    return f"{obj._meta.model_name}:{obj.pk}"


@transaction.atomic
def notify(recipients, *, kind, title, url, detail="", subject="", unique=False):
    """Give each recipient (users, or a queryset of them) one item; return the items created.

    `unique`: not again to a recipient who has an open item of this kind on this subject (the
    reminders of a schedule)."""
    from inbox.tasks import send_notice_mail

    users = list({user.pk: user for user in recipients}.values())
    if unique and subject:
        told = set(
            Notice.objects.filter(
                kind=kind, subject=subject, read_at=None, done_at=None
            ).values_list("recipient_id", flat=True)
        )
        users = [user for user in users if user.pk not in told]
    if not users:
        return []
    notices = Notice.objects.bulk_create(
        Notice(
            recipient=user,
            kind=kind,
            title=title[:300],
            detail=detail,
            url=url,
            subject=subject,
        )
        for user in users
    )
    # Without a preference a user is told at once; one query for those who chose otherwise.
    not_now = set(
        MailPreference.objects.filter(user__in=users)
        .exclude(delivery=MailPreference.Delivery.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    for notice in notices:
        user = notice.recipient
        if user.pk not in not_now and user.email:
            send_notice_mail.enqueue(notice.pk)
    return notices


def close(subject, *, kinds=None):
    """The object moved on: its open items are done (they no longer wait on anyone)."""
    items = Notice.objects.filter(subject=subject, done_at=None)
    if kinds:
        items = items.filter(kind__in=kinds)
    return items.update(done_at=timezone.now())


def open_notices(user):
    return Notice.objects.filter(recipient=user, read_at=None, done_at=None)


def unread_count(user):
    return open_notices(user).count()


def mark_read(user, notice_ids):
    return open_notices(user).filter(pk__in=notice_ids).update(read_at=timezone.now())


def mark_all_read(user):
    return open_notices(user).update(read_at=timezone.now())


def delivery_of(user):
    preference = MailPreference.objects.filter(user=user).first()
    return preference.delivery if preference else MailPreference.Delivery.IMMEDIATE


def set_delivery(user, delivery):
    MailPreference.objects.update_or_create(user=user, defaults={"delivery": delivery})
