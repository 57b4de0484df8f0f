"""The funding appendix (phụ lục các lớp đào tạo, bồi dưỡng và nguồn kinh phí) of a plan.

`appendix_rows(plan)` is the one read that the plan PDF, the Word file and the workbook share.
TODO(lead): the budget area adds `budget.selectors.appendix_for_plan(plan)` with the same rows;
when both are merged, keep one of them and point the other's callers at it.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BigIntegerField, Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from budget.models import BudgetBlock, BudgetLine
from courses.models import TrainingClass
from quotas.models import Nomination
from training_plan.models import Block

# Nominations that sat in the class: enrolled, then completed or not.
LEARNER_STATUSES = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)


@dataclass
class AppendixRow:
    number: int
    training_class: TrainingClass
    section_roman: str
    program: str
    course: str
    institution: str
    learners: int
    learners_are_planned: bool
    start_date: date
    end_date: date
    estimate: int
    funding_source: str
    is_illustrative: bool

    @property
    def period(self):
        return f"{self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y}"


@dataclass
class AppendixGroup:
    block: str
    label: str
    planned_total: int | None
    rows: list[AppendixRow] = field(default_factory=list)

    @property
    def subtotal(self):
        return sum(row.estimate for row in self.rows)

    @property
    def learners(self):
        return sum(row.learners for row in self.rows)

    @property
    def difference(self):
        """Classes minus the block total of section IV (0 when they reconcile)."""
        if self.planned_total is None:
            return None
        return self.subtotal - self.planned_total


@dataclass
class Appendix:
    groups: list[AppendixGroup]

    @property
    def total(self):
        return sum(group.subtotal for group in self.groups)

    @property
    def planned_total(self):
        return sum(group.planned_total or 0 for group in self.groups)

    @property
    def learners(self):
        return sum(group.learners for group in self.groups)

    @property
    def row_count(self):
        return sum(len(group.rows) for group in self.groups)

    @property
    def has_illustrative(self):
        return any(row.is_illustrative for group in self.groups for row in group.rows)


def appendix_rows(plan) -> Appendix:
    """The appendix of a plan: one row per class (not cancelled), grouped by budget block in the
    order of section IV, with subtotals and the total. Two queries whatever the size."""
    estimate = (
        BudgetLine.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(total=Sum(BudgetLine.amount_expression()))
        .values("total")
    )
    learners = (
        Nomination.objects.filter(training_class=OuterRef("pk"), status__in=LEARNER_STATUSES)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    classes = (
        TrainingClass.objects.filter(course__program__section__plan=plan)
        .exclude(status=TrainingClass.Status.CANCELLED)
        .select_related("course__program__section", "institution")
        .annotate(
            estimate=Coalesce(Subquery(estimate), Value(0), output_field=BigIntegerField()),
            learner_count=Coalesce(Subquery(learners), Value(0), output_field=IntegerField()),
        )
        .order_by(
            "course__program__section__position",
            "course__program__position",
            "course__position",
            "start_date",
            "code",
        )
    )
    groups = {
        budget_block.block: AppendixGroup(
            block=budget_block.block,
            label=budget_block.get_block_display(),
            planned_total=budget_block.planned_total,
        )
        for budget_block in BudgetBlock.objects.filter(plan=plan).order_by("position")
    }
    for training_class in classes:
        program = training_class.course.program
        group = groups.get(program.block)
        if group is None:
            group = groups[program.block] = AppendixGroup(
                block=program.block, label=Block(program.block).label, planned_total=None
            )
        counted = training_class.learner_count
        group.rows.append(
            AppendixRow(
                number=0,
                training_class=training_class,
                section_roman=program.section.roman,
                program=f"{program.number}. {program.name}",
                course=training_class.course.name,
                institution=training_class.institution.name,
                learners=counted or training_class.planned_learners,
                learners_are_planned=not counted,
                start_date=training_class.start_date,
                end_date=training_class.end_date,
                estimate=int(training_class.estimate),
                funding_source=training_class.get_funding_source_display(),
                is_illustrative=training_class.is_illustrative,
            )
        )
    number = 0
    for group in groups.values():
        for row in group.rows:
            number += 1
            row.number = number
    return Appendix(groups=list(groups.values()))
