"""A seat added by an allocation change goes to the unit's first reserve nomination."""

import pytest

from quotas.allocations import allocation_move, allocation_set
from quotas.models import Allocation, Nomination
from tests import fixture_2021
from tests.factories import PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH

pytestmark = pytest.mark.django_db


def reserve(line, unit, name, since):
    return Nomination.objects.create(
        person=PersonFactory(full_name=name, organisation=unit),
        course=line.course,
        quota_line=line,
        unit=unit,
        status=Nomination.Status.RESERVE,
        reserve_since=since,
    )


def test_allocation_increase_promotes_reserves_in_order(btc_user):
    from django.utils import timezone

    line = fixture_2021.line(CAO_CAP)
    unit = fixture_2021.unit(BINH_SON)
    other = fixture_2021.unit(SON_TINH)
    now = timezone.now()
    second = reserve(line, unit, "Trần Văn Hai", now)
    first = reserve(line, unit, "Lê Văn Một", now - timezone.timedelta(hours=1))
    third = reserve(line, unit, "Phạm Văn Ba", now + timezone.timedelta(hours=1))
    allocation_set(actor=btc_user, quota_line=line, unit=unit, count=1)
    statuses = {n.pk: n.status for n in Nomination.objects.all()}
    assert statuses[first.pk] == Nomination.Status.SUBMITTED
    assert statuses[second.pk] == statuses[third.pk] == Nomination.Status.RESERVE
    first.refresh_from_db()
    assert first.transitions.last().actor == btc_user

    allocation_set(actor=btc_user, quota_line=line, unit=other, count=3)
    allocation_move(actor=btc_user, quota_line=line, from_unit=other, to_unit=unit, count=1)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == Nomination.Status.SUBMITTED
    assert third.status == Nomination.Status.RESERVE
    assert Allocation.objects.get(quota_line=line, unit=unit).count == 2
