"""DeferredJoinPaginator: the same pages, in the same order, as Django's Paginator."""

import pytest
from django.core.paginator import Paginator

from quotas.selectors import nomination_list_for_user
from tests.training_plan.doc_factories import NominationFactory, course_of, org
from training_plan.pagination import DeferredJoinPaginator

pytestmark = pytest.mark.django_db


def test_pages_equal_django_paginator_pages(plan_2021, btc_user):
    course = course_of(plan_2021, 2, 3)
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn Cường", "Đỗ Thị Dung", "Ánh Văn Em"] * 3
    for index, name in enumerate(names):
        NominationFactory(
            unit=org("huyen-uy-binh-son"),
            course=course,
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
