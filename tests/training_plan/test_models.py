import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.fixture_2021 import BINH_SON, unit
from training_plan.models import Person, Plan, User

pytestmark = pytest.mark.django_db


def test_one_plan_per_province_and_year(plan_2021):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            year=2021,
            province="Quảng Ngãi",
            title="trùng",
            issuing_body=plan_2021.issuing_body,
            preamble="",
            purpose="",
            requirements="",
            signer_name="X",
        )


def test_person_keeps_search_and_sort_columns(plan_2021):
    person = Person.objects.create(
        full_name="  Nguyễn   Văn Đức ",
        date_of_birth=dt.date(1985, 3, 1),
        gender=Person.Gender.MALE,
        organisation=unit(BINH_SON),
        category=Person.Category.CIVIL_SERVANT,
    )
    assert person.full_name == "Nguyễn Văn Đức"
    assert person.search_name == "nguyen van duc"
    assert Person.objects.filter(search_name__contains="van duc").get() == person
    assert person.age_in_year(2021) == 36


def test_person_identity_number_must_be_12_digits(plan_2021):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            full_name="Lê Văn B",
            date_of_birth=dt.date(1990, 1, 1),
            gender=Person.Gender.MALE,
            organisation=unit(BINH_SON),
            category=Person.Category.CADRE,
            identity_number="12345",
        )


def test_masked_identity_number(plan_2021):
    person = Person(identity_number="051234567890")
    assert person.masked_identity_number == "•••••••••890"


def test_unit_user_needs_an_organisation(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("x", password="p", role=User.Role.UNIT)


def test_reviewer_of_each_block(btc_user, snv_user, unit_a_user):
    assert btc_user.reviews_block("party") and not btc_user.reviews_block("state")
    assert snv_user.reviews_block("state") and not snv_user.reviews_block("party")
    assert not unit_a_user.reviews_block("party")
