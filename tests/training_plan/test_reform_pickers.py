"""Unit pickers read the tree as of their context (issue 18): a plan's pages offer the units of
the plan's year, people's pages the units alive today; an ended unit's records still display."""

import io

import openpyxl
import pytest
from django.urls import reverse

from quotas.forms import NominationFilterForm
from reports.lifecycle import plan_copy_to_year
from tests.factories import PersonFactory
from tests.fixture_2021 import BINH_SON, unit
from tests.helpers import client_for
from training_plan.forms import PersonFilterForm, PersonForm
from training_plan.reform_2025 import reform_2025_record
from training_plan.selectors import plan_list

pytestmark = pytest.mark.django_db

COMMUNE_1 = "dang-uy-xa-minh-hoa-binh-son-1"


@pytest.fixture
def plan_2026(plan_2021, btc_user):
    reform_2025_record()
    return plan_copy_to_year(plan=plan_2021, actor=btc_user, year=2026)


def codes(field):
    return {org.code for org in field.queryset}


def test_nomination_filter_for_2026_does_not_offer_binh_son_for_2021_it_does(
    plan_2021, plan_2026, btc_user
):
    plans = list(plan_list())
    in_2026 = NominationFilterForm(plans=plans, plan=plan_2026, user=btc_user)
    in_2021 = NominationFilterForm(plans=plans, plan=plan_2021, user=btc_user)
    assert BINH_SON not in codes(in_2026.fields["unit"]) and COMMUNE_1 in codes(
        in_2026.fields["unit"]
    )
    assert BINH_SON in codes(in_2021.fields["unit"]) and COMMUNE_1 not in codes(
        in_2021.fields["unit"]
    )
    # the 2021 list filtered by Bình Sơn still validates (its past records display)
    form = NominationFilterForm(
        {"year": "2021", "unit": str(unit(BINH_SON).pk)}, plans=plans, plan=plan_2021, user=btc_user
    )
    assert form.is_valid(), form.errors


def test_nomination_create_page_offers_the_units_of_the_plans_year(
    client, plan_2021, plan_2026, btc_user
):
    client_for(client, btc_user)
    url = reverse("nomination_create")
    in_2026 = client.get(url, {"year": 2026})
    in_2021 = client.get(url, {"year": 2021})
    assert in_2026.status_code == in_2021.status_code == 200
    names_2026 = {org.code for org in in_2026.context["units"]}
    names_2021 = {org.code for org in in_2021.context["units"]}
    assert BINH_SON not in names_2026 and COMMUNE_1 in names_2026
    assert BINH_SON in names_2021 and COMMUNE_1 not in names_2021


def template_unit_codes(client, year):
    response = client.get(reverse("nomination_import_template"), {"year": year})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Mã hợp lệ"]
    return {row[0] for row in sheet.iter_rows(min_col=1, max_col=1, values_only=True)}


def test_import_template_lists_the_units_of_the_plans_year(client, plan_2026, btc_user):
    client_for(client, btc_user)
    assert BINH_SON not in template_unit_codes(client, 2026)
    assert COMMUNE_1 in template_unit_codes(client, 2026)
    assert BINH_SON in template_unit_codes(client, 2021)
    assert COMMUNE_1 not in template_unit_codes(client, 2021)


def test_import_for_an_ended_unit_in_2026_names_no_unit(plan_2026, btc_user):
    from quotas.imports import _Catalogue

    assert BINH_SON.upper() not in _Catalogue(user=btc_user, plan=plan_2026).units
    assert COMMUNE_1.upper() in _Catalogue(user=btc_user, plan=plan_2026).units


def test_person_form_offers_units_alive_today_and_keeps_a_persons_ended_unit(plan_2026, btc_user):
    new = PersonForm(user=btc_user)
    assert BINH_SON not in codes(new.fields["organisation"])
    assert COMMUNE_1 in codes(new.fields["organisation"])
    person = PersonFactory(organisation=unit(BINH_SON))  # not yet placed by a reorganisation
    existing = PersonForm(instance=person, user=btc_user)
    assert BINH_SON in codes(existing.fields["organisation"])


def test_person_filter_offers_ended_units_only_while_they_hold_people(plan_2026, btc_user):
    from training_plan.models import Person

    Person.objects.filter(organisation=unit(BINH_SON)).delete()
    assert BINH_SON not in codes(PersonFilterForm(user=btc_user).fields["organisation"])
    PersonFactory(organisation=unit(BINH_SON))
    assert BINH_SON in codes(PersonFilterForm(user=btc_user).fields["organisation"])
    assert COMMUNE_1 in codes(PersonFilterForm(user=btc_user).fields["organisation"])
