"""Allocation of capped quota lines to units (phân bổ chỉ tiêu). One lock per quota line, taken
once per transaction; every count is made inside the lock."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from quotas import notices
from quotas.models import MAX_SEATS, SEATS_MESSAGE, Allocation, Nomination, QuotaLine
from quotas.selectors import seat_holding_nominations
from quotas.services import nomination_promote_reserve
from training_plan.locking import key_for, lock
from training_plan.models import Organisation, Plan


def _check_allocator(actor, quota_line):
    """BTC allocates Party-block lines, SNV State-block lines; nobody else."""
    if not actor.has_perm("quotas.change_allocation", quota_line):
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
    else:
        return
    # Seats given, reserve nominations waiting, and none could take them (the line is full):
    # the unit is told with the figures.
    remaining = waiting.count()
    allocation = Allocation.objects.filter(quota_line=quota_line, unit=unit).first()
    free = (allocation.count if allocation else 0) - unit_held_seats(quota_line, unit)
    if remaining and free > 0:
        notices.seats_left_free(quota_line=quota_line, unit=unit, free=free, waiting=remaining)
