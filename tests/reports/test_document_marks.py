"""What a reviewing secretary sent back (issue 14), each read from the produced file: the
appendix adds up to the plan whoever enrolled, the date line names the year, the blank number
keeps its non-breaking spaces, no internal word is printed, III.3's quantity is the source's,
margins and page numbers of the landscape pages, the Word file's own marks, and formula cells
that carry their value."""

import io
import re
import subprocess
import tempfile
import zipfile

import docx as python_docx
import openpyxl
import pytest

from courses.models import TrainingClass
from reports import documents, exports, progress
from tests import fixture_2021
from tests.factories import NominationFactory, enrol_directly
from tests.training_plan.pdf_helpers import docx_text, pdf_pages, pdf_sizes, pdf_text

pytestmark = pytest.mark.django_db

NBSP_BLANK = "\u00a0" * 6
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="module")
def rendered(django_db_blocker, django_db_setup):
    """The plan PDF, appendix PDF and Word file of the fixture plan, rendered once, after 8
    learners enrolled in a Trung cấp class of the plan (as the demo enrols them)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            training_class = TrainingClass.objects.filter(
                course=fixture_2021.course("II.3.1")
            ).first()
            nominations = NominationFactory.create_batch(8, course=training_class.course)
            enrol_directly(training_class, nominations)
            files = {
                "plan.pdf": documents.plan_pdf(2021),
                "appendix.pdf": documents.appendix_pdf(2021),
                "plan.docx": documents.plan_docx(2021),
            }
            transaction.set_rollback(True)
    return files


def block_figures(text):
    """The learners of “Cộng <block>” and “Tổng cộng” rows, in order."""
    return re.findall(r"(?:Cộng Khối [^0-9]+?|Tổng cộng) ([\d.]+) ", text)


def test_appendix_subtotals_equal_the_plan_and_the_results_report(rendered, plan_2021):
    expected = ["605", "1.410", "2.015"]
    assert block_figures(pdf_text(rendered["appendix.pdf"])) == expected
    assert block_figures(pdf_text(rendered["plan.pdf"])) == expected
    assert block_figures(docx_text(rendered["plan.docx"])) == expected
    report = progress.plan_progress(plan_2021)
    assert [row.planned for row in report.blocks] == [605, 1410]
    assert report.total.planned == 2015


def test_workbook_appendix_subtotals_and_stored_formula_values(plan_2021):
    training_class = TrainingClass.objects.filter(course=fixture_2021.course("II.3.1")).first()
    enrol_directly(training_class, NominationFactory.create_batch(8, course=training_class.course))
    with exports.write_xlsx([exports.AppendixExporter(plan_2021)]) as handle:
        content = handle.read()
    # data_only: what Excel's Protected View and any reader that does not calculate shows.
    sheet = openpyxl.load_workbook(io.BytesIO(content), data_only=True).worksheets[0]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2) if row[1].value}
    assert rows["Cộng Khối Đảng, Mặt trận, đoàn thể"][5].value == 605
    assert rows["Cộng Khối Nhà nước"][5].value == 1410
    assert rows["Tổng cộng"][5].value == 2015
    assert rows["Cộng Khối Đảng, Mặt trận, đoàn thể"][10].value == 7_237_406_000
    assert rows["Tổng cộng"][10].value == 11_147_406_000
    assert rows["Tổng cộng"][11].value == 0
    formulas = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    formula_cells = [c for row in formulas.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells
    for cell in formula_cells:
        assert sheet[cell.coordinate].value is not None, cell.coordinate


def test_date_line_names_the_plan_year(rendered):
    first_page = pdf_pages(rendered["plan.pdf"])[0]
    assert "Quảng Ngãi, ngày … tháng … năm 2021" in first_page
    assert "năm …" not in first_page
    assert "Quảng Ngãi, ngày … tháng … năm 2021" in docx_text(rendered["plan.docx"])


def layout_text(content, first=None, last=None):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        pages = ["-f", str(first), "-l", str(last)] if first else []
        return subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", *pages, handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()


def test_appendix_reference_keeps_the_blank_number(rendered):
    # The six non-breaking spaces print as a gap before “-KH/TU”, never glued to “số”.
    assert re.search(r"Kèm theo Kế hoạch số {4,}-KH/TU", layout_text(rendered["appendix.pdf"]))
    document_xml = zipfile.ZipFile(io.BytesIO(rendered["plan.docx"])).read("word/document.xml")
    assert f"Kèm theo Kế hoạch số {NBSP_BLANK}-KH/TU".encode() in document_xml
    assert f"Số {NBSP_BLANK}-KH/TU".encode() in document_xml


def test_no_internal_word_printed(rendered):
    for name in ("plan.pdf", "appendix.pdf"):
        assert "Khớp" not in pdf_text(rendered[name]), name
    text = docx_text(rendered["plan.docx"])
    assert "Khớp" not in text
    # The Word appendix in the PDF's words.
    assert "Dự kiến theo mục IV" not in text
    assert "Số học viên (dự kiến)" in text and "Minh họa (*)" in text


def test_workbook_quantity_column_is_the_source_wording(plan_2021):
    with exports.write_xlsx([exports.ProgramsExporter(plan_2021)]) as handle:
        sheet = openpyxl.load_workbook(handle).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = header.index("Số lượng (nguyên văn)")
    by_section = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        by_section.setdefault(row[0], []).append(row[column])
    assert by_section["III.3"] == [
        f"Số lượng bồi dưỡng khoảng {figure} đồng chí"
        for figure in (50, 60, 120, 120, 240, 720, 100)
    ]
    assert "1.410" not in by_section["III.3"]
    assert by_section["II.3"] == ["Dự kiến 460 học viên và theo nhu cầu của địa phương"]


def words_with_boxes(content, page):
    """(text, yMin, yMax) of every word of a page, in points from the top (pdftotext -bbox)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        html = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), handle.name, "-"],
            check=True,
            capture_output=True,
        ).stdout.decode()
    return [
        (text, float(y_min), float(y_max))
        for y_min, y_max, text in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]


def test_landscape_appendix_margins_and_page_number(rendered):
    """Hướng dẫn 36-HD/VPTW: margins top and bottom 20–25 mm; the page number centred at the
    top, here about 10 mm from the paper's edge (not 5,9 mm as before)."""
    pdf = rendered["plan.pdf"]
    sizes = pdf_sizes(pdf)
    landscape = [number for number, (w, h) in enumerate(sizes, start=1) if w > h]
    assert len(landscape) >= 2
    for page in landscape[1:]:  # the appendix's own first page has a number too
        height = sizes[page - 1][1]
        words = words_with_boxes(pdf, page)
        number = [w for w in words if w[0] == str(page)]
        assert number, page
        assert number[0][1] >= 10 * MM - 0.5, number  # ≥ 10 mm from the top edge
        text = [w for w in words if w is not number[0]]
        assert min(w[1] for w in text) >= 20 * MM - 1  # the text block starts 20 mm down
        assert max(w[2] for w in text) <= height - 20 * MM + 1  # and ends 20 mm above the foot


def test_word_file_marks(rendered):
    content = rendered["plan.docx"]
    document = python_docx.Document(io.BytesIO(content))
    properties = document.core_properties
    assert properties.title == "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2021"
    assert properties.author == "Ban Thường vụ Tỉnh ủy"
    assert properties.subject and "python-docx" not in (properties.last_modified_by or "")
    assert properties.created.year >= 2025 and properties.modified.year >= 2025
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert not [name for name in names if "thumbnail" in name]
    # “Số … -KH/TU” level with the date: the same row of the borderless heading table.
    heading = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in heading.rows]
    assert [NBSP_BLANK in rows[2][0], rows[2][1]] == [True, "Quảng Ngãi, ngày … tháng … năm 2021"]
    # The appendix table: the PDF's proportions, its header row repeated on every page.
    appendix = document.tables[-1]
    xml = appendix._element.xml
    assert "<w:tblHeader/>" in xml and 'w:type="fixed"' in xml
    widths = [column.width for column in appendix.columns]
    shares = [round(100 * width / sum(widths), 1) for width in widths]
    assert shares == [share for _header, share in documents.APPENDIX_COLUMNS]
    # “Nơi nhận:” as 36-HD/VPTW and as the PDF: 14 pt, upright, underlined.
    closing = document.tables[-2]
    label = closing.rows[0].cells[0].paragraphs[0].runs[0]
    assert label.text == "Nơi nhận:" and label.underline and not label.italic
    assert label.font.size.pt == 14
    assert closing.rows[0].cells[0].paragraphs[1].runs[0].font.size.pt == 12
