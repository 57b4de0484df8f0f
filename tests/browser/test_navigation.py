"""The navigation at 1366 × 768 (issue 13, item 12): every entry on one line, the current one
marked, the user named once, a skip link that moves the keyboard past the menu; and the
person form puts the cursor on its first error (item 10)."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def rgb(css):
    return [int(float(part)) for part in css[css.index("(") + 1 : -1].split(",")[:3]]


@pytest.mark.parametrize("who", ["btc", "admin"])
def test_navigation_fits_one_line_at_1366(page, live_server, plan_2021, who):
    if who == "btc":
        UserFactory(username="nav", btc=True, first_name="Cán bộ Ban Tổ chức Tỉnh ủy")
    else:
        UserFactory(username="nav", is_superuser=True, is_staff=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    browser_login(page, live_server, "nav")
    page.goto(f"{live_server.url}/plans/2021/allocations/")
    bar = page.locator("nav.app-navbar")
    items = bar.locator(".navbar-nav .nav-link, .navbar-text, .btn, .navbar-brand")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    assert len(boxes) >= 12
    middles = {round(box["y"] + box["height"] / 2) for box in boxes}
    assert max(middles) - min(middles) <= 4, middles  # one line
    right = max(box["x"] + box["width"] for box in boxes)
    assert right <= 1366, [
        (items.nth(i).inner_text(), round(box["width"])) for i, box in enumerate(boxes)
    ]
    current = bar.locator('[aria-current="page"]')
    expect(current).to_have_text("Phân bổ chỉ tiêu")
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector('.nav-link.active')).textDecorationLine"
        )
        == "underline"
    )
    # White on the bar's red: at least 4,5:1.
    link = bar.locator(".navbar-nav .nav-link").first
    fore = rgb(link.evaluate("e => getComputedStyle(e).color"))
    back = rgb(bar.evaluate("e => getComputedStyle(e).backgroundColor"))
    high, low = sorted([luminance(fore), luminance(back)], reverse=True)
    assert (high + 0.05) / (low + 0.05) >= 4.5
    if who == "btc":  # the user is named once, not “name · role · organisation”
        expect(bar.locator(".user-label")).to_have_text("Cán bộ Ban Tổ chức Tỉnh ủy")
        assert "·" not in bar.inner_text()


def test_skip_link_and_visible_focus(page, live_server, btc_user):
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/plans/2021/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua điều hướng")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is in the page, past the menu
    assert page.evaluate("!!document.activeElement.closest('main')")
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style == "solid"


def test_person_form_focuses_the_first_error(page, live_server, btc_user):
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn Thử")
    page.get_by_label("Ngày sinh").fill("31/02/1985")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("main")).to_contain_text(
        "Ngày 31/02/1985 không tồn tại: tháng 2 năm 1985 chỉ có 28 ngày."
    )
    expect(page.get_by_label("Ngày sinh")).to_be_focused()
