"""Leadership downloads the plan PDF and the workbook from the dashboard, and both open."""

import openpyxl
import pytest
from pypdf import PdfReader

from demo.year import demo_accounts_create
from tests.factories import class_with_estimate
from tests.fixture_2021 import course
from tests.helpers import PASSWORD, browser_login, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lanhdao_downloads_plan_pdf_and_workbook(page, live_server, plan_2021, tmp_path):
    demo_accounts_create(password=PASSWORD)
    class_with_estimate(course("II.3.1"), 7_237_406_000, name="Lớp Trung cấp K45")
    browser_login(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").first.inner_text() == "Tổng quan kế hoạch năm 2021"

    with page.expect_download(timeout=120_000) as download_info:
        page.click("text=Văn bản kế hoạch (PDF)")
    download = download_info.value
    assert download.suggested_filename == "ke-hoach-2021.pdf"
    pdf_path = tmp_path / download.suggested_filename
    download.save_as(pdf_path)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) > 1
    first = " ".join(reader.pages[0].extract_text().split())
    assert "TỈNH ỦY QUẢNG NGÃI" in first and "KẾ HOẠCH" in first

    # The workbook is built by the worker: its page shows the progress, then the link.
    page.click("text=Bảng số liệu (Excel)")
    page.wait_for_url(f"{live_server.url}/jobs/*/")
    run_worker()
    with page.expect_download(timeout=120_000) as download_info:
        page.locator("#job-result a").click()
    download = download_info.value
    assert download.suggested_filename == "so-lieu-ke-hoach-2021.xlsx"
    xlsx_path = tmp_path / download.suggested_filename
    download.save_as(xlsx_path)
    workbook = openpyxl.load_workbook(xlsx_path)
    assert "Phụ lục kinh phí" in workbook.sheetnames
    appendix = workbook["Phụ lục kinh phí"]
    labels = [row[1].value for row in appendix.iter_rows(min_row=2)]
    assert "Lớp Trung cấp K45" in [row[3].value for row in appendix.iter_rows(min_row=2)]
    assert "Tổng cộng" in labels
