"""Parameters a browser would never send: an answer in Vietnamese, never a 500."""

import pytest
from django.urls import reverse

from tests.helpers import client_for
from training_plan.web import parse_id, parse_ids

pytestmark = pytest.mark.django_db

ODD_DIGITS = ["²", "٣", "１２", "1e3", "-1", " 1", "9" * 30, ""]


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_only_ascii_digits_make_an_id(value):
    assert parse_id(value) is None


def test_ids_keep_the_good_ones():
    assert parse_ids(["12", "²", "7", "x"]) == [12, 7]


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_bulk_action_with_odd_ids_answers_with_a_message(client, btc_user, value):
    response = client_for(client, btc_user).post(
        reverse("nomination_bulk"), {"action": "verify", "ids": [value]}, follow=True
    )
    assert response.status_code == 200


@pytest.mark.parametrize("value", ODD_DIGITS)
def test_nomination_form_with_an_odd_person_answers(client, btc_user, value):
    response = client_for(client, btc_user).get(reverse("nomination_create"), {"person": value})
    assert response.status_code == 200
