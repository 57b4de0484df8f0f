"""One person, one record: identity numbers checked against birth and gender, names in title
case, duplicates anywhere in the province stopped with the unit that holds them, transfers."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from quotas import imports
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, unit
from tests.helpers import client_for, page_text
from tests.quotas.test_nomination_import import post_upload, row, workbook_bytes
from training_plan.models import Person, PersonTransfer
from training_plan.services import (
    DuplicatePerson,
    person_create,
    person_transfer_decide,
    person_transfer_request,
)
from training_plan.text import identity_number_problem, name_case, name_sort_key, normalise_search

pytestmark = pytest.mark.django_db


def data(**overrides):
    return {
        "full_name": "Đinh Thị Lan",
        "date_of_birth": dt.date(1990, 4, 12),
        "gender": Person.Gender.FEMALE,
        "organisation": unit(BINH_SON),
        "category": Person.Category.CIVIL_SERVANT,
        "identity_number": "051190004321",
    } | overrides


@pytest.mark.parametrize(
    "number, born, gender, ok",
    [
        ("051190004321", dt.date(1990, 4, 12), "female", True),
        ("051090004321", dt.date(1990, 4, 12), "male", True),
        ("051203004321", dt.date(2003, 1, 1), "male", True),
        ("051303004321", dt.date(2003, 1, 1), "female", True),
        ("051090004321", dt.date(1990, 4, 12), "female", False),  # century-gender digit
        ("051191004321", dt.date(1990, 4, 12), "female", False),  # year digits
        ("051290004321", dt.date(1990, 4, 12), "male", False),  # 2000s digit for a 1990 birth
    ],
)
def test_identity_number_agrees_with_birth_and_gender(number, born, gender, ok):
    problem = identity_number_problem(number, date_of_birth=born, gender=gender)
    assert (problem == "") is ok, problem


def test_identity_number_disagreeing_is_refused_with_a_message(plan_2021, btc_user):
    with pytest.raises(ValidationError, match="chữ số thứ 5–6 là 91, nhưng năm sinh là 1990"):
        person_create(actor=btc_user, data=data(identity_number="051191004321"))
    assert not Person.objects.filter(full_name="Đinh Thị Lan").exists()


@pytest.mark.parametrize(
    "typed", ["đinh thị lan", "ĐINH THỊ LAN", "  đinh   THỊ lan ", "Đinh Thị Lan"]
)
def test_names_are_stored_in_title_case(plan_2021, btc_user, typed):
    person = person_create(actor=btc_user, data=data(full_name=typed))
    assert person.full_name == "Đinh Thị Lan"
    assert person.search_name == normalise_search("Đinh Thị Lan")
    assert person.sort_key == name_sort_key("Đinh Thị Lan")


def test_name_case_keeps_a_mixed_case_word():
    assert name_case("h'Hen niê") == "h'Hen Niê"
    assert name_case("nguyễn văn thành") == "Nguyễn Văn Thành"


def test_same_name_and_birth_in_another_unit_is_stopped(plan_2021, unit_b_user, btc_user):
    held = person_create(actor=btc_user, data=data(identity_number=""))
    with pytest.raises(DuplicatePerson, match="đã có hồ sơ tại Huyện ủy Bình Sơn") as caught:
        person_create(actor=unit_b_user, data=data(full_name="dinh thi lan", identity_number=""))
    assert caught.value.existing == held
    assert Person.objects.count() == 1


def test_the_form_offers_a_transfer_then_the_holding_unit_accepts(
    client, plan_2021, unit_a_user, unit_b_user
):
    held = PersonFactory(**{k: v for k, v in data().items() if k != "organisation"})
    nomination = NominationFactory(person=held)
    posted = {
        "full_name": "Đinh Thị Lan",
        "date_of_birth": "12/04/1990",
        "gender": "female",
        "category": "cong_chuc",
        "identity_number": "051190004321",
    }
    client_for(client, unit_b_user)
    response = client.post(reverse("person_create"), posted)
    page = page_text(response)
    assert "đã có hồ sơ tại Huyện ủy Bình Sơn" in page
    assert "Đề nghị chuyển hồ sơ từ Huyện ủy Bình Sơn về đơn vị" in page
    response = client.post(reverse("person_transfer_request"), posted)
    assert response.status_code == 302
    transfer = PersonTransfer.objects.get()
    assert (transfer.from_unit, transfer.to_unit) == (unit(BINH_SON), unit(SON_TINH))
    # The requesting unit cannot accept it; the holding unit can.
    url = reverse("person_transfer_decide", args=[transfer.pk, "accept"])
    assert client.post(url).status_code == 403
    client_for(client, unit_a_user)
    assert client.post(url).status_code == 302
    held.refresh_from_db()
    assert held.organisation == unit(SON_TINH)
    # With all the history: the nomination stays the person's, the new unit reads the record.
    client_for(client, unit_b_user)
    assert client.get(reverse("person_training", args=[held.pk])).status_code == 200
    assert nomination.person_id == held.pk
    client_for(client, unit_a_user)
    assert client.get(reverse("person_detail", args=[held.pk])).status_code == 404


def test_transfer_declined_leaves_the_person(plan_2021, btc_user, unit_b_user):
    held = PersonFactory(**{k: v for k, v in data().items() if k != "organisation"})
    transfer = person_transfer_request(actor=unit_b_user, data=data())
    person_transfer_decide(actor=btc_user, transfer=transfer, accept=False)
    held.refresh_from_db()
    assert held.organisation == unit(BINH_SON)
    with pytest.raises(ValidationError, match="đã được xử lý"):
        person_transfer_decide(actor=btc_user, transfer=transfer, accept=True)


def test_import_names_the_unit_holding_the_record(client, plan_2021, unit_b_user):
    held = PersonFactory(full_name="Đinh Thị Lan", date_of_birth=dt.date(1990, 4, 12))
    rows = [row(1, held, "III.1.1")]
    client_for(client, unit_b_user)
    response = post_upload(client, workbook_bytes(rows))
    errors = response.context["rows"][0].errors
    assert any("đã có hồ sơ tại Huyện ủy Bình Sơn" in error for error in errors), errors
    assert imports  # the import module is the path under test
