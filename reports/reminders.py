"""Reminders of the daily round (`reports.tasks.daily_round`): what has waited too long.

- Files submitted and not acted on for more than REMIND_WAITING_DAYS days: one summary item per
  unit and block to the block's managers (“Huyện ủy Bình Sơn: 7 hồ sơ chờ thẩm định quá 5
  ngày”), linking to the list filtered on the unit and status. One item per file would bury the
  reviewers' inbox under hundreds of lines at province scale; the list shows the files.
- Classes ended more than REMIND_RESULTS_DAYS days ago with learners still without a result:
  one item per class to the managers of its block.
- A plan's deadline for the units' lists (`Plan.nomination_deadline`) in REMIND_DEADLINE_DAYS
  days or fewer: one item per unit that still has allocated seats without a file.

Each is created with `unique=True` (no second open reminder on the same subject), and a
reminder whose cause is gone (files acted on, results recorded, deadline passed) is done at the
next round. `reports` is the layer that sees nominations, classes and plans together."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from courses.models import TrainingClass
from inbox.models import Notice
from inbox.services import close, notify, subject_key
from quotas.models import Allocation, Nomination, NominationTransition
from training_plan.models import Organisation, Plan
from training_plan.rules import accounts_managing_block, accounts_of_unit
from training_plan.text import format_number

S = Nomination.Status
K = Notice.Kind


def _close_others(kind, keep, prefix=""):
    """Reminders of `kind` whose subject is no longer in `keep`: their cause is gone."""
    stale = (
        Notice.objects.filter(kind=kind, done_at=None, subject__startswith=prefix)
        .exclude(subject__in=keep)
        .values_list("subject", flat=True)
        .distinct()
    )
    for subject in list(stale):
        close(subject, kinds=[kind])


def remind_waiting(now=None):
    """Files waiting for verification longer than REMIND_WAITING_DAYS days, per unit and block.
    Returns the items created."""
    now = now or timezone.now()
    days = settings.REMIND_WAITING_DAYS
    before = now - datetime.timedelta(days=days)
    last_submitted = (
        NominationTransition.objects.filter(nomination=OuterRef("pk"), to_status=S.SUBMITTED)
        .order_by("-at")
        .values("at")
    )
    rows = (
        Nomination.objects.filter(status=S.SUBMITTED)
        .annotate(since=Subquery(last_submitted[:1]))
        .filter(since__lt=before)
        .order_by()
        .values(
            "unit_id",
            "unit__name",
            "course__program__block",
            "course__program__section__plan__year",
        )
        .annotate(count=Count("pk", distinct=True))
    )
    created, keep = [], set()
    for row in rows:
        block, unit_id, year = (
            row["course__program__block"],
            row["unit_id"],
            row["course__program__section__plan__year"],
        )
        subject = f"waiting:{year}:{block}:{unit_id}"
        keep.add(subject)
        query = urlencode({"year": year, "unit": unit_id, "status": S.SUBMITTED})
        created += notify(
            accounts_managing_block(block),
            kind=K.WAITING,
            title=(
                f"{row['unit__name']}: {format_number(row['count'])} hồ sơ chờ thẩm định "
                f"quá {days} ngày"
            ),
            detail=f"Kế hoạch năm {year}: hồ sơ đã gửi hơn {days} ngày chưa được xử lý.",
            url=f"{reverse('nomination_list')}?{query}",
            subject=subject,
            unique=True,
        )
    _close_others(K.WAITING, keep, "waiting:")
    return created


def remind_results(today=None):
    """Classes ended more than REMIND_RESULTS_DAYS days ago with learners without a result."""
    today = today or timezone.localdate()
    days = settings.REMIND_RESULTS_DAYS
    classes = (
        TrainingClass.objects.filter(end_date__lt=today - datetime.timedelta(days=days))
        .exclude(status=TrainingClass.Status.CANCELLED)
        .annotate(
            pending=Count("nominations", filter=Q(nominations__status=S.ENROLLED)),
        )
        .filter(pending__gt=0)
        .select_related("course__program")
    )
    created, keep = [], set()
    for training_class in classes:
        subject = subject_key(training_class)
        keep.add(subject)
        created += notify(
            accounts_managing_block(training_class.course.program.block),
            kind=K.RESULTS_MISSING,
            title=f"{K.RESULTS_MISSING.label}: {training_class.name}",
            detail=(
                f"Lớp kết thúc ngày {training_class.end_date:%d/%m/%Y}; còn "
                f"{format_number(training_class.pending)} học viên chưa có kết quả."
            ),
            url=reverse("class_results", args=[training_class.pk]),
            subject=subject,
            unique=True,
        )
    _close_others(K.RESULTS_MISSING, keep, "trainingclass:")
    return created


def free_seats_by_unit(plan):
    """{unit id: allocated seats of the plan's lines not yet held by a file}. One query."""
    held = (
        Nomination.objects.filter(
            quota_line=OuterRef("quota_line"),
            unit=OuterRef("unit"),
            status__in=Nomination.SEAT_HOLDING,
        )
        .order_by()
        .values("quota_line")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Allocation.objects.filter(quota_line__course__program__section__plan=plan)
        .annotate(held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)))
        .values_list("unit_id", "count", "held")
    )
    free = {}
    for unit_id, count, held_seats in rows:
        if count > held_seats:
            free[unit_id] = free.get(unit_id, 0) + count - held_seats
    return free


def remind_deadline(today=None):
    """Units with free seats on a plan whose deadline is in REMIND_DEADLINE_DAYS days or fewer."""
    today = today or timezone.localdate()
    days = settings.REMIND_DEADLINE_DAYS
    plans = Plan.objects.filter(
        nomination_deadline__gte=today,
        nomination_deadline__lte=today + datetime.timedelta(days=days),
    ).exclude(status=Plan.Status.CLOSED)
    created, keep = [], set()
    for plan in plans:
        free = free_seats_by_unit(plan)
        names = dict(Organisation.objects.filter(pk__in=free).values_list("pk", "name"))
        left = (plan.nomination_deadline - today).days
        when = "hôm nay" if left == 0 else f"còn {left} ngày"
        for unit_id, seats in free.items():
            subject = f"deadline:{plan.year}:{unit_id}"
            keep.add(subject)
            created += notify(
                accounts_of_unit(unit_id),
                kind=K.DEADLINE,
                title=(
                    f"Hạn gửi danh sách cử đi học năm {plan.year}: "
                    f"{plan.nomination_deadline:%d/%m/%Y} ({when})"
                ),
                detail=(
                    f"{names.get(unit_id, '')} còn {format_number(seats)} chỉ tiêu được phân bổ "
                    "chưa cử cán bộ."
                ),
                url=reverse("home"),
                subject=subject,
                unique=True,
            )
    _close_others(K.DEADLINE, keep, "deadline:")
    return created


def run_reminders(now=None):
    """Every reminder of the round; returns {kind: items created}."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return {
        K.WAITING: len(remind_waiting(now)),
        K.RESULTS_MISSING: len(remind_results(today)),
        K.DEADLINE: len(remind_deadline(today)),
    }
