"""Organisations that change over time: the tree as of a date, the 2025 reform as data, plans
reading the units of their own year, and a reorganisation applied once (issue 18)."""

import datetime

import pytest
from django.urls import reverse

from inbox.models import Notice
from needs.selectors import consolidation
from quotas.models import Allocation, Nomination
from reports.lifecycle import plan_copy_to_year
from reports.reorganisation import reorganisation_preview
from tests.factories import AllocationFactory, NominationFactory, PersonFactory, UserFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH, line, unit
from tests.helpers import client_for, page_text
from training_plan import selectors
from training_plan.models import Person, ReorganisationEvent
from training_plan.reform_2025 import reform_2025_record

pytestmark = pytest.mark.django_db

COMMUNE_1 = "dang-uy-xa-minh-hoa-binh-son-1"
COMMUNE_2 = "dang-uy-xa-minh-hoa-binh-son-2"


@pytest.fixture
def reform(plan_2021):
    reform_2025_record()
    return ReorganisationEvent.objects.get(predecessors__code=BINH_SON)


@pytest.fixture
def plan_2026(reform, btc_user, plan_2021):
    return plan_copy_to_year(plan=plan_2021, actor=btc_user, year=2026)


def tree_names(client, date):
    response = client.get(reverse("organisation_list"), {"date": date})
    assert response.status_code == 200
    return [org.name for org, _ in response.context["rows"]]


def test_tree_as_of_30_06_2025_shows_binh_son_and_as_of_01_07_2025_its_successors(
    client, reform, unit_b_user
):
    client_for(client, unit_b_user)
    before = tree_names(client, "30/06/2025")
    after = tree_names(client, "01/07/2025")
    assert "Huyện ủy Bình Sơn" in before
    assert "Tỉnh ủy Kon Tum" in before
    assert "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)" not in before
    assert "Huyện ủy Bình Sơn" not in after
    assert "Tỉnh ủy Kon Tum" not in after
    assert "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)" in after
    assert "Đảng ủy xã minh họa 2 (địa bàn huyện Bình Sơn cũ)" in after
    assert "Tỉnh ủy Quảng Ngãi" in before and "Tỉnh ủy Quảng Ngãi" in after


def test_unit_page_shows_end_successors_and_the_act(client, reform, unit_b_user):
    client_for(client, unit_b_user)
    text = page_text(client.get(reverse("organisation_detail", args=[BINH_SON])))
    assert "30/06/2025" in text
    assert "Nghị quyết 60-NQ/TW ngày 12/04/2025 của Ban Chấp hành Trung ương Đảng" in text
    assert "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ) (kế thừa chính)" in text
    successor = page_text(client.get(reverse("organisation_detail", args=[COMMUNE_1])))
    assert "Thông tin chưa đầy đủ" in successor
    assert "Huyện ủy Bình Sơn" in successor


def test_tree_bad_date_says_so_and_shows_today(client, reform, unit_b_user):
    client_for(client, unit_b_user)
    response = client.get(reverse("organisation_list"), {"date": "31/02/2025"})
    assert response.status_code == 200
    assert "Ngày 31/02/2025 không tồn tại" in page_text(response)
    assert response.context["day"] == datetime.date.today()


def test_tree_query_count_is_flat(client, reform, unit_b_user, django_assert_max_num_queries):
    from tests.helpers import count_queries

    client_for(client, unit_b_user)
    url = reverse("organisation_list") + "?date=01/07/2025"
    small = count_queries(client, url)
    reform_2025_record()  # idempotent: nothing doubles
    for n in range(20):
        unit(BINH_SON).children.create(
            code=f"chi-bo-{n}", name=f"Chi bộ {n}", kind="unit", level="commune"
        )
    assert count_queries(client, url) == small


def test_units_of_a_plan_are_those_alive_in_its_year(reform):
    in_2021 = {org.code for org in selectors.units(year=2021)}
    in_2025 = {org.code for org in selectors.units(year=2025)}
    in_2026 = {org.code for org in selectors.units(year=2026)}
    assert BINH_SON in in_2021 and COMMUNE_1 not in in_2021
    assert BINH_SON in in_2025 and COMMUNE_1 in in_2025  # both lived part of 2025
    assert BINH_SON not in in_2026 and SON_TINH not in in_2026 and COMMUNE_1 in in_2026


def test_2026_allocation_grid_lists_only_units_alive_in_2026(client, plan_2026, btc_user):
    client_for(client, btc_user)
    course = line(CAO_CAP, 2026).course
    grid = client.get(reverse("allocation_grid", args=[2026, course.pk]))
    names = [row["unit"].name for row in grid.context["rows"]]
    assert "Huyện ủy Bình Sơn" not in names
    assert "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)" in names
    old = client.get(reverse("allocation_grid", args=[2021, line(CAO_CAP).course.pk]))
    old_names = [row["unit"].name for row in old.context["rows"]]
    assert "Huyện ủy Bình Sơn" in old_names
    assert "Đảng ủy xã minh họa 1 (địa bàn huyện Bình Sơn cũ)" not in old_names


def test_allocation_to_an_ended_unit_in_a_later_plan_is_refused(plan_2026, btc_user):
    from django.core.exceptions import ValidationError

    from quotas.allocations import allocation_set

    with pytest.raises(ValidationError, match="Huyện ủy Bình Sơn không hoạt động trong năm 2026"):
        allocation_set(actor=btc_user, quota_line=line(CAO_CAP, 2026), unit=unit(BINH_SON), count=2)
    assert not Allocation.objects.filter(quota_line=line(CAO_CAP, 2026)).exists()


def test_2027_needs_consolidation_lists_only_units_alive_in_2027(reform, plan_2021):
    from needs.models import NeedsRound, UnitNeeds

    round_ = NeedsRound.objects.create(
        year=2027, block="party", source_plan=plan_2021, deadline=datetime.date(2026, 10, 1)
    )
    UnitNeeds.objects.create(round=round_, unit=unit(COMMUNE_1), status="submitted")
    tables = consolidation(2027)
    waiting = [u.code for u, _ in tables[0].waiting] + [u.code for u in tables[0].units]
    assert COMMUNE_1 in waiting
    assert BINH_SON not in waiting and SON_TINH not in waiting


def test_account_of_an_ended_unit_creates_nothing_in_a_later_plan(plan_2026, unit_a_user):
    person = PersonFactory()
    in_2026 = Nomination(person=person, unit=unit(BINH_SON), course=line(CAO_CAP, 2026).course)
    in_2021 = Nomination(person=person, unit=unit(BINH_SON), course=line(CAO_CAP).course)
    assert not unit_a_user.has_perm("quotas.add_nomination", in_2026)
    assert unit_a_user.has_perm("quotas.add_nomination", in_2021)
    from quotas.rules import create_refusal

    assert "đã kết thúc hoạt động ngày 30/06/2025" in create_refusal(unit_a_user, in_2026)


def make_movable_world(plan_2026):
    """Bình Sơn's people (two by commune, one without), an open and a finished 2026
    nomination, a 2026 allocation, and the 2021 allocation and nomination that must stay."""
    chau = PersonFactory(position="Bí thư Đảng ủy xã Bình Châu")
    long_ = PersonFactory(position="Chủ tịch UBND xã Bình Long")
    other = PersonFactory(position="Chuyên viên Văn phòng Huyện ủy")
    line_2026 = line(CAO_CAP, 2026)
    AllocationFactory(quota_line=line_2026, unit=unit(BINH_SON), count=2)
    AllocationFactory(quota_line=line(CAO_CAP), unit=unit(BINH_SON), count=3)
    open_2026 = NominationFactory(person=chau, quota_line=line_2026, status="submitted")
    done_2026 = NominationFactory(person=long_, quota_line=line_2026, status="withdrawn")
    old = NominationFactory(person=chau, quota_line=line(CAO_CAP), status="approved")
    return chau, long_, other, open_2026, done_2026, old


def test_preview_says_who_moves_by_the_rule_and_what_stays(plan_2026, reform):
    chau, long_, other, open_2026, done_2026, old = make_movable_world(plan_2026)
    preview = reorganisation_preview(reform)
    assert preview.first_year == 2026
    moved = {p.full_name: s.code for p, s in preview.people}
    assert moved == {chau.full_name: COMMUNE_1, long_.full_name: COMMUNE_2}
    assert preview.unplaced == [other]
    assert [n for n, _ in preview.nominations] == [open_2026]
    assert len(preview.allocations) == 1
    assert "Bình Châu" in preview.rule
    assert preview.stays["hồ sơ cử đi học của các kế hoạch trước ngày hiệu lực"] == 1


def test_btc_applies_once_moving_people_nominations_allocations_and_nothing_of_the_past(
    client, plan_2026, reform, btc_user, unit_a_user
):
    chau, long_, other, open_2026, done_2026, old = make_movable_world(plan_2026)
    client_for(client, btc_user)
    url = reverse("reorganisation_detail", args=[reform.pk])
    page = page_text(client.get(url))
    assert "Cán bộ chờ xếp đơn vị" in page and other.full_name in page
    response = client.post(url, follow=True)
    assert "Đã áp dụng sắp xếp tổ chức: 2 cán bộ, 1 hồ sơ" in page_text(response)
    assert Person.objects.get(pk=chau.pk).organisation.code == COMMUNE_1
    assert Person.objects.get(pk=long_.pk).organisation.code == COMMUNE_2
    assert Person.objects.get(pk=other.pk).organisation.code == BINH_SON  # to be placed
    open_2026.refresh_from_db()
    done_2026.refresh_from_db()
    old.refresh_from_db()
    assert open_2026.unit.code == COMMUNE_1
    assert done_2026.unit.code == BINH_SON  # finished: the past
    assert old.unit.code == BINH_SON  # 2021: stays
    assert Allocation.objects.get(quota_line=line(CAO_CAP, 2026)).unit.code == COMMUNE_1
    assert Allocation.objects.get(quota_line=line(CAO_CAP)).unit.code == BINH_SON
    assert Allocation.objects.get(quota_line=line(CAO_CAP)).count == 3
    # The history of the moved person says why.
    assert (
        Person.objects.get(pk=chau.pk)
        .history.first()
        .history_change_reason.startswith("Sắp xếp tổ chức")
    )
    # The units concerned are told.
    assert Notice.objects.filter(recipient=unit_a_user, kind=Notice.Kind.REORGANISED).exists()
    # Once only.
    again = client.post(url, follow=True)
    assert "đã được áp dụng lúc" in page_text(again)
    assert Person.objects.get(pk=other.pk).organisation.code == BINH_SON


@pytest.mark.parametrize("persona", ["snv_user", "leader_user", "unit_a_user", "unit_b_user"])
def test_only_btc_or_an_administrator_applies(client, request, plan_2026, reform, persona):
    chau, *_ = make_movable_world(plan_2026)
    client_for(client, request.getfixturevalue(persona))
    url = reverse("reorganisation_detail", args=[reform.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Áp dụng sắp xếp tổ chức" not in page_text(page)
    assert client.post(url).status_code == 403
    assert Person.objects.get(pk=chau.pk).organisation.code == BINH_SON
    reform.refresh_from_db()
    assert reform.applied_at is None


def test_unit_reads_counts_not_names_in_the_preview(client, plan_2026, reform, unit_b_user):
    chau, *_ = make_movable_world(plan_2026)
    client_for(client, unit_b_user)
    text = page_text(client.get(reverse("reorganisation_detail", args=[reform.pk])))
    assert chau.full_name not in text


def test_administrator_applies_with_accounts_moved(client, plan_2026, reform, admin_user_2021):
    reform.move_accounts = True
    reform.save()
    account = UserFactory(organisation=unit(BINH_SON))
    client_for(client, admin_user_2021)
    client.post(reverse("reorganisation_detail", args=[reform.pk]))
    account.refresh_from_db()
    assert account.organisation.code == COMMUNE_1


def test_the_2021_plan_is_unchanged_by_recording_the_reform(client, plan_2021, btc_user):
    client_for(client, btc_user)
    url = reverse("plan_detail", args=[2021])
    before = page_text(client.get(url))
    grid_url = reverse("allocation_course", args=[2021, line(CAO_CAP).course.pk])
    grid_before = page_text(client.get(grid_url))
    reform_2025_record()
    assert page_text(client.get(url)) == before
    assert page_text(client.get(grid_url)) == grid_before
