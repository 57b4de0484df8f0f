"""The allocation grid of a course (issue 13, items 5 and 9): units down, quota lines across,
saved in one request, all or nothing, with the reasons beside their cells; setting a unit's
seats to 0 asks first. Per role, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotas.allocations import allocation_set
from quotas.models import Allocation, Nomination
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, STATE_COURSE, line, unit
from tests.helpers import client_for, page_text
from training_plan.models import Organisation

pytestmark = pytest.mark.django_db


def grid_url(course):
    return reverse("allocation_grid", args=[2021, course.pk])


def cell(quota_line, code):
    return f"c-{quota_line.pk}-{unit(code).pk}"


def allocated(course):
    return {
        (a.quota_line_id, a.unit.code): a.count
        for a in Allocation.objects.filter(quota_line__course=course).select_related("unit")
    }


@pytest.fixture
def cao_cap_lines(cao_cap):
    return {line.position: line for line in cao_cap.course.quota_lines.all() if line.is_capped}


def test_btc_saves_a_whole_course_in_one_request(client, btc_user, cao_cap, cao_cap_lines):
    course = cao_cap.course
    client_for(client, btc_user)
    page = client.get(grid_url(course))
    assert page.status_code == 200
    text = page_text(page)
    assert "Bảng phân bổ chỉ tiêu" in text and "Huyện ủy Bình Sơn" in text
    assert 'min="' not in page.content.decode()  # no browser check blocks the submission
    other = cao_cap_lines[1]
    response = client.post(
        grid_url(course),
        {
            cell(cao_cap, BINH_SON): "30",
            cell(cao_cap, SON_TINH): "26",
            cell(other, BINH_SON): "2",
            cell(other, SON_TINH): "",
        },
    )
    assert response.status_code == 302
    assert allocated(course) == {
        (cao_cap.pk, BINH_SON): 30,
        (cao_cap.pk, SON_TINH): 26,
        (other.pk, BINH_SON): 2,
    }
    assert "Đã lưu phân bổ chỉ tiêu (3 ô thay đổi)." in page_text(client.get(response.url))


def test_one_bad_cell_saves_nothing_and_keeps_what_was_typed(client, btc_user, cao_cap):
    course = cao_cap.course
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=5)
    for _ in range(4):
        NominationFactory(
            quota_line=cao_cap,
            person=PersonFactory(organisation=unit(BINH_SON)),
            status=Nomination.Status.SUBMITTED,
        )
    client_for(client, btc_user)
    response = client.post(
        grid_url(course),
        {
            cell(cao_cap, BINH_SON): "2",
            cell(cao_cap, SON_TINH): "10",
            cell(cao_cap, "huyen-uy-tu-nghia"): "mười",
        },
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Chưa lưu: 2 lỗi cần sửa" in text
    assert (
        "Không thể giảm phân bổ của Huyện ủy Bình Sơn xuống 2: đơn vị đang có 4 hồ sơ giữ chỗ "
        "trên dòng chỉ tiêu này." in text
    )
    assert "Số chỉ tiêu phải là số nguyên." in text
    html = response.content.decode()
    assert f'name="{cell(cao_cap, SON_TINH)}" id="{cell(cao_cap, SON_TINH)}" value="10"' in html
    assert 'value="mười"' in html
    assert allocated(course) == {(cao_cap.pk, BINH_SON): 5}


def test_a_line_past_its_count_is_refused_whole(client, btc_user, cao_cap):
    client_for(client, btc_user)
    response = client.post(
        grid_url(cao_cap.course),
        {cell(cao_cap, BINH_SON): "40", cell(cao_cap, SON_TINH): "20"},
    )
    assert "có 56, tổng phân bổ đã nhập là 60 (thừa 4)" in page_text(response)
    assert allocated(cao_cap.course) == {}


def test_seats_pass_between_units_in_one_save(client, btc_user, cao_cap):
    """Lowering one unit and raising another on a full line: checked on the new totals."""
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=56)
    client_for(client, btc_user)
    client.post(
        grid_url(cao_cap.course), {cell(cao_cap, SON_TINH): "16", cell(cao_cap, BINH_SON): "40"}
    )
    assert allocated(cao_cap.course) == {(cao_cap.pk, BINH_SON): 40, (cao_cap.pk, SON_TINH): 16}


def test_setting_a_unit_to_zero_asks_first(client, btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=12)
    client_for(client, btc_user)
    data = {cell(cao_cap, BINH_SON): "0", cell(cao_cap, SON_TINH): "3"}
    response = client.post(grid_url(cao_cap.course), data)
    assert response.status_code == 200
    text = page_text(response)
    assert "Xác nhận thu hồi chỉ tiêu" in text
    assert "Huyện ủy Bình Sơn" in text and "12" in text
    assert allocated(cao_cap.course) == {(cao_cap.pk, BINH_SON): 12}  # nothing yet
    # Back to the grid with what was typed.
    back = client.post(grid_url(cao_cap.course), {**data, "back": "1"})
    assert f'id="{cell(cao_cap, SON_TINH)}" value="3"' in back.content.decode()
    assert allocated(cao_cap.course) == {(cao_cap.pk, BINH_SON): 12}
    response = client.post(grid_url(cao_cap.course), {**data, "confirm": "1"})
    assert response.status_code == 302
    assert allocated(cao_cap.course) == {(cao_cap.pk, SON_TINH): 3}


def test_grid_per_role(client, btc_user, snv_user, leader_user, unit_a_user, cao_cap):
    state = line(f"{STATE_COURSE}-1")
    party_url, state_url = grid_url(cao_cap.course), grid_url(state.course)
    expected = {
        btc_user: (200, 403),
        snv_user: (403, 200),
        leader_user: (403, 403),
        unit_a_user: (403, 403),
    }
    for user, statuses in expected.items():
        client_for(client, user)
        assert (client.get(party_url).status_code, client.get(state_url).status_code) == statuses
    # A POST of the other block changes nothing.
    client_for(client, btc_user)
    assert client.post(state_url, {cell(state, BINH_SON): "3"}).status_code == 403
    client_for(client, unit_a_user)
    assert client.post(party_url, {cell(cao_cap, BINH_SON): "3"}).status_code == 403
    assert not Allocation.objects.exists()


def test_grid_queries_do_not_grow_with_units(client, btc_user, cao_cap):
    client_for(client, btc_user)
    client.get(grid_url(cao_cap.course))  # the first request of a session does more
    with CaptureQueriesContext(connection) as small:
        assert client.get(grid_url(cao_cap.course)).status_code == 200
    Organisation.objects.bulk_create(
        Organisation(code=f"don-vi-thu-{i}", name=f"Đơn vị thử {i}", kind="unit", level="district")
        for i in range(60)
    )
    for organisation in Organisation.objects.filter(code__startswith="don-vi-thu-")[:30]:
        allocation_set(actor=btc_user, quota_line=cao_cap, unit=organisation, count=1)
    with CaptureQueriesContext(connection) as big:
        response = client.get(grid_url(cao_cap.course))
    assert len(response.context["rows"]) > 60
    assert len(big) == len(small)
