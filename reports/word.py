"""Word files in the layout of the PDFs: the measures of templates/documents/_print.css (A4,
Times New Roman 14 pt, margins 20/15/20/30 mm, the page number centred at the top from page 2),
the heading of a Party document (Hướng dẫn 36-HD/VPTW) or of a State document (Nghị định
30/2020/NĐ-CP) as a borderless table, tables with fixed column proportions and repeated header
rows, paragraphs kept with the next one where a page break would leave a heading or a line
alone. python-docx is imported inside the functions, like WeasyPrint: only a download pays."""

import io
from dataclasses import dataclass

from django.utils import timezone

FONT = "Times New Roman"
A4_SHORT, A4_LONG = 21.0, 29.7  # cm


@dataclass(frozen=True)
class Heading:
    """The heading block of an official document: issuing body (above it its superior, if any)
    on the left with the number under it; the national or Party title on the right with the
    place and date level with the number."""

    issuer: str
    number: str
    date: str
    superior: str = ""
    party: bool = True  # 36-HD/VPTW; False: Nghị định 30/2020 (State)


def font(run, *, size=14, bold=False, italic=False, underline=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    return run


def paragraph(
    container,
    parts,
    *,
    align=None,
    indent=True,
    size=14,
    space_after=4,
    space_before=0,
    keep_with_next=False,
    line_spacing=None,
):
    """A paragraph of runs. parts: plain strings or (text, {"bold", "italic", "underline",
    "size"}) pairs. Justified with a 1 cm first-line indent unless told otherwise; widow and
    orphan control on (a single line of a paragraph is never alone at a page's top or foot)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    result = container.add_paragraph()
    result.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    layout = result.paragraph_format
    layout.space_after, layout.space_before = Pt(space_after), Pt(space_before)
    layout.widow_control = True
    if line_spacing is not None:
        layout.line_spacing = line_spacing
    if keep_with_next:
        layout.keep_with_next = True
    if indent:
        layout.first_line_indent = Cm(1)
    for part in parts:
        text, style = (part, {}) if isinstance(part, str) else part
        font(
            result.add_run(text),
            size=style.get("size", size),
            **{key: style[key] for key in ("bold", "italic", "underline") if key in style},
        )
    return result


def first_paragraph(
    cell, text, *, size=14, bold=False, italic=False, underline=False, align=None, line_spacing=None
):
    """Write into a cell's own first paragraph (a cell is never empty of paragraphs)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    result = cell.paragraphs[0]
    result.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    result.paragraph_format.space_after = Pt(0)
    if line_spacing is not None:
        result.paragraph_format.line_spacing = line_spacing
    font(result.add_run(text), size=size, bold=bold, italic=italic, underline=underline)
    return result


def new_document(*, line_spacing=1.0):
    """An A4 portrait document: Normal is Times New Roman 14 pt, margins as the PDFs', the page
    number centred at the top from page 2 (Hướng dẫn 36-HD/VPTW, “số trang”)."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.paragraph_format.line_spacing = line_spacing
    normal.paragraph_format.widow_control = True
    section = document.sections[0]
    section.page_width, section.page_height = Cm(A4_SHORT), Cm(A4_LONG)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)  # the number ~10 mm from the edge, as in the PDF
    section.different_first_page_header_footer = True
    page_number_field(section.header.paragraphs[0])
    return document


def page_number_field(header_paragraph):
    """A PAGE field, centred, 14 pt upright (as the PDF's @top-center)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = font(header_paragraph.add_run())
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._element.append(end)


def landscape_section(document, *, left=2.0, right=1.5):
    """A new section on a new page, A4 landscape, 20 mm top and bottom (as @page appendix)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    # The section break lives in the last paragraph before it: make that paragraph 1 pt high,
    # or after a full page it would spill over and leave a page holding only itself.
    from docx.shared import Cm, Pt

    last = document.add_paragraph()
    last.paragraph_format.space_after = last.paragraph_format.space_before = Pt(0)
    last.paragraph_format.line_spacing = Pt(1)
    font(last.add_run(""), size=1)
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(A4_LONG), Cm(A4_SHORT)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.header_distance = Cm(1)
    return section


def text_width(section):
    return section.page_width - section.left_margin - section.right_margin


def fixed_table(container, rows, proportions, width, *, borders=True):
    """A table of fixed layout whose columns take `proportions` of `width` (EMU): Word and
    LibreOffice both honour w:tblLayout fixed with w:tblGrid and every cell's w:tcW."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = container.add_table(rows=rows, cols=len(proportions))
    if borders:
        table.style = "Table Grid"
    else:
        no_borders(table)
    table.autofit = False
    properties = table._element.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    # Cell padding of the PDF's table.grid (2 pt above and below, 4 pt beside), in twips.
    margins = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 40), ("left", 80), ("bottom", 40), ("right", 80)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips if borders else 0))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)
    total = sum(proportions)
    widths = [int(width * share / total) for share in proportions]
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    for row in table.rows:
        for cell, column_width in zip(row.cells, widths, strict=True):
            cell.width = column_width
    table._widths = widths
    return table


def set_widths(row, widths):
    for cell, column_width in zip(row.cells, widths, strict=True):
        cell.width = column_width


def no_borders(table):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._element.tblPr.append(borders)


def row_flags(row, *, header=False, cant_split=True):
    """w:tblHeader repeats the row at the top of every page; w:cantSplit keeps a row whole."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    if cant_split:
        properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def keep_row_with_next(row):
    """Every paragraph of the row kept with the next: the row stays with the row after it."""
    for cell in row.cells:
        for cell_paragraph in cell.paragraphs:
            cell_paragraph.paragraph_format.keep_with_next = True


def heading_table(document, heading: Heading, width):
    """The heading as a borderless 2-column, 3-row table (as the PDF's table.heading): issuing
    body | title, * | rule, number | place and date; the number is level with the date."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = fixed_table(document, 3, [42, 58], width, borders=False)
    left = [cell for cell in table.columns[0].cells]
    right = [cell for cell in table.columns[1].cells]
    if heading.superior:
        first_paragraph(left[0], heading.superior, size=13)
        paragraph(left[0], [(heading.issuer, {"bold": True})], align=WD_ALIGN_PARAGRAPH.CENTER,
                  indent=False, space_after=0, size=13)  # fmt: skip
    else:
        first_paragraph(left[0], heading.issuer, bold=True)
    if heading.party:
        first_paragraph(left[1], "*")
        first_paragraph(right[0], "ĐẢNG CỘNG SẢN VIỆT NAM", size=15, bold=True, underline=True)
        first_paragraph(right[1], "")
    else:
        first_paragraph(left[1], "———")
        first_paragraph(right[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True)
        first_paragraph(right[1], "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True)
    first_paragraph(left[2], heading.number, size=14 if heading.party else 13)
    first_paragraph(right[2], heading.date, italic=True)
    for row in table.rows:
        row_flags(row)
    return table


def signature_table(document, width, *, recipients, on_behalf, title, name):
    """Nơi nhận on the left, the signer on the right, one borderless row that never splits.

    “Nơi nhận:” (Hướng dẫn 36-HD/VPTW, “nơi nhận văn bản”): on its own line, lower case, 14 pt,
    upright, underlined; the recipients 12 pt, upright, one a line after a dash — as the PDF's
    .recipients in _print.css."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = fixed_table(document, 1, [50, 50], width, borders=False)
    row_flags(table.rows[0])
    left, right = table.rows[0].cells
    first_paragraph(left, "Nơi nhận:", underline=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in recipients:
        # Single spacing (about 1.15 em): the PDF's line-height of the recipients.
        paragraph(left, [f"- {recipient}"], indent=False, size=12, space_after=0,
                  align=WD_ALIGN_PARAGRAPH.LEFT, line_spacing=1.0)  # fmt: skip
    if on_behalf:
        first_paragraph(right, on_behalf, bold=True)
        paragraph(right, [(title, {"bold": True})], align=center, indent=False, space_after=0)
    else:
        first_paragraph(right, title, bold=True)
    for _ in range(4):
        paragraph(right, [""], indent=False, space_after=0)
    paragraph(right, [(name, {"bold": True})], align=center, indent=False, space_after=0)
    return table


def finish(document, *, title, subject, author):
    """Core properties of the issuing body and of now, no thumbnail of python-docx's template,
    and the bytes."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    now = timezone.now()
    properties = document.core_properties
    properties.title, properties.subject = title[:255], subject[:255]
    properties.author = properties.last_modified_by = author[:255]
    properties.created = properties.modified = now
    properties.revision = 1
    properties.comments = properties.keywords = properties.category = ""
    properties.language = "vi-VN"
    package = document.part.package
    for key, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:
            del package.rels[key]
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
