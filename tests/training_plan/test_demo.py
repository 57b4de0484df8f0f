"""The demo year that `make run` seeds: invented people, allocations, nominations in every
status, all within the quota invariants, created once."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from budget.selectors import appendix_for_plan
from courses.models import TrainingClass
from demo.after import DUPLICATE
from demo.year import DEMO_PEOPLE, FIXTURES_DIR
from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from reports.plan_check import check_plan
from tests.helpers import client_for
from training_plan.models import Organisation, Person, Plan, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    return User.objects.in_bulk(
        ["btc", "snv", "lanhdao", "binhson", "sontinh"], field_name="username"
    )


def test_demo_year_is_complete_consistent_and_seeded_once(seeded):
    # The demo year's people (the after-training demo adds one duplicate: tests/commitments).
    per_unit = dict(
        Person.objects.exclude(identity_number=DUPLICATE["identity_number"])
        .values_list("organisation__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert per_unit["huyen-uy-binh-son"] == per_unit["huyen-uy-son-tinh"] == 30
    assert per_unit == {code: count for code, (count, _kind) in DEMO_PEOPLE.items()}
    state_units = Organisation.objects.filter(kind="unit", block="state")
    assert set(state_units.values_list("name", flat=True)) == {"Sở Giáo dục và Đào tạo", "Sở Y tế"}

    # Invented names only: none is a person named in the plan fixture.
    fixture_text = (FIXTURES_DIR / "plan_2021.json").read_text(encoding="utf-8")
    names = set(Person.objects.values_list("full_name", flat=True))
    assert not {name for name in names if name in fixture_text}

    # Nominations in every status, each transition recorded by a demo account.
    statuses = Counter(Nomination.objects.values_list("status", flat=True))
    assert set(statuses) == set(Nomination.Status.values)
    for unit_code in ("huyen-uy-binh-son", "huyen-uy-son-tinh"):
        own = set(Nomination.objects.filter(unit__code=unit_code).values_list("status", flat=True))
        assert own == set(Nomination.Status.values), unit_code
    actors = set(NominationTransition.objects.values_list("actor__username", flat=True))
    assert actors <= {"btc", "snv", "binhson", "sontinh"} and {"btc", "snv"} <= actors
    for nomination in Nomination.objects.exclude(status="draft"):
        last = nomination.transitions.last()
        assert last.to_status == nomination.status
    assert not Nomination.objects.filter(status="reserve", reserve_since__isnull=True).exists()
    in_class = Nomination.objects.filter(status__in=["enrolled", "completed", "not_completed"])
    assert not in_class.filter(training_class__isnull=True).exists()
    # Learners join the plan's own classes: the demo adds none, the appendix keeps its figures.
    demo_classes = TrainingClass.objects.filter(nominations__in=in_class).distinct()
    assert all(demo_classes.values_list("is_illustrative", flat=True))
    assert not TrainingClass.objects.filter(code__startswith="demo-").exists()
    assert in_class.values("training_class").distinct().count() >= 2
    appendix = appendix_for_plan(Plan.objects.get(year=2021))
    assert [group.planned_learners for group in appendix.groups] == [605, 1410]
    assert appendix.planned_learners == 2015
    assert appendix.total == 11_147_406_000
    assert not [
        issue for issue in check_plan(Plan.objects.get(year=2021)) if issue.kind == "class_learners"
    ]

    # Invariants: seat-holding ≤ allocation ≤ line; allocations on every capped line.
    # (The living year is 2021; the demo's 2022 draft, built from the needs round, has no
    # allocations yet.)
    capped = QuotaLine.objects.filter(
        planned_count__isnull=False, course__program__section__plan__year=2021
    )
    for line in capped:
        allocated = line.allocations.aggregate(total=Sum("count"))["total"]
        assert 0 < allocated <= line.planned_count, line
    held = Counter(
        Nomination.objects.filter(
            status__in=Nomination.SEAT_HOLDING, quota_line__isnull=False
        ).values_list("quota_line_id", "unit_id")
    )
    allocations = {(a.quota_line_id, a.unit_id): a.count for a in Allocation.objects.all()}
    for key, seats in held.items():
        assert seats <= allocations.get(key, 0), key
    live = Nomination.objects.exclude(status__in=Nomination.CLOSED)
    assert live.values("person", "course").distinct().count() == live.count()
    assert Allocation.history.filter(history_user__username__in=["btc", "snv"]).exists()

    # Seeding again changes nothing.
    counts = (Person.objects.count(), Nomination.objects.count(), Allocation.objects.count())
    call_command("seed_demo")
    assert counts == (
        Person.objects.count(),
        Nomination.objects.count(),
        Allocation.objects.count(),
    )


def test_every_role_sees_a_living_year(client, seeded):
    # Every demo account has an address on the reserved domain, for the inbox's e-mails.
    assert {user.email for user in seeded.values()} == {
        f"{name}@example.org" for name in ["btc", "snv", "lanhdao", "binhson", "sontinh"]
    }
    for username in ["btc", "snv", "lanhdao", "binhson", "sontinh"]:
        client_for(client, seeded[username])
        # Leadership reads every unit's people too (read-only, identity numbers masked).
        people = client.get(reverse("person_list"))
        assert people.context["page"].paginator.count >= 30, username
        overview = client.get(reverse("allocation_overview", args=[2021]))
        assert sum(row.allocated for row in overview.context["courses"]) > 0, username
        assert sum(row.held for row in overview.context["courses"]) > 0, username
        client.logout()
    unit_people = client_for(client, seeded["binhson"]).get(reverse("person_list"))
    assert unit_people.context["page"].paginator.count == 30


def test_demo_needs_round_draft_and_versions(client, seeded):
    """The 2022 needs round with registers in every state, the draft built from it and two
    versions of the draft that differ; each page has something to show."""
    from needs.models import DraftProposal, UnitNeeds
    from versions.models import PlanVersion

    assert set(UnitNeeds.objects.values_list("status", flat=True)) == set(UnitNeeds.Status.values)
    assert UnitNeeds.objects.get(unit__code="huyen-uy-son-tinh").return_reason
    assert DraftProposal.objects.filter(plan__year=2022).count() >= 4
    first, second = PlanVersion.objects.filter(plan__year=2022).order_by("number")
    assert (first.step, second.step) == ("draft", "saved")
    client_for(client, seeded["btc"])
    page = client.get(reverse("plan_versions_compare", args=[2022]))
    items = {item.key: (item.old, item.new) for item in page.context["comparison"].quota_lines}
    assert items["III.3.6-1"] == (180, 200)
    assert page.context["comparison"].texts[0].label == "Mục đích"
    needs = client.get(reverse("needs_consolidation", args=[2022]))
    assert needs.status_code == 200 and needs.context["tables"][0].total > 0
