"""The streaming XLSX writer (training_plan/xlsx.py) read back with openpyxl: every kind of value
the exporters write, styles, text that must stay literal, and the package's parts."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone
from lxml import etree
from openpyxl.utils.datetime import to_excel

from reports import exports
from training_plan import xlsx

HOSTILE = [
    "<script>alert(1)</script> \"Quote\" & 'apostrophe'",
    "=1+1",
    "\r@SUM(1)",
    "\t=cmd|' /C calc'!A0",
    "-2+3",
    "  leading and trailing spaces  ",
    "line one\nline two",
    "Tiếng Việt có dấu: Nguyễn Thị Ánh Tuyết",
]


class SampleExporter(exports.Exporter):
    sheet_name = "Mẫu 'thử' với một tên dài hơn ba mươi mốt ký tự"
    columns = [
        exports.Column("Văn bản", 30),
        exports.Column("Số", 12, exports.INTEGER),
        exports.Column("Tiền", 14, exports.MONEY),
        exports.Column("Ngày", 12, exports.DATE),
        exports.Column("Năm", 7, exports.YEAR),
        exports.Column("Có/không", 8),
    ]

    def rows(self):
        for index, text in enumerate(HOSTILE):
            yield [text, index, Decimal("1234567.00"), datetime.date(2021, 3, 1), 2021, True]
        yield ["", None, None, None, None, False]
        aware = timezone.make_aware(datetime.datetime(2021, 12, 31, 23, 30))
        yield ["giờ địa phương", 0, 0, aware, 2022, None]
        yield exports.Row(
            [
                "Tổng",
                exports.Formula("=SUM(B2:B9)", exports.INTEGER, value=TOTAL),
                10**12,
                None,
                None,
                None,
            ],
            bold=True,
        )


# What =SUM(B2:B9) computes: the row indexes in B2… (as many rows as HOSTILE, at most 8).
TOTAL = sum(range(min(len(HOSTILE), 8)))


@pytest.fixture
def content():
    with exports.write_xlsx([SampleExporter(), SampleExporter()]) as handle:
        return handle.read()


def test_column_letters():
    assert [xlsx.column_letter(i) for i in (1, 2, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
        "XFD",
    ]


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(1900, 1, 1),
        datetime.date(1900, 2, 28),
        datetime.date(1900, 3, 1),
        datetime.date(1965, 7, 9),
        datetime.date(2025, 12, 31),
        datetime.datetime(2021, 3, 1, 6, 0),
        datetime.datetime(1900, 2, 1, 12, 0),
    ],
)
def test_dates_are_excel_serials_as_openpyxl_computes_them(value):
    assert xlsx.excel_serial(value) == pytest.approx(to_excel(value))


def test_escape_text():
    assert xlsx.escape_text('a & <b> "c"') == 'a &amp; &lt;b&gt; "c"'
    assert xlsx.escape_text("x\ry") == "x&#13;y"
    assert xlsx.escape_text("bell\x07 and nul\x00 gone\tkept\n") == "bell and nul gone\tkept\n"
    for text in ["Nguyễn Văn A", "a&b", "<", "\r", "\x01"]:
        assert bool(xlsx.NEEDS_ESCAPE.search(text)) == (xlsx.escape_text(text) != text)


def test_values_read_back_exactly(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    texts = [row[0] for row in rows[: len(HOSTILE)]]
    assert [cell.value for cell in texts] == HOSTILE
    for cell in texts:
        assert cell.data_type == "s", cell.value
        assert bool(cell.quotePrefix) == xlsx.looks_like_formula(cell.value), cell.value
    first = rows[0]
    assert first[1].value == 0 and first[1].number_format == "#,##0"
    assert first[2].value == 1234567 and first[2].number_format == "#,##0"
    assert first[3].value == datetime.datetime(2021, 3, 1)
    assert first[3].number_format == "dd/mm/yyyy"
    assert first[4].value == 2021 and first[4].number_format == "General"
    assert first[5].value == "Có"
    empty = rows[len(HOSTILE)]
    assert [cell.value for cell in empty] == [None] * 6
    local = rows[len(HOSTILE) + 1]
    assert local[3].value == datetime.datetime(2021, 12, 31, 23, 30)  # local time, naive
    total = rows[-1]
    assert total[0].value == "Tổng" and total[0].font.bold
    assert total[1].data_type == "f" and total[1].value == "=SUM(B2:B9)"
    assert total[1].font.bold and total[1].number_format == "#,##0"
    assert total[2].value == 10**12 and total[2].font.bold
    assert all(cell.font.bold for cell in total)  # empty cells of a bold row are bold too
    assert not rows[0][0].font.bold


def test_sheet_names_are_cut_to_31_characters_and_kept_apart(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Mẫu 'thử' với một tên dài hơn b",
        "Mẫu 'thử' với một tên dài h (2)",
    ]
    book = xlsx.Workbook(io.BytesIO())
    titles = [book.add_sheet(name, [10]).title for name in ["'A[1]:B*?/\\'", "a1b", "A1B", ""]]
    book.close()
    assert titles == ["A1B", "a1b (2)", "A1B (3)", "Sheet"]


def test_sheet_layout(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        assert [cell.value for cell in sheet[1]] == [c.header for c in SampleExporter.columns]
        header = sheet["A1"]
        assert header.font.bold and header.fill.fgColor.rgb == xlsx.HEADER_FILL
        assert header.alignment.wrap_text
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:F{sheet.max_row}"
        assert sheet.column_dimensions["A"].width == 30
        assert sheet.column_dimensions["D"].width == 12


def test_package_parts_are_well_formed_xml(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        for required in [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet2.xml",
        ]:
            assert required in names
        for name in names:
            etree.fromstring(archive.read(name))  # raises on malformed XML
        workbook_xml = archive.read("xl/workbook.xml").decode()
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    # The filter's hidden name, with the sheet name quoted (its apostrophe doubled).
    assert "_xlnm._FilterDatabase" in workbook_xml and "&apos;&apos;thử&apos;&apos;" not in (
        workbook_xml
    )
    assert "'Mẫu ''thử''" in workbook_xml
    assert "<script>" not in sheet_xml and "&lt;script&gt;" in sheet_xml
    # the exporter's own formula, its value stored for readers that do not calculate …
    assert f"<f>SUM(B2:B9)</f><v>{TOTAL}</v>" in sheet_xml
    assert sheet_xml.count("<f>") == 1  # … and no other


def test_a_formula_without_its_value_is_refused():
    class Bare(exports.Exporter):
        sheet_name = "x"
        columns = [exports.Column("a")]

        def rows(self):
            yield [exports.Formula("=1+1")]

    with pytest.raises(TypeError, match="without its computed value"):
        exports.write_xlsx([Bare()])


def test_every_sheet_prints_fit_to_width_with_titles_and_page_numbers(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    workbook_xml = archive.read("xl/workbook.xml").decode()
    for number in (1, 2):
        sheet_xml = archive.read(f"xl/worksheets/sheet{number}.xml").decode()
        assert '<pageSetUpPr fitToPage="1"/>' in sheet_xml
        assert 'paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"' in sheet_xml
        assert "<oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter>" in sheet_xml
        assert f'<definedName name="_xlnm.Print_Titles" localSheetId="{number - 1}">' in (
            workbook_xml
        )
    # openpyxl reads the same set-up back.
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_options.gridLines


def test_unknown_value_types_are_refused():
    class Bad(exports.Exporter):
        sheet_name = "x"
        columns = [exports.Column("a")]

        def rows(self):
            yield [1 + 2j]

    with pytest.raises(TypeError):
        exports.write_xlsx([Bad()])


def test_a_rate_is_written_as_a_number_with_one_decimal():
    class Rates(exports.Exporter):
        sheet_name = "x"
        columns = [exports.Column("Tỉ lệ", 10, exports.PERCENT)]

        def rows(self):
            yield [0.4]

    with exports.write_xlsx([Rates()]) as handle:
        sheet = openpyxl.load_workbook(handle).worksheets[0]
    assert sheet["A2"].value == 0.4 and sheet["A2"].number_format == "0.0"
