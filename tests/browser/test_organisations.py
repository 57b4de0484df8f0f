"""The tree of organisations at both sides of 01/07/2025, and BTC applying a reorganisation from
its preview, in the browser (issue 18)."""

import pytest
from playwright.sync_api import expect

from tests.factories import PersonFactory
from tests.fixture_2021 import BINH_SON, unit
from tests.helpers import browser_login
from training_plan.models import Person, ReorganisationEvent
from training_plan.reform_2025 import reform_2025_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMUNE_1 = "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)"


def show_tree(page, day):
    page.get_by_label("Cơ cấu tổ chức tại ngày").fill(day)
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cơ cấu tổ chức tại ngày {day}")


def test_tree_before_and_after_the_reform(page, live_server, unit_b_user):
    reform_2025_record()
    browser_login(page, live_server, "sontinh_test")
    page.goto(f"{live_server.url}/organisations/")
    tree = page.locator("table").first
    show_tree(page, "30/06/2025")
    expect(tree.get_by_role("link", name="Huyện ủy Bình Sơn", exact=True)).to_be_visible()
    expect(tree.get_by_role("link", name=COMMUNE_1)).to_have_count(0)
    show_tree(page, "01/07/2025")
    expect(tree.get_by_role("link", name="Huyện ủy Bình Sơn", exact=True)).to_have_count(0)
    expect(tree.get_by_role("link", name=COMMUNE_1)).to_be_visible()
    # the successor's page names its predecessor and the act
    tree.get_by_role("link", name=COMMUNE_1).click()
    expect(page.locator("main")).to_contain_text("Huyện ủy Bình Sơn")
    expect(page.locator("main")).to_contain_text("60-NQ/TW")


def test_btc_previews_and_applies_a_reorganisation(page, live_server, btc_user):
    reform_2025_record()
    event = ReorganisationEvent.objects.get(predecessors__code=BINH_SON)
    Person.objects.filter(organisation=unit(BINH_SON)).delete()
    moved = PersonFactory(
        full_name="Trần Văn Châu", organisation=unit(BINH_SON), position="Bí thư xã Bình Châu"
    )
    PersonFactory(full_name="Lê Thị Hoa", organisation=unit(BINH_SON), position="Chuyên viên")

    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/reorganisations/{event.pk}/")
    expect(page.locator("#move-people")).to_have_text("1")
    expect(page.locator("#move-unplaced")).to_have_text("1")
    expect(page.locator("main")).to_contain_text("Trần Văn Châu")
    page.get_by_role("button", name="Áp dụng sắp xếp tổ chức").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã áp dụng sắp xếp tổ chức: 1 cán bộ")
    expect(page.locator("main")).to_contain_text("1 cán bộ chờ xếp đơn vị")
    expect(page.get_by_role("button", name="Áp dụng sắp xếp tổ chức")).to_have_count(0)
    moved.refresh_from_db()
    assert moved.organisation.name == COMMUNE_1
