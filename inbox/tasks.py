"""The worker's tasks of the inbox: e-mails (one item, the daily digests); jobs are
`inbox.jobs.run_job`.

Django's task API through the `django-tasks` backport (`django.tasks` from Django 6 on): the
queue is the database (`django-tasks-db`), the worker `manage.py run_worker`."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from inbox import mail
from inbox.models import MailPreference, Notice


@task()
def send_notice_mail(notice_id):
    """One item by e-mail, to a user who wants each at once; not twice, not once read/done."""
    notice = Notice.objects.select_related("recipient").filter(pk=notice_id).first()
    if notice is None or notice.emailed_at or not notice.recipient.email:
        return False
    mail.notice_message(notice).send()
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True


def send_digests(now=None):
    """One e-mail per user who asked for a daily digest, with the open items not yet mailed."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    sent = 0
    digest_users = MailPreference.objects.filter(
        delivery=MailPreference.Delivery.DAILY
    ).values_list("user_id", flat=True)
    pending = (
        Notice.objects.filter(
            recipient_id__in=digest_users,
            emailed_at=None,
            read_at=None,
            done_at=None,
            created_at__gte=since - timedelta(days=6),
        )
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "-created_at")
    )
    by_user = {}
    for notice in pending:
        by_user.setdefault(notice.recipient, []).append(notice)
    for user, notices in by_user.items():
        with transaction.atomic():
            mail.digest_message(user, notices).send()
            Notice.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=now)
        sent += 1
    return sent
