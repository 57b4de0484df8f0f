"""Amounts bounded by what the database and the domain allow: a line of rate 10^15 × 9.224
overflowed bigint in every SQL sum and took down the dashboard, the class pages, the budget, the
appendix, the PDFs, the workbook and the plan check. Form, service and database refuse it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from budget import services
from budget.forms import BudgetLineForm, CostNormForm
from budget.models import (
    DAYS_MESSAGE,
    LINE_AMOUNT_MESSAGE,
    PLAN_TOTAL_MESSAGE,
    QUANTITY_MESSAGE,
    RATE_MESSAGE,
    BudgetBlock,
    BudgetLine,
    CostNorm,
)
from tests.factories import BudgetLineFactory, TrainingClassFactory
from tests.fixture_2021 import state_course
from tests.helpers import client_for, download_via_job, page_text

pytestmark = pytest.mark.django_db

OVERFLOW = {"quantity_kind": "lump", "quantity": 9224, "rate": 10**15}  # 9,224 × 10^18 > 2^63


def line_form(plan, **data):
    data = {"description": "Khoản chi thử", "quantity_kind": "lump", **data}
    return BudgetLineForm(data, plan=plan)


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"quantity": 9224, "rate": "1.000.000.000.000.000"}, "rate", RATE_MESSAGE),
        ({"quantity": 1, "rate": "1.000.000.000.001"}, "rate", RATE_MESSAGE),
        ({"quantity": 2**31, "rate": "1.000"}, "quantity", QUANTITY_MESSAGE),
        ({"quantity": 100_001, "rate": "1.000"}, "quantity", QUANTITY_MESSAGE),
        (
            {
                "quantity": 10,
                "rate": "1.000",
                "quantity_kind": "learner_days",
                "multiplier": 10_001,
            },
            "multiplier",
            DAYS_MESSAGE,
        ),
        ({"quantity": 100_000, "rate": "1.000.000.000.000"}, "quantity", LINE_AMOUNT_MESSAGE),
    ],
)
def test_line_form_refuses_what_the_database_cannot_sum(plan_2021, data, field, message):
    form = line_form(plan_2021, **data)
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_line_form_bounds_a_norm_line_by_the_norm_rate(plan_2021):
    norm = CostNorm.objects.filter(plan=plan_2021).first()
    norm.rate = 10**12
    norm.save()
    form = line_form(plan_2021, norm=norm.pk, quantity=1001)
    assert not form.is_valid()
    assert form.errors["quantity"] == [LINE_AMOUNT_MESSAGE]
    assert line_form(plan_2021, norm=norm.pk, quantity=1000).is_valid()


def test_the_largest_line_allowed(plan_2021):
    form = line_form(plan_2021, quantity=1000, rate="1.000.000.000.000")
    assert form.is_valid(), form.errors


def test_norm_form_bounds_the_rate(plan_2021):
    form = CostNormForm({"item": "Thù lao", "unit": "buổi", "rate": "1.000.000.000.001"})
    assert not form.is_valid()
    assert form.errors["rate"] == [RATE_MESSAGE]


@pytest.mark.parametrize(
    "values, field, message",
    [
        (OVERFLOW, "rate", RATE_MESSAGE),
        ({"quantity_kind": "lump", "quantity": 2**31, "rate": 1}, "quantity", QUANTITY_MESSAGE),
        (
            {"quantity_kind": "learner_days", "quantity": 1, "multiplier": 2**31, "rate": 1},
            "multiplier",
            DAYS_MESSAGE,
        ),
        (
            {"quantity_kind": "lump", "quantity": 100_000, "rate": 10**12},
            "quantity",
            LINE_AMOUNT_MESSAGE,
        ),
    ],
)
def test_line_services_refuse_and_save_nothing(plan_2021, snv_user, values, field, message):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    with pytest.raises(services.ValidationError) as refusal:
        services.budget_line_create(
            training_class=training_class, actor=snv_user, description="Khổng lồ", **values
        )
    assert refusal.value.message_dict == {field: [message]}
    assert not BudgetLine.objects.filter(training_class=training_class).exists()
    line = BudgetLineFactory(training_class=training_class, rate=50_000, quantity=10)
    with pytest.raises(services.ValidationError) as refusal:
        services.budget_line_update(line=line, actor=snv_user, description="Khổng lồ", **values)
    assert refusal.value.message_dict == {field: [message]}
    line.refresh_from_db()
    assert (line.rate, line.quantity, line.multiplier) == (50_000, 10, 1)


def test_plan_total_is_bounded(plan_2021, snv_user, monkeypatch):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    lines = BudgetLine.objects.filter(training_class__course__program__section__plan=plan_2021)
    total = sum(line.amount for line in lines)
    monkeypatch.setattr(services, "MAX_PLAN_TOTAL", total + 1000)
    create = {"training_class": training_class, "description": "Thêm", "quantity_kind": "lump"}
    with pytest.raises(services.ValidationError) as refusal:
        services.budget_line_create(actor=snv_user, quantity=1, rate=1001, **create)
    assert refusal.value.messages == [PLAN_TOTAL_MESSAGE]
    line = services.budget_line_create(actor=snv_user, quantity=1, rate=1000, **create)
    # Changing a line counts the plan without its old amount.
    update = {"line": line, "actor": snv_user, "description": "Thêm", "quantity_kind": "lump"}
    services.budget_line_update(quantity=2, rate=500, **update)
    with pytest.raises(services.ValidationError):
        services.budget_line_update(quantity=2, rate=501, **update)
    assert BudgetLine.objects.get(pk=line.pk).amount == 1000


def test_new_norm_rate_that_overflows_a_line_is_refused(plan_2021, btc_user):
    norm = CostNorm.objects.filter(plan=plan_2021).first()
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    line = BudgetLineFactory(
        training_class=training_class, rate=norm.rate, quantity=100_000, norm=norm
    )
    old_rate = norm.rate
    with pytest.raises(services.ValidationError) as refusal:
        services.cost_norm_update(norm=norm, actor=btc_user, rate=10**12)
    assert LINE_AMOUNT_MESSAGE in refusal.value.message_dict["rate"][0]
    norm.refresh_from_db()
    line.refresh_from_db()
    assert norm.rate == line.rate == old_rate
    with pytest.raises(services.ValidationError) as refusal:
        services.cost_norm_create(
            plan=plan_2021, actor=btc_user, item="Thù lao", unit="buổi", rate=10**12 + 1
        )
    assert refusal.value.message_dict == {"rate": [RATE_MESSAGE]}


def test_the_database_refuses_unbounded_amounts(plan_2021):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    norm = CostNorm.objects.filter(plan=plan_2021).first()
    block = BudgetBlock.objects.filter(plan=plan_2021).first()
    writes = [
        lambda: BudgetLineFactory(training_class=training_class, rate=10**15, quantity=9224),
        lambda: BudgetLineFactory(
            training_class=training_class, rate=10**12, quantity=100_000, multiplier=10_000
        ),
        lambda: BudgetLineFactory(training_class=training_class, rate=1, quantity=100_001),
        lambda: CostNorm.objects.filter(pk=norm.pk).update(rate=10**12 + 1),
        lambda: BudgetBlock.objects.filter(pk=block.pk).update(planned_total=10**17 + 1),
    ]
    for write in writes:
        with pytest.raises(IntegrityError), transaction.atomic():
            write()


def pages(plan, training_class):
    year = plan.year
    return [
        reverse("home"),
        reverse("plan_detail", args=[year]),
        reverse("class_list", args=[year]),
        reverse("class_detail", args=[training_class.pk]),
        reverse("budget_overview", args=[year]),
        reverse("budget_appendix", args=[year]),
        reverse("block_review", args=[year, "state"]),
        reverse("plan_check", args=[year]),
        reverse("plan_appendix_pdf", args=[year]),
        reverse("plan_document_pdf", args=[year]),
    ]


def test_an_overflowing_line_is_refused_and_every_page_stays_up(client, plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    client_for(client, snv_user)
    response = client.post(
        reverse("budget_line_create", args=[training_class.pk]),
        {"description": "Khổng lồ", "quantity_kind": "lump", "quantity": 9224},
    )
    assert "Khoản chi không theo định mức cần có đơn giá." in page_text(response)
    response = client.post(
        reverse("budget_line_create", args=[training_class.pk]),
        {
            "description": "Khổng lồ",
            "quantity_kind": "lump",
            "quantity": "9224",
            "rate": "1.000.000.000.000.000",
        },
    )
    assert response.status_code == 200
    assert RATE_MESSAGE in page_text(response)
    assert not BudgetLine.objects.filter(training_class=training_class).exists()
    for url in pages(plan_2021, training_class):
        assert client.get(url).status_code == 200, url
    workbook = download_via_job(client, reverse("plan_workbook_xlsx", args=[2021]))
    assert workbook.status_code == 200
