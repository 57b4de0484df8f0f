"""BTC returns a Bình Sơn file with a reason in the browser; the Bình Sơn user then sees the
count in the nav, the item with the reason in “Việc cần xử lý”, opens the file, and the count
drops."""

import pytest
from playwright.sync_api import expect

from quotas.models import Nomination
from tests.factories import AllocationFactory, NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, line, unit
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_returned_file_reaches_the_units_inbox(page, live_server, btc_user, unit_a_user):
    cao_cap = line(CAO_CAP)
    AllocationFactory(quota_line=cao_cap, unit=unit(BINH_SON), count=2)
    nomination = NominationFactory(
        person=PersonFactory(full_name="Nguyễn Thị Hạnh"),
        quota_line=cao_cap,
        status=Nomination.Status.SUBMITTED,
    )

    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/nominations/{nomination.pk}/")
    page.get_by_role("link", name="Trả lại để bổ sung…").click()
    page.get_by_label("Lý do").fill("Thiếu bản sao quyết định bổ nhiệm")
    page.get_by_role("button", name="Xác nhận: trả lại để bổ sung").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    browser_login(page, live_server, "binhson_test")
    badge = page.locator("#inbox-unread")
    expect(badge).to_contain_text("1")
    page.locator("a.inbox-link").click()
    item = page.locator(".inbox-list li").first
    expect(item).to_contain_text("Hồ sơ bị trả lại để bổ sung: Nguyễn Thị Hạnh")
    expect(item).to_contain_text("Lý do: Thiếu bản sao quyết định bổ nhiệm")
    item.get_by_role("link", name="Hồ sơ bị trả lại để bổ sung: Nguyễn Thị Hạnh").click()
    expect(page).to_have_url(f"{live_server.url}/nominations/{nomination.pk}/")
    expect(page.locator("#inbox-unread")).to_have_count(0)
