"""`seed_demo --scale`: fictional data of the right shape, reproducible, within the rules."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum

from budget.models import BudgetLine
from courses.models import TrainingClass
from demo import scale
from quotas.models import Allocation, Nomination, NominationTransition
from training_plan.models import Block, Organisation, Person, Plan
from training_plan.text import name_sort_key, normalise_search

pytestmark = pytest.mark.django_db

SMALL = scale.Scale(people=600, units=25, nominations_per_year=300)


class Rollback(Exception):
    pass


def digest():
    people = list(Person.objects.order_by("id").values_list("full_name", "organisation__name"))
    statuses = list(Nomination.objects.order_by("id").values_list("status", "person__full_name"))
    return people[:50], statuses[:200], Nomination.objects.count()


def test_scale_data_has_the_shape_of_a_province(plan_2021):
    result = scale.scale_seed(scale=SMALL, log=lambda _: None)
    units = Organisation.objects.filter(kind=Organisation.Kind.UNIT)
    assert units.count() == 25
    assert set(units.values_list("block", flat=True)) == {Block.PARTY, Block.STATE}
    assert Person.objects.count() == 600
    person = Person.objects.order_by("?").first()
    assert person.search_name == normalise_search(person.full_name)
    assert person.sort_key == name_sort_key(person.full_name)
    assert list(Plan.objects.order_by("year").values_list("year", "status")) == [
        (2021, "closed"), (2022, "closed"), (2023, "closed"), (2024, "closed"), (2025, "issued"),
    ]  # fmt: skip
    per_year = dict(
        Nomination.objects.values_list("course__program__section__plan__year")
        .annotate(n=Count("id"))
        .values_list("course__program__section__plan__year", "n")
    )
    assert set(per_year) == set(scale.YEARS)
    assert all(n >= SMALL.nominations_per_year for n in per_year.values())
    assert result["nominations"] == sum(per_year.values())
    current = set(
        Nomination.objects.filter(course__program__section__plan__year=2025).values_list(
            "status", flat=True
        )
    )
    assert {"draft", "submitted", "verified", "approved", "enrolled", "rejected"} <= current
    # Every status change is recorded: one transition per step of the nomination's path.
    expected = sum(
        len(scale.PATHS[status]) * n
        for status, n in Nomination.objects.values_list("status").annotate(n=Count("id"))
    )
    assert NominationTransition.objects.count() == expected
    # Learners sit in classes of their course; classes have budget lines.
    enrolled = Nomination.objects.filter(status__in=scale.IN_CLASS)
    assert enrolled.filter(training_class__isnull=True).count() == 0
    assert enrolled.exclude(training_class__course=models_F("course")).count() == 0
    assert TrainingClass.objects.count() > 0
    assert BudgetLine.objects.values("training_class").distinct().count() == (
        TrainingClass.objects.filter(course__program__section__plan__year__in=scale.YEARS)
        .exclude(code__startswith="lop-")
        .count()
    )


def models_F(name):
    from django.db.models import F

    return F(name)


def test_scale_data_respects_allocations(plan_2021):
    scale.scale_seed(scale=SMALL, log=lambda _: None)
    allocated = {(a.quota_line_id, a.unit_id): a.count for a in Allocation.objects.all()}
    held = (
        Nomination.objects.filter(status__in=Nomination.SEAT_HOLDING, quota_line__isnull=False)
        .values_list("quota_line_id", "unit_id")
        .annotate(n=Count("id"))
    )
    for line, unit, n in held:
        assert n <= allocated.get((line, unit), 0), (line, unit)
    lines = Allocation.objects.values("quota_line").annotate(total=Sum("count"))
    for row in lines:
        assert (
            row["total"]
            <= Allocation.objects.filter(quota_line=row["quota_line"])
            .first()
            .quota_line.planned_count
        )


def test_scale_data_is_reproducible(plan_2021):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                scale.scale_seed(scale=SMALL, log=lambda _: None)
                runs.append(digest())
                raise Rollback
        except Rollback:
            pass
    assert runs[0] == runs[1]
    assert runs[0][2] > 0


def test_seed_demo_scale_command_refuses_a_second_run(settings, db):
    settings.DEBUG = True
    call_command(
        "seed_demo", "--scale", "province", "--people", "300", stdout=open("/dev/null", "w")
    )
    assert Person.objects.count() == 300
    with pytest.raises(CommandError, match="Đã có dữ liệu quy mô lớn"):
        call_command("seed_demo", "--scale", "province", "--people", "300")


def test_seed_demo_scale_keeps_the_debug_guard(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="chỉ được tạo trên cơ sở dữ liệu demo"):
        call_command("seed_demo", "--scale", "province", "--people", "300")
    assert not Person.objects.exists()


def test_the_seed_leaves_planner_statistics(plan_2021):
    """Bulk-loaded tables are analysed: PostgreSQL's planner would otherwise treat them as
    empty (autovacuum may be off or late), SQLite's would know no index selectivity."""
    from django.db import connection

    scale.scale_seed(scale=SMALL, log=lambda _: None)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'quotas_nomination'")
            assert cursor.fetchone()[0] == Nomination.objects.count()
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'quotas_nomination'")
            assert int(cursor.fetchone()[0].split()[0]) == Nomination.objects.count()
