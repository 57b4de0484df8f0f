"""Bình Sơn imports its list from Excel, fixes a refused row, submits; BTC verifies, approves."""

import datetime

import openpyxl
import pytest

from quotas.models import Nomination
from tests.factories import AllocationFactory, PersonFactory, UserFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, line, unit
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill(path, rows):
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Danh sách cử"]
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def bulk(page, pks, button, confirm):
    for pk in pks:
        page.check(f"#pick-{pk}")
    page.click(f"button:has-text('{button}')")
    page.wait_for_load_state("networkidle")
    assert f"Xác nhận: {confirm} {len(pks)} hồ sơ đã chọn" in page.inner_text("main")
    page.click(f"button:has-text('Xác nhận: {confirm}')")
    page.wait_for_load_state("networkidle")


def test_unit_imports_fixes_submits_and_btc_verifies_and_approves(
    page, live_server, plan_2021, tmp_path
):
    UserFactory(username="binhson", organisation=unit(BINH_SON))
    UserFactory(username="btc", btc=True)
    cao_cap = line(CAO_CAP)
    AllocationFactory(quota_line=cao_cap, unit=unit(BINH_SON), count=3)
    an = PersonFactory(full_name="Nguyễn Văn An", date_of_birth=datetime.date(1980, 1, 2))
    binh = PersonFactory(full_name="Trần Thị Bình", date_of_birth=datetime.date(1982, 3, 4))

    browser_login(page, live_server, "binhson")
    page.click("nav >> text=Cử đi đào tạo")
    page.click("text=Nhập từ Excel")
    with page.expect_download() as download:
        page.click("#download-template")
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    assert download.value.suggested_filename == "mau-danh-sach-cu-di-hoc-2021.xlsx"

    first = tmp_path / "lan-1.xlsx"
    first.write_bytes(template.read_bytes())
    fill(
        first,
        [
            [1, "Nguyễn Văn An", "02/01/1980", None, None, "II.1.1", "II.1.1-2"],
            [2, "Trần Thị Bình", "04/03/1982", None, None, "II.9.9", "II.1.1-2"],
        ],
    )
    page.set_input_files("#id_file", str(first))
    page.click("button:has-text('Tải lên và kiểm tra')")
    page.wait_for_load_state("networkidle")
    main = page.inner_text("main")
    assert "2 dòng, 1 dòng có lỗi" in main
    assert "Không có khóa mã “II.9.9” trong kế hoạch năm 2021" in main
    assert page.locator("button:has-text('Xác nhận lưu')").count() == 0
    assert Nomination.objects.count() == 0

    fixed = tmp_path / "lan-2.xlsx"
    fixed.write_bytes(template.read_bytes())
    fill(
        fixed,
        [
            [1, "Nguyễn Văn An", "02/01/1980", None, None, "II.1.1", "II.1.1-2"],
            [2, "Trần Thị Bình", "04/03/1982", None, None, "II.1.1", "II.1.1-2"],
        ],
    )
    page.set_input_files("#id_file", str(fixed))
    page.click("button:has-text('Tải lên và kiểm tra')")
    page.wait_for_load_state("networkidle")
    assert "2 dòng, tất cả hợp lệ" in page.inner_text("main")
    page.click("button:has-text('Xác nhận lưu 2 hồ sơ')")
    page.wait_for_load_state("networkidle")
    assert "Đã nhập 2 hồ sơ (dự thảo) từ tệp “lan-2.xlsx”." in page.inner_text("main")
    pks = list(Nomination.objects.order_by("pk").values_list("pk", flat=True))
    assert {n.person for n in Nomination.objects.all()} == {an, binh}

    bulk(page, pks, "Gửi duyệt…", "gửi duyệt")
    assert "Gửi duyệt: đã thực hiện 2 hồ sơ." in page.inner_text("main")
    assert set(Nomination.objects.values_list("status", flat=True)) == {"submitted"}
    page.screenshot(path="/tmp/nom/binhson.png", full_page=True)
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_load_state("networkidle")

    browser_login(page, live_server, "btc")
    page.goto(f"{live_server.url}/nominations/?status=submitted")
    bulk(page, pks, "Thẩm định đạt…", "thẩm định đạt")
    assert "Thẩm định đạt: đã thực hiện 2 hồ sơ" in page.inner_text("main")
    page.goto(f"{live_server.url}/nominations/?status=verified")
    bulk(page, pks, "Phê duyệt…", "phê duyệt")
    assert "Phê duyệt: đã thực hiện 2 hồ sơ" in page.inner_text("main")
    assert set(Nomination.objects.values_list("status", flat=True)) == {"approved"}

    page.goto(f"{live_server.url}/nominations/?status=approved&q=nguyen van an")
    page.click("text=Nguyễn Văn An")
    page.wait_for_load_state("networkidle")
    history = " ".join(page.inner_text("main").split())
    assert "Đã duyệt" in history
    assert "binhson Dự thảo Đã gửi" in history
    assert "btc Đã gửi Đã thẩm định" in history and "btc Đã thẩm định Đã duyệt" in history
