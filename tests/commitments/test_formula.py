"""The repayment formula, the rule in force by date, months served, and the states."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commitments.models import Commitment, RepaymentKind, Share, State
from commitments.periods import months_between
from commitments.seed import commitment_rules_seed
from commitments.services import (
    interruption_add,
    payment_add,
    repayment_amount,
    repayment_calculate,
    repayment_case_create,
    rule_in_force,
)
from tests import factories
from training_plan.models import Person

pytestmark = pytest.mark.django_db
D = datetime.date


def test_amount_full_is_the_whole_cost():
    assert (
        repayment_amount(cost=80_000_000, share=Share.FULL, required_months=48, served_months=40)
        == 80_000_000
    )


def test_amount_proportional_follows_the_formula():
    # S = 120.000.000 / 72 × (72 − 30) = 70.000.000
    assert (
        repayment_amount(
            cost=120_000_000, share=Share.PROPORTIONAL, required_months=72, served_months=30
        )
        == 70_000_000
    )


def test_amount_proportional_rounds_to_the_dong_half_up():
    # 100 / 3 × 1 = 33,33… → 33; 100 / 3 × 2 = 66,67 → 67; 1 / 2 × 1 = 0,5 → 1
    assert (
        repayment_amount(cost=100, share=Share.PROPORTIONAL, required_months=3, served_months=2)
        == 33
    )
    assert (
        repayment_amount(cost=100, share=Share.PROPORTIONAL, required_months=3, served_months=1)
        == 67
    )
    assert (
        repayment_amount(cost=1, share=Share.PROPORTIONAL, required_months=2, served_months=1) == 1
    )


@pytest.mark.parametrize("served", [48, 49, 120])
def test_amount_is_zero_once_the_commitment_is_served(served):
    assert (
        repayment_amount(
            cost=90_000_000, share=Share.PROPORTIONAL, required_months=48, served_months=served
        )
        == 0
    )


def test_months_between_rounds_half_months():
    assert months_between(D(2023, 1, 1), D(2023, 1, 1)) == 0
    assert months_between(D(2023, 1, 1), D(2023, 1, 15)) == 0
    assert months_between(D(2023, 1, 1), D(2023, 1, 16)) == 1
    assert months_between(D(2023, 1, 31), D(2023, 2, 28)) == 1
    assert months_between(D(2023, 1, 1), D(2025, 7, 1)) == 30


@pytest.mark.parametrize(
    "sent, code, multiple",
    [
        (D(2024, 9, 1), "nd101-cong-chuc", 2),
        (D(2025, 6, 30), "nd101-cong-chuc", 2),
        (D(2025, 7, 1), "nd171-cong-chuc", 3),
        (D(2026, 3, 1), "nd171-cong-chuc", 3),
    ],
)
def test_rule_in_force_on_the_sending_date(plan_2021, sent, code, multiple):
    commitment_rules_seed()
    rule = rule_in_force(category=Person.Category.CIVIL_SERVANT, sent_date=sent)
    assert (rule.code, rule.multiple) == (code, multiple)


def test_public_employees_keep_their_own_rule_after_2025(plan_2021):
    commitment_rules_seed()
    rule = rule_in_force(category=Person.Category.PUBLIC_EMPLOYEE, sent_date=D(2026, 1, 5))
    assert (rule.code, rule.multiple) == ("nd101-vien-chuc", 2)


def test_commitment_create_takes_the_rules_least_and_refuses_less(plan_2021, btc_user):
    from commitments.services import commitment_create

    commitment_rules_seed()
    nomination = factories.NominationFactory(
        course=factories.fixture_2021.course(factories.PARTY_COURSE),
        status="approved",
        quota_line=None,
    )
    with pytest.raises(ValidationError, match="ít nhất gấp 3 lần"):
        commitment_create(
            actor=btc_user,
            nomination=nomination,
            sent_date=D(2025, 9, 1),
            signed_date=D(2025, 8, 20),
            training_months=24,
            required_months=48,
        )
    assert not Commitment.objects.exists()
    made = commitment_create(
        actor=btc_user,
        nomination=nomination,
        sent_date=D(2024, 9, 1),
        signed_date=D(2024, 8, 20),
        training_months=24,
    )
    assert (made.rule.code, made.required_months) == ("nd101-cong-chuc", 48)


def _state(commitment):
    return Commitment.objects.with_state(timezone.localdate()).get(pk=commitment.pk).state


def test_states_training_serving_completed(plan_2021):
    today = timezone.localdate()
    training = factories.commitment()
    serving = factories.commitment(return_date=today - datetime.timedelta(days=40))
    done = factories.commitment(
        sent_date=D(2017, 10, 1), training_months=12, return_date=D(2018, 10, 1)
    )
    assert [_state(c) for c in (training, serving, done)] == [
        State.TRAINING,
        State.SERVING,
        State.COMPLETED,
    ]


def test_states_must_repay_then_repaid(plan_2021, btc_user):
    commitment = factories.commitment(cost=60_000_000)
    case = repayment_case_create(
        actor=btc_user, commitment=commitment, kind=RepaymentKind.DROPOUT, event_date=D(2022, 3, 1)
    )
    assert (case.amount, _state(commitment)) == (60_000_000, State.MUST_REPAY)
    payment_add(actor=btc_user, case=case, paid_on=D(2022, 4, 1), amount=20_000_000)
    assert _state(commitment) == State.MUST_REPAY
    with pytest.raises(ValidationError, match="vượt số còn phải nộp"):
        payment_add(actor=btc_user, case=case, paid_on=D(2022, 5, 1), amount=40_000_001)
    payment_add(actor=btc_user, case=case, paid_on=D(2022, 5, 1), amount=40_000_000)
    assert _state(commitment) == State.REPAID


def test_left_early_counts_served_months_less_interruptions(plan_2021, btc_user):
    # Sent 01/09/2021 for 24 months under 101/2017 (T1 = 48), back 01/09/2023.
    commitment = factories.commitment(cost=96_000_000, return_date=D(2023, 9, 1))
    interruption_add(
        actor=btc_user,
        commitment=commitment,
        start_date=D(2024, 1, 1),
        end_date=D(2024, 6, 30),
        reason="Nghỉ không lương",
    )
    commitment.refresh_from_db()
    assert commitment.service_end_date == D(2028, 3, 1)  # 48 + 6 months
    calculation = repayment_calculate(
        commitment=commitment, kind=RepaymentKind.LEFT_EARLY, event_date=D(2025, 9, 1)
    )
    # 24 months since return, 6 interrupted: T2 = 18; S = 96.000.000 / 48 × 30 = 60.000.000
    assert (calculation.required_months, calculation.served_months, calculation.amount) == (
        48,
        18,
        60_000_000,
    )
    assert "= 60.000.000 đồng" in calculation.formula


def test_dismissal_is_not_a_case_of_101(plan_2021):
    commitment = factories.commitment(cost=10_000_000)
    with pytest.raises(ValidationError, match="không quy định đền bù"):
        repayment_calculate(
            commitment=commitment, kind=RepaymentKind.DISMISSED, event_date=D(2022, 1, 1)
        )


def test_dismissal_repays_everything_under_171(plan_2021):
    commitment = factories.commitment(sent_date=D(2025, 9, 1), training_months=12, cost=30_000_000)
    calculation = repayment_calculate(
        commitment=commitment, kind=RepaymentKind.DISMISSED, event_date=D(2025, 12, 1)
    )
    assert (calculation.share, calculation.amount) == (Share.FULL, 30_000_000)
    assert "171/2025" in calculation.citation


def test_cost_derived_from_the_class_budget_with_its_source(plan_2021):
    course = factories.fixture_2021.course(factories.PARTY_COURSE)
    training_class = factories.class_with_estimate(course, 90_000_000, planned_learners=30)
    commitment = factories.commitment(training_class=training_class, return_date=D(2023, 9, 1))
    calculation = repayment_calculate(
        commitment=commitment, kind=RepaymentKind.DROPOUT, event_date=D(2022, 1, 1)
    )
    # One learner enrolled: the whole estimate is that learner's.
    assert calculation.cost == 90_000_000
    assert (
        "Dự toán lớp" in calculation.cost_source
        and "90.000.000 đồng / 1 học viên" in calculation.cost_source
    )


def test_reminders_before_the_end_once(plan_2021, unit_a_user, btc_user, snv_user):
    from commitments.reminders import remind_commitments_ending
    from inbox.models import Notice

    today = timezone.localdate()
    # Back 48 months minus 30 days ago: ends in about a month.
    ending = factories.commitment(
        return_date=today - datetime.timedelta(days=48 * 30 + 15), training_months=24
    )
    ending.refresh_from_db()
    far = factories.commitment(return_date=today - datetime.timedelta(days=30))
    assert remind_commitments_ending(timezone.now()) == 1
    notices = Notice.objects.filter(kind=Notice.Kind.COMMITMENT_ENDING)
    assert {n.recipient for n in notices} == {unit_a_user, btc_user}
    assert f"{ending.service_end_date:%d/%m/%Y}" in notices.first().title
    assert remind_commitments_ending(timezone.now()) == 0
    assert far.pk not in {int(n.subject.split(":")[1]) for n in notices}
