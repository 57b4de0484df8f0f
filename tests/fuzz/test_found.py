"""What the fuzzers found, one plain test each (each failed before its fix)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from quotas.imports import HEADERS
from quotas.models import Nomination
from tests.fuzz.workbooks import Book, Cell
from tests.fuzz.world import build_world
from tests.helpers import client_for, page_text
from training_plan import uploads

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("target", ["²", "nomination_list", "javascript:alert(1)", ""])
def test_bulk_action_goes_back_only_to_a_path_of_the_site(client, btc_user, target):
    # `redirect("²")` took the word for a URL name: NoReverseMatch, a 500.
    response = client_for(client, btc_user).post(
        reverse("nomination_bulk"), {"action": "verify", "confirm": "1", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("nomination_list")


@pytest.mark.parametrize("value", ["-9223372036854775809", str(2**63), str(10**30), "²"])
def test_enrolling_an_id_beyond_bigint_answers_with_a_message(client, snv_user, plan_2021, value):
    # SQLite: OverflowError from `pk__in` in ModelMultipleChoiceField, a 500.
    world = build_world(plan_2021)
    url = reverse("class_enrol", args=[world.classes["state"].pk])
    response = client_for(client, snv_user).post(url, {"nominations": value}, follow=True)
    assert response.status_code == 200
    assert "Mã hồ sơ không hợp lệ." in page_text(response)


def one_row_book(**fields):
    row = [Cell(1, "number"), Cell("Nguyễn Văn An"), Cell("05/03/1985"), None, None, Cell("II.3")]
    return Book(list(HEADERS), [(2, row)], **fields)


def read(book):
    return uploads.read_upload(
        SimpleUploadedFile("a.xlsx", book.build()), HEADERS, sheet_name="Danh sách cử", max_rows=5
    )


@pytest.mark.parametrize(
    "encoding, declared",
    [("utf-16-le", None), ("utf-16-be", None), ("shift_jis", None), ("utf-8", "x-unknown")],
)
def test_an_encoding_expat_cannot_read_is_refused(encoding, declared):
    # ValueError “multi-byte encodings are not supported”, LookupError “unknown encoding”: 500s.
    with pytest.raises(uploads.UploadError, match="Không đọc được tệp Excel"):
        read(one_row_book(encoding=encoding, declared=declared))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"extra_shared": 245_000}, "Tệp Excel có hơn 40.000 chuỗi văn bản"),
        ({"styles": 240_000}, "với hơn 20.000 phần tử"),
        ({"defined_names": 160_000}, "với hơn 20.000 phần tử"),
    ],
)
def test_what_openpyxl_builds_at_once_is_bounded(fields, message):
    # Before: 245.000 shared strings took 2,9 s, 240.000 cell formats 5,3 s, 160.000 defined
    # names 2,3 s, all before the first time check.
    start = time.thread_time()
    with pytest.raises(uploads.UploadError, match=message):
        read(one_row_book(**fields))
    assert time.thread_time() - start < 2


def test_at_the_bounds_a_file_is_read_within_two_seconds():
    start = time.thread_time()  # CPU time: the same on a loaded machine
    read(one_row_book(extra_shared=uploads.MAX_SHARED_STRINGS - 5, styles=19_990))
    assert time.thread_time() - start < 2


def test_imported_notes_are_stored_clean(client, unit_a_user, plan_2021):
    # The import saves in bulk, without the models' pre_save cleaning: the note kept a
    # right-to-left override and zero-width spaces.
    from tests import factories
    from tests import fixture_2021 as lookup

    world = build_world(plan_2021)
    person = factories.PersonFactory(
        theory_level="", full_name="Đặng Thị Hoa", organisation=lookup.unit(lookup.BINH_SON)
    )
    row = [
        Cell(1, "number"),
        Cell(person.full_name),
        Cell(f"{person.date_of_birth:%d/%m/%Y}"),
        None,
        None,
        Cell(world.party.code),
        Cell(f"{world.party.code}-{world.party_line.position}"),
        None,
        None,
        Cell("\u202eGhi\u200bchú\ufeff"),
    ]
    content = Book(list(HEADERS), [(2, row)]).build()
    client = client_for(client, unit_a_user)
    response = client.post(
        reverse("nomination_import"), {"file": SimpleUploadedFile("a.xlsx", content, XLSX)}
    )
    token = response.context["token"]
    client.post(reverse("nomination_import_confirm"), {"token": token})
    assert Nomination.objects.get(person=person).note == "Ghichú"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_unit_code_with_a_nul_names_no_unit(client, btc_user, method):
    # PostgreSQL: DataError “text fields cannot contain NUL (0x00) bytes” from
    # `units.filter(code=…)`, a 500 (SQLite compares it).
    response = getattr(client_for(client, btc_user), method)(
        reverse("nomination_create") + "?unit=huyen-uy-binh-son%00", {"note": "x"}
    )
    assert response.status_code == 200
    assert response.context["unit"] is None
