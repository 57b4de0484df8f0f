"""Writes of quotas and nominations: allocations, the nomination workflow, imports."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from courses import eligibility
from courses.models import EligibilityRule
from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from quotas.selectors import seat_holding_nominations
from training_plan.locking import LockTimeout, key_for, lock
from training_plan.models import Block, Organisation, Plan
from training_plan.text import format_number

S = Nomination.Status

# Seats of one allocation and months of a nomination: what the domain allows, far below the
# integer columns (2^31 seats, 32.767 months).
MAX_SEATS = 100_000
SEATS_MESSAGE = f"Số chỉ tiêu không quá {format_number(MAX_SEATS)}."
MAX_MONTHS = 600

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
    (who may move it, seats) before calling; this only writes the change and its record.

    An unsaved nomination is inserted (its record reads “— → Dự thảo”); `update_fields` names
    other fields the caller changed and that must be saved with the status.
    """
    adding = nomination._state.adding
    from_status = "" if adding else nomination.status
    if to_status != from_status and to_status not in TRANSITIONS.get(from_status, ()):
        raise NominationRefused(
            f"Không thể chuyển hồ sơ từ trạng thái “{_status_label(from_status)}” sang "
            f"“{_status_label(to_status)}”."
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
    return nomination


# --- Allocation (phân bổ chỉ tiêu) -------------------------------------------------------------
# One lock per quota line, taken once per transaction; every count is made inside the lock.


def _check_allocator(actor, quota_line):
    """BTC allocates Party-block lines, SNV State-block lines; nobody else."""
    if not actor.reviews_block(quota_line.course.program.block):
        raise PermissionDenied("Tài khoản của bạn không được phân bổ chỉ tiêu của khối này.")


def _check_line(quota_line):
    if not quota_line.is_capped:
        raise ValidationError(
            "Dòng chỉ tiêu này theo nhu cầu đăng ký, không phân bổ chỉ tiêu cho đơn vị."
        )
    if quota_line.course.program.section.plan.status == Plan.Status.CLOSED:
        raise ValidationError("Kế hoạch đã kết thúc, không thay đổi phân bổ chỉ tiêu.")


def _check_unit(unit):
    if unit.kind != Organisation.Kind.UNIT:
        raise ValidationError(f"{unit.name} không phải đơn vị cử cán bộ, không nhận chỉ tiêu.")


def line_allocated_total(quota_line, *, exclude_unit=None):
    """Σ allocations of a line (optionally without one unit's), read inside the lock."""
    allocations = Allocation.objects.filter(quota_line=quota_line)
    if exclude_unit is not None:
        allocations = allocations.exclude(unit=exclude_unit)
    return allocations.aggregate(total=Sum("count"))["total"] or 0


def unit_held_seats(quota_line, unit):
    """Seats of a line held by a unit's nominations, read inside the lock."""
    return seat_holding_nominations().filter(quota_line=quota_line, unit=unit).count()


def _save_allocation(allocation, count, actor):
    allocation._history_user = actor
    if count == 0:
        if allocation.pk:
            allocation.delete()
        return None
    allocation.count = count
    allocation.save()
    return allocation


def allocation_set(*, actor, quota_line: QuotaLine, unit: Organisation, count: int):
    """Give a unit `count` seats of a capped quota line (0 removes its allocation).

    Refused with a ValidationError, changing nothing, when the line's allocations would exceed
    its planned count or the unit would get fewer seats than its nominations already hold.
    Returns the allocation, or None when the unit no longer has one.
    """
    _check_allocator(actor, quota_line)
    _check_line(quota_line)
    _check_unit(unit)
    if count is None or count < 0:
        raise ValidationError("Số chỉ tiêu phân bổ phải là số nguyên không âm.")
    if count > MAX_SEATS:
        raise ValidationError(SEATS_MESSAGE)
    with transaction.atomic():
        lock(key_for(quota_line))
        allocation = Allocation.objects.filter(quota_line=quota_line, unit=unit).first()
        allocation = allocation or Allocation(quota_line=quota_line, unit=unit, count=0)
        if allocation.count == count:
            return allocation if allocation.pk else None
        held = unit_held_seats(quota_line, unit)
        if count < held:
            raise ValidationError(
                f"Không thể giảm phân bổ của {unit.name} xuống {count}: đơn vị đang có {held} "
                "hồ sơ giữ chỗ trên dòng chỉ tiêu này."
            )
        others = line_allocated_total(quota_line, exclude_unit=unit)
        if others + count > quota_line.planned_count:
            room = max(quota_line.planned_count - others, 0)
            raise ValidationError(
                f"Vượt chỉ tiêu: dòng chỉ tiêu có {quota_line.planned_count}, đã phân bổ cho các "
                f"đơn vị khác {others}; chỉ có thể phân bổ tối đa {room} cho {unit.name}."
            )
        previous = allocation.count
        saved = _save_allocation(allocation, count, actor)
    if count > previous:
        _promote_reserves(quota_line=quota_line, unit=unit, actor=actor, seats=count - previous)
    return saved


def allocation_move(
    *, actor, quota_line: QuotaLine, from_unit: Organisation, to_unit: Organisation, count: int
):
    """Withdraw `count` unused seats of a line from one unit and give them to another, at once.

    Refused, changing nothing, when the giving unit has fewer unused seats (allocated minus held
    by its nominations). Returns (from_allocation or None, to_allocation).
    """
    _check_allocator(actor, quota_line)
    _check_line(quota_line)
    _check_unit(to_unit)
    if count is None or count <= 0:
        raise ValidationError("Số chỉ tiêu điều chuyển phải lớn hơn 0.")
    if count > MAX_SEATS:
        raise ValidationError(SEATS_MESSAGE)
    if from_unit.pk == to_unit.pk:
        raise ValidationError("Đơn vị nhận phải khác đơn vị điều chuyển.")
    with transaction.atomic():
        lock(key_for(quota_line))
        allocations = {
            a.unit_id: a
            for a in Allocation.objects.filter(quota_line=quota_line, unit__in=[from_unit, to_unit])
        }
        source = allocations.get(from_unit.pk)
        if source is None:
            raise ValidationError(f"{from_unit.name} chưa được phân bổ chỉ tiêu trên dòng này.")
        held = unit_held_seats(quota_line, from_unit)
        unused = source.count - held
        if count > unused:
            raise ValidationError(
                f"{from_unit.name} chỉ còn {unused} chỉ tiêu chưa dùng (phân bổ {source.count}, "
                f"đang giữ chỗ {held}); không thể rút {count}."
            )
        # Σ of the line does not change: seats only pass from one unit to the other.
        target = allocations.get(to_unit.pk) or Allocation(
            quota_line=quota_line, unit=to_unit, count=0
        )
        source = _save_allocation(source, source.count - count, actor)
        target = _save_allocation(target, target.count + count, actor)
    _promote_reserves(quota_line=quota_line, unit=to_unit, actor=actor, seats=count)
    return source, target


def _promote_reserves(*, quota_line, unit, actor, seats):
    """New seats of a unit go to its reserve list first, in order (one transaction each)."""
    waiting = Nomination.objects.filter(
        quota_line=quota_line, unit=unit, status=Nomination.Status.RESERVE
    )
    if not waiting.exists():
        return
    for _ in range(seats):
        if nomination_promote_reserve(quota_line=quota_line, unit=unit, actor=actor) is None:
            break


# ---------------------------------------------------------------------------------------------
# Nominations: workflow, seats, reserve list, eligibility, bulk actions, Excel import
# (feat/nominations). Seats are checked inside one `lock(...)` call per transaction.
# ---------------------------------------------------------------------------------------------

RESERVE_PROMOTION_REASON = "Tự động chuyển từ danh sách dự bị khi có chỉ tiêu trống"
DUPLICATE_CONSTRAINT = "one_live_nomination_per_person_course"


class NominationRefused(Exception):
    """A nomination action that is not allowed; the message says why, in Vietnamese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


def _status_label(status):
    return dict(S.choices).get(status, "—") if status else "—"


# Who may act ---------------------------------------------------------------------------------


def acts_for_unit(user, unit_id):
    """The unit side of a nomination: the unit's own users, BTC (enters for every unit), admins."""
    if user.is_superuser or user.is_btc:
        return True
    return user.is_unit and user.organisation_id == unit_id


def may_create_nominations(user):
    return user.is_superuser or user.is_btc or (user.is_unit and user.organisation_id is not None)


def is_reviewer(user, nomination):
    """BTC for the Party block, SNV for the State block (and administrators)."""
    return user.reviews_block(nomination.course.program.block)


def _reviewer_name(nomination):
    if nomination.course.program.block == Block.STATE:
        return "Sở Nội vụ"
    return "Ban Tổ chức Tỉnh ủy"


ACTIONS = {
    # action: (label, button style, reason required)
    "submit": ("Gửi duyệt", "primary", False),
    "reserve": ("Đưa vào danh sách dự bị", "secondary", False),
    "override": ("Chấp nhận cảnh báo điều kiện", "warning", True),
    "verify": ("Thẩm định đạt", "success", False),
    "approve": ("Phê duyệt", "success", False),
    "return": ("Trả lại để bổ sung", "warning", True),
    "reject": ("Không chấp thuận", "danger", True),
    "withdraw": ("Rút hồ sơ", "outline-danger", False),
}
UNIT_WITHDRAWABLE = (S.DRAFT, S.RESERVE, S.SUBMITTED, S.RETURNED, S.VERIFIED)
REVIEWER_WITHDRAWABLE = (*UNIT_WITHDRAWABLE, S.APPROVED, S.ENROLLED)


def action_refusal(user, nomination, action):
    """Why `user` may not do `action` on `nomination` now (role and status), or None.

    Seats and eligibility are checked by the action itself, inside its transaction.
    """
    status = nomination.status
    label = _status_label(status)
    if user.is_leadership and not user.is_superuser:
        return "Tài khoản lãnh đạo chỉ được xem, không được thay đổi hồ sơ."
    unit_side = acts_for_unit(user, nomination.unit_id)
    reviewer = is_reviewer(user, nomination)
    if action in ("submit", "reserve", "edit"):
        if not unit_side:
            return "Chỉ đơn vị cử cán bộ hoặc Ban Tổ chức Tỉnh ủy được gửi, sửa hồ sơ này."
        if status not in (S.DRAFT, S.RETURNED):
            return f"Hồ sơ đang ở trạng thái “{label}”: chỉ hồ sơ dự thảo hoặc bị trả lại mới " + (
                "được gửi, sửa hoặc đưa vào danh sách dự bị."
            )
        return None
    if action in ("verify", "approve", "return", "reject", "override"):
        if not reviewer:
            return (
                f"Chỉ {_reviewer_name(nomination)} thẩm định, phê duyệt hồ sơ của khóa này "
                f"({nomination.course.program.get_block_display()})."
            )
        allowed = {
            "verify": (S.SUBMITTED,),
            "approve": (S.VERIFIED,),
            "return": (S.SUBMITTED, S.VERIFIED),
            "reject": (S.SUBMITTED, S.VERIFIED, S.RETURNED, S.RESERVE),
            "override": (S.SUBMITTED, S.RETURNED, S.RESERVE, S.VERIFIED),
        }[action]
        if status not in allowed:
            names = ", ".join(f"“{_status_label(s)}”" for s in allowed)
            return f"Hồ sơ đang ở trạng thái “{label}”; thao tác này chỉ áp dụng cho hồ sơ {names}."
        return None
    if action == "withdraw":
        if reviewer and status in REVIEWER_WITHDRAWABLE:
            return None
        if unit_side and status in UNIT_WITHDRAWABLE:
            return None
        if unit_side or reviewer:
            return f"Hồ sơ đang ở trạng thái “{label}” nên không thể rút." + (
                " Đơn vị chỉ rút được hồ sơ trước khi được phê duyệt." if unit_side else ""
            )
        return "Bạn không có quyền rút hồ sơ này."
    return "Thao tác không hợp lệ."


def allowed_actions(user, nomination):
    """[(action, label, style, reason required)] the user may try on this nomination now."""
    return [
        (action, label, style, needs_reason)
        for action, (label, style, needs_reason) in ACTIONS.items()
        if action_refusal(user, nomination, action) is None
        and (
            action != "override"
            or eligibility.EligibilityReport.from_notes(nomination.eligibility_notes).warnings
        )
        and (action != "reserve" or nomination.quota_line_id is not None)
    ]


def _require(user, nomination, action):
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
    previous = eligibility.EligibilityReport.from_notes(nomination.eligibility_notes)
    overridden = {v.code for v in previous.verdicts if v.overridden}
    return eligibility.check(
        nomination.course,
        nomination.person,
        _plan_of(nomination.course).year,
        nomination,
        rules=rules,
        overridden=overridden,
    )


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
            f"{nomination.unit} chưa được phân bổ chỉ tiêu trên dòng “{line_label(line)}” nên "
            "chưa thể gửi hồ sơ."
        )
    if held_unit >= allocation.count:
        return (
            f"{nomination.unit} đã dùng hết {allocation.count} chỉ tiêu được phân bổ trên dòng "
            f"“{line_label(line)}”. Có thể đưa hồ sơ vào danh sách dự bị."
        )
    if held_line >= line.planned_count:
        return f"Dòng chỉ tiêu “{line_label(line)}” đã đủ {line.planned_count} chỉ tiêu."
    return None


def line_label(line):
    mode = f", {line.get_study_mode_display().lower()}" if line.study_mode else ""
    return f"{course_code(line.course)}-{line.position} {line.institution.name}{mode}"


def course_code(course):
    """Stable code of a course in its plan: “II.1.1” (section.program.course)."""
    return f"{course.program.number}.{course.position}"


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
    for name in ("status", "reserve_since", "eligibility_notes", "override_reason", "updated_at"):
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


OWN_UNIT_ONLY = "Đơn vị chỉ được cử cán bộ của đơn vị mình."


def _refuse_closed_plan(plan):
    if plan.status == Plan.Status.CLOSED:
        raise NominationRefused(f"Kế hoạch năm {plan.year} đã kết thúc, không nhận hồ sơ mới.")


def _line_refusal(course, quota_line, *, course_has_lines):
    """Why the quota line does not fit the course, or ""."""
    if quota_line is not None and quota_line.course_id != course.pk:
        return "Dòng chỉ tiêu không thuộc khóa đã chọn."
    if quota_line is None and course_has_lines:
        return "Khóa này có chỉ tiêu theo cơ sở đào tạo và hệ học: hãy chọn dòng chỉ tiêu."
    return ""


def _validate_target(course, quota_line):
    _refuse_closed_plan(_plan_of(course))
    has_lines = quota_line is None and course.quota_lines.exists()
    refusal = _line_refusal(course, quota_line, course_has_lines=has_lines)
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
    if not may_create_nominations(actor):
        raise NominationRefused("Tài khoản của bạn không được lập hồ sơ cử đi học.")
    if not acts_for_unit(actor, person.organisation_id):
        raise NominationRefused(OWN_UNIT_ONLY)
    _validate_target(course, quota_line)
    existing = _live_duplicate(person, course)
    if existing is not None:
        raise NominationRefused(duplicate_message(person, course, existing))
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
    nomination.eligibility_notes = report.to_notes()
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
    fresh.eligibility_notes = report.to_notes()
    fresh.save(
        update_fields=[
            "quota_line",
            "training_months",
            "commitment_months",
            "note",
            "eligibility_notes",
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
    nomination.eligibility_notes = report.to_notes()
    nomination_set_status(
        nomination=nomination,
        to_status=S.SUBMITTED,
        actor=actor,
        update_fields=["eligibility_notes"],
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
            f"{fresh.unit} chưa được phân bổ chỉ tiêu trên dòng “{line_label(line)}”."
        )
    if held_unit < allocation.count and held_line < line.planned_count:
        raise NominationRefused(
            f"{fresh.unit} còn {allocation.count - held_unit} chỉ tiêu trên dòng "
            f"“{line_label(line)}”: hãy gửi duyệt thay vì đưa vào danh sách dự bị."
        )
    report = eligibility_check(fresh)
    if report.blocking:
        raise NominationRefused(_blocking_message(report))
    fresh.eligibility_notes = report.to_notes()
    fresh.reserve_since = timezone.now()
    nomination_set_status(
        nomination=fresh,
        to_status=S.RESERVE,
        actor=actor,
        reason="Đơn vị đã dùng hết chỉ tiêu được phân bổ; chờ chỉ tiêu trống.",
        update_fields=["reserve_since", "eligibility_notes"],
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
    fresh.eligibility_notes = report.to_notes()
    nomination_set_status(
        nomination=fresh, to_status=S.VERIFIED, actor=actor, update_fields=["eligibility_notes"]
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
    fresh.eligibility_notes = report.to_notes()
    fresh.override_reason = reason
    nomination_set_status(
        nomination=fresh,
        to_status=fresh.status,
        actor=actor,
        reason="Chấp nhận cảnh báo: "
        + "; ".join(v.description for v in accepted)
        + f". Lý do: {reason}",
        update_fields=["eligibility_notes", "override_reason"],
    )
    _copy_state(nomination, fresh)
    return nomination


# Bulk ----------------------------------------------------------------------------------------


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
        except (NominationRefused, LockTimeout) as error:
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


# Excel import --------------------------------------------------------------------------------


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
    from quotas.imports import check_rows

    if not may_create_nominations(actor):
        raise NominationRefused("Tài khoản của bạn không được lập hồ sơ cử đi học.")
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
    check_rows(rows, plan=plan)
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
    _refuse_closed_plan(plan)
    courses_with_lines = set(
        QuotaLine.objects.filter(course_id__in={row.course.pk for row in rows})
        .values_list("course_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    status = S.SUBMITTED if submit else S.DRAFT
    nominations = []
    for row in rows:
        if acts_for_unit(actor, row.person.organisation_id):
            refusal = _line_refusal(
                row.course, row.quota_line, course_has_lines=row.course.pk in courses_with_lines
            )
        else:
            refusal = OWN_UNIT_ONLY
        if refusal:
            raise NominationRefused(f"Dòng {row.number}: {refusal}")
        nominations.append(
            Nomination(
                person=row.person,
                course=row.course,
                quota_line=row.quota_line,
                unit_id=row.person.organisation_id,
                status=status,
                training_months=row.training_months,
                commitment_months=row.commitment_months,
                eligibility_notes=row.report.to_notes(),
                note=row.note,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
        )
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


# ---------------------------------------------------------------------------------------------
# End of nominations block (feat/nominations).
# ---------------------------------------------------------------------------------------------
