"""Writes of the budget: cost norms of a plan year and the budget lines of classes.

Money is whole đồng (int) everywhere; a line is rate × quantity × multiplier.
Norms are part of the plan's structure (read-only once the plan is issued); budget lines belong
to classes and go on after issuing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.text import slugify

from budget import notices
from budget.models import (
    DAYS_MESSAGE,
    LINE_AMOUNT_MESSAGE,
    MAX_DAYS,
    MAX_LINE_AMOUNT,
    MAX_PLAN_TOTAL,
    MAX_QUANTITY,
    MAX_RATE,
    PLAN_TOTAL_MESSAGE,
    QUANTITY_MESSAGE,
    RATE_MESSAGE,
    BudgetLine,
    CostNorm,
)
from courses.models import TrainingClass
from training_plan.locking import key_for, lock
from training_plan.models import LegalDocument, Plan
from training_plan.rules import check_perm
from training_plan.services import ensure_structure_editable
from training_plan.text import clean_text, normalise_search

# Lines of these classes follow a change of their norm's rate; finished or cancelled classes
# keep the rate they were costed at.
REPRICED_CLASS_STATUSES = (
    TrainingClass.Status.PLANNED,
    TrainingClass.Status.OPEN,
    TrainingClass.Status.RUNNING,
)


def _require_norm_editor(actor):
    check_perm(actor, "budget.change_costnorm")


def _require_class_manager(actor, training_class):
    check_perm(actor, "budget.change_budgetline", training_class)


def _whole_dong(value, field):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: "Số tiền phải là số nguyên đồng."})
    if value < 0:
        raise ValidationError({field: "Số tiền không được âm."})
    if value > MAX_RATE:
        raise ValidationError({field: RATE_MESSAGE})
    return value


def _whole_number(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _plan_lines(plan):
    return BudgetLine.objects.filter(training_class__course__program__section__plan=plan)


def _check_plan_total(plan, added, *, without=()):
    """The plan's lines (all classes) with `added` đồng more stay within MAX_PLAN_TOTAL.

    Every saved line is at most MAX_LINE_AMOUNT and every plan within MAX_PLAN_TOTAL, so this
    sum cannot overflow either."""
    lines = _plan_lines(plan).exclude(pk__in=without)
    total = lines.aggregate(total=Sum(BudgetLine.amount_expression()))["total"] or 0
    if total + added > MAX_PLAN_TOTAL:
        raise ValidationError(PLAN_TOTAL_MESSAGE)


def _norm_code(plan, item):
    base = slugify(item)[:50] or "dinh-muc"
    codes = set(
        CostNorm.objects.filter(plan=plan, code__startswith=base).values_list("code", flat=True)
    )
    code, number = base, 1
    while code in codes:
        number += 1
        code = f"{base}-{number}"
    return code


@transaction.atomic
def cost_norm_create(
    *,
    plan: Plan,
    actor,
    item: str,
    unit: str,
    rate: int,
    legal_document: LegalDocument | None = None,
    article: str = "",
    is_illustrative: bool = False,
) -> CostNorm:
    _require_norm_editor(actor)
    ensure_structure_editable(plan)
    _whole_dong(rate, "rate")
    # The plan's lock: the code is free, and a second click finds the norm the first one made.
    lock(key_for(plan))
    wanted = normalise_search(clean_text(item))
    for same in CostNorm.objects.filter(plan=plan).only("item", "unit"):
        if normalise_search(same.item) == wanted and same.unit == clean_text(unit).strip():
            raise ValidationError(
                f"Định mức “{same.item}” ({same.unit}) đã có trong kế hoạch năm {plan.year}: "
                "sửa định mức đó thay vì thêm định mức trùng."
            )
    return CostNorm.objects.create(
        plan=plan,
        code=_norm_code(plan, item),
        item=item.strip(),
        unit=unit.strip(),
        rate=rate,
        legal_document=legal_document,
        article=article.strip(),
        is_illustrative=is_illustrative,
    )


NORM_FIELDS = ("item", "unit", "rate", "legal_document", "article", "is_illustrative")


@transaction.atomic
def cost_norm_update(*, norm: CostNorm, actor, **changes) -> tuple[CostNorm, int]:
    """Change a norm; a new rate re-prices the lines that use it in classes not yet finished.
    Returns the norm and how many lines were re-priced."""
    _require_norm_editor(actor)
    unknown = set(changes) - set(NORM_FIELDS)
    if unknown:
        raise TypeError(f"cost_norm_update() got unexpected fields {sorted(unknown)}")
    norm = CostNorm.objects.select_for_update().select_related("plan").get(pk=norm.pk)
    ensure_structure_editable(norm.plan)
    if "rate" in changes:
        _whole_dong(changes["rate"], "rate")
    old_rate = norm.rate
    for field, value in changes.items():
        setattr(norm, field, value.strip() if isinstance(value, str) else value)
    lines = []
    if norm.rate != old_rate:
        lines = list(
            BudgetLine.objects.filter(norm=norm, training_class__status__in=REPRICED_CLASS_STATUSES)
            .exclude(rate=norm.rate)
            .select_related("training_class__course__program")
        )
        added = 0
        for line in lines:
            if norm.rate * line.quantity * line.multiplier > MAX_LINE_AMOUNT:
                raise ValidationError(
                    {"rate": f"Mức chi mới làm dòng “{line.description}”: {LINE_AMOUNT_MESSAGE}"}
                )
            added += (norm.rate - line.rate) * line.quantity * line.multiplier
        _check_plan_total(norm.plan, added)
    before = notices.overruns(norm.plan) if lines else {}
    norm.save()
    for line in lines:
        line.rate = norm.rate
        line.save(update_fields=["rate"])
    for block in {line.training_class.course.program.block for line in lines}:
        notices.block_changed(plan=norm.plan, block=block, before=before[block], actor=actor)
    return norm, len(lines)


@transaction.atomic
def cost_norm_delete(*, norm: CostNorm, actor) -> None:
    _require_norm_editor(actor)
    norm = CostNorm.objects.select_related("plan").get(pk=norm.pk)
    ensure_structure_editable(norm.plan)
    used = BudgetLine.objects.filter(norm=norm).count()
    if used:
        raise ValidationError(
            f"Định mức “{norm.item}” đang được dùng ở {used} dòng dự toán; không xóa được."
        )
    norm.delete()


def _line_values(*, training_class, norm, description, quantity_kind, quantity, multiplier, rate):
    errors = {}
    if norm is not None:
        if norm.plan_id != training_class.course.program.section.plan_id:
            errors["norm"] = "Định mức không thuộc kế hoạch của lớp này."
        rate = norm.rate
        description = (description or "").strip() or norm.item
    else:
        description = (description or "").strip()
        if not description:
            errors["description"] = "Khoản chi không theo định mức cần có nội dung."
        if rate is None:
            errors["rate"] = "Khoản chi không theo định mức cần có đơn giá."
    if quantity_kind not in BudgetLine.QuantityKind.values:
        errors["quantity_kind"] = "Đơn vị số lượng không hợp lệ."
    if not _whole_number(quantity) or quantity < 1:
        errors["quantity"] = "Số lượng phải là số nguyên dương."
    elif quantity > MAX_QUANTITY:
        errors["quantity"] = QUANTITY_MESSAGE
    multiplier = 1 if multiplier is None else multiplier
    if quantity_kind == BudgetLine.QuantityKind.LEARNER_DAYS:
        if not _whole_number(multiplier) or multiplier < 1:
            errors["multiplier"] = "Tính theo học viên × ngày cần số ngày (số nguyên dương)."
        elif multiplier > MAX_DAYS:
            errors["multiplier"] = DAYS_MESSAGE
    elif multiplier != 1:
        errors["multiplier"] = "Số ngày chỉ dùng khi tính theo học viên × ngày."
    if rate is not None and "rate" not in errors:
        try:
            _whole_dong(rate, "rate")
        except ValidationError as error:
            errors.update(error.message_dict)
    if not errors and rate * quantity * multiplier > MAX_LINE_AMOUNT:
        errors["quantity"] = LINE_AMOUNT_MESSAGE
    if errors:
        raise ValidationError(errors)
    return {
        "norm": norm,
        "description": clean_text(description).strip()[:255],
        "quantity_kind": quantity_kind,
        "quantity": quantity,
        "multiplier": multiplier,
        "rate": rate,
    }


def _amount(values):
    return values["rate"] * values["quantity"] * values["multiplier"]


def _plan_of(training_class):
    return training_class.course.program.section.plan


def _require_open_class(training_class):
    if training_class.status == TrainingClass.Status.CANCELLED:
        raise ValidationError("Lớp đã hủy: không lập dự toán cho lớp này.")


def budget_line_create(
    *,
    training_class: TrainingClass,
    actor,
    quantity_kind: str,
    quantity: int,
    norm: CostNorm | None = None,
    description: str = "",
    multiplier: int = 1,
    rate: int | None = None,
) -> BudgetLine:
    """Add a line to a class estimate: a norm's rate, or a free line with its own rate."""
    _require_class_manager(actor, training_class)
    _require_open_class(training_class)
    values = _line_values(
        training_class=training_class,
        norm=norm,
        description=description,
        quantity_kind=quantity_kind,
        quantity=quantity,
        multiplier=multiplier,
        rate=rate,
    )
    with transaction.atomic():
        plan = _plan_of(training_class)
        # The class's lock and the plan's (the plan total counts every class's lines).
        lock(key_for(training_class), key_for(plan))
        _check_plan_total(plan, _amount(values))
        if BudgetLine.objects.filter(training_class=training_class, **values).exists():
            raise ValidationError(
                "Dòng kinh phí này (cùng nội dung, định mức, số lượng) đã có trong dự toán của "
                "lớp: sửa dòng đó thay vì thêm dòng trùng."
            )
        block = training_class.course.program.block
        before = notices.overrun(plan, block)
        position = (
            BudgetLine.objects.filter(training_class=training_class).aggregate(
                last=Max("position")
            )["last"]
            or 0
        ) + 1
        line = BudgetLine.objects.create(training_class=training_class, position=position, **values)
        notices.block_changed(plan=plan, block=block, before=before, actor=actor)
        return line


@transaction.atomic
def budget_line_update(
    *,
    line: BudgetLine,
    actor,
    quantity_kind: str,
    quantity: int,
    norm: CostNorm | None = None,
    description: str = "",
    multiplier: int = 1,
    rate: int | None = None,
) -> BudgetLine:
    training_class = line.training_class
    _require_class_manager(actor, training_class)
    _require_open_class(training_class)
    values = _line_values(
        training_class=training_class,
        norm=norm,
        description=description,
        quantity_kind=quantity_kind,
        quantity=quantity,
        multiplier=multiplier,
        rate=rate,
    )
    plan = _plan_of(training_class)
    lock(key_for(training_class), key_for(plan))
    _check_plan_total(plan, _amount(values), without=[line.pk])
    block = training_class.course.program.block
    before = notices.overrun(plan, block)
    for field, value in values.items():
        setattr(line, field, value)
    line.save()
    notices.block_changed(plan=plan, block=block, before=before, actor=actor)
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor) -> None:
    _require_class_manager(actor, line.training_class)
    _require_open_class(line.training_class)
    plan = _plan_of(line.training_class)
    block = line.training_class.course.program.block
    before = notices.overrun(plan, block)
    line.delete()
    notices.block_changed(plan=plan, block=block, before=before, actor=actor)
