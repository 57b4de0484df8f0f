"""DeferredJoinPaginator: the same pages, in the same order, as Django's Paginator."""

import pytest
from django.core.paginator import Paginator

from quotas.selectors import nomination_list_for_user
from tests import fixture_2021
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON
from training_plan.pagination import DeferredJoinPaginator

pytestmark = pytest.mark.django_db


def test_pages_equal_django_paginator_pages(plan_2021, btc_user):
    course = fixture_2021.course("II.3.1")
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Cường", "Đỗ Thị Dung", "Ánh Văn Em"] * 3
    for index, name in enumerate(names):
        NominationFactory(
            unit=fixture_2021.unit(BINH_SON),
            course=course,
            status="submitted",
            person__full_name=f"{name} {index}",
        )
    nominations = nomination_list_for_user(btc_user, plan=plan_2021)
    plain, deferred = Paginator(nominations, 4), DeferredJoinPaginator(nominations, 4)
    assert deferred.num_pages == plain.num_pages == 4
    for number in plain.page_range:
        expected = [n.pk for n in plain.page(number)]
        page = deferred.page(number)
        assert [n.pk for n in page] == expected
        assert page.has_next() == (number < 4)
    last = deferred.page(4)
    assert len(last) == 3 and last[0].person.full_name  # joined rows come with the page
    assert hasattr(last[0], "from_reserve")  # annotations kept


def test_counts_stop_at_the_cap_and_the_pages_say_so(client, plan_2021, btc_user, monkeypatch):
    """COUNT(*) of a national list is most of its SQL: the lists count at most cap + 1 rows and
    then read “hơn …” without a last page. Here the cap is 3 rows, the people's pages 2 rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.helpers import client_for, page_text
    from training_plan.pagination import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "count_cap", 3)
    monkeypatch.setattr("training_plan.views.PEOPLE_PER_PAGE", 2)
    unit = fixture_2021.unit(BINH_SON)
    for index in range(6):
        PersonFactory(full_name=f"Người {index:03d}", organisation=unit)
    client_for(client, btc_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("person_list"))
    text = page_text(response)
    count_sql = next(q["sql"] for q in queries if "COUNT(" in q["sql"].upper())
    assert "LIMIT 4" in count_sql
    assert "Tìm thấy hơn 3 người · trang 1. Hãy lọc" in text
    assert ">Cuối</a>" not in response.content.decode() and ">Sau</a>" in response.content.decode()
    assert len(client.get(reverse("person_list"), {"page": 2}).context["page"]) > 0

    course = fixture_2021.course("II.3.1")
    for index in range(5):
        NominationFactory(
            unit=unit, course=course, status="submitted", person__full_name=f"Học viên {index}"
        )
    text = page_text(client.get(reverse("nomination_list")))
    assert "Hơn 3 hồ sơ · trang 1. Hãy lọc để thu hẹp danh sách." in text

    monkeypatch.setattr(CappedCountPaginator, "count_cap", 1000)
    text = page_text(client.get(reverse("nomination_list")))
    assert "5 hồ sơ" in text and "Hơn" not in text


def test_the_one_pagination_template_keeps_every_other_parameter(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/classes/1/", {"status": "submitted", "unit": "binh-son", "page": "2"})
    candidates = Paginator(range(300), 100).page(2)
    html = render_to_string("_pagination.html", {"page": candidates, "param": "cpage"}, request)
    # The second list of the page moves on its own parameter; the first list's page and the
    # filters stay as they are.
    assert 'href="?status=submitted&amp;unit=binh-son&amp;page=2&amp;cpage=3"' in html
    assert 'href="?status=submitted&amp;unit=binh-son&amp;page=2&amp;cpage=1"' in html
    assert "Trang 2 / 3" in html and 'aria-current="page"' in html

    default = render_to_string("_pagination.html", {"page": candidates}, request)
    assert 'href="?status=submitted&amp;unit=binh-son&amp;page=3"' in default
