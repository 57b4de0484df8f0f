"""Excel import: the template, every bad file, row errors in the preview, all-or-nothing save."""

import datetime
import io
import re
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quotas import bulk, imports
from quotas.imports import HEADERS, SHEET_NAME
from quotas.models import Nomination
from tests.factories import AllocationFactory, NominationFactory, PersonFactory
from tests.fixture_2021 import line, unit
from tests.helpers import client_for, page_text
from training_plan import uploads

pytestmark = pytest.mark.django_db
S = Nomination.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_bytes(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload_file(content, name="danh-sach.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def row(no, person, course_code, line_code="", dob=None, **extra):
    return [
        no,
        extra.get("name", person.full_name if person else ""),
        dob if dob is not None else person.date_of_birth,
        extra.get("identity", ""),
        extra.get("unit_code", ""),
        course_code,
        line_code,
        extra.get("training"),
        extra.get("commitment"),
        extra.get("note", ""),
    ]


def post_upload(client, content, name="danh-sach.xlsx", submit_now=False):
    data = {"file": upload_file(content, name)}
    if submit_now:
        data["submit_now"] = "on"
    return client.post(reverse("nomination_import"), data)


@pytest.fixture
def people(plan_2021):
    return [
        PersonFactory(full_name="Nguyễn Văn An", date_of_birth=datetime.date(1980, 1, 2)),
        PersonFactory(full_name="Trần Thị Bình", date_of_birth=datetime.date(1982, 3, 4)),
        PersonFactory(full_name="Lê Văn Cường", date_of_birth=datetime.date(1984, 5, 6)),
    ]


@pytest.fixture
def seats(plan_2021):
    return AllocationFactory(quota_line=line("II.1.1-2"), unit=unit("huyen-uy-binh-son"), count=3)


# The template --------------------------------------------------------------------------------


def test_template_has_headers_codes_and_units(client, unit_a_user):
    response = client_for(client, unit_a_user).get(reverse("nomination_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="mau-danh-sach-cu-di-hoc-2021.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Danh sách cử", "Mã hợp lệ", "Hướng dẫn"]
    header = next(workbook["Danh sách cử"].iter_rows(values_only=True))
    assert list(header) == HEADERS
    codes = list(workbook["Mã hợp lệ"].iter_rows(values_only=True))
    flat = {value for values in codes for value in values if value is not None}
    assert {"II.1.1", "II.1.1-2", "II.4.1", "III.3.7-1"} <= flat
    assert "huyen-uy-binh-son" in flat and "huyen-uy-son-tinh" not in flat


def test_template_offers_drop_down_lists_of_the_valid_codes(client, unit_a_user):
    response = client_for(client, unit_a_user).get(reverse("nomination_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, codes = workbook["Danh sách cử"], workbook["Mã hợp lệ"]
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list" and validation.showErrorMessage
        assert validation.formula1.startswith("'Mã hợp lệ'!")
        source = validation.formula1.split("!", 1)[1].replace("$", "")
        values = [cell.value for row in codes[source] for cell in row]
        lists[str(validation.sqref).split(":")[0]] = values
    # Mã đơn vị (E), Mã khóa (F), Mã dòng chỉ tiêu (G), down to the last row a file may have.
    assert set(lists) == {"E2", "F2", "G2"}
    assert lists["E2"] == ["huyen-uy-binh-son"]
    assert "II.1.1" in lists["F2"] and len(lists["F2"]) == len(set(lists["F2"]))
    assert {"II.1.1-2", "III.3.7-1"} <= set(lists["G2"])
    assert all(
        str(v.sqref).endswith(f"{imports.MAX_ROWS + 1}")
        for v in sheet.data_validations.dataValidation
    )


def test_template_guide_reads_as_written(client, unit_a_user):
    response = client_for(client, unit_a_user).get(reverse("nomination_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    guide = "\n".join(row[0] or "" for row in workbook["Hướng dẫn"].iter_rows(values_only=True))
    assert (
        "6. Chỉ nhập giá trị, không dùng công thức. Tối đa 5.000 dòng, tệp không quá 5 MB." in guide
    )


def test_template_shows_formula_like_names_as_typed_never_as_formulas(client, btc_user):
    from training_plan.models import Organisation

    name = '=HYPERLINK("http://x.invalid","Bấm")'
    Organisation.objects.create(
        code="formula-unit", name=name, kind=Organisation.Kind.UNIT, level="province"
    )
    response = client_for(client, btc_user).get(reverse("nomination_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for row in workbook[imports.CODES_SHEET].iter_rows() for c in row if c.value == name]
    assert len(cells) == 1
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def test_btc_template_lists_every_unit(client, btc_user):
    response = client_for(client, btc_user).get(reverse("nomination_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    flat = {v for values in workbook["Mã hợp lệ"].iter_rows(values_only=True) for v in values}
    assert {"huyen-uy-binh-son", "huyen-uy-son-tinh", "huyen-uy-ly-son"} <= flat


def test_the_downloaded_template_filled_in_imports(client, unit_a_user, people, seats):
    client_for(client, unit_a_user)
    template = client.get(reverse("nomination_import_template")).content
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Danh sách cử"]
    sheet.append(row(1, people[0], "II.1.1", "II.1.1-2"))
    sheet.append(row(2, people[1], "III.1.1", dob="04/03/1982"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = post_upload(client, buffer.getvalue())
    assert [r.errors for r in response.context["rows"]] == [[], []]
    token = response.context["token"]
    response = client.post(reverse("nomination_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Nomination.objects.filter(status=S.DRAFT).count() == 2


def test_btc_imports_for_units_in_the_party_block_only(client, btc_user, plan_2021):
    """BTC enters nominations for every unit in the Party block; State-block files are the
    units' own (SNV reviews them): the preview refuses the row and nothing is saved."""
    young = PersonFactory(
        full_name="Phan Thị Trẻ", date_of_birth=datetime.date(1995, 1, 2), manager_level="so"
    )
    client_for(client, btc_user)
    response = post_upload(
        client,
        workbook_bytes(
            [
                row(1, young, "III.1.1", unit_code="huyen-uy-binh-son"),
                row(2, young, "III.3.7", "III.3.7-1", unit_code="huyen-uy-binh-son"),
            ]
        ),
    )
    errors = [r.errors for r in response.context["rows"]]
    assert errors[0] == []
    assert errors[1] == [
        "Ban Tổ chức Tỉnh ủy chỉ lập, gửi hồ sơ thay đơn vị cho các khóa khối Đảng, Mặt trận, đoàn "
        "thể; hồ sơ khóa khối Nhà nước do đơn vị cử cán bộ lập và Sở Nội vụ thẩm định."
    ]
    assert "token" not in response.context
    assert not Nomination.objects.exists()


def test_a_unit_imports_its_own_people_in_both_blocks(client, unit_a_user, plan_2021):
    AllocationFactory(quota_line=line("III.3.7-1"), unit=unit("huyen-uy-binh-son"), count=1)
    young = PersonFactory(
        full_name="Phan Thị Trẻ", date_of_birth=datetime.date(1995, 1, 2), manager_level="so"
    )
    client_for(client, unit_a_user)
    response = post_upload(
        client,
        workbook_bytes([row(1, young, "III.1.1"), row(2, young, "III.3.7", "III.3.7-1")]),
    )
    assert [r.errors for r in response.context["rows"]] == [[], []]
    client.post(reverse("nomination_import_confirm"), {"token": response.context["token"]})
    assert sorted(Nomination.objects.values_list("course__program__block", flat=True)) == [
        "party",
        "state",
    ]


# Bad files: a clear message, nothing read, nothing changed ----------------------------------


def assert_refused(response, message):
    assert response.status_code == 200
    assert message in page_text(response)
    assert "rows" not in response.context
    assert Nomination.objects.count() == 0


def test_not_an_xlsx(client, unit_a_user):
    client_for(client, unit_a_user)
    assert_refused(
        post_upload(client, b"PK\x03\x04 but not really a zip"),
        "Tệp không phải là tệp Excel .xlsx (có thể là tệp khác được đổi đuôi)",
    )
    assert_refused(
        post_upload(client, b"STT,Ho va ten\n1,Nguyen Van A\n", name="danh-sach.csv"),
        "Chỉ nhận tệp Excel .xlsx theo mẫu tải về từ hệ thống.",
    )


def test_renamed_text_file(client, unit_a_user):
    client_for(client, unit_a_user)
    assert_refused(
        post_upload(client, "Họ và tên\tNgày sinh\nNguyễn Văn A\t01/01/1980\n".encode()),
        "Tệp không phải là tệp Excel .xlsx (có thể là tệp khác được đổi đuôi)",
    )


def test_a_zip_that_is_not_a_workbook(client, unit_a_user):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    assert_refused(
        post_upload(client_for(client, unit_a_user), buffer.getvalue()),
        "Tệp không phải là tệp Excel .xlsx",
    )


@pytest.mark.parametrize(
    "headers, message",
    [
        (["STT", "Họ tên", *HEADERS[2:]], "thiếu cột “Họ và tên”; cột lạ “Họ tên”"),
        (HEADERS[:6], "thiếu cột “Mã dòng chỉ tiêu”, “Thời gian đào tạo (tháng)”"),
        ([HEADERS[1], HEADERS[0], *HEADERS[2:]], "các cột không đúng thứ tự"),
        ([], "thiếu cột “STT”"),
    ],
)
def test_wrong_or_missing_headers(client, unit_a_user, people, headers, message):
    client_for(client, unit_a_user)
    response = post_upload(client, workbook_bytes([row(1, people[0], "III.1.1")], headers))
    assert_refused(response, "Dòng tiêu đề không đúng mẫu: " + message)


def test_more_than_5_mb(client, unit_a_user, people):
    content = workbook_bytes([row(1, people[0], "III.1.1")])
    big = content + b"\0" * (5 * 1024 * 1024 + 1 - len(content))
    assert_refused(
        post_upload(client_for(client, unit_a_user), big),
        "Tệp lớn hơn 5 MB: hãy chia thành nhiều tệp.",
    )


def test_zip_bomb_is_refused_before_openpyxl_opens_it(client, unit_a_user, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024  # small on disk, 60 MB inflated

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open this file")

    monkeypatch.setattr(uploads.openpyxl, "load_workbook", never)
    assert_refused(
        post_upload(client_for(client, unit_a_user), buffer.getvalue()),
        "Tệp Excel khi giải nén vượt quá 50 MB: tệp không hợp lệ hoặc quá lớn.",
    )


def test_more_than_5000_rows(client, unit_a_user, people):
    rows = [row(n, people[0], "III.1.1") for n in range(1, 5002)]
    assert_refused(
        post_upload(client_for(client, unit_a_user), workbook_bytes(rows)),
        "Tệp có hơn 5.000 dòng dữ liệu: hãy chia thành nhiều tệp.",
    )


def test_a_sparse_workbook_is_refused_fast(client, unit_a_user):
    """Dimension A1:XFD1048576 and one value in row 1.048.576: refused without padding the
    million rows in between (this took minutes of CPU and tied up a worker)."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([[1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
                data = data.replace(b'<row r="2"><c r="A2"', b'<row r="1048576"><c r="A1048576"')
            target.writestr(item, data)
    assert b"A1048576" in zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml")
    client_for(client, unit_a_user)
    start = time.monotonic()
    response = post_upload(client, buffer.getvalue())
    assert time.monotonic() - start < 2
    assert_refused(
        response,
        "Trang tính có hơn 6.000 dòng dưới dòng tiêu đề (kể cả dòng trống): hãy xóa các dòng "
        "thừa ở cuối trang tính hoặc chia thành nhiều tệp.",
    )


def test_a_cell_longer_than_1000_characters(client, unit_a_user, people):
    rows = [row(1, people[0], "III.1.1", note="x" * 1001)]
    assert_refused(
        post_upload(client_for(client, unit_a_user), workbook_bytes(rows)),
        "Ô J2 dài 1.001 ký tự, quá 1.000 ký tự cho phép: hãy rút gọn nội dung ô này.",
    )


def test_5000_rows_are_read(people):
    rows = [row(n, people[0], "III.1.1") for n in range(1, 5001)]
    raw = imports.read_upload(upload_file(workbook_bytes(rows)))
    assert len(raw) == 5000


def test_formulas_in_cells(client, unit_a_user, people):
    rows = [row(1, people[0], "III.1.1"), row(2, people[1], "III.1.1", note="=1+1")]
    assert_refused(
        post_upload(client_for(client, unit_a_user), workbook_bytes(rows)),
        "Ô J3 chứa công thức. Chỉ nhận giá trị",
    )


def test_empty_sheet(client, unit_a_user):
    assert_refused(
        post_upload(client_for(client, unit_a_user), workbook_bytes([])),
        "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.",
    )


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def billion_laughs_workbook(people):
    """A real workbook whose first sheet is replaced by the billion-laughs XML."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([row(1, people[0], "III.1.1")])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = BILLION_LAUGHS
            target.writestr(item, data)
    return buffer.getvalue()


def test_billion_laughs_is_refused_cleanly(client, unit_a_user, people):
    assert_refused(
        post_upload(client_for(client, unit_a_user), billion_laughs_workbook(people)),
        "Tệp Excel chứa khai báo XML không được phép (DTD, ENTITY).",
    )


def test_billion_laughs_is_refused_by_openpyxl_with_defusedxml_too(people):
    # Even past our own check, openpyxl parses with defusedxml, which refuses the entities.
    from defusedxml.common import EntitiesForbidden

    with pytest.raises(imports.ImportFileError, match="Không đọc được tệp Excel") as refusal:
        imports.read_rows(uploads.load_workbook(billion_laughs_workbook(people)))
    causes, error = [], refusal.value
    while error is not None:
        causes.append(type(error))
        error = error.__cause__ or error.__context__
    assert EntitiesForbidden in causes


# Rows: every error in Vietnamese, nothing saved while one stands -----------------------------


def test_preview_lists_each_row_error(client, unit_a_user, people, seats):
    sontinh_person = PersonFactory(full_name="Võ Văn Khách", organisation=unit("huyen-uy-son-tinh"))
    NominationFactory(person=people[2], course=line("II.1.1-2").course, quota_line=line("II.1.1-2"))
    theory = PersonFactory(full_name="Phạm Cao Cấp", theory_level="cao_cap")
    rows = [
        row(1, people[0], "II.1.1", "II.1.1-2"),  # fine
        row(2, people[1], "II.9.9"),  # unknown course
        row(3, None, "III.1.1", name="Người Không Có", dob=datetime.date(1990, 1, 1)),
        row(4, people[1], "III.1.1", dob="31/02/1982"),  # bad date
        row(5, people[0], "II.1.1", "II.1.1-2"),  # duplicate of row 2 (Excel row)
        row(6, people[2], "II.1.1", "II.1.1-2"),  # already nominated
        row(7, theory, "II.1.1", "II.1.1-2"),  # rule failed
        row(8, sontinh_person, "III.1.1"),  # another unit's person: unknown here
        row(9, people[1], "II.1.1"),  # several lines, none chosen
        row(10, people[1], "III.1.1", unit_code="huyen-uy-son-tinh"),
        row(11, people[1], "II.4.1", training="hai năm"),
        row(12, people[1], "II.2.1", identity="12345"),
    ]
    response = post_upload(client_for(client, unit_a_user), workbook_bytes(rows))
    errors = {r.number: r.errors for r in response.context["rows"]}
    assert errors[2] == []
    assert errors[3] == [
        "Không có khóa mã “II.9.9” trong kế hoạch năm 2021 (xem trang “Mã hợp lệ”)."
    ]
    assert errors[4] == [
        "Không tìm thấy cán bộ “Người Không Có” sinh ngày 01/01/1990 trong Huyện ủy Bình Sơn. "
        "Kiểm tra họ tên, ngày sinh hoặc ghi số định danh cá nhân."
    ]
    assert errors[5] == [
        "Ngày sinh “31/02/1982” không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/09/1985."
    ]
    assert errors[6] == ["Trùng với dòng 2: cùng cán bộ, cùng khóa xuất hiện hai lần trong tệp."]
    assert errors[7] == [
        "Lê Văn Cường đã có hồ sơ cử đi học khóa “Cao cấp lý luận chính trị” trong kế hoạch này "
        "(trạng thái “Dự thảo”). Mỗi người chỉ có một hồ sơ còn hiệu lực cho một khóa."
    ]
    assert errors[8] == [
        "Không đạt: Chưa có bằng cao cấp hoặc cử nhân lý luận chính trị — Đã có trình độ "
        "lý luận chính trị cao cấp; khóa này dành cho người chưa có (Căn cứ: Công văn "
        "4741-CV/BTCTW ngày 20/05/2013 của Ban Tổ chức Trung ương, mục II.1 của Kế hoạch "
        "(điều kiện đào tạo cao cấp lý luận chính trị))."
    ]
    assert errors[9][0].startswith("Không tìm thấy cán bộ “Võ Văn Khách”")
    assert errors[10] == [
        "Khóa II.1.1 có nhiều dòng chỉ tiêu: ghi một mã (II.1.1-1, II.1.1-2, II.1.1-3, II.1.1-4)."
    ]
    assert (
        errors[11][0]
        == "Mã đơn vị “huyen-uy-son-tinh” không phải đơn vị của bạn (huyen-uy-binh-son)."
    )
    assert errors[12][0] == "Thời gian đào tạo “hai năm” phải là số tháng (số nguyên)."
    assert errors[13] == ["Số định danh cá nhân “12345” phải gồm đúng 12 chữ số."]
    text = page_text(response)
    assert "12 dòng, 11 dòng có lỗi" in text
    assert "Chưa lưu dòng nào" in text
    assert "token" not in response.context
    assert Nomination.objects.count() == 1  # only the one made by the test


def test_quota_exceeded_counts_rows_in_file_order(client, unit_a_user, seats):
    NominationFactory(quota_line=seats.quota_line, status=S.SUBMITTED)
    people = [PersonFactory() for _ in range(3)]
    rows = [row(n, p, "II.1.1", "II.1.1-2") for n, p in enumerate(people, start=1)]
    response = post_upload(client_for(client, unit_a_user), workbook_bytes(rows))
    errors = [r.errors for r in response.context["rows"]]
    assert errors[0] == [] and errors[1] == []
    assert errors[2] == [
        "Vượt chỉ tiêu: Huyện ủy Bình Sơn được phân bổ 3 chỉ tiêu trên dòng “II.1.1-2 Học viện "
        "Chính trị khu vực III, tập trung”, đã dùng hết (kể cả các dòng phía trên trong tệp)."
    ]


def test_no_allocation_is_a_row_error(client, unit_a_user, people):
    response = post_upload(
        client_for(client, unit_a_user), workbook_bytes([row(1, people[0], "II.1.1", "3")])
    )
    assert response.context["rows"][0].errors == [
        "Huyện ủy Bình Sơn chưa được phân bổ chỉ tiêu trên dòng “II.1.1-3 Học viện Chính trị "
        "khu vực III, không tập trung”."
    ]


def test_warning_rows_can_be_saved(client, unit_a_user):
    old = PersonFactory(date_of_birth=datetime.date(1975, 1, 1))
    rows = [row(1, old, "II.4.1", training=24, commitment=48)]
    client_for(client, unit_a_user)
    response = post_upload(client, workbook_bytes(rows))
    assert response.context["rows"][0].errors == []
    assert response.context["rows"][0].warnings == [
        "Cảnh báo: Không quá 40 tuổi tính từ thời điểm được cử đi đào tạo sau đại học lần đầu "
        "(không áp dụng khi không phải lần đầu: người thẩm định ghi lý do chấp nhận) — 46 tuổi "
        "trong năm 2021; yêu cầu không quá 40 tuổi (Căn cứ: Nghị định 101/2017/NĐ-CP ngày "
        "01/09/2017 của Chính phủ, Điều 6 khoản 2 điểm b)."
    ]
    client.post(reverse("nomination_import_confirm"), {"token": response.context["token"]})
    nomination = Nomination.objects.get()
    assert (nomination.training_months, nomination.commitment_months) == (24, 48)
    assert nomination.eligibility_flag == "warn"


def test_identity_number_finds_the_person_and_keeps_leading_zeros(client, btc_user, seats):
    person = PersonFactory(full_name="Huỳnh Thị Mai", identity_number="051182000123")
    twin = PersonFactory(full_name="Huỳnh Thị Mai", identity_number="051182000999")
    rows = [
        row(1, person, "III.1.1", identity=51182000123, unit_code="huyen-uy-binh-son"),
        row(2, twin, "III.1.1", identity="051182000999", name="Huynh Thi Mai"),
        row(3, twin, "II.2.1", identity="051182000999", name="Lê Văn Khác"),
        row(4, twin, "II.2.1", name="Huỳnh Thị Mai"),
    ]
    response = post_upload(client_for(client, btc_user), workbook_bytes(rows))
    result = response.context["rows"]
    assert (result[0].person, result[1].person) == (person, twin)
    assert result[0].errors == result[1].errors == []
    assert result[2].errors == [
        "Họ tên “Lê Văn Khác” không khớp với hồ sơ của số định danh 051182000999 (Huỳnh Thị Mai)."
    ]
    assert result[3].errors == [
        "Có 2 cán bộ cùng họ tên “Huỳnh Thị Mai” và ngày sinh: ghi số định danh cá nhân để "
        "phân biệt."
    ]


def test_confirm_saves_every_row_and_can_submit(client, unit_a_user, people, seats):
    rows = [row(n, p, "II.1.1", "II.1.1-2") for n, p in enumerate(people, start=1)]
    client_for(client, unit_a_user)
    response = post_upload(client, workbook_bytes(rows), submit_now=True)
    assert "Xác nhận lưu 3 hồ sơ và gửi duyệt" in page_text(response)
    response = client.post(
        reverse("nomination_import_confirm"), {"token": response.context["token"]}
    )
    assert response["Location"] == reverse("nomination_list") + "?year=2021"
    assert Nomination.objects.filter(status=S.SUBMITTED, quota_line=seats.quota_line).count() == 3
    # The stored preview is used once.
    again = client.post(reverse("nomination_import_confirm"), {"token": "x"})
    assert again["Location"] == reverse("nomination_import")
    assert Nomination.objects.count() == 3


def test_confirm_checks_again_and_saves_nothing_when_seats_went_meanwhile(
    client, unit_a_user, people, seats
):
    rows = [row(n, p, "II.1.1", "II.1.1-2") for n, p in enumerate(people, start=1)]
    client_for(client, unit_a_user)
    response = post_upload(client, workbook_bytes(rows))
    token = response.context["token"]
    NominationFactory(quota_line=seats.quota_line, status=S.SUBMITTED)  # another request
    response = client.post(reverse("nomination_import_confirm"), {"token": token})
    assert response.status_code == 200
    text = page_text(response)
    assert "Không lưu dòng nào: 1 dòng không hợp lệ khi kiểm tra lại lúc lưu" in text
    assert "Vượt chỉ tiêu" in text
    assert Nomination.objects.count() == 1


def test_confirm_with_a_wrong_token_saves_nothing(client, unit_a_user, people):
    client_for(client, unit_a_user)
    post_upload(client, workbook_bytes([row(1, people[0], "III.1.1")]))
    response = client.post(reverse("nomination_import_confirm"), {"token": "forged"})
    assert response.status_code == 302
    assert not Nomination.objects.exists()


def test_import_rescopes_stored_rows_to_the_user(client, unit_a_user, unit_b_user, people):
    client_for(client, unit_a_user)
    response = post_upload(client, workbook_bytes([row(1, people[0], "III.1.1")]))
    session = client.session
    stored = session["nomination_import"]
    # Replaying Bình Sơn's stored rows as Sơn Tịnh finds nobody to nominate.
    plan = response.context["plan"]
    rows = imports.rows_from_session(stored["rows"], user=unit_b_user, plan=plan)
    with pytest.raises(bulk.ImportRefused):
        bulk.nomination_import(actor=unit_b_user, plan=plan, rows=rows)
    assert not Nomination.objects.exists()


def test_import_takes_one_lock_with_every_key(unit_a_user, people, seats, monkeypatch):
    second = AllocationFactory(quota_line=line("II.1.1-3"), unit=seats.unit, count=2)
    calls = []
    monkeypatch.setattr(bulk, "lock", lambda *keys: calls.append(sorted(keys)))
    raw = imports.read_upload(
        upload_file(
            workbook_bytes(
                [
                    row(1, people[0], "II.1.1", "II.1.1-2"),
                    row(2, people[1], "II.1.1", "II.1.1-3"),
                    row(3, people[2], "III.1.1"),
                ]
            )
        )
    )
    plan = seats.quota_line.course.program.section.plan
    rows = imports.resolve_rows(raw, user=unit_a_user, plan=plan)
    created = bulk.nomination_import(actor=unit_a_user, plan=plan, rows=rows, submit=True)
    assert len(created) == 3
    assert calls == [
        sorted(
            [
                f"quotas.quotaline:{seats.quota_line_id}",
                f"quotas.allocation:{seats.pk}",
                f"quotas.quotaline:{second.quota_line_id}",
                f"quotas.allocation:{second.pk}",
            ]
        )
    ]


def test_leadership_and_snv_cannot_import(client, leader_user, snv_user, people):
    for user in (leader_user, snv_user):
        client_for(client, user)
        assert (
            post_upload(client, workbook_bytes([row(1, people[0], "III.1.1")])).status_code == 403
        )
    assert not Nomination.objects.exists()


def resolved(user, people, seats, codes):
    """Rows of a file read and resolved as the upload does, ready for `nomination_import`."""
    raw = imports.read_upload(
        upload_file(
            workbook_bytes(
                [row(n, p, *c) for n, (p, c) in enumerate(zip(people, codes, strict=True), 1)]
            )
        )
    )
    plan = seats.quota_line.course.program.section.plan
    return plan, imports.resolve_rows(raw, user=user, plan=plan)


def test_import_records_history_and_every_move_like_the_form(unit_a_user, people, seats):
    plan, rows = resolved(unit_a_user, people, seats, [("II.1.1", "II.1.1-2")] * 3)
    created = bulk.nomination_import(actor=unit_a_user, plan=plan, rows=rows, submit=True)
    assert {n.pk for n in created} == set(Nomination.objects.values_list("pk", flat=True))
    for nomination in Nomination.objects.all():
        moves = list(nomination.transitions.values_list("from_status", "to_status", "actor"))
        assert moves == [("", S.DRAFT, unit_a_user.pk), (S.DRAFT, S.SUBMITTED, unit_a_user.pk)]
        history = nomination.history.get()
        assert (history.history_type, history.history_user) == ("+", unit_a_user)
        assert nomination.status == S.SUBMITTED
        assert nomination.created_by == unit_a_user
        # The verdicts of the check are kept.
        assert nomination.eligibility_flag == "ok"
        assert [v["code"] for v in nomination.eligibility_details] == ["chua-co-cao-cap"]


def test_a_duplicate_inserted_meanwhile_saves_nothing(unit_a_user, people, seats, monkeypatch):
    """A request without seat locks (a course by registration) nominates one of the file's
    people between the check and the insert: the unique constraint refuses the whole file."""
    plan, rows = resolved(unit_a_user, people, seats, [("III.1.1",)] * 3)
    real_check = imports.check_rows

    def check_then_race(rows, *, plan):
        real_check(rows, plan=plan)
        NominationFactory(person=rows[1].person, course=rows[1].course, status=S.DRAFT)
        return rows

    monkeypatch.setattr(imports, "check_rows", check_then_race)
    with pytest.raises(bulk.NominationRefused, match="vừa được cử đi học cùng khóa"):
        bulk.nomination_import(actor=unit_a_user, plan=plan, rows=rows)
    assert not Nomination.objects.exists()


# After a refused check: the user's own file back, with a “Lỗi” column and the bad cells red ---


RED = "FFC7CE"


def red(cell):
    return cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb.endswith(RED)


def test_a_refused_check_offers_the_users_file_with_its_errors(
    client, unit_a_user, unit_b_user, people, seats
):
    from django.test import Client

    from training_plan.models import DownloadLog

    rows = [
        row(1, people[0], "II.1.1", "II.1.1-2"),  # fine
        row(2, people[1], "II.9.9"),  # unknown course
        row(3, people[1], "III.1.1", dob="31/02/1982", training="hai năm"),  # two bad cells
    ]
    content = workbook_bytes(rows)
    # The user's own extra column stays where it is; “Lỗi” comes after it.
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook[SHEET_NAME]["K1"] = "Ghi chú riêng"
    buffer = io.BytesIO()
    workbook.save(buffer)
    client_for(client, unit_a_user)
    response = post_upload(client, buffer.getvalue(), name="danh sách quý 3.xlsx")
    url = response.context["error_copy_url"]
    assert "Tải tệp của bạn kèm cột lỗi" in page_text(response)
    assert f'href="{url}"' in response.content.decode()

    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "kem-cot-loi.xlsx" in download["Content-Disposition"]
    copy = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    sheet = copy[SHEET_NAME]
    assert [c.value for c in sheet[1]][:12] == [*HEADERS, "Ghi chú riêng", "Lỗi"]
    assert sheet["L2"].value is None
    assert sheet["L3"].value == (
        "Không có khóa mã “II.9.9” trong kế hoạch năm 2021 (xem trang “Mã hợp lệ”)."
    )
    assert sheet["L4"].value.split("\n") == [
        "Ngày sinh “31/02/1982” không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 05/09/1985.",
        "Thời gian đào tạo “hai năm” phải là số tháng (số nguyên).",
    ]
    assert sheet["B2"].value == people[0].full_name  # the user's values are kept
    bad = {cell.coordinate for cells in sheet.iter_rows(max_col=11) for cell in cells if red(cell)}
    assert bad == {"F3", "C4", "H4"}
    log = DownloadLog.objects.get(user=unit_a_user)
    assert log.filename == "danh sách quý 3-kem-cot-loi.xlsx" and log.rows == 3
    assert log.filters["plan"] == 2021

    # Another user (another session) never gets it, nor does a wrong token.
    other = Client()
    other.force_login(unit_b_user)
    assert other.get(url).status_code == 404
    assert client.get(url.replace(url.split("/")[-1], "khac.xlsx")).status_code == 404

    # Uploaded again, the copy's “Lỗi” column and red cells are those of the new check.
    fixed = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url).streaming_content)))
    fixed[SHEET_NAME]["F3"] = "III.1.1"
    buffer = io.BytesIO()
    fixed.save(buffer)
    again = post_upload(client, buffer.getvalue())
    assert client.get(url).status_code == 404  # the next upload replaces the kept file
    second = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(again.context["error_copy_url"]).streaming_content))
    )[SHEET_NAME]
    assert [c.value for c in second[1]].count("Lỗi") == 1
    assert second["L3"].value is None and not red(second["F3"])
    assert red(second["C4"]) and second["L4"].value.startswith("Ngày sinh")


def test_a_file_without_error_keeps_no_copy(client, unit_a_user, people, seats):
    client_for(client, unit_a_user)
    response = post_upload(client, workbook_bytes([row(1, people[0], "II.1.1", "II.1.1-2")]))
    assert response.context["token"] and "error_copy_url" not in response.context
    assert "nomination_import_errors" not in client.session
