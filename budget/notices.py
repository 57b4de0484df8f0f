"""Budget blocks over their estimate: the block's managers are told after a change to a class's
budget lines or to a cost norm leaves the classes of the block costing more than section IV
plans for it (the same comparison as the block review and the appendix: classes not cancelled).

The services read the over-run inside their lock before the change and tell after it, in the
same transaction: told when a change takes the block over, or further over; the open item is
done when a change brings the block back within its estimate."""

from django.db.models import Sum
from django.urls import reverse

from budget.models import BudgetBlock, BudgetLine
from courses.models import TrainingClass
from inbox.models import Notice
from inbox.services import close, notify
from training_plan.models import Block
from training_plan.rules import accounts_managing_block
from training_plan.text import format_money, format_number


def overrun(plan, block):
    """Classes of the block (not cancelled) minus the block's planned total, in đồng; None
    when the plan has no total for the block. Two queries."""
    budget_block = BudgetBlock.objects.filter(plan=plan, block=block).first()
    if budget_block is None:
        return None
    total = (
        BudgetLine.objects.filter(
            training_class__course__program__section__plan=plan,
            training_class__course__program__block=block,
        )
        .exclude(training_class__status=TrainingClass.Status.CANCELLED)
        .aggregate(total=Sum(BudgetLine.amount_expression()))["total"]
        or 0
    )
    return int(total) - budget_block.planned_total


def overruns(plan):
    """{block: over-run} of every block of the plan (before a change touching several)."""
    return {block: overrun(plan, block) for block in Block.values}


def _subject(plan, block):
    return f"budgetblock:{plan.year}:{block}"


def block_changed(*, plan, block, before, actor):
    """Tell the block's managers (not the actor) if the change took the block over or further
    over its estimate; close the open item once it is back within."""
    after = overrun(plan, block)
    if after is None:
        return []
    subject = _subject(plan, block)
    if after <= 0:
        close(subject)
        return []
    if before is not None and after <= before:
        return []
    close(subject)
    label = Block(block).label
    users = accounts_managing_block(block)
    if actor is not None and actor.pk is not None:
        users = users.exclude(pk=actor.pk)
    planned = BudgetBlock.objects.get(plan=plan, block=block).planned_total
    return notify(
        users,
        kind=Notice.Kind.BUDGET_OVER,
        title=f"{Notice.Kind.BUDGET_OVER.label}: {label} năm {plan.year} "
        f"(+{format_number(after)} đồng)",
        detail=(
            f"Dự toán các lớp {format_money(planned + after)}, dự kiến của khối "
            f"{format_money(planned)}: vượt {format_money(after)}."
        ),
        url=reverse("block_review", args=[plan.year, block]),
        subject=subject,
    )
