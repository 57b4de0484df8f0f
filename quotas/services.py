"""The nomination workflow: create and edit, the moves between statuses, seats and the reserve
list, eligibility. Seats are checked inside one `lock(...)` call per transaction. Who may do
what is in `quotas.rules`; allocations in `quotas.allocations`; bulk and import in `quotas.bulk`."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from courses import eligibility
from courses.models import EligibilityRule
from quotas import notices
from quotas.models import (
    MAX_MONTHS,
    Allocation,
    Nomination,
    NominationTransition,
    QuotaLine,
    status_label,
)
from quotas.rules import action_refusal, create_refusal
from training_plan.locking import LockTimeout, key_for, lock
from training_plan.models import Plan

S = Nomination.Status

# Legal moves of `nomination_set_status` (a move to the same status records a note, e.g. an
# accepted warning). Enrolment and results are written by the class screens through it too.
TRANSITIONS = {
    "": {S.DRAFT},
    S.DRAFT: {S.SUBMITTED, S.RESERVE, S.WITHDRAWN},
    S.RESERVE: {S.SUBMITTED, S.REJECTED, S.WITHDRAWN},
    S.SUBMITTED: {S.RETURNED, S.REJECTED, S.VERIFIED, S.WITHDRAWN},
    S.RETURNED: {S.SUBMITTED, S.RESERVE, S.REJECTED, S.WITHDRAWN},
    S.VERIFIED: {S.APPROVED, S.RETURNED, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: {S.ENROLLED, S.WITHDRAWN},
    S.ENROLLED: {S.APPROVED, S.COMPLETED, S.NOT_COMPLETED, S.WITHDRAWN},
    S.COMPLETED: {S.NOT_COMPLETED},
    S.NOT_COMPLETED: {S.COMPLETED},
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}


@transaction.atomic
def nomination_set_status(
    *, nomination: Nomination, to_status: str, actor, reason: str = "", update_fields=()
):
    """Move a nomination to a status and record who, when and why. Callers check the rules
    (who may move it, seats) before calling; this only writes the change and its record, and
    tells whom the move concerns (`quotas.notices`, in the same transaction).

    An unsaved nomination is inserted (its record reads “— → Dự thảo”); `update_fields` names
    other fields the caller changed and that must be saved with the status.
    """
    adding = nomination._state.adding
    from_status = "" if adding else nomination.status
    if to_status != from_status and to_status not in TRANSITIONS.get(from_status, ()):
        raise NominationRefused(
            f"Không thể chuyển hồ sơ từ trạng thái “{status_label(from_status)}” sang "
            f"“{status_label(to_status)}”."
        )
    nomination.status = to_status
    if adding:
        nomination.save()
    else:
        nomination.save(update_fields=["status", "updated_at", *update_fields])
    NominationTransition.objects.create(
        nomination=nomination,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )
    notices.nomination_moved(
        nomination=nomination,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )
    return nomination


RESERVE_PROMOTION_REASON = NominationTransition.RESERVE_PROMOTION_REASON
DUPLICATE_CONSTRAINT = "one_live_nomination_per_person_course"


class NominationRefused(ValidationError):
    """A nomination action that is not allowed; the message says why, in Vietnamese."""

    def __init__(self, message):
        super().__init__(message)

    def __str__(self):
        return self.message


def _require(user, nomination, action):
    """The action's permission (`quotas.rules`), then its status rules; the reason if not."""
    refusal = action_refusal(user, nomination, action)
    if refusal:
        raise NominationRefused(refusal)


# Eligibility ---------------------------------------------------------------------------------


def _plan_of(course):
    return course.program.section.plan


def _rules_cache():
    cache = {}

    def rules_for(course):
        if course.pk not in cache:
            cache[course.pk] = list(
                EligibilityRule.objects.filter(course=course).select_related(
                    "legal_document__issuer"
                )
            )
        return cache[course.pk]

    return rules_for


def eligibility_check(nomination, *, rules=None):
    """The nomination's verdicts now; warnings accepted before stay accepted."""
    overridden = {v.code for v in nomination.eligibility_report.verdicts if v.overridden}
    return eligibility.check(
        nomination.course,
        nomination.person,
        _plan_of(nomination.course).year,
        nomination,
        rules=rules,
        overridden=overridden,
    )


def refresh_eligibility(course_ids):
    """Recompute the stored verdicts of the undecided nominations of these courses, after their
    rules changed; return how many changed. Accepted warnings stay accepted; nothing moves."""
    rules_for = _rules_cache()
    changed = []
    nominations = Nomination.objects.filter(
        course_id__in=course_ids, status__in=Nomination.UNDECIDED
    ).select_related("person", "course__program__section__plan")
    for nomination in nominations.iterator(chunk_size=500):
        report = eligibility_check(nomination, rules=rules_for(nomination.course))
        details = report.to_details()
        if nomination.eligibility_flag != report.flag or nomination.eligibility_details != details:
            nomination.eligibility_store(report)
            changed.append(nomination)
    Nomination.objects.bulk_update(changed, Nomination.ELIGIBILITY_FIELDS, batch_size=500)
    return len(changed)


def _blocking_message(report):
    return "Không đạt điều kiện: " + " ".join(
        f"{v.description} — {v.message}" + (f" (Căn cứ: {v.basis})" if v.basis else "")
        for v in report.blocking
    )


# Seats ---------------------------------------------------------------------------------------


def _race_window():
    """Between counting seats and writing; tests widen it to show the race the lock prevents."""


def _seat_keys(quota_line, unit_id):
    """Lock keys of a unit's seats on a capped quota line: the line and the unit's allocation."""
    if quota_line is None or not quota_line.is_capped:
        return []
    keys = [key_for(quota_line)]
    allocation = Allocation.objects.filter(quota_line=quota_line, unit_id=unit_id).first()
    if allocation is not None:
        keys.append(key_for(allocation))
    return keys


def seat_usage(quota_line, unit_id, *, exclude_pk=None):
    """(allocation or None, seats held by the unit on the line, seats held on the line)."""
    allocation = Allocation.objects.filter(quota_line=quota_line, unit_id=unit_id).first()
    held = Nomination.objects.filter(quota_line=quota_line, status__in=Nomination.SEAT_HOLDING)
    if exclude_pk is not None:
        held = held.exclude(pk=exclude_pk)
    counts = held.aggregate(unit=Count("id", filter=Q(unit_id=unit_id)), line=Count("id"))
    return allocation, counts["unit"], counts["line"]


def _seat_refusal(nomination, *, extra_unit=0, extra_line=0):
    """Why the nomination cannot take a seat now, or None. Call inside the lock."""
    line = nomination.quota_line
    if line is None or not line.is_capped:
        return None
    allocation, held_unit, held_line = seat_usage(
        line, nomination.unit_id, exclude_pk=nomination.pk
    )
    held_unit += extra_unit
    held_line += extra_line
    _race_window()
    if allocation is None or allocation.count == 0:
        return (
            f"{nomination.unit} chưa được phân bổ chỉ tiêu trên dòng “{line.label}” nên "
            "chưa thể gửi hồ sơ."
        )
    if held_unit >= allocation.count:
        return (
            f"{nomination.unit} đã dùng hết {allocation.count} chỉ tiêu được phân bổ trên dòng "
            f"“{line.label}”. Có thể đưa hồ sơ vào danh sách dự bị."
        )
    if held_line >= line.planned_count:
        return f"Dòng chỉ tiêu “{line.label}” đã đủ {line.planned_count} chỉ tiêu."
    return None


def _promote_reserve(*, quota_line, unit_id, actor):
    """Give a released seat to the unit's first reserve nomination on the line (inside the lock)."""
    if quota_line is None or not quota_line.is_capped:
        return None
    candidate = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person", "course__program__section__plan", "unit", "quota_line")
        .filter(quota_line=quota_line, unit_id=unit_id, status=S.RESERVE)
        .order_by("reserve_since", "id")
        .first()
    )
    if candidate is None or _seat_refusal(candidate) is not None:
        return None
    nomination_set_status(
        nomination=candidate, to_status=S.SUBMITTED, actor=actor, reason=RESERVE_PROMOTION_REASON
    )
    return candidate


@transaction.atomic
def nomination_promote_reserve(*, quota_line: QuotaLine, unit, actor):
    """For allocation changes that free seats: promote the unit's first reserve nomination.

    Takes the lock itself; call it in its own transaction after the allocation is saved.
    """
    lock(*_seat_keys(quota_line, unit.pk))
    return _promote_reserve(quota_line=quota_line, unit_id=unit.pk, actor=actor)


def _locked(nomination, keys):
    """Take the seat locks, then lock and re-read the nomination row (always in this order)."""
    if keys:
        lock(*keys)
    try:
        fresh = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("person", "course__program__section__plan", "unit", "quota_line")
            .get(pk=nomination.pk)
        )
    except OperationalError as error:
        # lock() set a lock timeout for this transaction; a row held too long ends the same way.
        if getattr(error.__cause__, "sqlstate", None) == "55P03":
            transaction.set_rollback(True)
            raise LockTimeout() from error
        raise
    if fresh.quota_line_id != nomination.quota_line_id:
        raise NominationRefused("Hồ sơ vừa được người khác thay đổi; vui lòng tải lại trang.")
    return fresh


def _copy_state(target, source):
    for name in (
        "status",
        "reserve_since",
        *Nomination.ELIGIBILITY_FIELDS,
        "override_reason",
        "updated_at",
    ):
        setattr(target, name, getattr(source, name))


# Create and edit -----------------------------------------------------------------------------


def _live_duplicate(person, course, *, exclude_pk=None):
    existing = Nomination.objects.filter(person=person, course=course).exclude(
        status__in=Nomination.CLOSED
    )
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    return existing.first()


def duplicate_message(person, course, existing=None):
    status = f" (trạng thái “{existing.get_status_display()}”)" if existing else ""
    return (
        f"{person.full_name} đã có hồ sơ cử đi học khóa “{course.name}” trong kế hoạch này"
        f"{status}. Mỗi người chỉ có một hồ sơ còn hiệu lực cho một khóa."
    )


def refuse_closed_plan(plan):
    if plan.status == Plan.Status.CLOSED:
        raise NominationRefused(f"Kế hoạch năm {plan.year} đã kết thúc, không nhận hồ sơ mới.")


def line_refusal(course, quota_line, *, course_has_lines):
    """Why the quota line does not fit the course, or ""."""
    if quota_line is not None and quota_line.course_id != course.pk:
        return "Dòng chỉ tiêu không thuộc khóa đã chọn."
    if quota_line is None and course_has_lines:
        return "Khóa này có chỉ tiêu theo cơ sở đào tạo và hệ học: hãy chọn dòng chỉ tiêu."
    return ""


def _validate_target(course, quota_line):
    refuse_closed_plan(_plan_of(course))
    has_lines = quota_line is None and course.quota_lines.exists()
    refusal = line_refusal(course, quota_line, course_has_lines=has_lines)
    if refusal:
        raise NominationRefused(refusal)


def _insert(nomination, actor):
    """Insert a draft; the database constraint is the last word on duplicates."""
    try:
        with transaction.atomic():
            nomination_set_status(nomination=nomination, to_status=S.DRAFT, actor=actor)
    except IntegrityError as error:
        if DUPLICATE_CONSTRAINT in str(error) or "UNIQUE" in str(error).upper():
            nomination.pk = None
            nomination._state.adding = True
            raise NominationRefused(duplicate_message(nomination.person, nomination.course)) from (
                error
            )
        raise


def _check_months(training_months, commitment_months):
    for value, label in (
        (training_months, "Thời gian đào tạo"),
        (commitment_months, "Thời gian cam kết phục vụ"),
    ):
        if value is not None and not 0 <= value <= MAX_MONTHS:
            raise NominationRefused(f"{label} phải từ 0 đến {MAX_MONTHS} tháng.")


def _prepare(*, actor, person, course, quota_line, training_months, commitment_months, note):
    """An unsaved, checked draft (raises NominationRefused)."""
    _check_months(training_months, commitment_months)
    nomination = Nomination(
        person=person,
        course=course,
        quota_line=quota_line,
        unit_id=person.organisation_id,
        training_months=training_months,
        commitment_months=commitment_months,
        note=note,
        created_by=actor,
    )
    refusal = create_refusal(actor, nomination)
    if refusal:
        raise NominationRefused(refusal)
    _validate_target(course, quota_line)
    existing = _live_duplicate(person, course)
    if existing is not None:
        raise NominationRefused(duplicate_message(person, course, existing))
    return nomination


@transaction.atomic
def nomination_create(
    *,
    actor,
    person,
    course,
    quota_line: QuotaLine | None = None,
    training_months: int | None = None,
    commitment_months: int | None = None,
    note: str = "",
) -> Nomination:
    """A draft nomination of a person of the unit to a course (and quota line).

    Refused when the person already has a live nomination to the course, when a blocking
    eligibility rule fails, or when the actor may not nominate this person.
    """
    nomination = _prepare(
        actor=actor,
        person=person,
        course=course,
        quota_line=quota_line,
        training_months=training_months,
        commitment_months=commitment_months,
        note=note,
    )
    report = eligibility_check(nomination)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    nomination.eligibility_store(report)
    _insert(nomination, actor)
    return nomination


@transaction.atomic
def nomination_update(
    *,
    actor,
    nomination: Nomination,
    quota_line: QuotaLine | None,
    training_months: int | None,
    commitment_months: int | None,
    note: str,
) -> Nomination:
    """Correct a draft or returned nomination (quota line, months, note); rules re-checked."""
    _require(actor, nomination, "edit")
    _check_months(training_months, commitment_months)
    fresh = _locked(nomination, [])
    _require(actor, fresh, "edit")
    _validate_target(fresh.course, quota_line)
    fresh.quota_line = quota_line
    fresh.training_months = training_months
    fresh.commitment_months = commitment_months
    fresh.note = note
    report = eligibility_check(fresh)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    fresh.eligibility_store(report)
    fresh.save(
        update_fields=[
            "quota_line",
            "training_months",
            "commitment_months",
            "note",
            *Nomination.ELIGIBILITY_FIELDS,
            "updated_at",
        ]
    )
    nomination.refresh_from_db()
    return nomination


# Moves ---------------------------------------------------------------------------------------


def _submit_locked(nomination, actor):
    """Submit a nomination whose seat locks are held: rules, then the seat, then the move."""
    report = eligibility_check(nomination)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    refusal = _seat_refusal(nomination)
    if refusal:
        raise NominationRefused(refusal)
    nomination.eligibility_store(report)
    nomination_set_status(
        nomination=nomination,
        to_status=S.SUBMITTED,
        actor=actor,
        update_fields=Nomination.ELIGIBILITY_FIELDS,
    )


@transaction.atomic
def nomination_submit(*, actor, nomination: Nomination) -> Nomination:
    """Draft or returned → submitted: takes a seat of the unit's allocation on the line."""
    _require(actor, nomination, "submit")
    fresh = _locked(nomination, _seat_keys(nomination.quota_line, nomination.unit_id))
    _require(actor, fresh, "submit")
    _submit_locked(fresh, actor)
    _copy_state(nomination, fresh)
    return nomination


@transaction.atomic
def nomination_reserve(*, actor, nomination: Nomination) -> Nomination:
    """Draft or returned → reserve list, in order, when the unit's seats on the line are full."""
    _require(actor, nomination, "reserve")
    line = nomination.quota_line
    if line is None or not line.is_capped:
        raise NominationRefused("Khóa theo nhu cầu đăng ký không giới hạn chỉ tiêu: hãy gửi duyệt.")
    fresh = _locked(nomination, _seat_keys(line, nomination.unit_id))
    _require(actor, fresh, "reserve")
    allocation, held_unit, held_line = seat_usage(line, fresh.unit_id, exclude_pk=fresh.pk)
    if allocation is None or allocation.count == 0:
        raise NominationRefused(
            f"{fresh.unit} chưa được phân bổ chỉ tiêu trên dòng “{line.label}”."
        )
    if held_unit < allocation.count and held_line < line.planned_count:
        raise NominationRefused(
            f"{fresh.unit} còn {allocation.count - held_unit} chỉ tiêu trên dòng "
            f"“{line.label}”: hãy gửi duyệt thay vì đưa vào danh sách dự bị."
        )
    report = eligibility_check(fresh)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    fresh.eligibility_store(report)
    fresh.reserve_since = timezone.now()
    nomination_set_status(
        nomination=fresh,
        to_status=S.RESERVE,
        actor=actor,
        reason="Đơn vị đã dùng hết chỉ tiêu được phân bổ; chờ chỉ tiêu trống.",
        update_fields=["reserve_since", *Nomination.ELIGIBILITY_FIELDS],
    )
    _copy_state(nomination, fresh)
    return nomination


def _release(*, actor, nomination, action, to_status, reason):
    """A move that may free a seat; the unit's first reserve nomination takes it."""
    _require(actor, nomination, action)
    fresh = _locked(nomination, _seat_keys(nomination.quota_line, nomination.unit_id))
    _require(actor, fresh, action)
    held_seat = fresh.holds_seat
    nomination_set_status(nomination=fresh, to_status=to_status, actor=actor, reason=reason)
    promoted = None
    if held_seat:
        promoted = _promote_reserve(quota_line=fresh.quota_line, unit_id=fresh.unit_id, actor=actor)
    _copy_state(nomination, fresh)
    nomination.promoted_from_reserve = promoted
    return nomination


def _reason_required(reason, what):
    reason = (reason or "").strip()
    if not reason:
        raise NominationRefused(f"Cần ghi lý do {what}.")
    return reason


@transaction.atomic
def nomination_return(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Reviewer: submitted or verified → returned for correction, with a reason."""
    reason = _reason_required(reason, "trả lại hồ sơ")
    return _release(
        actor=actor, nomination=nomination, action="return", to_status=S.RETURNED, reason=reason
    )


@transaction.atomic
def nomination_reject(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Reviewer: → rejected (final), with a reason."""
    reason = _reason_required(reason, "không chấp thuận")
    return _release(
        actor=actor, nomination=nomination, action="reject", to_status=S.REJECTED, reason=reason
    )


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination, reason: str = "") -> Nomination:
    """The unit before approval, the reviewer any time before completion: → withdrawn."""
    return _release(
        actor=actor,
        nomination=nomination,
        action="withdraw",
        to_status=S.WITHDRAWN,
        reason=(reason or "").strip(),
    )


@transaction.atomic
def nomination_verify(*, actor, nomination: Nomination) -> Nomination:
    """Reviewer: submitted → verified; refused while a blocking rule fails or a warning stands."""
    _require(actor, nomination, "verify")
    fresh = _locked(nomination, [])
    _require(actor, fresh, "verify")
    report = eligibility_check(fresh)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    if report.warnings:
        raise NominationRefused(
            "Còn cảnh báo điều kiện chưa được chấp nhận: "
            + "; ".join(f"{v.description} — {v.message}" for v in report.warnings)
            + ". Người thẩm định cần ghi lý do chấp nhận cảnh báo trước khi thẩm định đạt."
        )
    fresh.eligibility_store(report)
    nomination_set_status(
        nomination=fresh,
        to_status=S.VERIFIED,
        actor=actor,
        update_fields=Nomination.ELIGIBILITY_FIELDS,
    )
    _copy_state(nomination, fresh)
    return nomination


@transaction.atomic
def nomination_approve(*, actor, nomination: Nomination) -> Nomination:
    """Reviewer: verified → approved."""
    _require(actor, nomination, "approve")
    fresh = _locked(nomination, [])
    _require(actor, fresh, "approve")
    nomination_set_status(nomination=fresh, to_status=S.APPROVED, actor=actor)
    _copy_state(nomination, fresh)
    return nomination


@transaction.atomic
def nomination_override_warning(*, actor, nomination: Nomination, reason: str) -> Nomination:
    """Reviewer accepts the standing eligibility warnings with a written reason (recorded)."""
    reason = _reason_required(reason, "chấp nhận cảnh báo")
    _require(actor, nomination, "override")
    fresh = _locked(nomination, [])
    _require(actor, fresh, "override")
    report = eligibility_check(fresh)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    accepted = report.override_warnings()
    if not accepted:
        raise NominationRefused("Hồ sơ không có cảnh báo điều kiện nào cần chấp nhận.")
    fresh.eligibility_store(report)
    fresh.override_reason = reason
    nomination_set_status(
        nomination=fresh,
        to_status=fresh.status,
        actor=actor,
        reason="Chấp nhận cảnh báo: "
        + "; ".join(v.description for v in accepted)
        + f". Lý do: {reason}",
        update_fields=[*Nomination.ELIGIBILITY_FIELDS, "override_reason"],
    )
    _copy_state(nomination, fresh)
    return nomination
