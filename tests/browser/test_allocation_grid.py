"""BTC fills a course's allocation grid in the browser (issue 13, items 5 and 9): totals and
seats left follow the typing, a cell below the seats a unit holds says why at once, the save is
refused whole with the reasons beside their cells and the typed values kept, and setting a
unit to 0 asks first."""

import re

import pytest
from playwright.sync_api import expect

from quotas.allocations import allocation_set
from quotas.models import Allocation, Nomination
from tests import fixture_2021
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH, TU_NGHIA, unit
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_btc_fills_the_grid(page, live_server, btc_user):
    line = fixture_2021.line(CAO_CAP)
    allocation_set(actor=btc_user, quota_line=line, unit=unit(TU_NGHIA), count=6)
    for _ in range(3):
        NominationFactory(
            quota_line=line,
            person=PersonFactory(organisation=unit(TU_NGHIA)),
            status=Nomination.Status.SUBMITTED,
        )
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/plans/2021/courses/{line.course_id}/allocations/")
    page.get_by_role("link", name="Nhập phân bổ dạng bảng").click()
    expect(page.locator("h1")).to_contain_text("Bảng phân bổ chỉ tiêu")

    def box(code):
        return page.locator(f"#c-{line.pk}-{unit(code).pk}")

    remaining = page.locator(f'.line-remaining[data-line="{line.pk}"]')
    expect(remaining).to_have_text("50")
    box(BINH_SON).fill("30")
    expect(remaining).to_have_text("20")
    expect(page.locator(f'.line-total[data-line="{line.pk}"]')).to_have_text("36")
    box(SON_TINH).fill("30")
    expect(remaining).to_have_text("-10")
    box(TU_NGHIA).fill("2")  # below the 3 seats Tư Nghĩa holds: said at once
    warning = box(TU_NGHIA).locator("xpath=..").locator(".grid-warning")
    expect(warning).to_contain_text("đang có 3 hồ sơ giữ chỗ")

    page.get_by_role("button", name="Lưu bảng phân bổ").click()
    summary = page.locator("#grid-summary")
    expect(summary).to_contain_text("Chưa lưu: 2 lỗi cần sửa")
    expect(summary).to_contain_text(
        "Không thể giảm phân bổ của Huyện ủy Tư Nghĩa xuống 2: đơn vị đang có 3 hồ sơ giữ chỗ"
    )
    expect(summary).to_contain_text("tổng phân bổ đã nhập là 62 (thừa 6)")
    expect(box(BINH_SON)).to_have_value("30")  # typed values kept
    expect(box(TU_NGHIA)).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(box(TU_NGHIA)).to_be_focused()  # the first cell in error
    assert dict(Allocation.objects.filter(quota_line=line).values_list("unit__code", "count")) == {
        TU_NGHIA: 6
    }

    # Keyboard: Enter goes down the column, as in a spreadsheet, and does not submit.
    box(BINH_SON).focus()
    box(BINH_SON).press("Enter")
    focused = page.evaluate("[document.activeElement.id, document.activeElement.dataset.line]")
    assert focused[1] == str(line.pk) and focused[0] != f"c-{line.pk}-{unit(BINH_SON).pk}"
    box(SON_TINH).fill("20")
    box(TU_NGHIA).fill("3")
    page.get_by_role("button", name="Lưu bảng phân bổ").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu phân bổ chỉ tiêu (3 ô thay đổi).")
    assert dict(Allocation.objects.filter(quota_line=line).values_list("unit__code", "count")) == {
        BINH_SON: 30,
        SON_TINH: 20,
        TU_NGHIA: 3,
    }

    # 0 revokes Sơn Tịnh's seats: a page says so before anything changes.
    box(SON_TINH).fill("0")
    expect(box(SON_TINH).locator("xpath=..").locator(".grid-warning")).to_contain_text("Thu hồi")
    page.get_by_role("button", name="Lưu bảng phân bổ").click()
    expect(page.locator("h1")).to_have_text("Xác nhận thu hồi chỉ tiêu")
    expect(page.locator(".revoked-list")).to_contain_text("Huyện ủy Sơn Tịnh")
    page.get_by_role("button", name="Thu hồi và lưu bảng phân bổ").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu phân bổ chỉ tiêu (1 ô thay đổi).")
    assert not Allocation.objects.filter(quota_line=line, unit=unit(SON_TINH)).exists()
