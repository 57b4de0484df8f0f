"""BTC allocates seats of a quota line to two units in the browser, moves some from one to the
other, and a unit user then sees only its own row."""

import pytest
from playwright.sync_api import expect

from quotas.models import Allocation
from tests import fixture_2021
from tests.fixture_2021 import CAO_CAP
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def allocate(card, unit_name, count):
    form = card.locator("form.allocation-add")
    form.get_by_label("Đơn vị", exact=True).select_option(label=unit_name)
    form.get_by_label("Số chỉ tiêu").fill(str(count))
    form.get_by_role("button", name="Phân bổ").click()


def rows(card):
    return [
        (row.locator(".unit-name").inner_text(), row.locator(".allocated").inner_text())
        for row in card.locator("tr.allocation-row").all()
    ]


def test_btc_allocates_moves_and_unit_sees_only_its_row(page, live_server, btc_user, unit_b_user):
    line = fixture_2021.line(CAO_CAP)
    browser_login(page, live_server, "btc_test")
    page.get_by_role("link", name="Phân bổ chỉ tiêu").click()
    expect(page.locator("h1")).to_have_text("Phân bổ chỉ tiêu năm 2021")
    page.get_by_role("link", name="Cao cấp lý luận chính trị", exact=True).click()
    card = page.locator(f"#line-{line.pk}")

    allocate(card, "Huyện ủy Bình Sơn", 10)
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã phân bổ 10 chỉ tiêu cho Huyện ủy Bình Sơn"
    )
    allocate(card, "Huyện ủy Sơn Tịnh", 6)
    expect(page.get_by_role("alert")).to_contain_text("Đã phân bổ 6 chỉ tiêu cho Huyện ủy Sơn Tịnh")

    # More than the line allows is refused with the reason, and nothing changes.
    allocate(card, "Huyện ủy Tư Nghĩa", 41)
    refusal = "Vượt chỉ tiêu: dòng chỉ tiêu có 56, đã phân bổ cho các đơn vị khác 16"
    expect(page.get_by_role("alert")).to_contain_text(refusal)
    expect(card.locator(".line-message")).to_contain_text(refusal)  # where the page lands

    move = card.locator("form.allocation-move")
    move.get_by_label("Rút từ đơn vị").select_option(label="Huyện ủy Bình Sơn (còn trống 10)")
    move.get_by_label("Chuyển cho đơn vị").select_option(label="Huyện ủy Sơn Tịnh")
    move.get_by_label("Số chỉ tiêu").fill("4")
    move.get_by_role("button", name="Điều chuyển").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã điều chuyển 4 chỉ tiêu từ Huyện ủy Bình Sơn sang Huyện ủy Sơn Tịnh"
    )
    assert rows(card) == [("Huyện ủy Bình Sơn", "6"), ("Huyện ủy Sơn Tịnh", "10")]
    expect(card.locator(".total-allocated")).to_have_text("16")
    assert dict(Allocation.objects.filter(quota_line=line).values_list("unit__code", "count")) == {
        "huyen-uy-binh-son": 6,
        "huyen-uy-son-tinh": 10,
    }

    page.get_by_role("button", name="Đăng xuất").click()
    browser_login(page, live_server, "sontinh_test")
    page.goto(f"{live_server.url}/plans/2021/courses/{line.course_id}/allocations/")
    card = page.locator(f"#line-{line.pk}")
    assert rows(card) == [("Huyện ủy Sơn Tịnh", "10")]
    expect(page.locator("main")).not_to_contain_text("Bình Sơn")
    expect(card.locator("form")).to_have_count(0)
