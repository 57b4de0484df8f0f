"""The workbook of every nomination of every plan year (nominations/all-years.xlsx): who sees
which rows, the sheet read back with openpyxl, the download log, and a query count that does not
grow with the rows."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inbox.models import Job
from quotas.models import Nomination
from reports import exports
from reports.lifecycle import plan_copy_to_year
from tests import fixture_2021
from tests.factories import NominationFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, unit
from tests.helpers import client_for, download_via_job
from tests.training_plan.pdf_helpers import body
from training_plan.models import DownloadLog

pytestmark = pytest.mark.django_db

URL_NAME = "nominations_all_years_xlsx"
SHEET = "Danh sách cử đi học"
HEADER = ["Năm"] + [column.header for column in exports.NominationsExporter.COLUMNS]


@pytest.fixture
def two_years(plan_2021, btc_user):
    """Nominations of unit A and unit B in the 2021 plan and in its copy for 2022."""
    plan_2022 = plan_copy_to_year(plan=plan_2021, actor=btc_user)
    for plan in (plan_2021, plan_2022):
        course = fixture_2021.course("II.3.1", plan)
        for code, who in [(BINH_SON, "A"), (SON_TINH, "B")]:
            for status in ["submitted", "approved"]:
                NominationFactory(
                    unit=unit(code),
                    course=course,
                    status=status,
                    person__full_name=f"Người {who} {plan.year} {status}",
                    person__date_of_birth=datetime.date(1980, 5, 17),
                )
    return plan_2021, plan_2022


def download(client, user):
    response = download_via_job(client_for(client, user), reverse(URL_NAME))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "tat-ca-cac-nam" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def sheet_rows(workbook):
    assert workbook.sheetnames == [SHEET]
    rows = list(workbook[SHEET].iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.mark.parametrize("persona", ["btc_user", "snv_user", "leader_user", "admin_user_2021"])
def test_every_unit_and_every_year_for_those_who_see_all(request, client, two_years, persona):
    header, rows = sheet_rows(download(client, request.getfixturevalue(persona)))
    assert header == HEADER
    assert len(rows) == Nomination.objects.count() == 8
    assert [row["Năm"] for row in rows] == [2021] * 4 + [2022] * 4  # years in order
    assert {row["Đơn vị cử"] for row in rows} == {unit(BINH_SON).name, unit(SON_TINH).name}
    assert {row["Trạng thái"] for row in rows} == {"Đã gửi", "Đã duyệt"}


def test_a_unit_gets_only_its_own_rows_of_every_year(client, unit_a_user, two_years):
    header, rows = sheet_rows(download(client, unit_a_user))
    assert header == HEADER
    names = sorted(row["Họ và tên"] for row in rows)
    assert names == sorted(
        f"Người A {year} {status}" for year in (2021, 2022) for status in ["Submitted", "Approved"]
    )
    assert {row["Đơn vị cử"] for row in rows} == {unit(BINH_SON).name}
    assert not any(name.startswith("Người B") for name in names)  # unit B's rows never appear


def test_the_other_unit_gets_only_its_rows(client, unit_b_user, two_years):
    _, rows = sheet_rows(download(client, unit_b_user))
    assert len(rows) == 4
    assert all(row["Họ và tên"].startswith("Người B") for row in rows)


def test_year_dates_and_formats(client, btc_user, two_years):
    workbook = download(client, btc_user)
    sheet = workbook[SHEET]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"
    assert all(cell.font.bold for cell in sheet[1])
    year, born, created = sheet["A2"], sheet["C2"], sheet["N2"]
    assert year.value == 2021 and year.number_format == "General"  # 2021, not 2.021
    assert born.value == datetime.datetime(1980, 5, 17) and born.number_format == "dd/mm/yyyy"
    assert created.number_format == "dd/mm/yyyy"
    assert created.value == datetime.datetime.combine(timezone.localdate(), datetime.time())


def test_the_download_is_logged(client, unit_a_user, btc_user, two_years):
    download(client, unit_a_user)
    client.logout()
    download(client, btc_user)
    entries = list(DownloadLog.objects.order_by("id"))
    assert [(e.user, e.username, e.filename, e.filters) for e in entries] == [
        (
            unit_a_user,
            "binhson_test",
            "danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx",
            {"plan": "all", "scope": f"unit:{BINH_SON}"},
        ),
        (
            btc_user,
            "btc_test",
            "danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx",
            {"plan": "all", "scope": "all"},
        ),
    ]
    assert all(entry.at is not None for entry in entries)


def test_a_user_without_a_unit_or_role_is_refused(client, plan_2021, django_user_model):
    user = django_user_model.objects.create_user(username="khong-vai-tro", password="x" * 12)
    client_for(client, user)
    assert client.get(reverse(URL_NAME)).status_code == 403
    assert client.post(reverse(URL_NAME)).status_code == 403
    assert not Job.objects.exists()
    assert not DownloadLog.objects.exists()


def test_anonymous_is_sent_to_login(client, plan_2021):
    for method in (client.get, client.post):
        response = method(reverse(URL_NAME))
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["btc_user", "unit_a_user"])
def test_query_count_does_not_grow_with_the_rows(
    request, client, persona, two_years, django_assert_num_queries
):
    """Counted over the whole journey: the button, the worker's run, the download."""
    client_for(client, request.getfixturevalue(persona))
    url = reverse(URL_NAME)
    download_via_job(client, url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert download_via_job(client, url).status_code == 200
    course = fixture_2021.course("II.3.1", two_years[1])
    for index in range(30):
        NominationFactory(
            unit=unit(BINH_SON),
            course=course,
            status="submitted",
            person__full_name=f"Thêm {index}",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = download_via_job(client, url)
    _, rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(body(response))))
    assert len(rows) == (38 if persona == "btc_user" else 34)


@pytest.mark.parametrize("persona", ["btc_user", "unit_a_user", "leader_user"])
def test_the_nominations_list_links_to_it(request, client, persona, plan_2021):
    response = client_for(client, request.getfixturevalue(persona)).get(reverse("nomination_list"))
    content = response.content.decode()
    assert reverse(URL_NAME) in content
    assert "Tải Excel tất cả các năm" in content


def test_past_excels_row_limit_the_rows_go_on_in_a_second_sheet(
    client, btc_user, two_years, monkeypatch
):
    """A national export holds more rows than an Excel sheet (1.048.576): the rows continue in
    “… (2)” under the same header instead of failing. Here the limit is made 6 rows."""
    monkeypatch.setattr(exports.xlsx, "MAX_ROWS", 6)
    workbook = download(client, btc_user)
    assert workbook.sheetnames == [SHEET, f"{SHEET} (2)"]
    first = list(workbook[SHEET].iter_rows(values_only=True))
    second = list(workbook[f"{SHEET} (2)"].iter_rows(values_only=True))
    assert list(first[0]) == list(second[0]) == HEADER
    assert (len(first), len(second)) == (6, 4)  # 8 nominations: 5 + 3 under their headers
    assert workbook[f"{SHEET} (2)"].auto_filter.ref == "A1:R4"
    names = [row[1] for row in first[1:] + second[1:]]
    assert len(set(names)) == 8
