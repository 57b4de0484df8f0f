"""Safe reading of an uploaded Excel workbook, whatever the workbook is for.

`open_upload` checks the file before any parser sees it: extension, size, a real zip, the zip's
declared uncompressed sizes, then one streaming pass of expat over every XML part (`_Scan`): no
DTD, a bounded number of elements and cells, no text longer than Excel allows. `load_workbook`
opens it read-only without evaluating anything; `read_rows` reads one sheet: the expected
headers, only their columns, every row read (blank ones too) counted toward a bound, no formula,
no overlong cell, within a time limit. The caller gives the headers, the sheet and the row limit.
"""

import io
import time
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

import openpyxl
from openpyxl.utils import get_column_letter

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What the zip may expand to: a filled template of 5.000 rows is well under 10 MB of XML.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_MEMBERS = 200
# One part of the package, unzipped: a filled template's sheet of 5.000 rows is about 2 MB.
MAX_PART_BYTES = 16 * 1024 * 1024
# What openpyxl may build: a filled 5.000-row template has about 150.000 XML elements and
# 55.000 cells. A row never has more cells than Excel has columns (A to XFD).
MAX_XML_ELEMENTS = 500_000
# What openpyxl builds whole when it opens the file, before a sheet is read and without a time
# check (together about 1 s on this machine at the bounds): the shared strings (a filled
# 5.000-row template has at most 40.000 text cells) and each part that is not a worksheet
# (styles, defined names, relations…; a template saved by Excel has a few hundred elements in
# each). Without them 245.000 shared strings took 2,9 s, 240.000 cell formats 5,3 s.
MAX_SHARED_STRINGS = 40_000
MAX_PART_ELEMENTS = 20_000
MAX_SHEET_CELLS = 200_000
MAX_ROW_CELLS = 16_384
MAX_TEXT_CHARS = 32_767  # Excel's own limit for one cell
MAX_CELL_CHARS = 1000  # what one cell of an import may hold
BLANK_ROWS = 1000  # rows read beyond the row limit, for blank rows in between
READ_SECONDS = 5
ECHO_CHARS = 100  # the most of a value a message repeats
CHUNK_BYTES = 64 * 1024


class UploadError(Exception):
    """The file as a whole is refused; nothing was read into the database."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


def number(value):
    """1.048.576: Vietnamese thousands separator."""
    return f"{value:,}".replace(",", ".")


def excerpt(value, limit=ECHO_CHARS):
    """A value as a message may repeat it: at most `limit` characters."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mb(size):
    return f"{size / 1024 / 1024:.0f} MB"


def _deadline(seconds):
    return time.monotonic() + seconds


def _check_time(deadline):
    if time.monotonic() > deadline:
        raise UploadError(
            "Đọc tệp Excel mất quá nhiều thời gian: tệp quá lớn hoặc có cấu trúc bất thường. "
            "Hãy dùng tệp mẫu, chỉ giữ các cột của mẫu và chia thành nhiều tệp."
        )


BROKEN = "Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx."
NOT_XLSX = "Tệp không phải là tệp Excel .xlsx (có thể là tệp khác được đổi đuôi). Hãy dùng tệp mẫu."


# The package ----------------------------------------------------------------------------------


def _local(name):
    return name.rsplit(":", 1)[-1]


class _Scan:
    """One expat pass over the package's XML: refuses before openpyxl builds anything big."""

    def __init__(self, deadline):
        self.deadline = deadline
        self.elements = 0

    def _dtd(self, *args):
        # Office files never declare a DTD; one here is an entity-expansion attack.
        raise UploadError("Tệp Excel chứa khai báo XML không được phép (DTD, ENTITY).")

    def part(self, source):
        parser = expat.ParserCreate()
        parser.buffer_text = True  # one call per text node, not one per line or entity
        parser.StartDoctypeDeclHandler = self._dtd
        parser.EntityDeclHandler = self._dtd
        state = {"text": 0, "row": 0, "sheet": 0}

        def count():
            self.elements += 1
            if self.elements > MAX_XML_ELEMENTS:
                raise UploadError(
                    f"Tệp Excel có hơn {number(MAX_XML_ELEMENTS)} thành phần: tệp quá lớn hoặc "
                    "có cấu trúc bất thường. Hãy dùng tệp mẫu và chia thành nhiều tệp."
                )
            state["text"] = 0

        def start_cell(name, attributes):
            count()
            name = _local(name)
            if name == "row":
                state["row"] = 0
            elif name == "c":
                state["row"] += 1
                state["sheet"] += 1
                if state["row"] > MAX_ROW_CELLS:
                    raise UploadError(
                        f"Một dòng của tệp có hơn {number(MAX_ROW_CELLS)} ô: tệp không hợp lệ."
                    )
                if state["sheet"] > MAX_SHEET_CELLS:
                    raise UploadError(
                        f"Một trang tính có hơn {number(MAX_SHEET_CELLS)} ô: hãy chỉ giữ các "
                        "cột của mẫu, xóa định dạng thừa và chia thành nhiều tệp."
                    )

        def start_string(name, attributes):
            count()
            if _local(name) == "si":
                state["strings"] = state.get("strings", 0) + 1

        def start_other(name, attributes):
            count()
            state["part"] = state.get("part", 0) + 1
            if state["part"] > MAX_PART_ELEMENTS:
                raise UploadError(
                    "Tệp Excel có một thành phần (định dạng, tên, liên kết…) với hơn "
                    f"{number(MAX_PART_ELEMENTS)} phần tử: tệp có cấu trúc bất thường. Hãy sao "
                    "chép các giá trị sang tệp mẫu rồi tải lên lại."
                )

        def start(name, attributes):
            # The root names the part: a worksheet's rows and cells are counted, the shared
            # strings, and the elements of every other part (styles, workbook…).
            root = _local(name)
            if root == "worksheet":
                count()
                parser.StartElementHandler = start_cell
            elif root == "sst":
                count()
                parser.StartElementHandler = start_string
            else:
                start_other(name, attributes)
                parser.StartElementHandler = start_other

        def end(name):
            state["text"] = 0

        def text(data):
            state["text"] += len(data)
            if state["text"] > MAX_TEXT_CHARS:
                raise UploadError(
                    f"Tệp Excel có một ô dài hơn {number(MAX_TEXT_CHARS)} ký tự "
                    "(giới hạn của Excel): tệp không hợp lệ."
                )

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        while chunk := source.read(CHUNK_BYTES):
            parser.Parse(chunk, False)
            _check_time(self.deadline)
        parser.Parse(b"", True)
        # At the end of the part, so that a table past the total bound is named by it.
        if state.get("strings", 0) > MAX_SHARED_STRINGS:
            raise UploadError(
                f"Tệp Excel có hơn {number(MAX_SHARED_STRINGS)} chuỗi văn bản: tệp quá lớn hoặc "
                "có cấu trúc bất thường. Hãy dùng tệp mẫu và chia thành nhiều tệp."
            )


def _looks_like_xml(head):
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith((b"<", b"\xff\xfe", b"\xfe\xff"))


def open_upload(upload, *, deadline=None):
    """Check an uploaded file before any parser sees it; returns its bytes."""
    deadline = deadline if deadline is not None else _deadline(READ_SECONDS)
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise UploadError("Chỉ nhận tệp Excel .xlsx theo mẫu tải về từ hệ thống.")
    too_big = UploadError(f"Tệp lớn hơn {_mb(MAX_UPLOAD_BYTES)}: hãy chia thành nhiều tệp.")
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise too_big
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_big
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UploadError(NOT_XLSX)
    scan = _Scan(deadline)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise UploadError("Tệp Excel có cấu trúc bất thường (quá nhiều thành phần).")
            # Declared sizes bound what zipfile will ever inflate (it stops at file_size).
            if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
                raise UploadError(
                    "Tệp Excel khi giải nén vượt quá "
                    f"{_mb(MAX_UNCOMPRESSED_BYTES)}: tệp không hợp lệ hoặc quá lớn."
                )
            if any(member.file_size > MAX_PART_BYTES for member in members):
                raise UploadError(
                    "Một thành phần của tệp Excel khi giải nén vượt quá "
                    f"{_mb(MAX_PART_BYTES)}: tệp quá lớn hoặc có cấu trúc bất thường. "
                    "Hãy dùng tệp mẫu và chia thành nhiều tệp."
                )
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UploadError(NOT_XLSX)
            for member in members:
                with archive.open(member) as part:
                    # XML wherever it sits and whatever its name (openpyxl follows the
                    # package's relations); images and other binary parts are skipped.
                    if member.filename.endswith((".xml", ".rels")) or _looks_like_xml(
                        part.peek(16)[:16]
                    ):
                        scan.part(part)
    except (expat.ExpatError, ValueError, LookupError) as error:
        # An encoding expat cannot read: a declared multi-byte one other than UTF-8 and UTF-16
        # (<?xml encoding="UTF-16-LE"?>, Shift_JIS…: ValueError) or an unknown name
        # (LookupError). Excel writes none of them.
        raise UploadError(BROKEN) from error
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise UploadError(NOT_XLSX) from error
    return data


def load_workbook(data):
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl and defusedxml raise many kinds; all mean a bad file
        raise UploadError(BROKEN) from error


# One sheet ------------------------------------------------------------------------------------


def _header_text(value):
    return " ".join(str(value).split()) if value is not None else ""


def _formula_error(cell):
    where = getattr(cell, "coordinate", "")
    return UploadError(
        f"Ô {where} chứa công thức. Chỉ nhận giá trị: hãy sao chép và dán dạng giá trị "
        "(Paste Values) rồi tải lên lại."
    )


def _check_header(header, headers):
    found = [_header_text(cell.value) for cell in header]
    while found and not found[-1]:
        found.pop()
    if found == headers:
        return
    missing = [h for h in headers if h not in found]
    unknown = [h for h in found if h and h not in headers]
    detail = []
    if missing:
        detail.append("thiếu cột " + ", ".join(f"“{h}”" for h in missing))
    if unknown:
        detail.append("cột lạ " + ", ".join(f"“{excerpt(h)}”" for h in unknown))
    if not detail:
        detail.append("các cột không đúng thứ tự")
    raise UploadError(
        "Dòng tiêu đề không đúng mẫu: "
        + "; ".join(detail)
        + ". Hãy tải tệp mẫu và giữ nguyên dòng tiêu đề."
    )


def _values(cells, row_number):
    values = []
    for column, cell in enumerate(cells, start=1):
        if cell.data_type == "f":
            raise _formula_error(cell)
        value = cell.value
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise UploadError(
                f"Ô {get_column_letter(column)}{row_number} dài {number(len(value))} ký tự, "
                f"quá {number(MAX_CELL_CHARS)} ký tự cho phép: hãy rút gọn nội dung ô này."
            )
        values.append(value)
    return values


@dataclass
class RawRow:
    number: int
    values: list


def read_rows(workbook, headers, *, sheet_name=None, max_rows, deadline=None):
    """The data rows of one sheet (by name, else the first), after the headers are checked.

    Only the columns of `headers` are read. Every row read counts, blank ones too: past
    `max_rows` + BLANK_ROWS rows under the header the sheet is refused without reading on.
    """
    deadline = deadline if deadline is not None else _deadline(READ_SECONDS)
    width = len(headers)
    row_limit = max_rows + BLANK_ROWS
    try:
        if sheet_name in workbook.sheetnames:
            sheet = workbook[sheet_name]
        else:
            sheet = workbook.worksheets[0]
        # One row past the limit, so that a sheet going on beyond it is seen.
        rows = sheet.iter_rows(min_row=1, max_row=row_limit + 2, max_col=width)
        header = next(rows, None)
        if header is None:
            raise UploadError("Tệp không có dòng tiêu đề. Hãy dùng tệp mẫu.")
        _values(header, 1)
        _check_header(header, headers)
        data_rows = []
        for index, cells in enumerate(rows, start=2):
            _check_time(deadline)
            if index > row_limit + 1:
                raise UploadError(
                    f"Trang tính có hơn {number(row_limit)} dòng dưới dòng tiêu đề (kể cả dòng "
                    "trống): hãy xóa các dòng thừa ở cuối trang tính hoặc chia thành nhiều tệp."
                )
            values = _values(cells, index)
            values = (values + [None] * width)[:width]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values[1:]):
                continue
            data_rows.append(RawRow(number=index, values=values))
            if len(data_rows) > max_rows:
                raise UploadError(
                    f"Tệp có hơn {number(max_rows)} dòng dữ liệu: hãy chia thành nhiều tệp."
                )
    except UploadError:
        raise
    except Exception as error:  # a malformed sheet surfaces while iterating
        raise UploadError(BROKEN) from error
    finally:
        workbook.close()
    if not data_rows:
        raise UploadError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return data_rows


def read_upload(upload, headers, *, sheet_name=None, max_rows, seconds=READ_SECONDS):
    """open_upload + load_workbook + read_rows, all within `seconds`."""
    deadline = _deadline(seconds)
    data = open_upload(upload, deadline=deadline)
    return read_rows(
        load_workbook(data), headers, sheet_name=sheet_name, max_rows=max_rows, deadline=deadline
    )
