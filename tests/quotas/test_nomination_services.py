"""The nomination workflow: every transition, every role, seats, reserve list, rules, bulk."""

import datetime

import pytest
from django.db import IntegrityError

from quotas import bulk, rules, services
from quotas.models import Nomination, NominationTransition
from quotas.services import NominationRefused
from tests.factories import AllocationFactory, NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, course, line, unit
from training_plan.locking import LockTimeout
from training_plan.models import Person

pytestmark = pytest.mark.django_db
S = Nomination.Status


@pytest.fixture
def binhson(plan_2021):
    return unit(BINH_SON)


@pytest.fixture
def sontinh(plan_2021):
    return unit(SON_TINH)


@pytest.fixture
def allocation(cao_cap, binhson):
    return AllocationFactory(quota_line=cao_cap, unit=binhson, count=2)


def draft(quota_line, person=None, **kwargs):
    person = person or PersonFactory()
    return NominationFactory(person=person, quota_line=quota_line, **kwargs)


def statuses(nomination):
    return list(nomination.transitions.values_list("from_status", "to_status"))


# Create --------------------------------------------------------------------------------------


def test_unit_creates_a_draft_for_its_own_person(unit_a_user, cao_cap):
    person = PersonFactory()
    nomination = services.nomination_create(
        actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
    )
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT
    assert nomination.unit == person.organisation
    assert nomination.created_by == unit_a_user
    transition = nomination.transitions.get()
    assert (transition.from_status, transition.to_status, transition.actor) == (
        "",
        S.DRAFT,
        unit_a_user,
    )
    assert nomination.eligibility_flag == "ok"
    assert [v["code"] for v in nomination.eligibility_details] == ["chua-co-cao-cap"]


def test_unit_cannot_nominate_another_units_person(unit_b_user, cao_cap):
    with pytest.raises(NominationRefused, match="Đơn vị chỉ được cử cán bộ của đơn vị mình"):
        services.nomination_create(
            actor=unit_b_user, person=PersonFactory(), course=cao_cap.course, quota_line=cao_cap
        )
    assert Nomination.objects.count() == 0


def test_btc_nominates_a_person_of_any_unit(btc_user, cao_cap, sontinh):
    person = PersonFactory(organisation=sontinh)
    nomination = services.nomination_create(
        actor=btc_user, person=person, course=cao_cap.course, quota_line=cao_cap
    )
    assert nomination.unit == sontinh


@pytest.mark.parametrize("persona", ["snv_user", "leader_user"])
def test_snv_and_leadership_do_not_create_nominations(request, persona, cao_cap):
    user = request.getfixturevalue(persona)
    with pytest.raises(NominationRefused):
        services.nomination_create(
            actor=user, person=PersonFactory(), course=cao_cap.course, quota_line=cao_cap
        )
    assert Nomination.objects.count() == 0


def test_course_with_quota_lines_needs_one_of_its_lines(unit_a_user, cao_cap):
    person = PersonFactory()
    with pytest.raises(NominationRefused, match="hãy chọn dòng chỉ tiêu"):
        services.nomination_create(actor=unit_a_user, person=person, course=cao_cap.course)
    with pytest.raises(NominationRefused, match="không thuộc khóa"):
        services.nomination_create(
            actor=unit_a_user, person=person, course=course("II.3.1"), quota_line=cao_cap
        )
    # A demand-driven course takes no line.
    services.nomination_create(actor=unit_a_user, person=person, course=course("III.1.1"))


def test_person_cannot_have_two_live_nominations_to_a_course(unit_a_user, cao_cap):
    person = PersonFactory(full_name="Trần Thị Hòa")
    first = services.nomination_create(
        actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
    )
    with pytest.raises(NominationRefused) as refusal:
        services.nomination_create(
            actor=unit_a_user, person=person, course=cao_cap.course, quota_line=line("II.1.1-3")
        )
    assert refusal.value.message == (
        "Trần Thị Hòa đã có hồ sơ cử đi học khóa “Cao cấp lý luận chính trị” trong kế hoạch "
        "này (trạng thái “Dự thảo”). Mỗi người chỉ có một hồ sơ còn hiệu lực cho một khóa."
    )
    services.nomination_withdraw(actor=unit_a_user, nomination=first)
    services.nomination_create(
        actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
    )
    assert Nomination.objects.filter(person=person).count() == 2


def test_database_constraint_is_turned_into_a_vietnamese_message(unit_a_user, cao_cap, monkeypatch):
    person = PersonFactory(full_name="Lê Văn Nam")
    services.nomination_create(
        actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
    )
    # A concurrent request passed the check before this one wrote: only the constraint is left.
    monkeypatch.setattr(services, "_live_duplicate", lambda *args, **kwargs: None)
    with pytest.raises(NominationRefused, match="Lê Văn Nam đã có hồ sơ cử đi học khóa"):
        services.nomination_create(
            actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
        )
    assert Nomination.objects.filter(person=person).count() == 1
    assert NominationTransition.objects.count() == 1


def test_constraint_exists_in_the_database(cao_cap):
    person = PersonFactory()
    NominationFactory(person=person, quota_line=cao_cap)
    with pytest.raises(IntegrityError):
        NominationFactory(person=person, quota_line=cao_cap, status=S.SUBMITTED)


def test_blocking_rule_refuses_the_nomination(unit_a_user, cao_cap):
    person = PersonFactory(theory_level=Person.TheoryLevel.ADVANCED)
    with pytest.raises(NominationRefused) as refusal:
        services.nomination_create(
            actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
        )
    assert refusal.value.message.startswith(
        "Không đạt điều kiện: Chưa có bằng cao cấp hoặc cử nhân lý luận chính trị — "
        "Đã có trình độ lý luận chính trị cao cấp"
    )
    assert "Căn cứ: Công văn 4741-CV/BTCTW" in refusal.value.message
    assert Nomination.objects.count() == 0


def test_closed_plan_takes_no_new_nomination(unit_a_user, cao_cap, plan_2021):
    plan_2021.status = "closed"
    plan_2021.save()
    with pytest.raises(NominationRefused, match="đã kết thúc"):
        services.nomination_create(
            actor=unit_a_user, person=PersonFactory(), course=cao_cap.course, quota_line=cao_cap
        )


# Submit and seats ----------------------------------------------------------------------------


def test_unit_submits_within_its_allocation(unit_a_user, cao_cap, allocation):
    nomination = draft(cao_cap)
    services.nomination_submit(actor=unit_a_user, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED
    assert nomination.holds_seat
    assert statuses(nomination) == [(S.DRAFT, S.SUBMITTED)]


def test_btc_submits_for_a_unit(btc_user, cao_cap, allocation):
    nomination = draft(cao_cap)
    services.nomination_submit(actor=btc_user, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


@pytest.mark.parametrize("persona", ["unit_b_user", "snv_user", "leader_user"])
def test_others_cannot_submit(request, persona, cao_cap, allocation):
    nomination = draft(cao_cap)
    with pytest.raises(NominationRefused):
        services.nomination_submit(actor=request.getfixturevalue(persona), nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_unit_without_allocation_cannot_take_a_seat(unit_a_user, cao_cap):
    nomination = draft(cao_cap)
    with pytest.raises(NominationRefused) as refusal:
        services.nomination_submit(actor=unit_a_user, nomination=nomination)
    assert refusal.value.message == (
        "Huyện ủy Bình Sơn chưa được phân bổ chỉ tiêu trên dòng “II.1.1-2 Học viện Chính trị "
        "khu vực III, tập trung” nên chưa thể gửi hồ sơ."
    )
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_full_allocation_refuses_and_points_to_the_reserve_list(unit_a_user, cao_cap, allocation):
    draft(cao_cap, status=S.SUBMITTED)
    draft(cao_cap, status=S.APPROVED)
    draft(cao_cap, status=S.WITHDRAWN)  # released seats do not count
    nomination = draft(cao_cap)
    with pytest.raises(NominationRefused) as refusal:
        services.nomination_submit(actor=unit_a_user, nomination=nomination)
    assert "đã dùng hết 2 chỉ tiêu được phân bổ" in refusal.value.message
    assert "danh sách dự bị" in refusal.value.message
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_line_total_is_a_cap_of_its_own(unit_a_user, binhson, sontinh):
    hvctqg = line("II.1.1-1")  # 4 seats
    AllocationFactory(quota_line=hvctqg, unit=binhson, count=10)  # more than the line, on purpose
    for _ in range(4):
        draft(hvctqg, person=PersonFactory(organisation=sontinh), status=S.SUBMITTED)
    with pytest.raises(NominationRefused, match="đã đủ 4 chỉ tiêu"):
        services.nomination_submit(actor=unit_a_user, nomination=draft(hvctqg))


def test_demand_driven_course_is_uncapped_but_counted(unit_a_user, plan_2021):
    defence = course("III.1.1")
    nominations = [NominationFactory(course=defence) for _ in range(3)]
    for nomination in nominations:
        services.nomination_submit(actor=unit_a_user, nomination=nomination)
    assert (
        Nomination.objects.filter(course=defence, status__in=Nomination.SEAT_HOLDING).count() == 3
    )


def test_submit_checks_the_rules_again(unit_a_user, cao_cap, allocation):
    nomination = draft(cao_cap)
    Person.objects.filter(pk=nomination.person_id).update(theory_level="cu_nhan")
    with pytest.raises(NominationRefused, match="Không đạt điều kiện"):
        services.nomination_submit(actor=unit_a_user, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_lock_timeout_is_reported_and_changes_nothing(
    unit_a_user, cao_cap, allocation, monkeypatch
):
    def busy(*keys):
        raise LockTimeout()

    monkeypatch.setattr(services, "lock", busy)
    nomination = draft(cao_cap)
    with pytest.raises(LockTimeout) as error:
        services.nomination_submit(actor=unit_a_user, nomination=nomination)
    assert str(error.value).startswith("Hệ thống đang bận xử lý yêu cầu khác")
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_submit_takes_one_lock_with_the_line_and_allocation_keys(
    unit_a_user, cao_cap, allocation, monkeypatch
):
    calls = []
    monkeypatch.setattr(services, "lock", lambda *keys: calls.append(sorted(keys)))
    services.nomination_submit(actor=unit_a_user, nomination=draft(cao_cap))
    assert calls == [
        sorted([f"quotas.quotaline:{cao_cap.pk}", f"quotas.allocation:{allocation.pk}"])
    ]


# Review --------------------------------------------------------------------------------------


def test_btc_verifies_and_approves_party_block(btc_user, cao_cap):
    nomination = draft(cao_cap, status=S.SUBMITTED)
    services.nomination_verify(actor=btc_user, nomination=nomination)
    services.nomination_approve(actor=btc_user, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == S.APPROVED
    assert statuses(nomination) == [(S.SUBMITTED, S.VERIFIED), (S.VERIFIED, S.APPROVED)]


def test_snv_reviews_state_block_and_btc_does_not(btc_user, snv_user, plan_2021):
    state = line("III.3.5-1")
    nomination = draft(state, status=S.SUBMITTED)
    with pytest.raises(NominationRefused, match="Chỉ Sở Nội vụ thẩm định"):
        services.nomination_verify(actor=btc_user, nomination=nomination)
    services.nomination_verify(actor=snv_user, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == S.VERIFIED


@pytest.mark.parametrize("persona", ["snv_user", "unit_a_user", "unit_b_user", "leader_user"])
def test_only_the_reviewer_verifies_party_block(request, persona, cao_cap):
    nomination = draft(cao_cap, status=S.SUBMITTED)
    with pytest.raises(NominationRefused):
        services.nomination_verify(actor=request.getfixturevalue(persona), nomination=nomination)
    with pytest.raises(NominationRefused):
        services.nomination_return(
            actor=request.getfixturevalue(persona), nomination=nomination, reason="x"
        )
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


@pytest.mark.parametrize(
    "status, action",
    [
        (S.DRAFT, "verify"),
        (S.SUBMITTED, "approve"),
        (S.APPROVED, "verify"),
        (S.RETURNED, "approve"),
        (S.DRAFT, "return"),
    ],
)
def test_review_steps_follow_the_order(btc_user, cao_cap, status, action):
    nomination = draft(cao_cap, status=status)
    service = {
        "verify": services.nomination_verify,
        "approve": services.nomination_approve,
        "return": lambda **kw: services.nomination_return(reason="Thiếu hồ sơ", **kw),
    }[action]
    with pytest.raises(NominationRefused, match=f"Hồ sơ đang ở trạng thái “{status.label}”"):
        service(actor=btc_user, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == status


def test_return_needs_a_reason_and_keeps_the_seat(btc_user, unit_a_user, cao_cap, allocation):
    nomination = draft(cao_cap, status=S.SUBMITTED)
    with pytest.raises(NominationRefused, match="Cần ghi lý do trả lại hồ sơ"):
        services.nomination_return(actor=btc_user, nomination=nomination, reason="  ")
    services.nomination_return(actor=btc_user, nomination=nomination, reason="Thiếu bản sao bằng")
    nomination.refresh_from_db()
    # Returned for completion: the file keeps its seat until it is withdrawn or rejected.
    assert nomination.status == S.RETURNED and nomination.holds_seat
    assert nomination.transitions.last().reason == "Thiếu bản sao bằng"
    # The unit corrects and sends again.
    services.nomination_submit(actor=unit_a_user, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


def test_reject_needs_a_reason_and_is_final(btc_user, unit_a_user, cao_cap, allocation):
    nomination = draft(cao_cap, status=S.VERIFIED)
    with pytest.raises(NominationRefused, match="Cần ghi lý do không chấp thuận"):
        services.nomination_reject(actor=btc_user, nomination=nomination, reason="")
    services.nomination_reject(actor=btc_user, nomination=nomination, reason="Không đúng đối tượng")
    nomination.refresh_from_db()
    assert nomination.status == S.REJECTED
    for action in ("submit", "withdraw", "verify", "approve"):
        assert rules.action_refusal(btc_user, nomination, action) is not None
        assert rules.action_refusal(unit_a_user, nomination, action) is not None


# Withdraw ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.RESERVE, S.SUBMITTED, S.RETURNED, S.VERIFIED])
def test_unit_withdraws_before_approval(unit_a_user, cao_cap, status):
    nomination = draft(cao_cap, status=status)
    services.nomination_withdraw(actor=unit_a_user, nomination=nomination, reason="Đổi người")
    assert Nomination.objects.get(pk=nomination.pk).status == S.WITHDRAWN


@pytest.mark.parametrize("status", [S.APPROVED, S.ENROLLED])
def test_unit_cannot_withdraw_after_approval_but_the_reviewer_can(
    unit_a_user, btc_user, cao_cap, status
):
    nomination = draft(cao_cap, status=status)
    with pytest.raises(NominationRefused, match="trước khi được phê duyệt"):
        services.nomination_withdraw(actor=unit_a_user, nomination=nomination)
    services.nomination_withdraw(actor=btc_user, nomination=nomination, reason="Ốm dài ngày")
    assert Nomination.objects.get(pk=nomination.pk).status == S.WITHDRAWN


@pytest.mark.parametrize("status", [S.COMPLETED, S.NOT_COMPLETED, S.REJECTED, S.WITHDRAWN])
def test_nobody_withdraws_after_completion(btc_user, cao_cap, status):
    nomination = draft(cao_cap, status=status)
    with pytest.raises(NominationRefused, match="nên không thể rút"):
        services.nomination_withdraw(actor=btc_user, nomination=nomination)


def test_unit_b_cannot_withdraw_unit_as_nomination(unit_b_user, cao_cap):
    nomination = draft(cao_cap, status=S.SUBMITTED)
    with pytest.raises(NominationRefused, match="Chỉ đơn vị cử cán bộ và Ban Tổ chức Tỉnh ủy"):
        services.nomination_withdraw(actor=unit_b_user, nomination=nomination)


# Status record -------------------------------------------------------------------------------


def test_enrolment_and_results_are_legal_targets_of_set_status(btc_user, cao_cap):
    nomination = draft(cao_cap, status=S.APPROVED)
    for target in (S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED):
        services.nomination_set_status(nomination=nomination, to_status=target, actor=btc_user)
    other = draft(cao_cap, status=S.ENROLLED)
    services.nomination_set_status(nomination=other, to_status=S.NOT_COMPLETED, actor=btc_user)
    assert statuses(nomination) == [
        (S.APPROVED, S.ENROLLED),
        (S.ENROLLED, S.COMPLETED),
        (S.COMPLETED, S.NOT_COMPLETED),
    ]


def test_set_status_refuses_an_illegal_move(btc_user, cao_cap):
    nomination = draft(cao_cap)
    with pytest.raises(NominationRefused, match="từ trạng thái “Dự thảo” sang “Đã duyệt”"):
        services.nomination_set_status(nomination=nomination, to_status=S.APPROVED, actor=btc_user)
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT
    assert not nomination.transitions.exists()


# Reserve list --------------------------------------------------------------------------------


def test_reserve_only_when_the_allocation_is_full(unit_a_user, cao_cap, allocation):
    nomination = draft(cao_cap)
    with pytest.raises(NominationRefused, match="còn 2 chỉ tiêu"):
        services.nomination_reserve(actor=unit_a_user, nomination=nomination)
    draft(cao_cap, status=S.SUBMITTED)
    draft(cao_cap, status=S.SUBMITTED)
    services.nomination_reserve(actor=unit_a_user, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == S.RESERVE
    assert nomination.reserve_since is not None
    assert not nomination.holds_seat


def test_reserve_refused_without_allocation_or_cap(unit_a_user, cao_cap):
    with pytest.raises(NominationRefused, match="chưa được phân bổ"):
        services.nomination_reserve(actor=unit_a_user, nomination=draft(cao_cap))
    with pytest.raises(NominationRefused, match="theo nhu cầu"):
        services.nomination_reserve(actor=unit_a_user, nomination=NominationFactory())


@pytest.mark.parametrize("release", ["reject", "withdraw_unit", "withdraw_reviewer"])
def test_released_seat_goes_to_the_first_reserve_nomination(
    btc_user, unit_a_user, cao_cap, allocation, sontinh, release
):
    holder = draft(cao_cap, status=S.SUBMITTED)
    draft(cao_cap, status=S.VERIFIED)
    first = draft(cao_cap)
    second = draft(cao_cap)
    services.nomination_reserve(actor=unit_a_user, nomination=first)
    services.nomination_reserve(actor=unit_a_user, nomination=second)
    # Another unit's reserve nomination on the same line is not Bình Sơn's seat.
    AllocationFactory(quota_line=cao_cap, unit=sontinh, count=0)
    NominationFactory(
        person=PersonFactory(organisation=sontinh),
        quota_line=cao_cap,
        status=S.RESERVE,
        reserve_since=first.reserve_since - datetime.timedelta(days=1),
    )

    if release == "reject":
        result = services.nomination_reject(actor=btc_user, nomination=holder, reason="Sai")
    elif release == "withdraw_unit":
        result = services.nomination_withdraw(actor=unit_a_user, nomination=holder)
    else:
        result = services.nomination_withdraw(actor=btc_user, nomination=holder)

    first.refresh_from_db()
    second.refresh_from_db()
    assert result.promoted_from_reserve == first
    assert first.status == S.SUBMITTED
    assert second.status == S.RESERVE
    promotion = first.transitions.last()
    assert (promotion.from_status, promotion.to_status) == (S.RESERVE, S.SUBMITTED)
    assert promotion.reason == "Tự động chuyển từ danh sách dự bị khi có chỉ tiêu trống"
    held = Nomination.objects.filter(
        quota_line=cao_cap, unit=allocation.unit, status__in=Nomination.SEAT_HOLDING
    ).count()
    assert held == allocation.count


def test_returning_a_file_keeps_its_seat_and_promotes_nobody(
    btc_user, unit_a_user, cao_cap, allocation
):
    """A file returned “để bổ sung” is the unit's to complete: its seat is not given to a
    reserve file (which would be sent on the unit's behalf). Withdrawing it frees the seat."""
    holder = draft(cao_cap, status=S.SUBMITTED)
    draft(cao_cap, status=S.SUBMITTED)
    waiting = draft(cao_cap)
    services.nomination_reserve(actor=unit_a_user, nomination=waiting)

    result = services.nomination_return(actor=btc_user, nomination=holder, reason="Bổ sung bằng")
    waiting.refresh_from_db()
    assert result.promoted_from_reserve is None
    assert waiting.status == S.RESERVE
    # The unit still cannot send a third file: both seats are held.
    with pytest.raises(NominationRefused, match="đã dùng hết 2 chỉ tiêu"):
        services.nomination_submit(actor=unit_a_user, nomination=draft(cao_cap))
    # The returned file goes back without needing a free seat.
    services.nomination_submit(actor=unit_a_user, nomination=holder)
    assert Nomination.objects.get(pk=holder.pk).status == S.SUBMITTED

    services.nomination_return(actor=btc_user, nomination=holder, reason="Bổ sung lần hai")
    result = services.nomination_withdraw(actor=unit_a_user, nomination=holder)
    waiting.refresh_from_db()
    assert result.promoted_from_reserve == waiting
    assert waiting.status == S.SUBMITTED


def test_withdrawing_a_reserve_nomination_promotes_nobody(unit_a_user, cao_cap, allocation):
    draft(cao_cap, status=S.SUBMITTED)
    draft(cao_cap, status=S.SUBMITTED)
    first, second = draft(cao_cap), draft(cao_cap)
    services.nomination_reserve(actor=unit_a_user, nomination=first)
    services.nomination_reserve(actor=unit_a_user, nomination=second)
    result = services.nomination_withdraw(actor=unit_a_user, nomination=first)
    assert result.promoted_from_reserve is None
    assert Nomination.objects.get(pk=second.pk).status == S.RESERVE


def test_promote_reserve_after_an_allocation_grows(btc_user, unit_a_user, cao_cap, allocation):
    draft(cao_cap, status=S.SUBMITTED)
    draft(cao_cap, status=S.SUBMITTED)
    waiting = draft(cao_cap)
    services.nomination_reserve(actor=unit_a_user, nomination=waiting)
    assert (
        services.nomination_promote_reserve(
            quota_line=cao_cap, unit=allocation.unit, actor=btc_user
        )
        is None
    )
    allocation.count = 3
    allocation.save()
    assert (
        services.nomination_promote_reserve(
            quota_line=cao_cap, unit=allocation.unit, actor=btc_user
        )
        == waiting
    )
    assert Nomination.objects.get(pk=waiting.pk).status == S.SUBMITTED


# Warnings ------------------------------------------------------------------------------------


@pytest.fixture
def postgraduate_with_warning(unit_a_user):
    """Sau đại học for a person aged 46 in 2021: the age rule of Nghị định 101 warns."""
    person = PersonFactory(
        date_of_birth=datetime.date(1975, 2, 2), service_start_date=datetime.date(2000, 1, 1)
    )
    nomination = services.nomination_create(
        actor=unit_a_user,
        person=person,
        course=course("II.4.1"),
        training_months=24,
        commitment_months=48,
    )
    services.nomination_submit(actor=unit_a_user, nomination=nomination)
    return nomination


def test_warning_lets_the_unit_submit_but_blocks_verification(btc_user, postgraduate_with_warning):
    nomination = postgraduate_with_warning
    assert nomination.status == S.SUBMITTED
    assert nomination.eligibility_flag == "warn"
    with pytest.raises(NominationRefused) as refusal:
        services.nomination_verify(actor=btc_user, nomination=nomination)
    assert "Còn cảnh báo điều kiện chưa được chấp nhận" in refusal.value.message
    assert "46 tuổi trong năm 2021; yêu cầu không quá 40 tuổi." in refusal.value.message
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


def test_reviewer_overrides_a_warning_with_a_reason_then_verifies(
    btc_user, unit_a_user, postgraduate_with_warning
):
    nomination = postgraduate_with_warning
    with pytest.raises(NominationRefused, match="Cần ghi lý do chấp nhận cảnh báo"):
        services.nomination_override_warning(actor=btc_user, nomination=nomination, reason="")
    with pytest.raises(NominationRefused, match="Chỉ Ban Tổ chức Tỉnh ủy"):
        services.nomination_override_warning(
            actor=unit_a_user, nomination=nomination, reason="Tự chấp nhận"
        )
    services.nomination_override_warning(
        actor=btc_user, nomination=nomination, reason="Đã có bằng thạc sĩ, đây là lần thứ hai"
    )
    nomination.refresh_from_db()
    assert nomination.override_reason == "Đã có bằng thạc sĩ, đây là lần thứ hai"
    assert nomination.eligibility_flag == "overridden"
    assert [v["overridden"] for v in nomination.eligibility_details if not v["ok"]] == [True]
    record = nomination.transitions.last()
    assert (record.from_status, record.to_status, record.actor) == (
        S.SUBMITTED,
        S.SUBMITTED,
        btc_user,
    )
    assert record.reason.startswith("Chấp nhận cảnh báo: Không quá 40 tuổi")
    assert record.reason.endswith("Lý do: Đã có bằng thạc sĩ, đây là lần thứ hai")
    services.nomination_verify(actor=btc_user, nomination=nomination)
    assert Nomination.objects.get(pk=nomination.pk).status == S.VERIFIED


def test_override_without_a_warning_is_refused(btc_user, cao_cap):
    nomination = draft(cao_cap, status=S.SUBMITTED)
    with pytest.raises(NominationRefused, match="không có cảnh báo"):
        services.nomination_override_warning(actor=btc_user, nomination=nomination, reason="x")


def test_commitment_below_twice_the_training_blocks(unit_a_user):
    with pytest.raises(NominationRefused, match="yêu cầu ít nhất gấp hai lần"):
        services.nomination_create(
            actor=unit_a_user,
            person=PersonFactory(),
            course=course("II.4.1"),
            training_months=24,
            commitment_months=30,
        )


def test_update_corrects_a_returned_nomination(unit_a_user, unit_b_user):
    nomination = services.nomination_create(
        actor=unit_a_user,
        person=PersonFactory(),
        course=course("II.4.1"),
        training_months=24,
        commitment_months=48,
    )
    with pytest.raises(NominationRefused, match="yêu cầu ít nhất gấp hai lần"):
        services.nomination_update(
            actor=unit_a_user,
            nomination=nomination,
            quota_line=None,
            training_months=24,
            commitment_months=20,
            note="",
        )
    with pytest.raises(NominationRefused):
        services.nomination_update(
            actor=unit_b_user,
            nomination=nomination,
            quota_line=None,
            training_months=24,
            commitment_months=60,
            note="",
        )
    services.nomination_update(
        actor=unit_a_user,
        nomination=nomination,
        quota_line=None,
        training_months=24,
        commitment_months=60,
        note="Đã bổ sung cam kết",
    )
    nomination.refresh_from_db()
    assert (nomination.commitment_months, nomination.note) == (60, "Đã bổ sung cam kết")


# Bulk ----------------------------------------------------------------------------------------


def test_bulk_submit_changes_what_fits_and_says_why_the_rest_did_not(
    unit_a_user, cao_cap, allocation
):
    nominations = [draft(cao_cap) for _ in range(3)]
    approved = draft(cao_cap, status=S.APPROVED)
    # One seat is taken by the approved nomination: one of three drafts fits.
    result = bulk.nomination_bulk_submit(actor=unit_a_user, nominations=[*nominations, approved])
    assert len(result.changed) == 1
    assert len(result.refused) == 3
    messages = [message for _, message in result.refused]
    assert sum("đã dùng hết 2 chỉ tiêu" in m for m in messages) == 2
    assert sum("Hồ sơ đang ở trạng thái “Đã duyệt”" in m for m in messages) == 1
    assert Nomination.objects.filter(status=S.SUBMITTED).count() == 1


def test_bulk_verify_and_approve(btc_user, cao_cap):
    nominations = [draft(cao_cap, status=S.SUBMITTED) for _ in range(3)]
    state = draft(line("III.3.5-1"), status=S.SUBMITTED)
    result = bulk.nomination_bulk_verify(actor=btc_user, nominations=[*nominations, state])
    assert (len(result.changed), len(result.refused)) == (3, 1)
    assert "Chỉ Sở Nội vụ" in result.refused[0][1]
    result = bulk.nomination_bulk_approve(actor=btc_user, nominations=nominations)
    assert len(result.changed) == 3
    assert set(
        Nomination.objects.filter(pk__in=[n.pk for n in nominations]).values_list(
            "status", flat=True
        )
    ) == {S.APPROVED}


def test_bulk_reports_a_lock_timeout_per_row(unit_a_user, cao_cap, allocation, monkeypatch):
    def busy(*keys):
        raise LockTimeout()

    monkeypatch.setattr(services, "lock", busy)
    result = bulk.nomination_bulk_submit(actor=unit_a_user, nominations=[draft(cao_cap)])
    assert result.changed == []
    assert result.refused[0][1] == LockTimeout.MESSAGE


def test_allowed_actions_per_role(btc_user, snv_user, unit_a_user, leader_user, cao_cap):
    nomination = draft(cao_cap, status=S.SUBMITTED)
    names = lambda user: [a[0] for a in rules.allowed_actions(user, nomination)]  # noqa: E731
    assert names(btc_user) == ["verify", "return", "reject", "withdraw"]
    assert names(unit_a_user) == ["withdraw"]
    assert names(snv_user) == []
    assert names(leader_user) == []
    nomination.status = S.DRAFT
    assert names(unit_a_user) == ["submit", "reserve", "withdraw"]


@pytest.mark.parametrize(
    "months, message",
    [
        ({"training_months": 2**31}, "Thời gian đào tạo phải từ 0 đến 600 tháng."),
        ({"commitment_months": 40_000}, "Thời gian cam kết phục vụ phải từ 0 đến 600 tháng."),
        ({"training_months": -1}, "Thời gian đào tạo phải từ 0 đến 600 tháng."),
    ],
)
def test_months_are_bounded_by_the_service(unit_a_user, cao_cap, months, message):
    person = PersonFactory()
    with pytest.raises(NominationRefused, match=message):
        services.nomination_create(
            actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap, **months
        )
    assert Nomination.objects.count() == 0
    nomination = services.nomination_create(
        actor=unit_a_user, person=person, course=cao_cap.course, quota_line=cao_cap
    )
    update = {"training_months": None, "commitment_months": None, **months}
    with pytest.raises(NominationRefused, match=message):
        services.nomination_update(
            actor=unit_a_user, nomination=nomination, quota_line=cao_cap, note="", **update
        )
    nomination.refresh_from_db()
    assert nomination.training_months is None and nomination.commitment_months is None
