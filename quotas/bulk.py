"""Many nominations at once: bulk moves (each in its own transaction) and the Excel import
(all rows in one)."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from quotas import imports
from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from quotas.rules import NOT_A_NOMINATOR, create_refusal
from quotas.services import (
    NominationRefused,
    line_refusal,
    nomination_approve,
    nomination_submit,
    nomination_verify,
    refuse_closed_plan,
)
from training_plan.locking import key_for, lock

S = Nomination.Status


@dataclass
class BulkResult:
    changed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(nomination, message)]


def _bulk(service, *, actor, nominations):
    """Each nomination in its own transaction: one refusal does not undo the others."""
    result = BulkResult()
    for nomination in nominations:
        try:
            service(actor=actor, nomination=nomination)
        except ValidationError as error:
            result.refused.append((nomination, str(error)))
        else:
            result.changed.append(nomination)
    return result


def nomination_bulk_submit(*, actor, nominations) -> BulkResult:
    return _bulk(nomination_submit, actor=actor, nominations=nominations)


def nomination_bulk_verify(*, actor, nominations) -> BulkResult:
    return _bulk(nomination_verify, actor=actor, nominations=nominations)


def nomination_bulk_approve(*, actor, nominations) -> BulkResult:
    return _bulk(nomination_approve, actor=actor, nominations=nominations)


BULK_SERVICES = {
    "submit": nomination_bulk_submit,
    "verify": nomination_bulk_verify,
    "approve": nomination_bulk_approve,
}


class ImportRefused(NominationRefused):
    """Some rows failed the checks made inside the lock; nothing was saved."""

    def __init__(self, rows):
        bad = [row for row in rows if row.errors]
        super().__init__(
            f"Không lưu dòng nào: {len(bad)} dòng không hợp lệ khi kiểm tra lại lúc lưu. "
            "Xem lỗi từng dòng, sửa tệp và tải lên lại."
        )
        self.rows = rows


@transaction.atomic
def nomination_import(*, actor, plan, rows, submit: bool = False) -> list:
    """Save every checked import row as a nomination, or none.

    One transaction, one `lock` call with the seat keys of every capped line and unit in the
    file; inside it the rows are checked again against the database (another request may have
    taken seats since the preview). With `submit`, each nomination is also submitted.
    """

    if not actor.has_perm("quotas.add_nomination"):
        raise NominationRefused(NOT_A_NOMINATOR)
    for row in rows:
        row.errors, row.warnings = list(row.errors), []
    capped = {
        (row.quota_line, row.person.organisation_id)
        for row in rows
        if row.person is not None and row.quota_line is not None and row.quota_line.is_capped
    }
    keys = {key_for(line) for line, _ in capped}
    # The same keys as `_seat_keys` row by row, with one query for the allocations of the file.
    wanted = {(line.pk, unit_id) for line, unit_id in capped}
    for allocation in Allocation.objects.filter(
        quota_line_id__in={line_id for line_id, _ in wanted},
        unit_id__in={unit_id for _, unit_id in wanted},
    ):
        if (allocation.quota_line_id, allocation.unit_id) in wanted:
            keys.add(key_for(allocation))
    if keys:
        lock(*keys)
    imports.check_rows(rows, plan=plan)
    if any(row.errors for row in rows):
        raise ImportRefused(rows)
    return _insert_imported(actor=actor, plan=plan, rows=rows, submit=submit)


def _insert_imported(*, actor, plan, rows, submit):
    """Insert checked rows in bulk: nominations, their history and their transitions.

    `check_rows` has just checked duplicates, eligibility and seats of every row inside the lock;
    the per-row rules of `_prepare` left are cheap. A few statements for the whole file instead of
    ≈8 per row keep a 5.000-row import within seconds. The unique constraint stays the last word
    on a duplicate inserted meanwhile by a request that does not take the seat locks.
    """
    refuse_closed_plan(plan)
    courses_with_lines = set(
        QuotaLine.objects.filter(course_id__in={row.course.pk for row in rows})
        .values_list("course_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    status = S.SUBMITTED if submit else S.DRAFT
    nominations = []
    for row in rows:
        nomination = Nomination(
            person=row.person,
            course=row.course,
            quota_line=row.quota_line,
            unit_id=row.person.organisation_id,
            status=status,
            training_months=row.training_months,
            commitment_months=row.commitment_months,
            eligibility_flag=row.report.flag,
            eligibility_details=row.report.to_details(),
            note=row.note,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        refusal = create_refusal(actor, nomination) or line_refusal(
            row.course, row.quota_line, course_has_lines=row.course.pk in courses_with_lines
        )
        if refusal:
            raise NominationRefused(f"Dòng {row.number}: {refusal}")
        nominations.append(nomination)
    try:
        with transaction.atomic():
            bulk_create_with_history(
                nominations, Nomination, batch_size=1000, default_user=actor, default_date=now
            )
    except IntegrityError as error:
        raise NominationRefused(
            "Không lưu dòng nào: trong lúc lưu, một số cán bộ trong tệp vừa được cử đi học cùng "
            "khóa từ nơi khác. Hãy tải tệp lên lại để xem các dòng trùng."
        ) from error
    moves = [("", S.DRAFT)] + ([(S.DRAFT, S.SUBMITTED)] if submit else [])
    NominationTransition.objects.bulk_create(
        [
            NominationTransition(
                nomination=nomination, from_status=before, to_status=after, actor=actor
            )
            for nomination in nominations
            for before, after in moves
        ],
        batch_size=1000,
    )
    return nominations
