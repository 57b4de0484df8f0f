"""The illustrative 2021 appendix reconciles to the đồng with the block totals of section IV."""

import pytest
from django.db.models import Sum

from budget.models import BudgetLine, CostNorm
from budget.selectors import appendix_for_plan
from courses.models import TrainingClass
from quotas.models import Nomination, QuotaLine
from tests.factories import (
    BudgetLineFactory,
    NominationFactory,
    TrainingClassFactory,
    enrol_directly,
)
from tests.fixture_2021 import state_course
from training_plan.models import Block

pytestmark = pytest.mark.django_db

PARTY_TOTAL = 7_237_406_000
STATE_TOTAL = 3_910_000_000


def test_appendix_reconciles_to_the_dong(plan_2021):
    appendix = appendix_for_plan(plan_2021)
    totals = {group.block: group.subtotal for group in appendix.groups}
    assert totals == {Block.PARTY: PARTY_TOTAL, Block.STATE: STATE_TOTAL}
    assert [group.difference for group in appendix.groups] == [0, 0]
    assert appendix.total == appendix.planned_total == 11_147_406_000


def test_line_by_line_in_python_gives_the_same_totals(plan_2021):
    """Recompute from the rows, in Python integers, without the selector's SQL."""
    totals = {Block.PARTY: 0, Block.STATE: 0}
    lines = BudgetLine.objects.filter(
        training_class__course__program__section__plan=plan_2021
    ).select_related("training_class__course__program")
    for line in lines:
        assert all(type(v) is int for v in (line.rate, line.quantity, line.multiplier))
        totals[line.training_class.course.program.block] += (
            line.rate * line.quantity * line.multiplier
        )
    assert totals == {Block.PARTY: PARTY_TOTAL, Block.STATE: STATE_TOTAL}


def test_every_fixture_class_is_illustrative_and_says_why(plan_2021):
    classes = TrainingClass.objects.filter(course__program__section__plan=plan_2021)
    assert classes.count() == 20
    for training_class in classes:
        assert training_class.is_illustrative
        assert "văn bản kế hoạch chỉ nêu tổng kinh phí của từng khối" in training_class.note
        assert training_class.start_date.year == 2021
    rows = [row for group in appendix_for_plan(plan_2021).groups for row in group.rows]
    assert all(row.is_illustrative for row in rows)


def test_classes_cover_the_capped_courses_with_their_quantities(plan_2021):
    classes = TrainingClass.objects.filter(course__program__section__plan=plan_2021)
    # II.1: one class per quota line, as many learners as the line.
    ii1 = classes.filter(course__program__section__position=2, course__program__position=1)
    lines = QuotaLine.objects.filter(
        course__program__section__plan=plan_2021,
        course__program__section__position=2,
        course__program__position=1,
    )
    assert sorted(c.planned_learners for c in ii1) == sorted(li.planned_count for li in lines)
    assert {(c.institution_id, c.study_mode) for c in ii1} == {
        (li.institution_id, li.study_mode) for li in lines
    }
    # II.3 and the seven III.3 courses: the classes' learners add up to each course's quantity.
    for section, program in ((2, 3), (3, 3)):
        for course in (
            plan_2021.sections.get(position=section).programs.get(position=program).courses.all()
        ):
            planned = classes.filter(course=course).aggregate(n=Sum("planned_learners"))["n"]
            assert planned == course.quantity, course.name


def test_norms_cite_the_provincial_resolution(plan_2021):
    norms = CostNorm.objects.filter(plan=plan_2021)
    assert norms.count() == 8
    for norm in norms:
        assert norm.legal_document.number == "04/2019/NQ-HĐND"
        assert norm.is_illustrative
    norm_lines = BudgetLine.objects.filter(norm__isnull=False)
    assert all(line.rate == line.norm.rate for line in norm_lines)
    assert BudgetLine.objects.filter(norm__isnull=True).count() == 20  # one contract per class


def test_appendix_rows_in_plan_order_with_running_numbers(plan_2021):
    appendix = appendix_for_plan(plan_2021)
    assert [group.label for group in appendix.groups] == [
        "Khối Đảng, Mặt trận, đoàn thể",
        "Khối Nhà nước",
    ]
    rows = [row for group in appendix.groups for row in group.rows]
    assert [row.number for row in rows] == list(range(1, 21))
    assert rows[0].program.startswith("II.1.")
    assert rows[-1].course == "Bồi dưỡng chứng chỉ ngoại ngữ Tiếng Anh bậc 3 trở lên"
    assert rows[0].period == "01/03/2021 – 15/12/2021"
    assert rows[0].funding_source == "Ngân sách tỉnh"
    assert sum(row.learners for row in appendix.groups[1].rows) == 1410


def test_appendix_selector_runs_four_queries_at_any_size(plan_2021, django_assert_num_queries):
    # Blocks, courses, classes, and the learners of those classes in one grouped count.
    with django_assert_num_queries(4):
        appendix_for_plan(plan_2021)
    for _ in range(10):
        BudgetLineFactory(training_class__course=state_course(plan_2021), rate=1000)
    with django_assert_num_queries(4):
        appendix = appendix_for_plan(plan_2021)
    assert appendix.row_count == 30


def test_appendix_counts_the_learners_of_each_class(plan_2021):
    """Enrolled, completed and not completed nominations are learners; a class without any shows
    its planned number."""
    course = state_course(plan_2021)
    taught = TrainingClassFactory(course=course, planned_learners=25, capacity=40)
    BudgetLineFactory(training_class=taught, rate=1000)
    empty = TrainingClassFactory(course=course, planned_learners=12)
    BudgetLineFactory(training_class=empty, rate=1000)
    enrolled, completed, failed, withdrawn = (
        NominationFactory.create_batch(n, course=course, status="approved") for n in (3, 2, 1, 4)
    )
    enrol_directly(taught, enrolled + completed + failed + withdrawn)
    statuses = {
        Nomination.Status.COMPLETED: completed,
        Nomination.Status.NOT_COMPLETED: failed,
        Nomination.Status.WITHDRAWN: withdrawn,
    }
    for status, nominations in statuses.items():
        Nomination.objects.filter(pk__in=[n.pk for n in nominations]).update(status=status)
    NominationFactory.create_batch(5, course=course, status="approved")  # approved, in no class

    rows = {
        row.training_class.pk: row for g in appendix_for_plan(plan_2021).groups for row in g.rows
    }
    assert (rows[taught.pk].learners, rows[taught.pk].learners_are_planned) == (6, False)
    assert (rows[empty.pk].learners, rows[empty.pk].learners_are_planned) == (12, True)
