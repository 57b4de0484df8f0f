"""Who is told when a class opens or is cancelled, when a budget block goes over its estimate,
and when a plan is issued."""

import datetime

import pytest

from budget import services as budget_services
from inbox.models import Notice
from quotas import classes as class_services
from quotas.models import Nomination
from reports.lifecycle import plan_issue
from tests.factories import (
    BudgetLineFactory,
    CostNormFactory,
    NominationFactory,
    TrainingClassFactory,
    UserFactory,
    enrol_directly,
)
from tests.fixture_2021 import SON_TINH, TU_NGHIA, party_course, state_course, unit
from training_plan.models import Block

pytestmark = pytest.mark.django_db
S = Nomination.Status
K = Notice.Kind


def told(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# Classes ---------------------------------------------------------------------------------------


@pytest.fixture
def party_class(plan_2021):
    return TrainingClassFactory(
        course=party_course(), name="Lớp Trung cấp K12", venue="Trường Chính trị tỉnh"
    )


def test_class_opened_tells_units_with_learners_or_waiting_files(
    btc_user, unit_a_user, unit_b_user, party_class
):
    tu_nghia_user = UserFactory(username="tunghia", organisation=unit(TU_NGHIA))
    # Bình Sơn has a learner already placed; Sơn Tịnh an approved file waiting for a class.
    enrol_directly(party_class, [NominationFactory(course=party_class.course, status=S.APPROVED)])
    NominationFactory(
        course=party_class.course,
        unit=unit(SON_TINH),
        status=S.APPROVED,
    )
    # Tư Nghĩa has only a draft: not told.
    NominationFactory(course=party_class.course, unit=tu_nghia_user.organisation)
    class_services.training_class_update(training_class=party_class, actor=btc_user, status="open")
    assert told(K.CLASS_OPENED) == ["binhson_test", "sontinh_test"]
    notice = Notice.objects.filter(kind=K.CLASS_OPENED).first()
    assert notice.title == "Lớp khai giảng: Lớp Trung cấp K12"
    assert notice.detail == (
        f"Khóa {party_class.course.name}; từ 01/03/2021 đến 30/06/2021; tại Trường Chính trị tỉnh."
    )
    assert notice.url == f"/classes/{party_class.pk}/"
    # Saved again while open: nobody is told twice.
    class_services.training_class_update(training_class=party_class, actor=btc_user, capacity=40)
    assert Notice.objects.filter(kind=K.CLASS_OPENED).count() == 2


def test_class_created_open_tells_waiting_units(btc_user, unit_a_user, unit_b_user, plan_2021):
    course = party_course()
    NominationFactory(course=course, status=S.APPROVED)
    training_class = class_services.training_class_create(
        course=course,
        actor=btc_user,
        name="Lớp mở ngay",
        institution=course.quota_lines.first().institution,
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2021, 12, 1),
        capacity=30,
        status="open",
    )
    assert told(K.CLASS_OPENED) == ["binhson_test"]
    assert Notice.objects.get(kind=K.CLASS_OPENED).subject == f"trainingclass:{training_class.pk}"


def test_class_planned_tells_nobody(btc_user, unit_a_user, party_class):
    NominationFactory(course=party_class.course, status=S.APPROVED)
    class_services.training_class_update(training_class=party_class, actor=btc_user, capacity=35)
    assert not Notice.objects.exists()


def test_class_cancelled_tells_the_learners_units_with_the_reason(
    btc_user, unit_a_user, unit_b_user, party_class
):
    enrol_directly(party_class, [NominationFactory(course=party_class.course, status=S.APPROVED)])
    class_services.class_cancel(
        training_class=party_class, actor=btc_user, reason="Thiếu giảng viên"
    )
    assert told(K.CLASS_CANCELLED) == ["binhson_test"]
    notice = Notice.objects.get(kind=K.CLASS_CANCELLED)
    assert notice.title == "Lớp bị hủy: Lớp Trung cấp K12"
    assert notice.detail.endswith("Lý do hủy: Thiếu giảng viên")
    # Going back to “approved” is not news of its own.
    assert not Notice.objects.filter(kind=K.APPROVED).exists()


# Budget ----------------------------------------------------------------------------------------


@pytest.fixture
def other_btc(plan_2021):
    return UserFactory(username="btc_2", btc=True)


def test_budget_line_taking_the_block_over_tells_its_managers(
    btc_user, other_btc, snv_user, unit_a_user, party_class
):
    """The fixture's appendix reconciles exactly: 3.000.000 đồng more is 3.000.000 over."""
    line = budget_services.budget_line_create(
        training_class=party_class,
        actor=btc_user,
        quantity_kind="lump",
        quantity=1,
        description="Tài liệu",
        rate=3_000_000,
    )
    assert told(K.BUDGET_OVER) == ["btc_2"]  # not the actor, not SNV, not a unit
    notice = Notice.objects.get(kind=K.BUDGET_OVER)
    assert notice.title == (
        "Kinh phí vượt dự toán: Khối Đảng, Mặt trận, đoàn thể năm 2021 (+3.000.000 đồng)"
    )
    assert notice.detail == (
        "Dự toán các lớp 7.240.406.000 đồng, dự kiến của khối 7.237.406.000 đồng: "
        "vượt 3.000.000 đồng."
    )
    assert notice.url == "/plans/2021/budget/blocks/party/"

    # Less over: nothing new. Further over: a new item with the new figure, the old one done.
    budget_services.budget_line_update(
        line=line, actor=btc_user, quantity_kind="lump", quantity=1, description="x", rate=2_000_000
    )
    assert Notice.objects.filter(kind=K.BUDGET_OVER).count() == 1
    budget_services.budget_line_update(
        line=line, actor=btc_user, quantity_kind="lump", quantity=1, description="x", rate=5_000_000
    )
    items = list(Notice.objects.filter(kind=K.BUDGET_OVER).order_by("id"))
    assert [item.done_at is not None for item in items] == [True, False]
    assert "(+5.000.000 đồng)" in items[1].title
    # Back within the estimate: the open item is done.
    budget_services.budget_line_delete(line=line, actor=btc_user)
    assert not Notice.objects.filter(kind=K.BUDGET_OVER, done_at=None).exists()


def test_budget_line_within_the_estimate_tells_nobody(btc_user, other_btc, party_class):
    """A line that keeps the block at its estimate (the fixture reconciles exactly)."""
    budget_services.budget_line_create(
        training_class=party_class,
        actor=btc_user,
        quantity_kind="lump",
        quantity=1,
        description="Tài liệu",
        rate=0,
    )
    assert not Notice.objects.exists()


def test_norm_rate_raising_a_block_over_tells_its_managers(btc_user, snv_user, plan_2021):
    norm = CostNormFactory(rate=1_000_000)
    BudgetLineFactory(training_class__course=state_course(), norm=norm, rate=1_000_000)
    # The line above already takes the State block 1.000.000 over; the new rate, 4.000.000 more.
    budget_services.cost_norm_update(norm=norm, actor=btc_user, rate=5_000_000)
    notice = Notice.objects.get(kind=K.BUDGET_OVER)
    assert notice.recipient == snv_user
    assert "Khối Nhà nước năm 2021 (+5.000.000 đồng)" in notice.title
    assert Block.STATE in notice.url


# Plan ------------------------------------------------------------------------------------------


def test_plan_issued_tells_leadership_btc_and_snv(
    plan_2021, btc_user, other_btc, snv_user, leader_user, unit_a_user
):
    plan_issue(
        plan=plan_2021, number="25-KH/TU", issue_date=datetime.date(2021, 1, 20), actor=btc_user
    )
    assert told(K.PLAN_ISSUED) == ["btc_2", "lanhdao_test", "snv_test"]
    notice = Notice.objects.filter(kind=K.PLAN_ISSUED).first()
    assert notice.title == "Kế hoạch năm 2021 đã ban hành"
    assert notice.detail.startswith("Số 25-KH/TU, ngày 20/01/2021: ")
    assert notice.url == "/plans/2021/"
