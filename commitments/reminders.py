"""Reminders before a commitment ends, for the daily round (reports/tasks.py calls
`remind_commitments_ending(now)` once a day)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment
from inbox.models import Notice
from inbox.services import notify
from training_plan.rules import accounts_managing_block, accounts_of_unit

# How long before the end of the service the person's unit and the block's manager are told.
NOTICE_DAYS = 60


def remind_commitments_ending(now=None) -> int:
    """Tell the person's unit and the block's manager (BTC Party, SNV State) once about every
    commitment whose service ends within NOTICE_DAYS and that has no repayment; returns how many
    commitments were reminded. Safe to run twice a day: `reminded_at` marks those told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Commitment.objects.filter(
            reminded_at__isnull=True,
            repayment__isnull=True,
            service_end_date__gt=today,
            service_end_date__lte=today + datetime.timedelta(days=NOTICE_DAYS),
        )
        .filter(Q(return_date__isnull=False))
        .select_related("person__organisation", "nomination__course__program")
        .order_by("service_end_date", "pk")
    )
    count = 0
    for commitment in due:
        recipients = [
            *accounts_of_unit(commitment.person.organisation_id),
            *accounts_managing_block(commitment.block),
        ]
        notify(
            recipients,
            kind=Notice.Kind.COMMITMENT_ENDING,
            title=(
                f"Cam kết phục vụ của {commitment.person.full_name} hết ngày "
                f"{commitment.service_end_date:%d/%m/%Y}"
            ),
            detail=f"{commitment.nomination.course.name} — {commitment.person.organisation.name}",
            url=reverse("commitment_detail", args=[commitment.pk]),
            subject=f"commitment:{commitment.pk}",
            unique=True,
        )
        Commitment.objects.filter(pk=commitment.pk).update(reminded_at=now)
        count += 1
    return count
