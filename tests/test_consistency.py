"""One way of writing things everywhere (issue 13, 13): organisation names as the plan writes
them, the illustrative badge explained, dates and times as dd/mm/yyyy HH:MM."""

import re

import pytest
from django.urls import reverse

from quotas import services
from tests.factories import PersonFactory
from tests.fixture_2021 import BINH_SON, course, unit
from tests.helpers import client_for, page_text

pytestmark = pytest.mark.django_db


def test_people_read_the_unit_as_the_plan_names_it(client, btc_user):
    unit_ = unit(BINH_SON)
    unit_.short_name = "HU Bình Sơn"
    unit_.save()
    person = PersonFactory(organisation=unit_, full_name="Đặng Thị Tên Đơn Vị")
    text = page_text(client_for(client, btc_user).get(reverse("person_list") + "?q=dang thi ten"))
    assert "Huyện ủy Bình Sơn" in text and "HU Bình Sơn" not in text
    assert person.full_name in text


def test_the_illustrative_badge_points_to_its_explanation(client, btc_user):
    response = client_for(client, btc_user).get(reverse("class_list", args=[2021]))
    html = response.content.decode()
    assert 'href="#illustrative-note"' in html
    assert 'id="illustrative-note"' in html
    assert "các lớp minh họa được lập để cộng đúng tổng đó" in page_text(response)


def test_history_times_read_day_first(client, unit_a_user):
    nomination = services.nomination_create(
        actor=unit_a_user, person=PersonFactory(), course=course("III.1.1")
    )
    text = page_text(client_for(client, unit_a_user).get(nomination.get_absolute_url()))
    assert re.search(r"\b\d\d/\d\d/\d{4} \d\d:\d\d\b", text)
    assert not re.search(r"\b\d\d:\d\d \d\d/\d\d/\d{4}\b", text)
