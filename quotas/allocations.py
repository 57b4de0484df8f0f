"""Allocation of capped quota lines to units (phân bổ chỉ tiêu). One lock per quota line, taken
once per transaction; every count is made inside the lock."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum

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


def _check_unit(unit, year=None):
    """A unit that nominates cadres and, given the plan's year, is alive during it."""
    if unit.kind != Organisation.Kind.UNIT:
        raise ValidationError(f"{unit.name} không phải đơn vị cử cán bộ, không nhận chỉ tiêu.")
    if year is not None:
        if not unit.alive_in_year(year):
            raise ValidationError(
                f"{unit.name} không hoạt động trong năm {year}"
                + (f" (kết thúc ngày {unit.valid_to:%d/%m/%Y})" if unit.valid_to else "")
                + ": không nhận chỉ tiêu của kế hoạch năm này."
            )


def line_allocated_total(quota_line, *, exclude_unit=None):
    """Σ allocations of a line (optionally without one unit's), read inside the lock."""
    allocations = Allocation.objects.filter(quota_line=quota_line)
    if exclude_unit is not None:
        allocations = allocations.exclude(unit=exclude_unit)
    return allocations.aggregate(total=Sum("count"))["total"] or 0


def unit_held_seats(quota_line, unit):
    """Seats of a line held by a unit's nominations, read inside the lock."""
    return seat_holding_nominations().filter(quota_line=quota_line, unit=unit).count()


def _below_held_message(unit, count, held):
    return (
        f"Không thể giảm phân bổ của {unit.name} xuống {count}: đơn vị đang có {held} "
        "hồ sơ giữ chỗ trên dòng chỉ tiêu này."
    )


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
    _check_unit(unit, quota_line.course.program.section.plan.year if count else None)
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
            raise ValidationError(_below_held_message(unit, count, held))
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
    _check_unit(to_unit, quota_line.course.program.section.plan.year)
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


class GridErrors(ValidationError):
    """Refusal of a grid: `cells` maps (line pk, unit pk) to its message, `lines` line pk to
    the message of an overbooked line; nothing was saved."""

    def __init__(self, cells, lines):
        self.cells, self.lines = cells, lines
        super().__init__([*cells.values(), *lines.values()])


def allocation_set_grid(*, actor, course, counts, save=True):
    """Set many allocations of one course's capped lines at once, all or nothing.

    `counts` maps (quota line, unit) to the new seat count (0 removes the allocation). Every
    line is locked (in pk order) and checked as allocation_set checks one cell: no unit below
    the seats its nominations hold, no line past its planned count, with the new values of all
    its units. Refused with GridErrors (per cell and per line), changing nothing. Returns the
    number of allocations changed; new seats go to each unit's reserve list afterwards.
    With save=False only checks (the grid's other cells while some cell is not a number).
    """
    lines = {line.pk: line for line, _unit in counts}
    for line in lines.values():
        if line.course_id != course.pk:
            raise ValidationError("Dòng chỉ tiêu không thuộc khóa này.")
        _check_allocator(actor, line)
        _check_line(line)
    year = course.program.section.plan.year
    for (_line, unit), count in counts.items():
        _check_unit(unit, year if count else None)
        if count is None or count < 0:
            raise ValidationError("Số chỉ tiêu phân bổ phải là số nguyên không âm.")
        if count > MAX_SEATS:
            raise ValidationError(SEATS_MESSAGE)
    cell_errors, line_errors, grown = {}, {}, []
    with transaction.atomic():
        for pk in sorted(lines):
            lock(key_for(lines[pk]))
        current = {
            (a.quota_line_id, a.unit_id): a
            for a in Allocation.objects.filter(quota_line_id__in=lines)
        }
        held = {
            (item["quota_line_id"], item["unit_id"]): item["n"]
            for item in seat_holding_nominations()
            .filter(quota_line_id__in=lines)
            .values("quota_line_id", "unit_id")
            .annotate(n=Count("id"))
            .order_by()
        }
        totals = {pk: 0 for pk in lines}
        for (line_id, _unit_id), allocation in current.items():
            totals[line_id] += allocation.count
        changes = []
        for (line, unit), count in counts.items():
            key = (line.pk, unit.pk)
            allocation = current.get(key) or Allocation(quota_line=line, unit=unit, count=0)
            if allocation.count == count:
                continue
            if count < held.get(key, 0):
                cell_errors[key] = _below_held_message(unit, count, held[key])
            totals[line.pk] += count - allocation.count
            changes.append((allocation, count))
        for pk, total in totals.items():
            line = lines[pk]
            if total > line.planned_count:
                line_errors[pk] = (
                    f"Vượt chỉ tiêu: {line.place} có {line.planned_count}, tổng phân bổ "
                    f"đã nhập là {total} (thừa {total - line.planned_count})."
                )
        if cell_errors or line_errors:
            raise GridErrors(cell_errors, line_errors)
        if not save:
            return 0
        for allocation, count in changes:
            if count > allocation.count:
                grown.append((allocation.quota_line, allocation.unit, count - allocation.count))
            _save_allocation(allocation, count, actor)
    for line, unit, seats in grown:
        _promote_reserves(quota_line=line, unit=unit, actor=actor, seats=seats)
    return len(changes)


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
