"""Who is told what when a nomination moves (quotas.notices, through nomination_set_status) and
when seats given to a unit cannot go to its reserve list."""

import pytest
from django.utils import timezone

from inbox.models import Notice
from quotas import services
from quotas.allocations import allocation_move, allocation_set
from quotas.classes import class_enrol
from quotas.models import Nomination, NominationTransition
from tests.factories import (
    AllocationFactory,
    NominationFactory,
    PersonFactory,
    TrainingClassFactory,
    UserFactory,
)
from tests.fixture_2021 import BINH_SON, SON_TINH, party_course, unit

pytestmark = pytest.mark.django_db
S = Nomination.Status
K = Notice.Kind


@pytest.fixture
def binhson(plan_2021):
    return unit(BINH_SON)


@pytest.fixture
def colleague(binhson):
    """A second account of Bình Sơn: told of what a reviewer does, like the first."""
    return UserFactory(username="binhson_2", organisation=binhson)


@pytest.fixture
def other_btc(plan_2021):
    return UserFactory(username="btc_2", btc=True)


@pytest.fixture
def submitted(cao_cap, binhson):
    AllocationFactory(quota_line=cao_cap, unit=binhson, count=2)
    nomination = NominationFactory(quota_line=cao_cap, unit=binhson)
    return nomination


def items(kind=None, **filters):
    notices = Notice.objects.filter(**filters)
    if kind:
        notices = notices.filter(kind=kind)
    return notices


def recipients(kind, subject=None):
    notices = items(kind)
    if subject is not None:
        notices = notices.filter(subject=subject)
    return sorted(notices.values_list("recipient__username", flat=True))


def subject(nomination):
    return f"nomination:{nomination.pk}"


def test_unit_submitting_tells_the_blocks_managers_not_itself(
    unit_a_user, colleague, btc_user, other_btc, snv_user, unit_b_user, submitted
):
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    assert recipients(K.SUBMITTED) == ["btc_2", "btc_test"]
    notice = items(K.SUBMITTED, recipient=btc_user).get()
    person = submitted.person.full_name
    assert notice.title == (
        f"Hồ sơ chờ thẩm định: {person} — {submitted.course.name} (Huyện ủy Bình Sơn)"
    )
    assert notice.url == f"/nominations/{submitted.pk}/"
    assert notice.subject == subject(submitted)
    # Nobody of the unit (the actor nor a colleague), nor SNV, nor another unit.
    assert not items(recipient__in=[unit_a_user, colleague, snv_user, unit_b_user]).exists()


def test_btc_submitting_for_a_unit_tells_the_other_btc_accounts_only(
    btc_user, other_btc, submitted
):
    services.nomination_submit(actor=btc_user, nomination=submitted)
    assert recipients(K.SUBMITTED) == ["btc_2"]


def test_state_block_submission_tells_snv(unit_a_user, snv_user, btc_user, binhson):
    from tests.fixture_2021 import state_course

    course = state_course()
    AllocationFactory(quota_line=course.quota_lines.first(), unit=binhson, count=2)
    nomination = NominationFactory(course=course, unit=binhson)
    # The move itself (the course's leadership rule would refuse the factory's person).
    services.nomination_set_status(nomination=nomination, to_status=S.SUBMITTED, actor=unit_a_user)
    assert recipients(K.SUBMITTED) == ["snv_test"]


def test_return_tells_the_unit_with_the_reason_and_closes_the_reviewers_item(
    unit_a_user, colleague, btc_user, other_btc, unit_b_user, submitted
):
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    services.nomination_return(
        actor=btc_user, nomination=submitted, reason="Thiếu bản sao bằng đại học"
    )
    assert recipients(K.RETURNED) == ["binhson_2", "binhson_test"]
    notice = items(K.RETURNED, recipient=unit_a_user).get()
    assert notice.detail == "Lý do: Thiếu bản sao bằng đại học"
    assert notice.title.startswith("Hồ sơ bị trả lại để bổ sung: ")
    assert not items(recipient=unit_b_user).exists()
    # The actor is told nothing of the return; its item on the submitted file is done.
    assert list(items(recipient=btc_user).values_list("kind", flat=True)) == [K.SUBMITTED]
    assert items(K.SUBMITTED, recipient=btc_user).get().done_at is not None
    # The item that waited on BTC is done: the file moved on.
    waiting = items(K.SUBMITTED, recipient=other_btc).get()
    assert waiting.done_at is not None

    # The unit submits again: its item is done, BTC is told again.
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    assert items(K.RETURNED, recipient=unit_a_user).get().done_at is not None
    assert items(K.SUBMITTED, recipient=other_btc, done_at=None).count() == 1


@pytest.mark.parametrize(
    ("move", "kind", "detail"),
    [
        ("verify", K.VERIFIED, ""),
        ("approve", K.APPROVED, ""),
        ("reject", K.REJECTED, "Lý do: Không đủ tuổi theo quy định"),
        ("withdraw", K.WITHDRAWN, "Lý do: Đơn vị có nhu cầu khác"),
    ],
)
def test_reviewer_moves_tell_the_unit(
    move, kind, detail, unit_a_user, colleague, btc_user, unit_b_user, submitted
):
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    if move == "approve":
        services.nomination_verify(actor=btc_user, nomination=submitted)
    reasons = {"reject": "Không đủ tuổi theo quy định", "withdraw": "Đơn vị có nhu cầu khác"}
    action = getattr(services, f"nomination_{move}")
    if move in reasons:
        action(actor=btc_user, nomination=submitted, reason=reasons[move])
    else:
        action(actor=btc_user, nomination=submitted)
    assert recipients(kind) == ["binhson_2", "binhson_test"]
    assert items(kind, recipient=colleague).get().detail == detail
    assert not items(recipient=unit_b_user).exists()
    assert not items(recipient=btc_user, done_at=None).exists()


def test_unit_withdrawing_its_own_file_tells_nobody_and_closes_btcs_item(
    unit_a_user, colleague, btc_user, submitted
):
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    services.nomination_withdraw(actor=unit_a_user, nomination=submitted)
    assert not items(K.WITHDRAWN).exists()
    assert items(K.SUBMITTED, recipient=btc_user).get().done_at is not None


def test_reviewer_not_told_of_own_verify(btc_user, other_btc, unit_a_user, submitted):
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    services.nomination_verify(actor=btc_user, nomination=submitted)
    assert not items(recipient=btc_user).exclude(kind=K.SUBMITTED).exists()
    assert not items(recipient=btc_user, done_at=None).exists()
    # The other BTC account's item on the file is done: somebody acted on it.
    assert items(K.SUBMITTED, recipient=other_btc).get().done_at is not None
    assert not items(K.VERIFIED, recipient=other_btc).exists()


def test_enrolment_tells_the_unit_with_the_class(btc_user, unit_a_user, unit_b_user, binhson):
    course = party_course()
    nomination = NominationFactory(course=course, unit=binhson, status=S.APPROVED)
    training_class = TrainingClassFactory(course=course, name="Lớp Trung cấp K12", venue="Bình Sơn")
    class_enrol(training_class=training_class, nomination_ids=[nomination.pk], actor=btc_user)
    notice = items(K.ENROLLED, recipient=unit_a_user).get()
    person = nomination.person.full_name
    assert notice.title == f"Học viên được xếp lớp: {person} — Lớp Trung cấp K12"
    assert notice.detail == "Lớp Lớp Trung cấp K12, từ 01/03/2021 đến 30/06/2021, tại Bình Sơn."
    assert recipients(K.ENROLLED) == ["binhson_test"]


def test_freed_seat_promotes_the_reserve_and_tells_unit_and_managers(
    unit_a_user, btc_user, other_btc, cao_cap, binhson
):
    AllocationFactory(quota_line=cao_cap, unit=binhson, count=1)
    holder = NominationFactory(quota_line=cao_cap, unit=binhson, status=S.SUBMITTED)
    waiting = NominationFactory(
        quota_line=cao_cap, unit=binhson, status=S.RESERVE, reserve_since=timezone.now()
    )
    services.nomination_reject(actor=btc_user, nomination=holder, reason="Không đủ điều kiện")
    waiting.refresh_from_db()
    assert waiting.status == S.SUBMITTED
    promoted = items(K.PROMOTED, recipient=unit_a_user).get()
    assert promoted.title == (
        f"Hồ sơ dự bị được gửi duyệt: {waiting.person.full_name} — {waiting.course.name}"
    )
    assert promoted.detail == f"Dòng chỉ tiêu: {cao_cap.label}."
    assert promoted.subject == subject(waiting)
    # BTC's other account must verify it; the actor is not told.
    assert recipients(K.SUBMITTED, subject(waiting)) == ["btc_2"]
    assert (
        items(K.SUBMITTED, recipient=other_btc, subject=subject(waiting)).get().detail
        == "Chuyển từ danh sách dự bị khi có chỉ tiêu trống."
    )
    assert waiting.transitions.last().reason == NominationTransition.RESERVE_PROMOTION_REASON


def test_allocation_raised_promotes_the_reserve_and_tells_the_unit(
    unit_a_user, btc_user, cao_cap, binhson
):
    waiting = NominationFactory(
        quota_line=cao_cap, unit=binhson, status=S.RESERVE, reserve_since=timezone.now()
    )
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=binhson, count=1)
    assert items(K.PROMOTED, recipient=unit_a_user).get().subject == subject(waiting)
    assert not items(K.SEAT_FREED).exists()  # the seat was taken: nothing left free


def test_seats_given_on_a_full_line_tell_the_unit_the_figures(
    unit_a_user, unit_b_user, btc_user, cao_cap, binhson
):
    """Seats moved to Bình Sơn while the line is full (its planned count was lowered): its
    reserve nominations cannot take them; Bình Sơn is told how many are free and waiting."""
    sontinh = unit(SON_TINH)
    AllocationFactory(quota_line=cao_cap, unit=binhson, count=1)
    AllocationFactory(quota_line=cao_cap, unit=sontinh, count=5)
    NominationFactory(quota_line=cao_cap, unit=binhson, status=S.SUBMITTED)
    for _ in range(3):
        NominationFactory(quota_line=cao_cap, unit=sontinh, status=S.SUBMITTED)
    for _ in range(2):
        NominationFactory(
            quota_line=cao_cap, unit=binhson, status=S.RESERVE, reserve_since=timezone.now()
        )
    cao_cap.planned_count = 4
    cao_cap.save()
    allocation_move(actor=btc_user, quota_line=cao_cap, from_unit=sontinh, to_unit=binhson, count=2)
    assert Nomination.objects.filter(unit=binhson, status=S.RESERVE).count() == 2
    notice = items(K.SEAT_FREED).get()
    assert notice.recipient == unit_a_user
    assert notice.title == f"Có chỉ tiêu trống: 2 chỉ tiêu trên dòng {cao_cap.label}"
    assert "2 hồ sơ dự bị" in notice.detail
    assert f"course={cao_cap.course_id}" in notice.url and "status=reserve" in notice.url
    assert not items(recipient=unit_b_user).exists()


def test_a_rolled_back_move_tells_nobody(unit_a_user, btc_user, submitted):
    """The items are written in the move's transaction: a refused move leaves none."""
    person = PersonFactory()
    NominationFactory(person=person, quota_line=submitted.quota_line, status=S.SUBMITTED)
    services.nomination_submit(actor=unit_a_user, nomination=submitted)
    before = Notice.objects.count()
    with pytest.raises(services.NominationRefused):
        services.nomination_return(actor=btc_user, nomination=submitted, reason="  ")
    assert Notice.objects.count() == before
