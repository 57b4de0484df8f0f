"""A fuzzer of the nomination import (issue 11, item 11): generated workbooks posted through the
import page by a unit user (quotas/imports.py, training_plan/uploads.py).

Each example builds a package by hand (tests/fuzz/workbooks.py) from valid rows of unit A's
people and a drawn list of changes: sizes, declared dimensions, far and sparse rows, cell lengths
and kinds, many shared strings, XML declarations (other encodings, a DTD, entities), odd zip
members, a broken or foreign file. Each change is known to leave the file valid, to make it
invalid, or either. After the upload:

- the answer is not a 500 and takes under 2 s of CPU (under 6 s of wall-clock time);
- nothing is saved by the upload itself; a confirmation without the page's token saves nothing;
- a file meant valid gets the confirmation, a file meant invalid does not;
- when confirmed, all its rows are saved or none, and the invariants hold (no quota line
  overbooked, no control or invisible character stored: tests/fuzz/invariants.py).

Examples are derandomized and each runs in a savepoint rolled back at its end.
"""

import datetime
import os
import re
import time
import traceback
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotas.imports import HEADERS
from quotas.models import Nomination
from tests import factories
from tests import fixture_2021 as lookup
from tests.fuzz import hostile, invariants
from tests.fuzz.workbooks import EXTERNAL, LAUGHS, Book, Cell
from tests.fuzz.world import build_world
from training_plan import uploads

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECONDS = 2
VALID, INVALID, EITHER = "valid", "invalid", "either"
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def importer(plan_2021, unit_a_user, admin_user_2021):
    world = build_world(plan_2021)
    people = [
        factories.PersonFactory(
            theory_level="",
            full_name=name,
            organisation=lookup.unit(lookup.BINH_SON),
            date_of_birth=dob,
        )
        for name, dob in [
            ("Đặng Thị Hoa", datetime.date(1984, 2, 3)),
            ("Võ Văn Hùng", datetime.date(1986, 7, 8)),
            ("Ngô Thị Lan", datetime.date(1990, 11, 12)),
        ]
    ]
    client = Client(raise_request_exception=False)
    client.force_login(unit_a_user)
    course = world.party
    return {
        "client": client,
        "people": people,
        "course": course.code,
        "line": f"{course.code}-{world.party_line.position}",
        "unit": world.unit_a.code,
    }


def good_row(person, imp, *, kind="inline", note="Cử đi học"):
    return [
        Cell(1, "number"),
        Cell(person.full_name, kind),
        Cell(f"{person.date_of_birth:%d/%m/%Y}", kind),
        None,
        Cell(imp["unit"], kind),
        Cell(imp["course"], kind),
        Cell(imp["line"], kind),
        None,
        None,
        Cell(note, kind) if note else None,
    ]


# --- The changes -------------------------------------------------------------------------------
# Each takes the Book, the drawn data and the fixture's names; returns what it makes of the file.


def shared_strings(book, draw, imp):
    for _, cells in book.rows:
        for cell in cells:
            if cell is not None and cell.kind == "inline":
                cell.kind = "shared"
    return VALID


def no_declaration(book, draw, imp):
    book.declaration = ""
    return VALID


def stored(book, draw, imp):
    book.compression = zipfile.ZIP_STORED
    return VALID


def no_dimension(book, draw, imp):
    book.dimension = None
    return VALID


def other_sheet_name(book, draw, imp):
    book.sheet_name = draw(st.sampled_from(["Sheet1", "Danh sach", "x" * 31]))
    return VALID


def image_member(book, draw, imp):
    book.extra_members.append(("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256))))
    return VALID


def blank_rows_between(book, draw, imp):
    gap = draw(st.sampled_from([10, 500, 900]))
    book.rows = [(number + gap if number > 2 else number, cells) for number, cells in book.rows]
    return VALID


def other_encoding(book, draw, imp):
    """The sheet in another encoding, its declaration saying so or lying."""
    book.encoding = draw(
        st.sampled_from(
            [
                "utf-16",
                "utf-16-le",
                "utf-16-be",
                "utf-32",
                "iso-8859-1",
                "windows-1258",
                "shift_jis",
                "euc-kr",
                "gb18030",
                "cp1252",
                "utf-8",
            ]
        )
    )
    book.declared = draw(st.sampled_from([None, "UTF-8", "UTF-16", "x-unknown", "UTF-7"]))
    return EITHER


def lying_dimension(book, draw, imp):
    book.dimension = draw(st.sampled_from(["A1:XFD1048576", "A1:J1", "A1:A99999999", "ZZ", ""]))
    return EITHER


def far_row(book, draw, imp):
    number = draw(st.sampled_from([1_048_576, 1_048_577, 7_000, 6_003, 2**31, 2**63]))
    book.rows.append((number, [None, Cell("Xa")]))
    return EITHER


def many_shared_strings(book, draw, imp):
    """Shared strings nobody uses, up to the bound, just past it, far past the element bound."""
    book.extra_shared = draw(
        st.sampled_from(
            [1_000, uploads.MAX_SHARED_STRINGS - 10, uploads.MAX_SHARED_STRINGS + 1, 260_000]
        )
    )
    return EITHER


def many_styles(book, draw, imp):
    """Cell formats (openpyxl builds them all when it opens the file)."""
    book.styles = draw(
        st.sampled_from([100, uploads.MAX_PART_ELEMENTS - 10, uploads.MAX_PART_ELEMENTS, 240_000])
    )
    return EITHER


def many_defined_names(book, draw, imp):
    book.defined_names = draw(
        st.sampled_from([10, uploads.MAX_PART_ELEMENTS // 2 - 10, uploads.MAX_PART_ELEMENTS])
    )
    return EITHER


def hostile_note(book, draw, imp):
    """Text Excel can hold in a cell that no note needs: RTL override, zero-width, controls
    written as OOXML escapes (_x0000_), decomposed Vietnamese."""
    value = draw(
        st.sampled_from(
            [
                "\u202eGhi chú",
                "Ghi\u200bchú",
                "Ghi _x0000_ chú",
                "_x001B_[31m",
                "Ghi\ufeffchú\u2066",
                "Nguye\u0303\u0302n",
                "x" * 1000,
            ]
        )
    )
    kind = draw(st.sampled_from(["inline", "shared"]))
    for _, cells in book.rows:
        cells += [None] * (10 - len(cells))
        cells[9] = Cell(value, kind)
    return EITHER


def odd_cells(book, draw, imp):
    """A cell of another kind or value in a template column: numbers, booleans, errors, dates as
    serial numbers, odd digits, far dates, identity numbers as numbers."""
    row = draw(st.sampled_from(book.rows))[1] if book.rows else None
    if row is None:
        return EITHER
    row += [None] * (10 - len(row))
    column = draw(st.integers(0, 9))
    kind = draw(st.sampled_from(["inline", "shared", "number", "bool", "error", "str"]))
    value = draw(
        st.one_of(
            st.sampled_from(hostile.HOSTILE),
            st.sampled_from(
                ["#REF!", "1", "0", "31047", "1e308", "-1", "NaN", "²", "051185000001"]
            ),
        )
    )
    if kind in ("number", "bool", "error"):
        value = re.sub(r"[<>&\"]", "", value)[:50]
    row[column] = Cell(value, kind)
    return EITHER


def hostile_cells(book, draw, imp):
    """Hostile values in every column of an extra row: long, control, RTL, odd digits."""
    cells = [Cell(draw(hostile.hostile_values()), "inline") for _ in range(10)]
    for cell in cells:
        cell.value = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", str(cell.value))
    book.rows.append((max([n for n, _ in book.rows] + [1]) + 1, cells))
    return INVALID if any(c.value.strip() for c in cells[1:]) else EITHER


def formula(book, draw, imp):
    book.rows.append((max([n for n, _ in book.rows] + [1]) + 1, [None, Cell("1+1", "formula")]))
    return INVALID


def long_cell(book, draw, imp):
    size = draw(st.sampled_from([1_001, 32_768, 40_000]))
    book.rows.append((max([n for n, _ in book.rows] + [1]) + 1, [None, Cell("x" * size)]))
    return INVALID


def wide_row(book, draw, imp):
    width = draw(st.sampled_from([200, 16_385]))
    cells = [Cell(1, "number")] * width
    book.rows.append((max([n for n, _ in book.rows] + [1]) + 1, cells))
    return INVALID if width > 16_384 else EITHER


def doctype(book, draw, imp):
    book.doctype = draw(st.sampled_from([LAUGHS, EXTERNAL, "<!DOCTYPE worksheet>\n"]))
    return INVALID


def entity_in_other_part(book, draw, imp):
    xml = ('<?xml version="1.0"?>' + LAUGHS.replace("worksheet", "x") + "<x>&k;</x>").encode()
    book.extra_members.append((draw(st.sampled_from(["xl/x.xml", "docProps/x.bin"])), xml))
    return INVALID


def bad_header(book, draw, imp):
    index = draw(st.integers(0, len(book.headers) - 1))
    book.headers = list(book.headers)
    book.headers[index] = draw(st.sampled_from(["", "Họ tên", "\u202eHọ và tên", "x" * 2000]))
    return INVALID


def unknown_person(book, draw, imp):
    row = good_row(imp["people"][0], imp)
    row[1] = Cell("Người Không Có Thật")
    book.rows.append((max([n for n, _ in book.rows] + [1]) + 1, row))
    return INVALID


def odd_members(book, draw, imp):
    names = draw(
        st.lists(
            st.sampled_from(
                [
                    "../../evil.xml",
                    "/abs.xml",
                    "xl/worksheets/../../up.xml",
                    "xl/media/",
                    "Ünïcødé/ñ.xml",
                    "x" * 250,
                    "xl/embeddings/inner.xlsx",
                    "xl/worksheets/sheet1.xml",  # a duplicate name
                ]
            ),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    for name in names:
        data = b"<x/>" if name.endswith(".xml") else b"PK\x03\x04 not really a zip"
        book.extra_members.append((name, data))
    return EITHER


def many_members(book, draw, imp):
    count = draw(st.sampled_from([150, 201, 1_000]))
    book.extra_members += [(f"xl/media/image{n}.png", b"\x89PNG") for n in range(count)]
    return INVALID if count + 6 > 200 else VALID


CHANGES = [
    shared_strings,
    no_declaration,
    stored,
    no_dimension,
    other_sheet_name,
    image_member,
    blank_rows_between,
    other_encoding,
    lying_dimension,
    far_row,
    many_shared_strings,
    many_styles,
    many_defined_names,
    hostile_note,
    odd_cells,
    hostile_cells,
    formula,
    long_cell,
    wide_row,
    doctype,
    entity_in_other_part,
    bad_header,
    unknown_person,
    odd_members,
    many_members,
]
# What happens to the finished bytes or the file's name.
BYTE_CHANGES = ["none", "truncated", "not_zip", "empty", "wrong_name"]


def combine(verdicts):
    if INVALID in verdicts:
        return INVALID
    if EITHER in verdicts:
        return EITHER
    return VALID


@st.composite
def workbooks(draw, imp, only=None):
    count = draw(st.sampled_from([1, 2, 3, 0]), label="people")
    rows = [
        (number, good_row(person, imp))
        for number, person in enumerate(imp["people"][:count], start=2)
    ]
    book = Book(list(HEADERS), rows)
    if only is None:
        changes = draw(st.lists(st.sampled_from(CHANGES), max_size=3, unique=True), label="changes")
    else:
        changes = [only]
    verdicts = [change(book, draw, imp) for change in changes]
    if not rows and not any(n > 1 for n, _ in book.rows):
        verdicts.append(INVALID)  # no data row
    content, name = book.build(), "danh-sach.xlsx"
    last = "none"
    if only is None:
        last = draw(st.sampled_from(["none"] * 8 + BYTE_CHANGES[1:]), label="bytes")
    if last == "truncated":
        content = content[: draw(st.integers(0, len(content) - 1))]
    elif last == "not_zip":
        content = b"<html>" + bytes(range(256)) * 4
    elif last == "empty":
        content = b""
    elif last == "wrong_name":
        name = draw(st.sampled_from(["danh-sach.xls", "danh-sach.xlsx.exe", "\u202exslx.exe"]))
    if last != "none":
        verdicts.append(INVALID)
    return content, name, combine(verdicts), count, [c.__name__ for c in changes] + [last]


def _traceback(response):
    if getattr(response, "exc_info", None):
        return "".join(traceback.format_exception(*response.exc_info))[-3000:]
    return ""


def _saved():
    return Nomination.objects.count()


@transaction.atomic
def _in_savepoint(function):
    try:
        function()
    finally:
        transaction.set_rollback(True)


def upload(imp, content, name, submit_now):
    data = {"file": SimpleUploadedFile(name, content, content_type=XLSX)}
    if submit_now:
        data["submit_now"] = "on"
    start, cpu = time.monotonic(), time.thread_time()
    response = imp["client"].post(reverse("nomination_import") + "?year=2021", data)
    return response, time.monotonic() - start, time.thread_time() - cpu


def check_example(imp, content, name, expected, count, changes, submit_now):
    before = _saved()
    response, elapsed, cpu = upload(imp, content, name, submit_now)
    what = f"{changes} ({len(content):,} bytes, meant {expected})"
    assert response.status_code < 500, f"{what}: 500 on upload\n{_traceback(response)}"
    # The request's own CPU time: what the worker spends, whatever else runs on the machine
    # (wall-clock time only catches a wait: a lock, a sleep).
    assert cpu < SECONDS, f"{what}: answered after {cpu:.1f} s of CPU"
    assert elapsed < 3 * SECONDS, f"{what}: answered after {elapsed:.1f} s"
    assert _saved() == before, f"{what}: the upload alone saved nominations"
    token = TOKEN.search(response.content.decode())
    if os.environ.get("FUZZ_LOG"):  # FUZZ_LOG=path: a line per example, to see the cases
        page = response.content.decode()
        found = re.search(r"invalid-feedback[^>]*>(.*?)</", page, re.S) or re.search(
            r"alert-danger[^>]*>(.*?)</", page, re.S
        )
        message = re.sub(r"<[^>]+>", "", found.group(1)).strip()[:110] if found else ""
        with open(os.environ["FUZZ_LOG"], "a") as log:
            log.write(f"{what} {elapsed:.2f}s cpu {cpu:.2f}s token={bool(token)} {message}\n")
    if expected == VALID:
        assert token, f"{what}: a valid file was not offered for confirmation"
    if expected == INVALID:
        assert not token, f"{what}: an invalid file was offered for confirmation"
    # A confirmation without the page's token saves nothing.
    stale = imp["client"].post(reverse("nomination_import_confirm"), {"token": "cũ\x00²"})
    assert stale.status_code < 500 and _saved() == before, f"{what}: confirmed without the token"
    if token:
        snap = invariants.snapshot()
        response = imp["client"].post(
            reverse("nomination_import_confirm"), {"token": token.group(1)}
        )
        assert response.status_code < 500, f"{what}: 500 on confirmation\n{_traceback(response)}"
        saved = _saved() - before
        assert saved in (0, count), f"{what}: {saved} of {count} rows saved (all or nothing)"
        found = invariants.changes(snap, invariants.snapshot())
        broken = invariants.broken_invariants(found)
        assert not broken, f"{what}: {broken}"


def test_a_valid_workbook_is_saved(importer):
    """The fuzzer's own baseline: the hand-made package of three good rows imports."""
    book = Book(
        list(HEADERS), [(n, good_row(p, importer)) for n, p in enumerate(importer["people"], 2)]
    )
    before = _saved()
    response, _, _ = upload(importer, book.build(), "danh-sach.xlsx", False)
    token = TOKEN.search(response.content.decode())
    assert token, response.content.decode()[:3000]
    importer["client"].post(reverse("nomination_import_confirm"), {"token": token.group(1)})
    assert _saved() == before + 3


SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_each_change_on_a_valid_file(importer, change):
    """Each change alone, on one to three valid rows."""

    @settings(max_examples=4, **SETTINGS)
    @given(data=st.data())
    def run(data):
        content, name, expected, count, changes = data.draw(
            workbooks(importer, only=change), label="workbook"
        )
        _in_savepoint(
            lambda: check_example(importer, content, name, expected, count, changes, False)
        )

    run()


@settings(max_examples=120, **SETTINGS)
@given(data=st.data())
def test_fuzz_import_workbooks(importer, data):
    """Up to three changes together, and broken, foreign or misnamed files."""
    content, name, expected, count, changes = data.draw(workbooks(importer), label="workbook")
    submit_now = data.draw(st.booleans(), label="submit_now")
    _in_savepoint(
        lambda: check_example(importer, content, name, expected, count, changes, submit_now)
    )
