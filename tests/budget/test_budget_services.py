"""Budget arithmetic in whole đồng, budget lines and cost norms."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budget import services
from budget.forms import BudgetLineForm, MoneyField
from budget.models import BudgetLine, CostNorm
from budget.selectors import appendix_for_plan, classes_for_plan
from courses.models import TrainingClass
from tests.factories import BudgetLineFactory, TrainingClassFactory
from tests.fixture_2021 import norm, party_course, state_course
from training_plan.models import Block

pytestmark = pytest.mark.django_db


def test_line_amount_is_rate_times_quantity_times_days(plan_2021):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    line = BudgetLineFactory(
        training_class=training_class,
        rate=50_000,
        quantity=120,
        multiplier=12,
        quantity_kind="learner_days",
    )
    assert line.amount == 72_000_000
    assert type(line.amount) is int


def test_class_estimate_is_an_exact_integer_sum_in_the_database(plan_2021):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    # Amounts that a float would round: 10**16 + 1 đồng (above 2**53) cannot be held by a double.
    for _ in range(10):
        BudgetLineFactory(training_class=training_class, rate=10**12, quantity=1000)
    BudgetLineFactory(training_class=training_class, rate=1, quantity=1)
    BudgetLineFactory(
        training_class=training_class,
        rate=333_333,
        quantity=3,
        multiplier=7,
        quantity_kind="learner_days",
    )
    estimate = classes_for_plan(plan_2021).get(pk=training_class.pk).estimate
    assert type(estimate) is int
    assert estimate == 10**16 + 1 + 333_333 * 3 * 7 > 2**53


def test_class_without_lines_estimates_zero(plan_2021):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    estimate = classes_for_plan(plan_2021).get(pk=training_class.pk).estimate
    assert estimate == 0 and type(estimate) is int


def test_block_sums_are_integers_and_leave_out_cancelled_classes(plan_2021):
    before = {g.block: g.subtotal for g in appendix_for_plan(plan_2021).groups}
    live = TrainingClassFactory(course=state_course(plan_2021))
    BudgetLineFactory(training_class=live, rate=1_000_001, quantity=3)
    cancelled = TrainingClassFactory(
        course=state_course(plan_2021), status=TrainingClass.Status.CANCELLED
    )
    BudgetLineFactory(training_class=cancelled, rate=9_999_999, quantity=1)
    groups = {g.block: g for g in appendix_for_plan(plan_2021).groups}
    assert groups[Block.STATE].subtotal == before[Block.STATE] + 3_000_003
    assert groups[Block.STATE].difference == 3_000_003
    assert groups[Block.PARTY].subtotal == before[Block.PARTY]
    for group in groups.values():
        assert all(type(row.estimate) is int for row in group.rows)


def test_norm_line_takes_the_norm_rate_and_name(plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    food = norm(plan_2021, "tien-an-hoc-vien-trong-tinh")
    line = services.budget_line_create(
        training_class=training_class,
        actor=snv_user,
        norm=food,
        quantity_kind="learner_days",
        quantity=40,
        multiplier=10,
        rate=1,  # ignored: a norm line is priced by its norm
    )
    assert (line.rate, line.description, line.position) == (50_000, food.item, 1)
    assert line.amount == 20_000_000


def test_free_line_needs_description_and_rate(plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    with pytest.raises(ValidationError) as error:
        services.budget_line_create(
            training_class=training_class, actor=snv_user, quantity_kind="lump", quantity=1
        )
    assert set(error.value.message_dict) == {"description", "rate"}
    line = services.budget_line_create(
        training_class=training_class,
        actor=snv_user,
        description="Thuê xe đưa đón học viên",
        quantity_kind="lump",
        quantity=1,
        rate=12_500_000,
    )
    assert line.norm is None and line.amount == 12_500_000


def test_days_only_with_learners_times_days(plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    common = {"training_class": training_class, "actor": snv_user, "description": "x", "rate": 1}
    with pytest.raises(ValidationError) as error:
        services.budget_line_create(quantity_kind="learners", quantity=5, multiplier=3, **common)
    assert "multiplier" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.budget_line_create(
            quantity_kind="learner_days", quantity=5, multiplier=0, **common
        )
    assert not BudgetLine.objects.filter(training_class=training_class).exists()


@pytest.mark.parametrize("bad", [Decimal("1.5"), 1.5, "100", -5, True])
def test_money_must_be_whole_dong(plan_2021, snv_user, bad):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    with pytest.raises(ValidationError):
        services.budget_line_create(
            training_class=training_class,
            actor=snv_user,
            description="Chi khác",
            quantity_kind="lump",
            quantity=1,
            rate=bad,
        )


def test_snv_cannot_cost_a_party_class(plan_2021, snv_user, btc_user):
    training_class = TrainingClassFactory(course=party_course(plan_2021))
    kwargs = {"description": "x", "quantity_kind": "lump", "quantity": 1, "rate": 1000}
    with pytest.raises(PermissionDenied):
        services.budget_line_create(training_class=training_class, actor=snv_user, **kwargs)
    line = services.budget_line_create(training_class=training_class, actor=btc_user, **kwargs)
    with pytest.raises(PermissionDenied):
        services.budget_line_delete(line=line, actor=snv_user)
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_cancelled_class_takes_no_budget_lines(plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021), status="cancelled")
    with pytest.raises(ValidationError):
        services.budget_line_create(
            training_class=training_class,
            actor=snv_user,
            description="x",
            quantity_kind="lump",
            quantity=1,
            rate=1000,
        )


def test_new_norm_rate_reprices_lines_of_unfinished_classes(plan_2021, btc_user):
    books = norm(plan_2021, "tai-lieu-hoc-tap")
    planned = TrainingClassFactory(course=state_course(plan_2021))
    finished = TrainingClassFactory(course=state_course(plan_2021), status="finished")
    planned_line = BudgetLineFactory(
        training_class=planned, rate=books.rate, quantity=10, quantity_kind="learners", norm=books
    )
    finished_line = BudgetLineFactory(
        training_class=finished, rate=books.rate, quantity=10, quantity_kind="learners", norm=books
    )
    fixture_lines = BudgetLine.objects.filter(norm=books).exclude(
        pk__in=[planned_line.pk, finished_line.pk]
    )
    expected = fixture_lines.count() + 1

    _, repriced = services.cost_norm_update(norm=books, actor=btc_user, rate=250_000)

    assert repriced == expected
    planned_line.refresh_from_db()
    finished_line.refresh_from_db()
    assert planned_line.rate == 250_000
    assert finished_line.rate == 200_000


def test_norm_in_use_cannot_be_deleted(plan_2021, snv_user):
    books = norm(plan_2021, "tai-lieu-hoc-tap")
    with pytest.raises(ValidationError) as error:
        services.cost_norm_delete(norm=books, actor=snv_user)
    assert "đang được dùng" in error.value.messages[0]
    spare = services.cost_norm_create(
        plan=plan_2021, actor=snv_user, item="Nước uống giữa giờ", unit="học viên/ngày", rate=20_000
    )
    services.cost_norm_delete(norm=spare, actor=snv_user)
    assert not CostNorm.objects.filter(pk=spare.pk).exists()


@pytest.mark.parametrize("persona", ["leader_user", "unit_a_user"])
def test_only_btc_and_snv_edit_norms(plan_2021, persona, request):
    with pytest.raises(PermissionDenied):
        services.cost_norm_create(
            plan=plan_2021,
            actor=request.getfixturevalue(persona),
            item="x",
            unit="buổi",
            rate=1,
        )


def test_norm_codes_are_unique_per_plan(plan_2021, btc_user):
    first = services.cost_norm_create(
        plan=plan_2021, actor=btc_user, item="Thuê hội trường", unit="ngày", rate=3_000_000
    )
    second = services.cost_norm_create(
        plan=plan_2021, actor=btc_user, item="Thuê hội trường", unit="buổi", rate=1_500_000
    )
    assert first.code == "thue-hoi-truong" and second.code == "thue-hoi-truong-2"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1.500.000", 1_500_000), ("1 500 000", 1_500_000), ("1500000", 1_500_000), ("800", 800)],
)
def test_money_field_reads_vietnamese_amounts(typed, amount):
    assert MoneyField().clean(typed) == amount


@pytest.mark.parametrize("typed", ["1,5", "1.5", "1.500,50", "1.50.000", "-100", "abc", "1e6"])
def test_money_field_refuses_fractions_and_garbage(typed):
    with pytest.raises(ValidationError) as error:
        MoneyField().clean(typed)
    assert error.value.messages == ["Nhập số tiền là số nguyên đồng, ví dụ 1.500.000."]


def test_line_form_explains_missing_days(plan_2021):
    form = BudgetLineForm(
        {"quantity_kind": "learner_days", "quantity": "10", "description": "Ăn", "rate": "50.000"},
        plan=plan_2021,
    )
    assert not form.is_valid()
    assert form.errors["multiplier"] == ["Tính theo học viên × ngày cần nhập số ngày."]
