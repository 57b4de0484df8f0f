"""Hand-made .xlsx packages for the import fuzzer: every part written here, so that what openpyxl
would never write can be: a lying dimension, sparse or huge row numbers, long cells, many shared
strings, formulas, XML declarations with other encodings, a DTD or entities, odd zip members.

`Book` describes one package; `Book.build()` gives its bytes. The defaults make a valid import
template (quotas/imports.py HEADERS, sheet “Danh sách cử”)."""

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# A DTD with an entity that doubles ten times (“billion laughs”, kept small) and an external one.
LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "ha">'
    + "".join(f'<!ENTITY {chr(98 + i)} "&{chr(97 + i)};&{chr(97 + i)};">' for i in range(10))
    + "]>\n"
)
EXTERNAL = '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'


@dataclass
class Cell:
    """One cell: `kind` is inline (inline string), shared (shared string), number, bool, error,
    formula, str (formula result string) or raw (the XML given as is)."""

    value: object
    kind: str = "inline"


@dataclass
class Book:
    headers: list
    rows: list = field(default_factory=list)  # [(row number, [Cell | None])]
    sheet_name: str = "Danh sách cử"
    dimension: str | None = "auto"  # None: no <dimension>; "auto": the real one
    declaration: str = DECLARATION  # put before the root of every part
    doctype: str = ""  # put after the declaration of the sheet
    encoding: str = "utf-8"  # how the sheet's XML is encoded
    declared: str | None = None  # the encoding its declaration names (default: `encoding`)
    extra_shared: int = 0  # shared strings nobody uses
    extra_members: list = field(default_factory=list)  # [(name, bytes)]
    compression: int = zipfile.ZIP_DEFLATED
    sheet_suffix: str = ""  # XML added after </sheetData> (merge cells, junk)
    styles: int = 0  # when > 0, a styles part with this many cell formats
    defined_names: int = 0  # names defined in the workbook part

    def _strings(self):
        shared = []
        for _, cells in self.rows:
            for cell in cells:
                if cell is not None and cell.kind == "shared":
                    shared.append(str(cell.value))
        return shared

    def _cell_xml(self, ref, cell, shared_index):
        value = cell.value
        if cell.kind == "inline":
            text = escape(str(value))
            return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
        if cell.kind == "shared":
            return f'<c r="{ref}" t="s"><v>{shared_index}</v></c>'
        if cell.kind == "number":
            return f'<c r="{ref}"><v>{escape(str(value))}</v></c>'
        if cell.kind == "bool":
            return f'<c r="{ref}" t="b"><v>{escape(str(value))}</v></c>'
        if cell.kind == "error":
            return f'<c r="{ref}" t="e"><v>{escape(str(value))}</v></c>'
        if cell.kind == "formula":
            return f'<c r="{ref}"><f>{escape(str(value))}</f><v>1</v></c>'
        if cell.kind == "str":
            return f'<c r="{ref}" t="str"><v>{escape(str(value))}</v></c>'
        return str(value)  # raw

    def sheet_xml(self):
        rows = [(1, [Cell(h) for h in self.headers]), *self.rows]
        body, shared_index, width, last = [], 0, 1, 1
        for number, cells in rows:
            parts = []
            for column, cell in enumerate(cells, start=1):
                if cell is None:
                    continue
                ref = f"{get_column_letter(min(column, 16384))}{number}"
                parts.append(self._cell_xml(ref, cell, shared_index))
                if cell.kind == "shared":
                    shared_index += 1
            width, last = max(width, len(cells)), max(last, number)
            body.append(f'<row r="{number}">{"".join(parts)}</row>')
        dimension = self.dimension
        if dimension == "auto":
            dimension = f"A1:{get_column_letter(min(width, 16384))}{last}"
        head = f'<dimension ref="{escape(dimension)}"/>' if dimension is not None else ""
        return (
            f'{self.declaration}{self.doctype}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">{head}'
            f"<sheetData>{''.join(body)}</sheetData>{self.sheet_suffix}</worksheet>"
        )

    def parts(self):
        strings = self._strings()
        total = len(strings) + self.extra_shared
        shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + (
            "<si><t>x</t></si>" * self.extra_shared
        )
        d = self.declaration
        sheet = self.sheet_xml()
        declared = (self.declared or self.encoding).upper()
        if self.declaration and declared != "UTF-8":
            sheet = sheet.replace('encoding="UTF-8"', f'encoding="{declared}"', 1)
        names = ""
        if self.defined_names:
            names = (
                "<definedNames>"
                + "".join(
                    f'<definedName name="n{i}">Sheet1!$A$1</definedName>'
                    for i in range(self.defined_names)
                )
                + "</definedNames>"
            )
        parts = {
            "[Content_Types].xml": (
                f'{d}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                f'ContentType="{CT}.worksheet+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{CT}.sharedStrings+xml"/>'
                '<Override PartName="/xl/styles.xml" '
                f'ContentType="{CT}.styles+xml"/></Types>'
            ).encode(),
            "_rels/.rels": (
                f'{d}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ).encode(),
            "xl/workbook.xml": (
                f'{d}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                f'<sheet name="{escape(self.sheet_name)}" sheetId="1" r:id="rId1"/>'
                f"</sheets>{names}</workbook>"
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                f'{d}<Relationships xmlns="{PKG_REL}">'
                f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(self.encoding, "xmlcharrefreplace"),
            "xl/sharedStrings.xml": (
                f'{d}<sst xmlns="{MAIN}" count="{total}" uniqueCount="{total}">{shared}</sst>'
            ).encode(),
        }
        xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * max(self.styles, 1)
        parts["xl/styles.xml"] = (
            f'{d}<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders>'
            f'<cellXfs count="{max(self.styles, 1)}">{xfs}</cellXfs></styleSheet>'
        ).encode()
        return parts

    def build(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", self.compression) as package:
            for name, data in self.parts().items():
                package.writestr(name, data)
            for name, data in self.extra_members:
                package.writestr(name, data)
        return buffer.getvalue()
