"""BTC asks for the workbook of every year's nominations: the job's page shows the progress bar,
the worker builds the file, the page turns into the download link without a reload, the file
opens with the expected rows and the download is in the download log."""

import openpyxl
import pytest

from quotas.models import Nomination
from tests.factories import NominationFactory, UserFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, unit
from tests.helpers import browser_login, run_worker
from training_plan.models import DownloadLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_btc_watches_the_all_years_workbook_being_built(page, live_server, plan_2021, tmp_path):
    btc = UserFactory(username="btc_nen", btc=True)
    for code in (BINH_SON, SON_TINH):
        for index in range(3):
            NominationFactory(
                unit=unit(code), status="submitted", person__full_name=f"Cán bộ {index}"
            )
    browser_login(page, live_server, "btc_nen")
    page.goto(f"{live_server.url}/nominations/")
    page.get_by_role("button", name="Tải Excel tất cả các năm").click()
    page.wait_for_url(f"{live_server.url}/jobs/*/")
    assert page.locator("h1").inner_text() == "Danh sách cử đi học tất cả các năm (Excel)"
    bar = page.get_by_role("progressbar", name="Tiến độ")
    assert bar.is_visible() and bar.get_attribute("aria-valuenow") == "0"
    assert page.locator("#job-state").inner_text() == "Đang chờ xử lý"
    page.evaluate("window.notReloaded = true")

    run_worker()  # the worker's turn (in this process, on the live server's database)

    link = page.locator("#job-result a")
    link.wait_for()
    assert link.inner_text() == "Tải về"
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.locator("#job-state").inner_text() == "Hoàn thành: 6/6 dòng"
    assert page.evaluate("window.notReloaded") is True  # updated in place
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(openpyxl.load_workbook(path)["Danh sách cử đi học"].iter_rows(values_only=True))
    assert rows[0][:2] == ("Năm", "Họ và tên")
    assert sorted(row[1] for row in rows[1:]) == sorted(
        Nomination.objects.values_list("person__full_name", flat=True)
    )
    assert len(rows) == 7
    (entry,) = DownloadLog.objects.filter(user=btc)
    assert (entry.filename, entry.rows) == ("danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx", 6)
