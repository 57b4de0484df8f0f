"""The plan as an official document (Hướng dẫn 36-HD/VPTW): PDF by WeasyPrint from a template,
and the same content as an editable Word file. Every figure comes from the data."""

import datetime
import hashlib
import io
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from budget.selectors import appendix_for_plan
from quotas import selectors
from training_plan.models import RenderedDocument
from training_plan.text import format_number, money_in_words

BLANK_NUMBER = "\u00a0" * 6  # “Số      -KH/TU” while the plan has no number
DOTS = "…"


@dataclass
class Line:
    """One line of a program: “- <b>Cơ quan chỉ đạo thực hiện:</b> Ban Thường vụ Tỉnh ủy.”"""

    marker: str
    label: str
    text: str = ""

    @property
    def level(self):
        return 2 if self.marker == "+" else 1


def program_lines(program):
    """The lines of a program in the wording and order of the source (as courses/_program.html
    shows them on screen). Uses the prefetched courses and quota lines of `plan_for_year`."""
    lines = []
    if program.conditions:
        lines.append(Line("-", "Đối tượng, điều kiện:"))
        if program.target_group:
            lines.append(Line("+", "Đối tượng:", program.target_group))
        lines.append(Line("+", "Điều kiện:", program.conditions))
    elif program.target_group:
        lines.append(Line("-", "Đối tượng:", program.target_group))
    if program.content_heading:
        lines.append(Line("-", "", program.content_heading))
        for course in program.courses.all():
            quantity = f" {course.quantity_sentence}." if course.quantity is not None else ""
            if course.target_group:
                lines.append(
                    Line("+", f"{course.name} dành cho đối tượng:", course.target_group + quantity)
                )
            else:
                lines.append(Line("+", f"{course.name}.", quantity.strip()))
    if program.quantity_label:
        text = f"{program.quantity_sentence}."
        quota_lines = [line for line in program.all_quota_lines if line.planned_count is not None]
        if len(quota_lines) > 1:
            text += " Trong đó: " + " ".join(
                f"{line.description}: Dự kiến {format_number(line.planned_count)} chỉ tiêu."
                for line in quota_lines
            )
        lines.append(Line("-", f"{program.quantity_label}:", text))
    undecided = "(chưa xác định)"
    directing = program.directing_body.name if program.directing_body else undecided
    implementing = program.implementing_body.name if program.implementing_body else undecided
    lines += [
        Line("-", "Cơ quan chỉ đạo thực hiện:", f"{directing}."),
        Line("-", "Cơ quan tổ chức thực hiện:", f"{implementing}."),
        Line("-", f"{program.institution_label}:", f"{program.institutions_phrase or undecided}."),
        Line("-", "Thời gian thực hiện:", f"{program.period}."),
    ]
    return lines


def number_line(plan):
    """“Số 25-KH/TU”, or “Số      -KH/TU” while drafting (Party documents: no colon)."""
    number = plan.number.strip()
    if number.lower().startswith("số"):
        number = number[2:].strip(" :")
    return f"Số {number}" if number else f"Số {BLANK_NUMBER}-KH/TU"


def date_line(plan):
    """“Quảng Ngãi, ngày 05 tháng 01 năm 2021”, dotted blanks until the plan has its date."""
    if plan.issue_date is None:
        return f"{plan.place}, ngày {DOTS} tháng {DOTS} năm {DOTS}"
    day = plan.issue_date
    return f"{plan.place}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def reference_line(plan):
    """“(Kèm theo Kế hoạch số 25-KH/TU, ngày 05/01/2021 của Ban Thường vụ Tỉnh ủy)”."""
    number = number_line(plan).removeprefix("Số ").strip()
    date = f"{plan.issue_date:%d/%m/%Y}" if plan.issue_date else f"{DOTS}/{DOTS}/{plan.year}"
    return f"(Kèm theo Kế hoạch số {number}, ngày {date} của {plan.issuing_body.name})"


def plan_document_context(year):
    """Everything the plan PDF and the Word file show, read with a fixed number of queries."""
    plan = selectors.plan_for_year(year)
    blocks = list(plan.budget_blocks.all())
    budget_total = sum(block.planned_total for block in blocks)
    sections = [
        {
            "section": section,
            "programs": [
                {"program": program, "lines": program_lines(program)}
                for program in section.programs.all()
            ],
        }
        for section in plan.sections.all()
    ]
    return {
        "plan": plan,
        "number_line": number_line(plan),
        "date_line": date_line(plan),
        "reference_line": reference_line(plan),
        "sections": sections,
        "blocks": blocks,
        "budget_total": budget_total,
        "budget_total_words": money_in_words(budget_total),
        "appendix": appendix_for_plan(plan),
    }


def _refuse_fetch(url, *args, **kwargs):
    # The templates carry everything inline; never let a document fetch a URL or a file.
    raise ValueError(f"Tài liệu không được tải tài nguyên ngoài: {url}")


# Rendered PDFs kept in the database (RenderedDocument): at most this many, none older.
STORE_MAX_ENTRIES = 100
STORE_MAX_AGE = datetime.timedelta(days=30)


@cache
def renderer():
    """What besides the HTML decides the PDF's bytes: part of the key, so that an upgrade of
    WeasyPrint renders again. Bump the suffix when the render options below change."""
    return f"weasyprint {version('weasyprint')}/1"


def document_key(template_name, html):
    digest = hashlib.sha256()
    for part in (template_name, renderer(), html):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def render_pdf(template_name, context, *, keep=False):
    """Render a print template to PDF bytes. The same HTML gives the same PDF, so with `keep` a
    document rendered before is served from the store without WeasyPrint (several seconds for a
    plan). Only documents without personal data are kept: a name must not outlive its person."""
    html = render_to_string(template_name, context)
    if not keep:
        return write_pdf(html)
    key = document_key(template_name, html)
    stored = RenderedDocument.objects.filter(key=key).values_list("content", flat=True).first()
    if stored is not None:
        return bytes(stored)
    pdf = write_pdf(html)
    store(key, template_name, pdf)
    return pdf


def write_pdf(html):
    """WeasyPrint is slow to import: import it here, only when a document is rendered."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_refuse_fetch).write_pdf()


def store(key, template_name, pdf):
    """Keep a rendered PDF and prune the store to its bounds. Another server may have stored the
    same document meanwhile: its copy is the same bytes, keep it."""
    try:
        with transaction.atomic():
            RenderedDocument.objects.create(key=key, kind=template_name, content=pdf)
    except IntegrityError:
        return
    documents = RenderedDocument.objects.all()
    documents.filter(created_at__lt=timezone.now() - STORE_MAX_AGE).delete()
    surplus = list(
        documents.order_by("-created_at", "-pk").values_list("pk", flat=True)[STORE_MAX_ENTRIES:]
    )
    if surplus:
        documents.filter(pk__in=surplus).delete()


def plan_pdf(year):
    return render_pdf("documents/plan.html", plan_document_context(year), keep=True)


def appendix_pdf(year):
    return render_pdf("documents/appendix.html", plan_document_context(year), keep=True)


# ---- Word -------------------------------------------------------------------------------------

FONT = "Times New Roman"


def _font(run, *, size=14, bold=False, italic=False, underline=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    return run


def _paragraph(container, parts, *, align=None, indent=True, size=14, space_after=4):
    """parts: list of (text, {"bold": …, "italic": …}) or plain strings."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    for part in parts:
        text, style = (part, {}) if isinstance(part, str) else part
        _font(paragraph.add_run(text), size=style.get("size", size), **_styles(style))
    return paragraph


def _styles(style):
    return {key: style[key] for key in ("bold", "italic", "underline") if key in style}


def _page_number_field(paragraph):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = _font(paragraph.add_run())
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _no_borders(table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def plan_docx(year):
    """The plan as an editable Word file: same headings, content and appendix as the PDF."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    context = plan_document_context(year)
    plan = context["plan"]
    center = WD_ALIGN_PARAGRAPH.CENTER
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = center
    _page_number_field(header)

    heading = document.add_table(rows=1, cols=2)
    _no_borders(heading)
    left, right = heading.rows[0].cells
    left.width, right.width = Cm(7), Cm(9.5)
    left.paragraphs[0].alignment = center
    _font(left.paragraphs[0].add_run(plan.issuing_body_heading), bold=True)
    _paragraph(left, ["*"], align=center, indent=False, space_after=0)
    _paragraph(left, [context["number_line"]], align=center, indent=False)
    right.paragraphs[0].alignment = center
    _font(right.paragraphs[0].add_run("ĐẢNG CỘNG SẢN VIỆT NAM"), size=15, bold=True, underline=True)
    _paragraph(right, [(context["date_line"], {"italic": True})], align=center, indent=False)

    _paragraph(document, [""], indent=False)
    _paragraph(document, [("KẾ HOẠCH", {"bold": True, "size": 16})], align=center, indent=False)
    _paragraph(document, [(plan.title, {"bold": True})], align=center, indent=False, space_after=0)
    _paragraph(document, ["-----"], align=center, indent=False, space_after=10)
    _paragraph(document, [plan.preamble])

    def heading_line(text):
        _paragraph(document, [(text, {"bold": True})])

    heading_line("I. Mục đích, yêu cầu")
    heading_line("1. Mục đích")
    _paragraph(document, [plan.purpose])
    heading_line("2. Yêu cầu")
    _paragraph(document, [plan.requirements])
    for part in context["sections"]:
        heading_line(f"{part['section'].roman}. {part['section'].title}")
        for item in part["programs"]:
            program = item["program"]
            heading_line(f"{program.position}. {program.name}")
            for line in item["lines"]:
                runs = [f"{line.marker} "]
                if line.label:
                    runs.append((line.label, {"bold": True}))
                if line.text:
                    runs.append(f" {line.text}" if line.label else line.text)
                _paragraph(document, runs)
    heading_line("IV. Kinh phí đào tạo, bồi dưỡng")
    _paragraph(
        document,
        [
            "Dự kiến kinh phí mở các lớp theo kế hoạch này: ",
            (format_number(context["budget_total"]), {"bold": True}),
            " đồng ",
            (f"(Bằng chữ: {context['budget_total_words']}).", {"italic": True}),
        ],
    )
    _paragraph(document, ["Trong đó:"])
    for block in context["blocks"]:
        _paragraph(
            document,
            [f"- {block.get_block_display()}: {format_number(block.planned_total)} đồng."],
        )
    if plan.budget_basis_text:
        _paragraph(document, [plan.budget_basis_text])
    if plan.budget_appendix_note:
        _paragraph(document, [(plan.budget_appendix_note, {"italic": True})])
    heading_line("V. Tổ chức thực hiện")
    for responsibility in plan.responsibilities.all():
        heading_line(f"{responsibility.position}. {responsibility.heading}")
        if responsibility.intro:
            _paragraph(document, [responsibility.intro])
        for task in responsibility.task_list:
            _paragraph(document, [f"- {task}"])
    if plan.closing_text:
        _paragraph(document, [plan.closing_text])

    closing = document.add_table(rows=1, cols=2)
    _no_borders(closing)
    recipients, signer = closing.rows[0].cells
    recipients.width, signer.width = Cm(8), Cm(8.5)
    _font(recipients.paragraphs[0].add_run("Nơi nhận:"), size=12, bold=True, underline=True)
    for recipient in plan.recipients.all():
        _paragraph(recipients, [f"- {recipient.text}"], indent=False, size=12, space_after=0)
    signer.paragraphs[0].alignment = center
    _font(signer.paragraphs[0].add_run(plan.signer_on_behalf), bold=True)
    _paragraph(signer, [(plan.signer_title, {"bold": True})], align=center, indent=False)
    for _ in range(3):
        _paragraph(signer, [""], indent=False)
    _paragraph(signer, [(plan.signer_name, {"bold": True})], align=center, indent=False)

    appendix_section = document.add_section(WD_SECTION.NEW_PAGE)
    appendix_section.orientation = WD_ORIENT.LANDSCAPE
    appendix_section.page_width, appendix_section.page_height = Cm(29.7), Cm(21)
    appendix_section.left_margin, appendix_section.right_margin = Cm(2), Cm(1.5)
    _appendix_docx(document, context)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


APPENDIX_HEADERS = [
    "TT",
    "Lớp đào tạo, bồi dưỡng",
    "Cơ sở đào tạo",
    "Số học viên",
    "Thời gian",
    "Dự toán kinh phí (đồng)",
    "Nguồn kinh phí",
    "Ghi chú",
]


def _appendix_docx(document, context):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    plan, appendix = context["plan"], context["appendix"]
    _paragraph(document, [("PHỤ LỤC", {"bold": True})], align=center, indent=False, space_after=0)
    _paragraph(
        document,
        [("CÁC LỚP ĐÀO TẠO, BỒI DƯỠNG VÀ NGUỒN KINH PHÍ", {"bold": True})],
        align=center,
        indent=False,
        space_after=0,
    )
    _paragraph(
        document, [(context["reference_line"], {"italic": True})], align=center, indent=False
    )
    table = document.add_table(rows=1, cols=len(APPENDIX_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, APPENDIX_HEADERS, strict=True):
        _cell_text(cell, text, bold=True, align=center)

    def add(values, *, bold=False):
        cells = table.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            align = right if index in (3, 5) else (center if index in (0, 4) else None)
            _cell_text(cell, value, bold=bold, align=align)

    for index, group in enumerate(appendix.groups, start=1):
        add([_roman(index), group.label, "", "", "", "", "", ""], bold=True)
        for row in group.rows:
            add(
                [
                    str(row.number),
                    f"{row.training_class.name} ({row.course})",
                    row.institution,
                    format_number(row.learners),
                    row.period,
                    format_number(row.estimate),
                    row.funding_source,
                    "Minh họa (*)" if row.is_illustrative else "",
                ]
            )
        if not group.rows:
            add(["", "Chưa có lớp", "", "", "", "", "", ""])
        add(
            [
                "",
                f"Cộng {group.label}",
                "",
                format_number(group.learners),
                "",
                format_number(group.subtotal),
                "",
                "",
            ],
            bold=True,
        )
        if group.planned_total is not None:
            add(
                [
                    "",
                    "Dự kiến theo mục IV của kế hoạch",
                    "",
                    "",
                    "",
                    format_number(group.planned_total),
                    "",
                    _difference(group.difference),
                ]
            )
    add(
        [
            "",
            "Tổng cộng",
            "",
            format_number(appendix.learners),
            "",
            format_number(appendix.total),
            "",
            _difference(appendix.total - appendix.planned_total),
        ],
        bold=True,
    )
    if appendix.has_illustrative:
        _paragraph(
            document,
            [(f"(*) {ILLUSTRATIVE_NOTE}", {"italic": True, "size": 12})],
            indent=False,
        )
    _paragraph(
        document,
        [(f"Tổng dự toán bằng chữ: {money_in_words(appendix.total)}.", {"italic": True})],
        indent=False,
    )
    return plan


ILLUSTRATIVE_NOTE = (
    "Số liệu minh họa: văn bản gốc chỉ nêu tổng kinh phí theo khối; các dòng lớp được lập "
    "để khớp với tổng của từng khối."
)


def _difference(value):
    if not value:
        return "Khớp"
    sign = "+" if value > 0 else "−"
    return f"Chênh lệch {sign}{format_number(abs(value))}"


def _roman(number):
    return ["", "I", "II", "III", "IV", "V", "VI", "VII"][number]


def _cell_text(cell, text, *, bold=False, align=None):
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), size=12, bold=bold)
