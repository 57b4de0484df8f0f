import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.fixture_2021 import BINH_SON, unit
from training_plan.models import Organisation, Person, Plan, User

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


def test_units_come_in_one_vietnamese_alphabetical_order(plan_2021):
    from training_plan.selectors import units

    added = ["Vĩnh Test", "Đảng ủy Zeta", "Ban A", "Ủy ban Bình", "Ea Súp"]
    for number, name in enumerate(added):
        code = f"order-test-{number}"
        Organisation.objects.create(
            code=code, name=name, kind=Organisation.Kind.UNIT, level=Organisation.Level.PROVINCE
        )
    names = [unit.name for unit in units()]
    # Every fixture unit got its key when loaded (loaddata skips save(), not pre_save).
    assert all(Organisation.objects.values_list("sort_key", flat=True))
    # Đ between D and E, Ủ (U) before V — a byte order would put both after Z.
    expected = ["Ban A", "Đảng ủy Zeta", "Ea Súp", "Ủy ban Bình", "Vĩnh Test"]
    assert [name for name in names if name in added] == expected
    assert names.index("Huyện ủy Bình Sơn") < names.index("Huyện ủy Sơn Tịnh")
    assert names == sorted(names, key=lambda n: Organisation.objects.get(name=n).sort_key)
