"""The plan as an official document (Hướng dẫn 36-HD/VPTW): PDF by WeasyPrint from a template,
and the same content as an editable Word file. Every figure comes from the data."""

import datetime
import hashlib
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
from training_plan.text import format_number, format_signed, money_in_words

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
    """“Quảng Ngãi, ngày 05 tháng 01 năm 2021”; until the plan has its date, blanks for the day
    and month only: the year of a plan is known (“ngày … tháng … năm 2021”)."""
    if plan.issue_date is None:
        return f"{plan.place}, ngày {DOTS} tháng {DOTS} năm {plan.year}"
    day = plan.issue_date
    return f"{plan.place}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def reference_line(plan):
    """“(Kèm theo Kế hoạch số 25-KH/TU, ngày 05/01/2021 của Ban Thường vụ Tỉnh ủy)”."""
    # No strip(): it would eat the non-breaking blanks of a number not given yet.
    number = number_line(plan).removeprefix("Số ")
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
# The same text, tables and measures as the PDF (templates/documents/plan.html, _appendix.html,
# _print.css), written with reports/word.py; tests convert it with LibreOffice and compare.

# The appendix columns in the proportions of the PDF's colgroup (col.w-* in _print.css).
APPENDIX_COLUMNS = [
    ("TT", 4.5),
    ("Lớp đào tạo, bồi dưỡng", 30.5),
    ("Cơ sở đào tạo", 13),
    ("Số học viên (dự kiến)", 10),
    ("Thời gian", 10.5),
    ("Dự toán kinh phí (đồng)", 12),
    ("Nguồn kinh phí", 8.5),
    ("Ghi chú", 11),
]
APPENDIX_HEADERS = [header for header, _share in APPENDIX_COLUMNS]
ILLUSTRATIVE_MARK = "Minh họa (*)"
# Single spacing in Times New Roman is about 1.15 em: the PDF tables' line-height of 1.2.
TABLE_LINE_SPACING = 1.0
ILLUSTRATIVE_NOTE = (
    "(*) Số liệu minh họa: văn bản gốc chỉ nêu tổng kinh phí theo khối; các dòng lớp được lập "
    "để khớp với tổng của từng khối."
)


def plan_docx(year):
    """The plan as an editable Word file: the PDF's headings, text, tables and appendix."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from reports import word

    context = plan_document_context(year)
    plan = context["plan"]
    center = WD_ALIGN_PARAGRAPH.CENTER
    document = word.new_document(line_spacing=1.15)
    width = word.text_width(document.sections[0])
    word.heading_table(
        document,
        word.Heading(
            issuer=plan.issuing_body_heading,
            number=context["number_line"],
            date=context["date_line"],
        ),
        width,
    )
    word.paragraph(document, [("KẾ HOẠCH", {"bold": True, "size": 16})], align=center,
                   indent=False, space_after=0, space_before=8)  # fmt: skip
    word.paragraph(document, [(plan.title, {"bold": True})], align=center, indent=False,
                   space_after=0)  # fmt: skip
    word.paragraph(document, ["-----"], align=center, indent=False, space_after=8)
    word.paragraph(document, [plan.preamble])

    def heading(text):
        word.paragraph(document, [(text, {"bold": True})], keep_with_next=True, space_before=6)

    def text(parts):
        word.paragraph(document, parts)

    heading("I. Mục đích, yêu cầu")
    heading("1. Mục đích")
    text([plan.purpose])
    heading("2. Yêu cầu")
    text([plan.requirements])
    for part in context["sections"]:
        heading(f"{part['section'].roman}. {part['section'].title}")
        for item in part["programs"]:
            program = item["program"]
            heading(f"{program.position}. {program.name}")
            for line in item["lines"]:
                runs = [f"{line.marker} "]
                if line.label:
                    runs += [(line.label, {"bold": True}), " "]
                if line.text:
                    runs.append(line.text)
                text(runs)
    heading("IV. Kinh phí đào tạo, bồi dưỡng")
    text(
        [
            "Dự kiến kinh phí mở các lớp theo kế hoạch này: ",
            (format_number(context["budget_total"]), {"bold": True}),
            " đồng ",
            (f"(Bằng chữ: {context['budget_total_words']}).", {"italic": True}),
        ]
    )
    text(["Trong đó:"])
    for block in context["blocks"]:
        text([f"- {block.get_block_display()}: {format_number(block.planned_total)} đồng."])
    if plan.budget_basis_text:
        text([plan.budget_basis_text])
    if plan.budget_appendix_note:
        text([(plan.budget_appendix_note, {"italic": True})])
    heading("V. Tổ chức thực hiện")
    for responsibility in plan.responsibilities.all():
        heading(f"{responsibility.position}. {responsibility.heading}")
        if responsibility.intro:
            text([responsibility.intro])
        for task in responsibility.task_list:
            text([f"- {task}"])
    if plan.closing_text:
        # Kept with the signature: the last lines never stand alone on a page.
        word.paragraph(document, [plan.closing_text], keep_with_next=True)
    word.paragraph(document, [""], indent=False, space_after=0, keep_with_next=True)
    word.signature_table(
        document,
        width,
        recipients=[recipient.text for recipient in plan.recipients.all()],
        on_behalf=plan.signer_on_behalf,
        title=plan.signer_title,
        name=plan.signer_name,
    )

    appendix_section = word.landscape_section(document)
    appendix_docx(document, context, word.text_width(appendix_section))
    return word.finish(
        document,
        title=f"Kế hoạch {plan.title}",
        subject="Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức và phụ lục kinh phí",
        author=plan.issuing_body.name,
    )


def appendix_docx(document, context, width):
    """The funding appendix as _appendix.html writes it: same rows, words and proportions."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from reports import word

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    appendix = context["appendix"]
    for line in ("PHỤ LỤC", "CÁC LỚP ĐÀO TẠO, BỒI DƯỠNG VÀ NGUỒN KINH PHÍ"):
        word.paragraph(document, [(line, {"bold": True})], align=center, indent=False,
                       space_after=0, keep_with_next=True)  # fmt: skip
    word.paragraph(document, [(context["reference_line"], {"italic": True})], align=center,
                   indent=False, keep_with_next=True)  # fmt: skip
    table = word.fixed_table(document, 1, [share for _h, share in APPENDIX_COLUMNS], width)
    widths = table._widths
    header = table.rows[0]
    word.row_flags(header, header=True)
    for cell, text in zip(header.cells, APPENDIX_HEADERS, strict=True):
        word.first_paragraph(cell, text, size=11.5, bold=True, line_spacing=TABLE_LINE_SPACING)

    def add(values, *, bold=False, italic=False, merge=(), keep=False):
        """values: one per column; merge: (first, last) column spans written by their first."""
        row = table.add_row()
        word.set_widths(row, widths)
        word.row_flags(row)
        cells = row.cells
        for index, value in enumerate(values):
            if value is None:
                continue
            align = right if index in (3, 5) else (center if index in (0, 4) else None)
            parts = value if isinstance(value, list) else [value]
            first, *rest = parts
            word.first_paragraph(cells[index], first, size=11.5, bold=bold, italic=italic,
                                 align=align or WD_ALIGN_PARAGRAPH.LEFT,
                                 line_spacing=TABLE_LINE_SPACING)  # fmt: skip
            for extra in rest:
                word.paragraph(cells[index], [(extra, {"size": 11.5})], indent=False,
                               space_after=0, align=WD_ALIGN_PARAGRAPH.LEFT,
                               line_spacing=TABLE_LINE_SPACING)  # fmt: skip
        for first, last in merge:
            cells[first].merge(cells[last])
        if keep:
            word.keep_row_with_next(row)
        return row

    for index, group in enumerate(appendix.groups, start=1):
        add([_roman(index), group.label, *[None] * 6], bold=True, merge=[(1, 7)], keep=True)
        for row in group.rows:
            add(
                [
                    str(row.number),
                    [row.training_class.name, f"{row.program} — {row.course}"],
                    row.institution,
                    format_number(row.planned_learners),
                    row.period,
                    format_number(row.estimate),
                    row.funding_source,
                    ILLUSTRATIVE_MARK if row.is_illustrative else "",
                ]
            )
        if not group.rows:
            add(["", "Chưa có lớp nào của khối này.", *[None] * 6], italic=True, merge=[(1, 7)])
        add(
            ["", f"Cộng {group.label}", None, format_number(group.planned_learners), "",
             format_number(group.subtotal), "", None],
            bold=True, italic=True, merge=[(1, 2), (6, 7)],
        )  # fmt: skip
        if group.difference:  # only while the classes do not reconcile with section IV
            gap = f"Chênh lệch {format_signed(group.difference)}"
            add(
                ["", "Dự kiến kinh phí theo mục IV của kế hoạch", None, None, None,
                 format_number(group.planned_total), "", gap],
                merge=[(1, 4)],
            )  # fmt: skip
    last = add(
        ["", "Tổng cộng", None, format_number(appendix.planned_learners), "",
         format_number(appendix.total), "", None],
        bold=True, merge=[(1, 2), (6, 7)],
    )  # fmt: skip
    # The total in words follows the total row: never alone on the last page.
    word.keep_row_with_next(last)
    note = f"Tổng dự toán bằng chữ: {money_in_words(appendix.total)}."
    word.paragraph(document, [(note, {"italic": True, "size": 11.5})], indent=False,
                   space_before=4, keep_with_next=appendix.has_illustrative)  # fmt: skip
    if appendix.has_illustrative:
        word.paragraph(document, [(ILLUSTRATIVE_NOTE, {"italic": True, "size": 11.5})],
                       indent=False)  # fmt: skip


def _roman(number):
    return ["", "I", "II", "III", "IV", "V", "VI", "VII"][number]
