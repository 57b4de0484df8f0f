"""Allocation of quota lines to units (phân bổ chỉ tiêu): services, invariants, refusals,
pages for every role and query counts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Course
from quotas import allocations
from quotas.allocations import allocation_move, allocation_set
from quotas.models import Allocation, Nomination, QuotaLine
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, STATE_COURSE, TU_NGHIA, line, unit
from tests.helpers import client_for, page_text
from training_plan.locking import LockTimeout
from training_plan.models import Organisation, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def state_line(plan_2021):
    """Bồi dưỡng lãnh đạo cấp sở: 50 seats, State block."""
    return line(f"{STATE_COURSE}-1")


def allocated(quota_line):
    return dict(Allocation.objects.filter(quota_line=quota_line).values_list("unit__code", "count"))


def hold_seats(quota_line, code, n, status=Nomination.Status.SUBMITTED):
    for _ in range(n):
        NominationFactory(
            quota_line=quota_line, person=PersonFactory(organisation=unit(code)), status=status
        )


# --- services ------------------------------------------------------------------------------


def test_allocation_set_within_the_line(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=30)
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(SON_TINH), count=26)
    assert allocated(cao_cap) == {BINH_SON: 30, SON_TINH: 26}
    record = Allocation.history.filter(quota_line=cao_cap).first()
    assert record.history_user == btc_user


def test_allocation_set_refuses_to_exceed_the_line(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=30)
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(SON_TINH), count=20)
    with pytest.raises(ValidationError) as refused:
        allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(SON_TINH), count=27)
    assert refused.value.messages == [
        "Vượt chỉ tiêu: dòng chỉ tiêu có 56, đã phân bổ cho các đơn vị khác 30; chỉ có thể "
        "phân bổ tối đa 26 cho Huyện ủy Sơn Tịnh."
    ]
    assert allocated(cao_cap) == {BINH_SON: 30, SON_TINH: 20}


def test_allocation_set_refuses_less_than_the_seats_held(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    hold_seats(cao_cap, BINH_SON, 3)
    hold_seats(cao_cap, BINH_SON, 2, status=Nomination.Status.WITHDRAWN)  # release their seats
    hold_seats(cao_cap, BINH_SON, 1, status=Nomination.Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=2)
    assert "đơn vị đang có 3 hồ sơ giữ chỗ" in refused.value.messages[0]
    assert allocated(cao_cap) == {BINH_SON: 5}
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=3)
    assert allocated(cao_cap) == {BINH_SON: 3}


def test_allocation_set_zero_withdraws_the_allocation(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    assert allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=0) is None
    assert allocated(cao_cap) == {}
    assert Allocation.history.filter(quota_line=cao_cap).first().history_type == "-"


def test_allocation_set_same_count_writes_nothing(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    assert Allocation.history.filter(quota_line=cao_cap).count() == 1


def test_demand_driven_line_has_no_allocation(btc_user, plan_2021):
    course = Course.objects.get(
        program__section__plan=plan_2021, program__section__position=2, program__position=4
    )
    demand = QuotaLine.objects.create(
        course=course, position=1, institution=unit("hvct-kv3"), planned_count=None
    )
    with pytest.raises(ValidationError) as refused:
        allocation_set(actor=btc_user, quota_line=demand, unit=unit(BINH_SON), count=1)
    assert "theo nhu cầu đăng ký" in refused.value.messages[0]
    assert not Allocation.objects.exists()


def test_allocation_only_to_nominating_units(btc_user, cao_cap):
    with pytest.raises(ValidationError) as refused:
        allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit("btc-tinh-uy"), count=1)
    assert "không phải đơn vị cử cán bộ" in refused.value.messages[0]


def test_closed_plan_refuses_allocation(btc_user, cao_cap, plan_2021):
    Plan.objects.filter(pk=plan_2021.pk).update(status=Plan.Status.CLOSED)
    cao_cap.refresh_from_db()
    cao_cap = QuotaLine.objects.select_related("course__program__section__plan").get(pk=cao_cap.pk)
    with pytest.raises(ValidationError) as refused:
        allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=1)
    assert refused.value.messages == ["Kế hoạch đã kết thúc, không thay đổi phân bổ chỉ tiêu."]


@pytest.mark.parametrize(
    "persona, party, state",
    [
        ("btc_user", True, False),
        ("snv_user", False, True),
        ("leader_user", False, False),
        ("unit_a_user", False, False),
        ("admin_user_2021", True, True),
    ],
)
def test_who_may_allocate_which_block(request, cao_cap, state_line, persona, party, state):
    user = request.getfixturevalue(persona)
    for quota_line, allowed in [(cao_cap, party), (state_line, state)]:
        if allowed:
            allocation_set(actor=user, quota_line=quota_line, unit=unit(BINH_SON), count=1)
            assert allocated(quota_line) == {BINH_SON: 1}
        else:
            with pytest.raises(PermissionDenied):
                allocation_set(actor=user, quota_line=quota_line, unit=unit(BINH_SON), count=1)
            assert allocated(quota_line) == {}


def test_allocation_move_withdraws_unused_and_gives_in_one_action(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=10)
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(SON_TINH), count=4)
    hold_seats(cao_cap, BINH_SON, 3)
    source, target = allocation_move(
        actor=btc_user,
        quota_line=cao_cap,
        from_unit=unit(BINH_SON),
        to_unit=unit(SON_TINH),
        count=7,
    )
    assert (source.count, target.count) == (3, 11)
    assert allocated(cao_cap) == {BINH_SON: 3, SON_TINH: 11}


def test_allocation_move_refuses_seats_in_use(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=10)
    hold_seats(cao_cap, BINH_SON, 3)
    with pytest.raises(ValidationError) as refused:
        allocation_move(
            actor=btc_user,
            quota_line=cao_cap,
            from_unit=unit(BINH_SON),
            to_unit=unit(SON_TINH),
            count=8,
        )
    assert refused.value.messages == [
        "Huyện ủy Bình Sơn chỉ còn 7 chỉ tiêu chưa dùng (phân bổ 10, đang giữ chỗ 3); "
        "không thể rút 8."
    ]
    assert allocated(cao_cap) == {BINH_SON: 10}


def test_allocation_move_of_everything_unused_removes_the_source(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=4)
    source, target = allocation_move(
        actor=btc_user,
        quota_line=cao_cap,
        from_unit=unit(BINH_SON),
        to_unit=unit(TU_NGHIA),
        count=4,
    )
    assert source is None
    assert allocated(cao_cap) == {TU_NGHIA: 4}


@pytest.mark.parametrize(
    "from_code, to_code, count, message",
    [
        (SON_TINH, BINH_SON, 1, "Huyện ủy Sơn Tịnh chưa được phân bổ chỉ tiêu trên dòng này."),
        (BINH_SON, BINH_SON, 1, "Đơn vị nhận phải khác đơn vị điều chuyển."),
        (BINH_SON, SON_TINH, 0, "Số chỉ tiêu điều chuyển phải lớn hơn 0."),
    ],
)
def test_allocation_move_refusals(btc_user, cao_cap, from_code, to_code, count, message):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=4)
    with pytest.raises(ValidationError) as refused:
        allocation_move(
            actor=btc_user,
            quota_line=cao_cap,
            from_unit=unit(from_code),
            to_unit=unit(to_code),
            count=count,
        )
    assert refused.value.messages == [message]
    assert allocated(cao_cap) == {BINH_SON: 4}


def test_allocation_takes_the_line_lock_once(btc_user, cao_cap, monkeypatch):
    calls = []
    monkeypatch.setattr(allocations, "lock", lambda *keys: calls.append(keys))
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=4)
    allocation_move(
        actor=btc_user,
        quota_line=cao_cap,
        from_unit=unit(BINH_SON),
        to_unit=unit(SON_TINH),
        count=1,
    )
    assert calls == [(f"quotas.quotaline:{cao_cap.pk}",)] * 2


# --- pages ---------------------------------------------------------------------------------


def course_url(quota_line):
    return reverse("allocation_course", args=[2021, quota_line.course_id])


def set_url(quota_line):
    return reverse("allocation_set", args=[2021, quota_line.pk])


def move_url(quota_line):
    return reverse("allocation_move", args=[2021, quota_line.pk])


def test_anonymous_is_sent_to_login(client, cao_cap):
    for url in [
        reverse("allocation_home"),
        reverse("allocation_overview", args=[2021]),
        course_url(cao_cap),
    ]:
        assert client.get(url)["Location"].startswith("/login/")
    for url in [set_url(cao_cap), move_url(cao_cap)]:
        response = client.post(url, {"unit": unit(BINH_SON).pk, "count": 1})
        assert response["Location"].startswith("/login/")
    assert not Allocation.objects.exists()


def test_nav_link_leads_to_the_latest_plan(client, btc_user):
    response = client_for(client, btc_user).get(reverse("allocation_home"))
    assert response["Location"] == reverse("allocation_overview", args=[2021])


@pytest.fixture
def two_units_allocated(btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=12)
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(SON_TINH), count=9)
    hold_seats(cao_cap, BINH_SON, 2)
    return cao_cap


def table_rows(response):
    return {
        row.unit.name: (row.allocated, row.held, row.free)
        for usage in response.context["usages"]
        for row in usage.rows
    }


@pytest.mark.parametrize(
    "persona, rows, forms",
    [
        ("btc_user", {"Huyện ủy Bình Sơn": (12, 2, 10), "Huyện ủy Sơn Tịnh": (9, 0, 9)}, True),
        ("snv_user", {"Huyện ủy Bình Sơn": (12, 2, 10), "Huyện ủy Sơn Tịnh": (9, 0, 9)}, False),
        ("leader_user", {"Huyện ủy Bình Sơn": (12, 2, 10), "Huyện ủy Sơn Tịnh": (9, 0, 9)}, False),
        ("unit_a_user", {"Huyện ủy Bình Sơn": (12, 2, 10)}, False),
        ("unit_b_user", {"Huyện ủy Sơn Tịnh": (9, 0, 9)}, False),
    ],
)
def test_course_page_shows_each_role_its_rows(
    client, request, two_units_allocated, persona, rows, forms
):
    client_for(client, request.getfixturevalue(persona))
    response = client.get(course_url(two_units_allocated))
    assert response.status_code == 200
    assert table_rows(response) == rows
    html = response.content.decode()
    assert (set_url(two_units_allocated) in html) == forms
    text = page_text(response)
    hidden = {"Huyện ủy Bình Sơn", "Huyện ủy Sơn Tịnh"} - set(rows)
    for name in hidden:  # neither in the table nor in the history
        assert name not in text


def test_course_page_totals_for_readers_of_all_units(client, leader_user, two_units_allocated):
    response = client_for(client, leader_user).get(course_url(two_units_allocated))
    usage = next(u for u in response.context["usages"] if u.line == two_units_allocated)
    assert (usage.planned, usage.allocated, usage.unallocated, usage.held, usage.free) == (
        56,
        21,
        35,
        2,
        19,
    )
    assert "Chỉ tiêu: 56 · Đã phân bổ: 21 · Chưa phân bổ: 35 · Đang giữ chỗ: 2" in page_text(
        response
    )


def test_course_page_shows_allocation_history(client, btc_user, two_units_allocated):
    allocation_set(actor=btc_user, quota_line=two_units_allocated, unit=unit(SON_TINH), count=5)
    text = page_text(client_for(client, btc_user).get(course_url(two_units_allocated)))
    assert "Lịch sử phân bổ chỉ tiêu" in text
    assert (
        "Huyện ủy Sơn Tịnh · Học viện Chính trị khu vực III, tập trung Sửa Số chỉ tiêu: 9 → 5"
        in text
    )


def test_overview_totals_per_course(client, btc_user, unit_a_user, two_units_allocated):
    rows = client_for(client, btc_user).get(reverse("allocation_overview", args=[2021]))
    course = next(r for r in rows.context["courses"] if r.course == two_units_allocated.course)
    assert (course.lines, course.planned, course.allocated, course.held) == (4, 130, 21, 2)
    assert len(rows.context["courses"]) == 10  # courses with capped lines in 2021
    mine = client_for(client, unit_a_user).get(reverse("allocation_overview", args=[2021]))
    course = next(r for r in mine.context["courses"] if r.course == two_units_allocated.course)
    assert (course.planned, course.allocated, course.held, course.free) == (130, 12, 2, 10)


@pytest.mark.parametrize(
    "persona, party_status, state_status",
    [
        ("btc_user", 302, 403),
        ("snv_user", 403, 302),
        ("leader_user", 403, 403),
        ("unit_a_user", 403, 403),
        ("unit_b_user", 403, 403),
        ("admin_user_2021", 302, 302),
    ],
)
def test_allocation_writes_by_role(
    client, request, cao_cap, state_line, persona, party_status, state_status
):
    client_for(client, request.getfixturevalue(persona))
    for quota_line, status in [(cao_cap, party_status), (state_line, state_status)]:
        response = client.post(set_url(quota_line), {"unit": unit(BINH_SON).pk, "count": 2})
        assert response.status_code == status
        assert allocated(quota_line) == ({BINH_SON: 2} if status == 302 else {})
        response = client.post(
            move_url(quota_line),
            {"from_unit": unit(BINH_SON).pk, "to_unit": unit(SON_TINH).pk, "count": 1},
        )
        assert response.status_code == status
        assert allocated(quota_line) == ({BINH_SON: 1, SON_TINH: 1} if status == 302 else {})


def test_set_and_move_through_the_page(client, btc_user, cao_cap):
    client_for(client, btc_user)
    response = client.post(set_url(cao_cap), {"unit": unit(BINH_SON).pk, "count": 8}, follow=True)
    assert (
        response.redirect_chain[-1][0]
        == f"{course_url(cao_cap)}?line={cao_cap.pk}#line-{cao_cap.pk}"
    )
    # The message shows once, in the card of the line the page returns to.
    assert page_text(response).count("Đã phân bổ 8 chỉ tiêu cho Huyện ủy Bình Sơn") == 1
    assert 'class="alert alert-success py-2 line-message" role="alert"' in response.content.decode()
    response = client.post(
        move_url(cao_cap),
        {"from_unit": unit(BINH_SON).pk, "to_unit": unit(SON_TINH).pk, "count": 3},
        follow=True,
    )
    assert "Đã điều chuyển 3 chỉ tiêu từ Huyện ủy Bình Sơn sang Huyện ủy Sơn Tịnh" in page_text(
        response
    )
    assert allocated(cao_cap) == {BINH_SON: 5, SON_TINH: 3}


@pytest.mark.parametrize(
    "url_name, data, message",
    [
        ("allocation_set", {"count": 3}, "Vui lòng chọn đơn vị."),
        ("allocation_set", {"unit": "bad", "count": 3}, "Đơn vị đã chọn không hợp lệ."),
        ("allocation_set", {"unit": "UNIT", "count": -1}, "Số chỉ tiêu không được âm."),
        ("allocation_set", {"unit": "UNIT", "count": "ba"}, "Số chỉ tiêu phải là số nguyên."),
        ("allocation_set", {"unit": "UNIT", "count": 57}, "Vượt chỉ tiêu: dòng chỉ tiêu có 56"),
        (
            "allocation_move",
            {"from_unit": "UNIT", "to_unit": "UNIT", "count": 1},
            "Đơn vị nhận phải khác đơn vị điều chuyển.",
        ),
        (
            "allocation_move",
            {"from_unit": "UNIT", "to_unit": "OTHER", "count": 6},
            "Huyện ủy Bình Sơn chỉ còn 5 chỉ tiêu chưa dùng",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    client, btc_user, cao_cap, url_name, data, message
):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    ids = {"UNIT": unit(BINH_SON).pk, "OTHER": unit(SON_TINH).pk}
    data = {key: ids.get(value, value) for key, value in data.items()}
    client_for(client, btc_user)
    response = client.post(reverse(url_name, args=[2021, cao_cap.pk]), data, follow=True)
    text = page_text(response)
    assert "Chưa thực hiện được — Học viện Chính trị khu vực III, tập trung:" in text
    assert message in text
    assert allocated(cao_cap) == {BINH_SON: 5}


def test_lock_timeout_shows_its_message(client, btc_user, cao_cap, monkeypatch):
    def busy(*keys):
        raise LockTimeout()

    monkeypatch.setattr(allocations, "lock", busy)
    response = client_for(client, btc_user).post(
        set_url(cao_cap), {"unit": unit(BINH_SON).pk, "count": 3}, follow=True
    )
    assert LockTimeout.MESSAGE in page_text(response)
    assert allocated(cao_cap) == {}


def test_write_urls_refuse_get_and_unknown_lines(client, btc_user, cao_cap):
    client_for(client, btc_user)
    assert client.get(set_url(cao_cap)).status_code == 405
    assert client.post(reverse("allocation_set", args=[2022, cao_cap.pk]), {}).status_code == 404
    assert (
        client.get(reverse("allocation_course", args=[2022, cao_cap.course_id])).status_code == 404
    )
    assert client.get(reverse("allocation_overview", args=[1999])).status_code == 404


# --- query counts --------------------------------------------------------------------------


def make_units(n):
    existing = list(Organisation.objects.filter(kind="unit"))
    extra = [
        Organisation(code=f"don-vi-thu-{i}", name=f"Đơn vị thử {i}", kind="unit", level="district")
        for i in range(max(n - len(existing), 0))
    ]
    Organisation.objects.bulk_create(extra)
    first = unit(BINH_SON)  # unit A's row is among the first ten
    return [first, *Organisation.objects.filter(kind="unit").exclude(pk=first.pk)][:n]


@pytest.mark.parametrize("persona", ["btc_user", "unit_a_user"])
def test_allocation_page_queries_do_not_grow_with_rows(
    client, request, django_assert_num_queries, plan_2021, btc_user, persona
):
    line = QuotaLine.objects.get(course__program__section__plan=plan_2021, planned_count=460)
    client_for(client, request.getfixturevalue(persona))
    units = make_units(200)

    def allocate(batch):
        for organisation in batch:
            allocation_set(actor=btc_user, quota_line=line, unit=organisation, count=2)
            NominationFactory(quota_line=line, person=PersonFactory(organisation=organisation))

    allocate(units[:10])
    with CaptureQueriesContext(connection) as small:
        response = client.get(course_url(line))
    rows_small = sum(len(u.rows) for u in response.context["usages"])
    allocate(units[10:])
    with django_assert_num_queries(len(small)):
        response = client.get(course_url(line))
    rows_big = sum(len(u.rows) for u in response.context["usages"])
    if persona == "btc_user":
        assert (rows_small, rows_big) == (10, 200)
    else:
        assert (rows_small, rows_big) == (1, 1)


def test_allocation_counts_are_bounded(btc_user, cao_cap):
    from quotas.forms import AllocationMoveForm, AllocationSetForm

    for form in (AllocationSetForm({"count": 2**31}), AllocationMoveForm({"count": 2**31})):
        assert not form.is_valid()
        assert form.errors["count"] == ["Số chỉ tiêu không quá 100.000."]
    with pytest.raises(ValidationError, match="Số chỉ tiêu không quá 100.000."):
        allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=2**31)
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    with pytest.raises(ValidationError, match="Số chỉ tiêu không quá 100.000."):
        allocation_move(
            actor=btc_user,
            quota_line=cao_cap,
            from_unit=unit(BINH_SON),
            to_unit=unit(SON_TINH),
            count=2**31,
        )
    assert allocated(cao_cap) == {BINH_SON: 5}
