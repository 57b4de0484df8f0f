"""Copy to next year after the 2025 reform: units not alive in the new year are not copied;
their one successor takes their place, otherwise BTC decides (issue 18)."""

import pytest
from django.urls import reverse

from courses.models import Program
from reports.lifecycle import plan_copy_to_year, plan_copy_unit_changes
from tests.fixture_2021 import BINH_SON, unit
from tests.helpers import client_for, page_text
from training_plan.models import Responsibility
from training_plan.reform_2025 import reform_2025_record

pytestmark = pytest.mark.django_db

DISTRICT_BTVS = "btv-cap-huyen"  # Ban Thường vụ các huyện ủy…: ended, no successor recorded


@pytest.fixture
def reform(plan_2021):
    reform_2025_record()


@pytest.fixture
def plan_2022(reform, plan_2021, btc_user):
    """A plan before the reform naming Kon Tum's UBND (one successor) and Bình Sơn (two)."""
    plan = plan_copy_to_year(plan=plan_2021, actor=btc_user, year=2022)
    assert plan.unit_changes == []  # every unit of 2021 is alive in 2022
    first = Responsibility.objects.filter(plan=plan).order_by("position").first()
    first.body = unit("ubnd-tinh-kon-tum")
    first.save()
    program = Program.objects.filter(section__plan=plan).order_by("pk").first()
    program.directing_body = unit(BINH_SON)
    program.save()
    return plan


def test_2021_copied_to_2026_leaves_out_the_dissolved_district_bodies(plan_2021, reform, btc_user):
    old_bodies = set(
        Responsibility.objects.filter(plan=plan_2021).values_list("body__code", flat=True)
    )
    assert DISTRICT_BTVS in old_bodies
    plan = plan_copy_to_year(plan=plan_2021, actor=btc_user, year=2026)
    new_bodies = set(Responsibility.objects.filter(plan=plan).values_list("body__code", flat=True))
    assert new_bodies == old_bodies - {DISTRICT_BTVS}
    assert not Program.objects.filter(
        section__plan=plan, implementing_body__code=DISTRICT_BTVS
    ).exists()
    assert {change.unit.code for change in plan.unit_changes} == {DISTRICT_BTVS}
    assert all(change.to_decide and not change.candidates for change in plan.unit_changes)
    # the 2021 plan keeps its bodies
    assert (
        set(Responsibility.objects.filter(plan=plan_2021).values_list("body__code", flat=True))
        == old_bodies
    )
    assert Program.objects.filter(
        section__plan=plan_2021, implementing_body__code=DISTRICT_BTVS
    ).exists()


def test_one_successor_takes_the_place_two_are_left_for_btc(plan_2022, btc_user):
    preview = plan_copy_unit_changes(plan_2022, 2026)
    plan = plan_copy_to_year(plan=plan_2022, actor=btc_user, year=2026)
    assert [str(c) for c in preview] == [str(c) for c in plan.unit_changes]
    by_unit = {change.unit.code: change for change in plan.unit_changes}
    kon_tum = by_unit["ubnd-tinh-kon-tum"]
    assert kon_tum.successor.code == "ubnd-tinh" and not kon_tum.to_decide
    first = Responsibility.objects.filter(plan=plan).order_by("position").first()
    assert first.body.code == "ubnd-tinh"
    binh_son = by_unit[BINH_SON]
    assert binh_son.to_decide
    assert [org.code for org in binh_son.candidates] == [
        "dang-uy-xa-minh-hoa-binh-son-1",
        "dang-uy-xa-minh-hoa-binh-son-2",
    ]
    program = Program.objects.filter(section__plan=plan).order_by("pk").first()
    assert program.directing_body is None
    assert "BTC chọn trong: Đảng ủy xã minh họa 1" in str(binh_son)


def test_copy_page_shows_what_happens_to_ended_units_and_the_result(client, plan_2022, btc_user):
    from training_plan.models import Plan

    # the 2022 plan's next year is 2023: nothing ended yet
    client_for(client, btc_user)
    page = page_text(client.get(reverse("plan_copy", args=[2022])))
    assert "Đơn vị không còn hoạt động" not in page
    plan_2025 = plan_copy_to_year(plan=plan_2022, actor=btc_user, year=2025)
    assert plan_2025.unit_changes == []  # Bình Sơn lived part of 2025
    page = page_text(client.get(reverse("plan_copy", args=[2025])))
    assert "Đơn vị không còn hoạt động trong năm 2026" in page
    assert "Chuyển sang Ủy ban nhân dân tỉnh" in page
    assert "BTC chọn trong: Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)" in page
    response = client.post(reverse("plan_copy", args=[2025]), follow=True)
    text = page_text(response)
    assert Plan.objects.filter(year=2026).exists()
    assert "chuyển sang đơn vị kế thừa: Trách nhiệm" in text
    assert "Ủy ban nhân dân tỉnh Kon Tum → Ủy ban nhân dân tỉnh" in text
    assert "Không sao chép, BTC cần quyết định" in text
    assert "Huyện ủy Bình Sơn đã kết thúc; BTC chọn trong" in text
