"""The reorganisation page reads in a fixed number of queries however much moves (issue 18)."""

import pytest
from django.urls import reverse

from quotas.models import Nomination
from reports.lifecycle import plan_copy_to_year
from tests.factories import AllocationFactory, NominationFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, line, unit
from tests.helpers import client_for, count_queries
from training_plan.models import ReorganisationEvent
from training_plan.reform_2025 import reform_2025_record

pytestmark = pytest.mark.django_db


def test_reorganisation_page_query_count_is_flat(client, plan_2021, btc_user):
    reform_2025_record()
    plan_copy_to_year(plan=plan_2021, actor=btc_user, year=2026)
    event = ReorganisationEvent.objects.get(predecessors__code=BINH_SON)
    client_for(client, btc_user)
    url = reverse("reorganisation_detail", args=[event.pk])
    small = count_queries(client, url)
    positions = ["Bí thư xã Bình Châu", "Phó Bí thư xã Bình Long", "Chuyên viên"]
    for n in range(15):
        PersonFactory(organisation=unit(BINH_SON), position=positions[n % 3])
    AllocationFactory(quota_line=line(CAO_CAP, 2026), unit=unit(BINH_SON), count=20)
    for _ in range(8):
        NominationFactory(
            unit=unit(BINH_SON), quota_line=line(CAO_CAP, 2026), status=Nomination.Status.SUBMITTED
        )
    assert count_queries(client, url) == small
