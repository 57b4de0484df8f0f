"""Writes of the budget: cost norms of a plan year and the budget lines of classes.

Money is whole đồng (int) everywhere; a line is rate × quantity × multiplier.
Norms are part of the plan's structure (read-only once the plan is issued); budget lines belong
to classes and go on after issuing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from budget.models import BudgetLine, CostNorm
from courses.models import TrainingClass
from training_plan.locking import key_for, lock
from training_plan.models import LegalDocument, Plan
from training_plan.rules import check_perm
from training_plan.services import ensure_structure_editable

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
    return value


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
    norm.save()
    repriced = 0
    if norm.rate != old_rate:
        lines = BudgetLine.objects.filter(
            norm=norm, training_class__status__in=REPRICED_CLASS_STATUSES
        ).exclude(rate=norm.rate)
        for line in lines:
            line.rate = norm.rate
            line.save(update_fields=["rate"])
            repriced += 1
    return norm, repriced


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
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        errors["quantity"] = "Số lượng phải là số nguyên dương."
    multiplier = 1 if multiplier is None else multiplier
    if quantity_kind == BudgetLine.QuantityKind.LEARNER_DAYS:
        if not isinstance(multiplier, int) or multiplier < 1:
            errors["multiplier"] = "Tính theo học viên × ngày cần số ngày (số nguyên dương)."
    elif multiplier != 1:
        errors["multiplier"] = "Số ngày chỉ dùng khi tính theo học viên × ngày."
    if rate is not None and "rate" not in errors:
        try:
            _whole_dong(rate, "rate")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return {
        "norm": norm,
        "description": description[:255],
        "quantity_kind": quantity_kind,
        "quantity": quantity,
        "multiplier": multiplier,
        "rate": rate,
    }


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
        lock(key_for(training_class))
        position = (
            BudgetLine.objects.filter(training_class=training_class).aggregate(
                last=Max("position")
            )["last"]
            or 0
        ) + 1
        return BudgetLine.objects.create(training_class=training_class, position=position, **values)


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
    for field, value in values.items():
        setattr(line, field, value)
    line.save()
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, actor) -> None:
    _require_class_manager(actor, line.training_class)
    _require_open_class(line.training_class)
    line.delete()
