"""A small streaming XLSX (SpreadsheetML) writer for the exports.

openpyxl, even in write-only mode, builds a Cell object per value and serialises it through lxml:
about 20 µs a cell, 20 s for the 900.000 cells of every nomination of five years. This writer
turns a row into its XML with string formatting (about 1 µs a cell) and deflates it straight into
the zip, a buffer of rows at a time, so memory stays flat whatever the number of rows.

It writes only what the exports use: several sheets, column widths, a frozen header row, an
auto-filter, inline strings, numbers, dates, formulas the exporters build themselves (with their
computed value stored, for readers that do not calculate), a fixed table of cell styles (number
formats × bold × Excel's quote prefix, plus the header style), and the print set-up of every
sheet (A4, fit to the page width, the header row repeated, page numbers in the footer).
Files open in Excel, LibreOffice and openpyxl.
"""

import datetime
import re
import zipfile
from xml.sax.saxutils import quoteattr

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Number formats: 0 is General, 3 is Excel's built-in "#,##0", 164 the first custom id.
GENERAL = 0
THOUSANDS = 3
DATE_DDMMYYYY = 164
ONE_DECIMAL = 165
NUMBER_FORMAT_IDS = {
    "General": GENERAL,
    "#,##0": THOUSANDS,
    "dd/mm/yyyy": DATE_DDMMYYYY,
    "0.0": ONE_DECIMAL,
}
CUSTOM_NUMBER_FORMATS = {DATE_DDMMYYYY: "dd/mm/yyyy", ONE_DECIMAL: "0.0"}
HEADER_FILL = "FFE9ECEF"

# First characters that make Excel or LibreOffice read a cell as a formula (or DDE command).
# Text starting with one is written with Excel's quote prefix: shown as typed, never run.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_START = "".join(FORMULA_TRIGGERS)  # the same, for a test on one character


def looks_like_formula(text):
    """True when a spreadsheet would run this text as a formula."""
    return isinstance(text, str) and text.startswith(FORMULA_TRIGGERS)


def quote_formula_like(cells):
    """For workbooks written with openpyxl (the import template): give formula-like text cells
    the quote prefix, as this writer does."""
    for cell in cells:
        if looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


# Characters XML 1.0 does not allow in a document (openpyxl refuses them too); they are dropped.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Any character escape_text changes: most text has none and is written as it is.
NEEDS_ESCAPE = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
INVALID_TITLE_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
WINDOWS_EPOCH_ORDINAL = WINDOWS_EPOCH.toordinal()
MAX_ROWS = 1_048_576  # Excel's limit
FLUSH_ROWS = 500  # rows turned into XML before they are written to the zip


def column_letter(index):
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def escape_text(text):
    """Text for an XML element: &, <, > escaped, a carriage return kept as a character reference
    (a parser would turn a literal one into a line feed), illegal control characters dropped."""
    if ILLEGAL_CHARACTERS.search(text):
        text = ILLEGAL_CHARACTERS.sub("", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def excel_serial(value):
    """A date or naive datetime as Excel's serial number (1900 date system)."""
    if type(value) is datetime.date:
        days = value.toordinal() - WINDOWS_EPOCH_ORDINAL
        return days - 1 if 0 < days <= 60 else days  # Excel's phantom 29/02/1900
    delta = value - WINDOWS_EPOCH
    days = delta.days
    if 0 < days <= 60:
        days -= 1
    return days + (delta.seconds + delta.microseconds / 1e6) / 86400


def sheet_reference(title, ref):
    """'Sheet name'!$A$1:$B$9 for a defined name."""
    quoted = "'" + title.replace("'", "''") + "'"
    return quoted + "!" + "".join("$" + part if part else "" for part in _absolute(ref))


def print_titles(title):
    """'Sheet name'!$1:$1: the first row of the sheet, repeated on every printed page."""
    return "'" + title.replace("'", "''") + "'!$1:$1"


def _absolute(ref):
    for corner in ref.split(":"):
        letters = corner.rstrip("0123456789")
        yield letters
        yield corner[len(letters) :]


class Styles:
    """The fixed table of cell formats (cellXfs): every number format × bold × quote prefix, and
    the header style. `index(number_format, bold, quote)` is a style id for a cell's s=."""

    FORMATS = (GENERAL, THOUSANDS, DATE_DDMMYYYY, ONE_DECIMAL)

    def __init__(self):
        self.xfs = [(GENERAL, False, False, False)]  # id 0: the default
        self.ids = {}
        for bold in (False, True):
            for quote in (False, True):
                for number_format in self.FORMATS:
                    self.ids[number_format, bold, quote] = len(self.xfs)
                    self.xfs.append((number_format, bold, quote, False))
        self.header = len(self.xfs)
        self.xfs.append((GENERAL, True, False, True))

    def index(self, number_format=GENERAL, bold=False, quote=False):
        return self.ids[number_format, bold, quote]

    def xml(self):
        number_formats = "".join(
            f'<numFmt numFmtId="{ident}" formatCode={quoteattr(code)}/>'
            for ident, code in CUSTOM_NUMBER_FORMATS.items()
        )
        xfs = []
        for number_format, bold, quote, header in self.xfs:
            attributes = (
                f'numFmtId="{number_format}" fontId="{int(bold)}" fillId="{2 if header else 0}" '
                'borderId="0" xfId="0"'
            )
            if number_format:
                attributes += ' applyNumberFormat="1"'
            if bold:
                attributes += ' applyFont="1"'
            if header:
                attributes += ' applyFill="1" applyAlignment="1"'
            if quote:
                attributes += ' quotePrefix="1"'
            if header:
                xfs.append(f'<xf {attributes}><alignment vertical="center" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf {attributes}/>")
        return (
            f'{XML_DECLARATION}<styleSheet xmlns="{MAIN_NS}">'
            f'<numFmts count="{len(CUSTOM_NUMBER_FORMATS)}">{number_formats}</numFmts>'
            '<fonts count="2">'
            '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            "</fonts>"
            '<fills count="3">'
            '<fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill>'
            f'<fill><patternFill patternType="solid"><fgColor rgb="{HEADER_FILL}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            "</fills>"
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            "</borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            "</cellStyleXfs>"
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


STYLES = Styles()


# Sheets wider than this (in character widths) print on landscape pages.
LANDSCAPE_FROM_WIDTH = 100
# Margins in inches: 15 mm left and right, 20 mm top and bottom, header and footer at 8 mm.
PAGE_MARGINS = (
    '<pageMargins left="0.6" right="0.6" top="0.8" bottom="0.8" header="0.3" footer="0.3"/>'
)


class Sheet:
    """One worksheet being written, row after row: `append_xml` takes the XML of a row's cells
    (exports.write_sheet turns Python values into it with `escape_text`, `excel_serial` and the
    style ids of `STYLES`)."""

    def __init__(self, workbook, number, title, widths):
        self.workbook = workbook
        self.number = number
        self.title = title
        self.widths = widths
        self.letters = [column_letter(i) for i in range(1, len(widths) + 1)]
        self.rows = 0
        self.auto_filter = None
        self._buffer = []
        self._stream = workbook.archive.open(f"xl/worksheets/sheet{number}.xml", "w")
        columns = "".join(
            f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
            for i, width in enumerate(widths, start=1)
        )
        self._stream.write(
            (
                f'{XML_DECLARATION}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
                # Printed fit to the page width (fitToPage with fitToWidth 1, fitToHeight 0).
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                '<sheetViews><sheetView workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                "</sheetView></sheetViews>"
                '<sheetFormatPr defaultRowHeight="15"/>'
                f"<cols>{columns}</cols><sheetData>"
            ).encode()
        )

    @property
    def orientation(self):
        return "landscape" if sum(self.widths) > LANDSCAPE_FROM_WIDTH else "portrait"

    def print_setup(self):
        """How the sheet prints: cell grid lines, A4 (paperSize 9) in the orientation its width
        needs, fit to one page wide and as many pages long as it takes, the header row repeated
        on every page (the Print_Titles name of the workbook) and “Trang n/m” in the footer."""
        return (
            '<printOptions gridLines="1"/>'
            f"{PAGE_MARGINS}"
            f'<pageSetup paperSize="9" orientation="{self.orientation}" fitToWidth="1" '
            'fitToHeight="0"/>'
            "<headerFooter><oddHeader>&amp;C&amp;A</oddHeader>"
            "<oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter></headerFooter>"
        )

    def append_xml(self, cells_xml):
        """Append one row given as the XML of its cells (each with its r= reference)."""
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise ValueError(f"An Excel sheet holds at most {MAX_ROWS} rows")
        self._buffer.append(f'<row r="{self.rows}">{cells_xml}</row>')
        if len(self._buffer) >= FLUSH_ROWS:
            self.flush()

    def flush(self):
        if self._buffer:
            self._stream.write("".join(self._buffer).encode())
            self._buffer.clear()

    def close(self):
        self.flush()
        tail = "</sheetData>"
        if self.auto_filter:
            tail += f'<autoFilter ref="{self.auto_filter}"/>'
        tail += self.print_setup()
        tail += "</worksheet>"
        self._stream.write(tail.encode())
        self._stream.close()


class Workbook:
    """A workbook streamed into `output` (a binary file): add sheets one after another with
    `add_sheet`, then `close()` writes the package parts around them."""

    def __init__(self, output, *, compresslevel=3):
        # Level 3 deflates about twice as fast as the default 6 for a file a few % larger.
        self.archive = zipfile.ZipFile(
            output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self.sheets = []
        self._open = None

    def add_sheet(self, title, widths):
        if self._open is not None:
            self._open.close()
        sheet = Sheet(self, len(self.sheets) + 1, self._unique_title(title), widths)
        self.sheets.append(sheet)
        self._open = sheet
        return sheet

    def _unique_title(self, title):
        """A sheet name Excel accepts: no []:*?/\\, no apostrophe at either end, at most 31
        characters, and unlike the others (compared without case): "Tên (2)" for a repeat."""
        title = INVALID_TITLE_CHARACTERS.sub("", title).strip("'")[:31].rstrip("'") or "Sheet"
        taken = {sheet.title.casefold() for sheet in self.sheets}
        unique, number = title, 1
        while unique.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            unique = title[: 31 - len(suffix)] + suffix
        return unique

    def close(self):
        if self._open is not None:
            self._open.close()
            self._open = None
        write = self.archive.writestr
        write("[Content_Types].xml", self._content_types())
        write("_rels/.rels", self._package_rels())
        write("docProps/app.xml", self._app())
        write("docProps/core.xml", self._core())
        write("xl/workbook.xml", self._workbook())
        write("xl/_rels/workbook.xml.rels", self._workbook_rels())
        write("xl/styles.xml", STYLES.xml())
        self.archive.close()

    def discard(self):
        """After an error: release the zip (the caller throws the output away)."""
        if self._open is not None:
            self._open._stream.close()
            self._open = None
        self.archive.close()

    def _content_types(self):
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{s.number}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for s in self.sheets
        )
        return (
            f"{XML_DECLARATION}"
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"
        )

    def _package_rels(self):
        base = "http://schemas.openxmlformats.org"
        return (
            f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_REL_NS}">'
            f'<Relationship Id="rId1" Type="{base}/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{base}/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{base}/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"
        )

    def _app(self):
        return (
            f"{XML_DECLARATION}<Properties "
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>Microsoft Excel</Application></Properties>"
        )

    def _core(self):
        now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"{XML_DECLARATION}<cp:coreProperties "
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:creator>training-plan</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">'
            f"{now}</dcterms:created>"
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def _workbook(self):
        sheets = "".join(
            f'<sheet name={quoteattr(s.title)} sheetId="{s.number}" r:id="rId{s.number}"/>'
            for s in self.sheets
        )
        names = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{s.number - 1}" '
            f'hidden="1">{escape_text(sheet_reference(s.title, s.auto_filter))}</definedName>'
            for s in self.sheets
            if s.auto_filter
        ) + "".join(
            # The header row printed again at the top of every page.
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{s.number - 1}">'
            f"{escape_text(print_titles(s.title))}</definedName>"
            for s in self.sheets
        )
        return (
            f'{XML_DECLARATION}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
            '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{names}</definedNames>" if names else "")
            + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
        )

    def _workbook_rels(self):
        base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        sheets = "".join(
            f'<Relationship Id="rId{s.number}" Type="{base}/worksheet" '
            f'Target="worksheets/sheet{s.number}.xml"/>'
            for s in self.sheets
        )
        return (
            f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_REL_NS}">{sheets}'
            f'<Relationship Id="rId{len(self.sheets) + 1}" Type="{base}/styles" '
            'Target="styles.xml"/></Relationships>'
        )
