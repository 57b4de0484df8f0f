"""The demo year that `make run` seeds: invented people, allocations, nominations in every
status, all within the quota invariants, created once."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from courses.models import TrainingClass
from demo.after import DUPLICATE
from demo.year import DEMO_PEOPLE, FIXTURES_DIR
from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from tests.helpers import client_for
from training_plan.models import Organisation, Person, User

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
    demo_classes = TrainingClass.objects.filter(nominations__in=in_class).distinct()
    assert all(code.startswith("demo-") for code in demo_classes.values_list("code", flat=True))
    assert in_class.values("training_class").distinct().count() >= 2

    # Invariants: seat-holding ≤ allocation ≤ line; allocations on every capped line.
    capped = QuotaLine.objects.filter(planned_count__isnull=False)
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
