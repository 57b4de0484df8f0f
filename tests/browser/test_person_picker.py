"""The nomination form's person picker (issue 13, item 6): BTC types “nguyen van th” without
diacritics, sees each match's unit, date of birth and position, chooses one with the keyboard,
and the quota choices then say what that person's unit has left; the nomination is saved for
that unit in one step."""

import datetime

import pytest
from playwright.sync_api import expect

from quotas.models import Nomination
from tests.factories import AllocationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH, line, unit
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_btc_finds_a_person_by_a_name_without_diacritics(page, live_server, btc_user):
    cao_cap = line(CAO_CAP)
    AllocationFactory(quota_line=cao_cap, unit=unit(SON_TINH), count=4)
    PersonFactory(
        full_name="Nguyễn Văn Thành",
        organisation=unit(BINH_SON),
        date_of_birth=datetime.date(1980, 1, 2),
        position="Chánh Văn phòng",
    )
    thinh = PersonFactory(
        full_name="Nguyễn Văn Thịnh",
        organisation=unit(SON_TINH),
        date_of_birth=datetime.date(1984, 7, 9),
        position="Phó Trưởng ban Tổ chức",
    )
    PersonFactory(full_name="Trần Thị Thu", organisation=unit(SON_TINH))
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/nominations/new/")
    expect(page.locator("main")).not_to_contain_text("---------")
    box = page.get_by_role("combobox", name="Cán bộ được cử")
    box.fill("nguyen van th")
    options = page.get_by_role("listbox", name="Kết quả tìm").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_contain_text("Nguyễn Văn Thịnh")
    expect(options.nth(1)).to_contain_text("Huyện ủy Sơn Tịnh · sinh 09/07/1984 · Phó Trưởng ban")
    box.press("ArrowDown")
    box.press("Enter")
    unit_name = thinh.organisation.short_name or thinh.organisation.name
    expect(box).to_have_value(
        f"Nguyễn Văn Thịnh — sinh 09/07/1984 — Phó Trưởng ban Tổ chức — {unit_name}"
    )
    target = page.get_by_label("Khóa, dòng chỉ tiêu")
    expect(target.locator(f'option[value="line-{cao_cap.pk}"]')).to_contain_text(
        "(đơn vị còn 4/4 chỉ tiêu)"
    )
    target.select_option(f"line-{cao_cap.pk}")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lập hồ sơ dự thảo")
    nomination = Nomination.objects.get()
    assert (nomination.person, nomination.unit) == (thinh, unit(SON_TINH))
