"""Safe reading of uploaded workbooks (training_plan/uploads.py): hostile files built here, each
refused with a Vietnamese message in well under 2 s and without building what it declares."""

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from training_plan import uploads

HEADERS = ["STT", "Họ và tên", "Ghi chú"]
SHEET = "Danh sách"
SHEET_XML = "xl/worksheets/sheet1.xml"


def workbook(rows=(), headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def patched(content, change, part=SHEET_XML):
    """The workbook with one part's XML rewritten by `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == part:
                data = change(data)
            target.writestr(item, data)
    return buffer.getvalue()


def more_rows(rows):
    """Rows added at the end of the sheet, its declared dimension dropped."""

    def change(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b"", xml)
        return xml.replace(b"</sheetData>", rows + b"</sheetData>")

    return change


def cells_in_row_2(cells):
    return more_rows(b'<row r="2">' + cells + b"</row>")


def read(content, seconds=uploads.READ_SECONDS):
    upload = SimpleUploadedFile("danh-sach.xlsx", content)
    return uploads.read_upload(upload, HEADERS, sheet_name=SHEET, max_rows=5000, seconds=seconds)


def refused(content, message, **kwargs):
    start = time.monotonic()
    with pytest.raises(uploads.UploadError) as refusal:
        read(content, **kwargs)
    elapsed = time.monotonic() - start
    assert message in refusal.value.message
    assert elapsed < 2, f"refused after {elapsed:.1f} s"
    return refusal.value.message


def test_a_good_file_is_read():
    rows = read(workbook([[1, "Nguyễn Văn An", None], [2, "Trần Thị Bình", "x" * 1000]]))
    assert [(row.number, row.values[1]) for row in rows] == [
        (2, "Nguyễn Văn An"),
        (3, "Trần Thị Bình"),
    ]


def sparse_workbook():
    """1,8 KB: dimension A1:XFD1048576, a header and one value in row 1.048.576."""

    def far(xml):
        xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)
        return re.sub(rb'r="([A-Z]*)2"', rb'r="\g<1>1048576"', xml)

    return patched(workbook([["x"]]), far)


def test_a_sparse_sheet_to_the_last_excel_row_is_refused_fast():
    content = sparse_workbook()
    assert len(content) < 8 * 1024
    tracemalloc.start()
    try:
        refused(
            content,
            "Trang tính có hơn 6.000 dòng dưới dòng tiêu đề (kể cả dòng trống): hãy xóa các "
            "dòng thừa ở cuối trang tính hoặc chia thành nhiều tệp.",
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_blank_rows_count_toward_the_bound():
    blank = b"".join(b'<row r="%d"><c r="B%d" s="0"/></row>' % (n, n) for n in range(2, 6004))
    content = patched(workbook(), more_rows(blank))
    refused(content, "Trang tính có hơn 6.000 dòng dưới dòng tiêu đề (kể cả dòng trống)")


def test_blank_rows_within_the_bound_are_skipped():
    rows = [[1, "Nguyễn Văn An"], *[[None]] * 900, [2, "Trần Thị Bình"]]
    assert [row.number for row in read(workbook(rows))] == [2, 903]


def test_a_row_wider_than_excel_is_refused_before_openpyxl_reads_it():
    content = patched(workbook(), cells_in_row_2(b"<c><v>1</v></c>" * 20_000))
    refused(content, "Một dòng của tệp có hơn 16.384 ô: tệp không hợp lệ.")


def test_a_sheet_with_too_many_cells_is_refused():
    row = b"<c><v>1</v></c>" * 250
    rows = b"".join(b'<row r="%d">%s</row>' % (n, row) for n in range(2, 900))
    content = patched(workbook(), more_rows(rows))
    refused(content, "Một trang tính có hơn 200.000 ô: hãy chỉ giữ các cột của mẫu")


def test_a_sheet_hidden_under_another_name_is_scanned_too():
    content = patched(workbook(), cells_in_row_2(b"<c><v>1</v></c>" * 20_000))
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            name = item.filename
            if name == SHEET_XML:
                name = "xl/worksheets/sheet1.bin"
            data = data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.bin")
            target.writestr(name, data)
    refused(buffer.getvalue(), "Một dòng của tệp có hơn 16.384 ô")


def with_shared_strings(strings):
    """A workbook whose cell C2 is the first of `strings` (XML <si> items), as Excel saves."""

    def shared(xml):
        return re.sub(rb'<c r="C2" t="inlineStr">.*?</c>', b'<c r="C2" t="s"><v>0</v></c>', xml)

    content = patched(workbook([[1, "Nguyễn Văn An", "ô C2"]]), shared)
    parts = {
        "[Content_Types].xml": lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
            b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
            b"</Relationships>",
        ),
    }
    for part, change in parts.items():
        content = patched(content, change, part=part)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + strings
            + b"</sst>",
        )
    return buffer.getvalue()


def test_shared_strings_are_read():
    rows = read(with_shared_strings("<si><t>Ghi chú chung</t></si>".encode()))
    assert rows[0].values == [1, "Nguyễn Văn An", "Ghi chú chung"]


def test_a_part_too_big_unzipped_is_refused_from_the_zip_directory():
    # 1,7 million shared strings: 40 MB of XML that deflates to 4 MB.
    content = with_shared_strings(b"<si><t>%d</t></si>" % 1234567 * 1_700_000)
    assert len(content) < uploads.MAX_UPLOAD_BYTES
    refused(content, "Một thành phần của tệp Excel khi giải nén vượt quá 16 MB")


def test_too_many_shared_strings_are_refused():
    content = with_shared_strings(b"<si><t>a</t></si>" * 300_000)
    refused(content, "Tệp Excel có hơn 500.000 thành phần")


@pytest.mark.parametrize("shared", [False, True])
def test_a_huge_cell_is_refused_before_it_is_read(shared):
    huge = b"x" * 15_000_000  # under the size of one part, far over a cell
    if shared:
        content = with_shared_strings(b"<si><t>" + huge + b"</t></si>")
    else:
        content = patched(
            workbook([[1, "Nguyễn Văn An", "HUGE"]]), lambda xml: xml.replace(b"HUGE", huge)
        )
    assert len(content) < 100 * 1024
    tracemalloc.start()
    try:
        refused(content, "Tệp Excel có một ô dài hơn 32.767 ký tự (giới hạn của Excel)")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024


def test_a_long_cell_is_refused_naming_the_cell_without_echoing_it():
    message = refused(
        workbook([[1, "Nguyễn Văn An", None], [2, "Trần Thị Bình", "x" * 1001]]),
        "Ô C3 dài 1.001 ký tự, quá 1.000 ký tự cho phép: hãy rút gọn nội dung ô này.",
    )
    assert "xxx" not in message


def test_an_unknown_header_is_echoed_shortened():
    message = refused(
        workbook([[1, "Nguyễn Văn An"]], headers=["STT", "y" * 900, "Ghi chú"]),
        "Dòng tiêu đề không đúng mẫu: thiếu cột “Họ và tên”; cột lạ “yyy",
    )
    assert len(message) < 300


def test_reading_is_bounded_in_time():
    content = workbook([[n, "Nguyễn Văn An", None] for n in range(1, 2000)])
    refused(
        content,
        "Đọc tệp Excel mất quá nhiều thời gian: tệp quá lớn hoặc có cấu trúc bất thường.",
        seconds=0,
    )


def test_excerpt():
    assert uploads.excerpt("ngắn") == "ngắn"
    assert uploads.excerpt("a" * 500) == "a" * 99 + "…"
