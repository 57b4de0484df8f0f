"""Reads of the budget: the funding appendix, block totals, norms, the block review.

`appendix_for_plan(plan)` is the one read of the funding appendix (phụ lục các lớp đào tạo, bồi
dưỡng và nguồn kinh phí): the appendix page, the budget page, the plan check, and the PDF and
Excel exports all use it. Cancelled classes are left out: they will not spend money.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from budget.models import BudgetBlock, BudgetLine, CostNorm
from courses.models import Course, TrainingClass
from courses.selectors import CLASS_ORDER
from quotas.models import Nomination
from quotas.selectors import class_learner_count_expression, learner_counts, learner_status_counts
from training_plan.models import Block
from training_plan.rules import check_perm


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
    planned_learners: int
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
    def planned_learners(self):
        """The plan's figure: the planned learners of the classes, whoever enrolled since."""
        return sum(row.planned_learners for row in self.rows)

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
    def difference(self):
        return self.total - self.planned_total

    @property
    def learners(self):
        return sum(group.learners for group in self.groups)

    @property
    def planned_learners(self):
        return sum(group.planned_learners for group in self.groups)

    @property
    def row_count(self):
        return sum(len(group.rows) for group in self.groups)

    @property
    def has_illustrative(self):
        return any(row.is_illustrative for group in self.groups for row in group.rows)


def appendix_classes(courses):
    """Classes counted by the appendix (not cancelled) of the given courses (of one plan), in plan
    order, with their estimate and institution name. Each class's course (with its program and
    section) is taken from `courses` rather than joined in: a few dozen courses, not one set of
    objects per class."""
    classes = list(
        TrainingClass.objects.filter(course_id__in=list(courses))
        .exclude(status=TrainingClass.Status.CANCELLED)
        .annotate(estimate=class_estimate_expression(), institution_name=F("institution__name"))
        .order_by(*CLASS_ORDER)
    )
    for training_class in classes:
        training_class.course = courses[training_class.course_id]
    return classes


def appendix_for_plan(plan) -> Appendix:
    """The appendix of a plan: one row per class (not cancelled), grouped by budget block in
    the order of section IV, with subtotals and the total. Four queries whatever the size: the
    blocks, the courses, the classes, and their learners counted in one grouped query.

    Learners: those enrolled, or the class's planned number while nobody is enrolled (the pages
    of the year); `planned_learners`: the class's planned number always (the plan's documents,
    whose figures must stay those of the plan however many enrol)."""
    groups = {
        budget_block.block: AppendixGroup(
            block=budget_block.block,
            label=budget_block.get_block_display(),
            planned_total=budget_block.planned_total,
        )
        for budget_block in BudgetBlock.objects.filter(plan=plan).order_by("position")
    }
    courses = {
        course.pk: course
        for course in Course.objects.filter(program__section__plan=plan).select_related(
            "program__section"
        )
    }
    classes = appendix_classes(courses)
    learners = learner_counts(training_class.pk for training_class in classes)
    for training_class in classes:
        program = training_class.course.program
        group = groups.get(program.block)
        if group is None:
            group = groups[program.block] = AppendixGroup(
                block=program.block, label=Block(program.block).label, planned_total=None
            )
        counted = learners.get(training_class.pk, 0)
        group.rows.append(
            AppendixRow(
                number=0,
                training_class=training_class,
                section_roman=program.section.roman,
                program=f"{program.number}. {program.name}",
                course=training_class.course.name,
                institution=training_class.institution_name,
                learners=counted or training_class.planned_learners,
                learners_are_planned=not counted,
                planned_learners=training_class.planned_learners,
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


def cost_norms_for_plan(plan):
    return (
        CostNorm.objects.filter(plan=plan)
        .select_related("legal_document")
        .annotate(line_count=Count("budgetline"))
        .order_by("code")
    )


def cost_norm_for_user(user, pk):
    """A cost norm (readable by every role), or 404."""
    from django.http import Http404

    norm = CostNorm.objects.select_related("plan", "legal_document").filter(pk=pk).first()
    if norm is None:
        raise Http404("Không tìm thấy định mức chi.")
    return norm


def budget_lines_of_class(training_class):
    return (
        BudgetLine.objects.filter(training_class=training_class)
        .select_related("norm")
        .order_by("position")
    )


def budget_line_for_user(user, pk, *, write=False):
    """A budget line, or 404; with `write`, 403 unless the user may change it
    (`budget.change_budgetline`: the manager of the class's block)."""
    from django.http import Http404

    line = (
        BudgetLine.objects.select_related("norm", "training_class__course__program__section__plan")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise Http404("Không tìm thấy dòng dự toán.")
    if write:
        check_perm(user, "budget.change_budgetline", line)
    return line


@dataclass
class ReviewRow:
    training_class: TrainingClass
    counts: dict

    @property
    def enrolled(self):
        return self.counts.get(Nomination.Status.ENROLLED, 0)

    @property
    def completed(self):
        return self.counts.get(Nomination.Status.COMPLETED, 0)

    @property
    def not_completed(self):
        return self.counts.get(Nomination.Status.NOT_COMPLETED, 0)

    @property
    def learners(self):
        return self.enrolled + self.completed + self.not_completed


def block_review(plan, block):
    """A block's classes with estimates and their learners' status counts, and per course the
    approved nominations still waiting for a class. Four queries whatever the size."""
    classes = list(
        TrainingClass.objects.filter(
            course__program__section__plan=plan, course__program__block=block
        )
        .select_related("course__program__section", "institution")
        .annotate(estimate=class_estimate_expression())
        .order_by(*CLASS_ORDER)
    )
    counts = learner_status_counts(c.pk for c in classes)
    rows = [ReviewRow(training_class=c, counts=counts.get(c.pk, {})) for c in classes]
    courses = list(
        Course.objects.filter(program__section__plan=plan, program__block=block)
        .select_related("program__section")
        .annotate(
            waiting=Count(
                "nominations",
                filter=Q(
                    nominations__status=Nomination.Status.APPROVED,
                    nominations__training_class__isnull=True,
                ),
            ),
            seats=Count("nominations", filter=Q(nominations__status__in=Nomination.SEAT_HOLDING)),
        )
        .order_by("program__section__position", "program__position", "position")
    )
    budget_block = BudgetBlock.objects.filter(plan=plan, block=block).first()
    active = [r for r in rows if r.training_class.status != TrainingClass.Status.CANCELLED]
    estimate_total = sum(int(r.training_class.estimate) for r in active)
    return {
        "rows": rows,
        "courses": courses,
        "budget_block": budget_block,
        "estimate_total": estimate_total,
        "difference": (
            estimate_total - budget_block.planned_total if budget_block is not None else None
        ),
    }


def class_estimate_expression():
    """The sum of a class's budget lines in whole đồng (0 without lines), as a subquery.

    Cast to bigint: PostgreSQL's SUM(bigint) is numeric, which would come back as a Decimal.
    """
    from budget.models import BudgetLine

    total = (
        BudgetLine.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(total=Sum(BudgetLine.amount_expression()))
        .values("total")
    )
    return Cast(Coalesce(Subquery(total), Value(0)), BigIntegerField())


def classes_for_plan(plan):
    """Every class of a plan with its estimate and learner count (one query).

    Classes are not personal data: every role reads them; learners are scoped separately."""
    return (
        TrainingClass.objects.filter(course__program__section__plan=plan)
        .select_related("course__program__section", "institution")
        .annotate(
            estimate=class_estimate_expression(), learner_count=class_learner_count_expression()
        )
        .order_by(*CLASS_ORDER)
    )


def training_class_for_user(user, pk, *, write=False):
    """One class, or 404; with `write`, 403 unless the user manages it (`courses.manage_class`:
    BTC the Party block, SNV the State block)."""
    training_class = (
        TrainingClass.objects.select_related("course__program__section__plan", "institution")
        .annotate(
            estimate=class_estimate_expression(), learner_count=class_learner_count_expression()
        )
        .filter(pk=pk)
        .first()
    )
    if training_class is None:
        raise Http404("Không tìm thấy lớp.")
    if write:
        check_perm(user, "courses.manage_class", training_class)
    return training_class
