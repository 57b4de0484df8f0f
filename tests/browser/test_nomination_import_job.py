"""Bình Sơn uploads a list over the threshold: the job's page shows the rows being checked, the
worker checks them, the page offers the preview without a reload, the list is confirmed and
saved; the inbox holds the link to the preview."""

import datetime

import openpyxl
import pytest

from quotas.imports import HEADERS, SHEET_NAME
from quotas.models import Nomination
from tests.factories import AllocationFactory, PersonFactory, UserFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, line, unit
from tests.helpers import browser_login, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_big_list_is_checked_in_the_background_then_confirmed(
    page, live_server, plan_2021, tmp_path, settings
):
    settings.NOMINATION_IMPORT_JOB_ROWS = 2
    UserFactory(username="binhson", organisation=unit(BINH_SON))
    AllocationFactory(quota_line=line(CAO_CAP), unit=unit(BINH_SON), count=3)
    people = [
        PersonFactory(full_name=name, date_of_birth=datetime.date(1980 + index, 1, 2))
        for index, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"])
    ]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(HEADERS)
    for number, person in enumerate(people, start=1):
        sheet.append(
            [number, person.full_name, f"{person.date_of_birth:%d/%m/%Y}", None, None, "II.1.1"]
            + ["II.1.1-2"]
        )
    path = tmp_path / "danh-sach-lon.xlsx"
    workbook.save(path)

    browser_login(page, live_server, "binhson")
    page.goto(f"{live_server.url}/nominations/import/?year=2021")
    page.set_input_files("#id_file", str(path))
    page.click("button:has-text('Tải lên và kiểm tra')")
    page.wait_for_url(f"{live_server.url}/jobs/*/")
    assert page.locator("h1").inner_text() == (
        "Kiểm tra tệp “danh-sach-lon.xlsx” (3 dòng) — năm 2021"
    )
    assert page.locator("#job-state").inner_text() == "Đang chờ xử lý"
    page.evaluate("window.notReloaded = true")

    run_worker()

    link = page.locator("#job-result a")
    link.wait_for()
    assert link.inner_text() == "Xem kết quả"
    assert page.locator("#job-state").inner_text() == "Hoàn thành: 3/3 dòng"
    assert page.evaluate("window.notReloaded") is True
    link.click()
    page.wait_for_load_state("networkidle")
    assert "Kiểm tra tệp “danh-sach-lon.xlsx”: 3 dòng, tất cả hợp lệ" in page.inner_text("main")
    assert Nomination.objects.count() == 0
    page.click("button:has-text('Xác nhận lưu 3 hồ sơ')")
    page.wait_for_load_state("networkidle")
    assert "Đã nhập 3 hồ sơ (dự thảo) từ tệp “danh-sach-lon.xlsx”." in page.inner_text("main")
    assert {n.person for n in Nomination.objects.all()} == set(people)

    page.goto(f"{live_server.url}/inbox/?show=all")
    assert "Kiểm tra tệp “danh-sach-lon.xlsx” (3 dòng) — năm 2021: đã xong" in page.inner_text(
        "main"
    )
