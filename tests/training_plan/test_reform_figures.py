"""Figures across years after the 2025 reform (issue 18): an ended unit's past figures are shown
under its heir, marked “(trước đây: …)”, in the needs consolidation's last-year figures and in
the unit progress table."""

import datetime

import pytest
from django.urls import reverse

from needs.models import NeedsRound, UnitNeeds
from needs.selectors import consolidation
from quotas.models import Allocation, Nomination
from reports import progress
from reports.lifecycle import plan_copy_to_year
from tests.factories import NominationFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, line, unit
from tests.helpers import client_for, page_text
from training_plan.reform_2025 import reform_2025_record

pytestmark = pytest.mark.django_db

COMMUNE_1 = "dang-uy-xa-minh-hoa-binh-son-1"
HEIR = "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)"


@pytest.fixture
def round_2027(plan_2021):
    reform_2025_record()
    course = line(CAO_CAP).course
    round_ = NeedsRound.objects.create(
        year=2027, block=course.program.block, source_plan=plan_2021,
        deadline=datetime.date(2026, 10, 1),
    )  # fmt: skip
    round_.courses.add(course)
    Nomination.objects.filter(course=course).delete()
    for _ in range(3):
        NominationFactory(unit=unit(BINH_SON), course=course, status=Nomination.Status.ENROLLED)
    return round_


def test_last_year_enrolment_of_binh_son_is_shown_under_its_heir(round_2027):
    UnitNeeds.objects.create(round=round_2027, unit=unit(COMMUNE_1), status="submitted")
    (table,) = consolidation(2027)
    assert [u.code for u in table.units] == [COMMUNE_1]
    assert table.last_by_unit == [3]
    assert table.former[unit(COMMUNE_1).pk] == ["Huyện ủy Bình Sơn"]
    assert table.last_enrolled == 3


def test_consolidation_page_marks_the_heir_column(client, round_2027, btc_user):
    UnitNeeds.objects.create(round=round_2027, unit=unit(COMMUNE_1), status="submitted")
    client_for(client, btc_user)
    text = page_text(client.get(reverse("needs_consolidation", args=[2027])))
    assert "(trước đây: Huyện ủy Bình Sơn)" in text
    assert "Thực hiện năm 2021 của từng đơn vị" in text


def test_heir_without_a_column_is_still_told(round_2027):
    (table,) = consolidation(2027)
    assert table.units == []
    ((heir, names, value),) = table.last_elsewhere
    assert heir.code == COMMUNE_1 and names == ["Huyện ủy Bình Sơn"] and value == 3


def test_unit_progress_shows_an_ended_units_figures_under_its_heir(plan_2021, btc_user):
    reform_2025_record()
    plan = plan_copy_to_year(plan=plan_2021, actor=btc_user, year=2026)
    quota_line = line(CAO_CAP, 2026)
    # recorded before the reorganisation was applied (written directly: the services refuse)
    Allocation.objects.create(quota_line=quota_line, unit=unit(BINH_SON), count=2)
    Allocation.objects.create(quota_line=quota_line, unit=unit(COMMUNE_1), count=1)
    rows = {row.label: row for row in progress.unit_progress(plan)}
    marked = f"{HEIR} (trước đây: Huyện ủy Bình Sơn)"
    assert marked in rows and rows[marked].allocated == 3
    assert "Huyện ủy Bình Sơn" not in rows
    # the 2021 plan keeps Bình Sơn under its own name
    labels_2021 = [row.label for row in progress.unit_progress(plan_2021)]
    assert not any("trước đây" in label for label in labels_2021)
