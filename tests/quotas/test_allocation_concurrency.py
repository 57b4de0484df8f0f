"""Allocations under concurrent requests on PostgreSQL: real connections, one per thread.

Ten units ask at the same moment for 3 seats each of a 10-seat line: exactly three may get them.
The control run takes the lock away and lets every request read before any writes: the line is
overbooked, which shows that the test can see the race the lock prevents.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from quotas import allocations
from quotas.models import Allocation, QuotaLine
from training_plan.models import Organisation, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10
ASK = 3


@pytest.fixture
def race(postgres_only, plan_2021, btc_user):
    line = QuotaLine.objects.get(
        course__program__section__plan=plan_2021, planned_count=10, study_mode="khong_tap_trung"
    )
    units = list(Organisation.objects.filter(kind="unit").order_by("code")[:THREADS])
    assert len(units) == THREADS
    return line, units, btc_user


def run_concurrently(line, units, actor):
    """Each unit asks for ASK seats from its own thread and connection; returns the outcomes."""
    start = threading.Barrier(len(units))
    outcomes = []

    def request(unit_pk):
        try:
            quota_line = QuotaLine.objects.select_related("course__program__section__plan").get(
                pk=line.pk
            )
            unit = Organisation.objects.get(pk=unit_pk)
            user = User.objects.get(pk=actor.pk)
            start.wait(timeout=30)
            allocations.allocation_set(actor=user, quota_line=quota_line, unit=unit, count=ASK)
            outcomes.append("allocated")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(unit.pk,)) for unit in units]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def total(line):
    return sum(Allocation.objects.filter(quota_line=line).values_list("count", flat=True))


def test_concurrent_allocations_never_exceed_the_line(race, monkeypatch):
    line, units, actor = race
    read_total = allocations.line_allocated_total

    def slow_read(*args, **kwargs):
        # Widen the window between reading Σ and writing: without the lock, this overbooks.
        value = read_total(*args, **kwargs)
        time.sleep(0.05)
        return value

    monkeypatch.setattr(allocations, "line_allocated_total", slow_read)
    outcomes = run_concurrently(line, units, actor)
    assert outcomes == ["allocated"] * 3 + ["refused"] * 7
    assert total(line) == 9 <= line.planned_count
    assert Allocation.objects.filter(quota_line=line).count() == 3


def test_control_without_the_lock_overbooks(race, monkeypatch):
    line, units, actor = race
    read_total = allocations.line_allocated_total
    everyone_has_read = threading.Barrier(THREADS)

    def read_then_wait(*args, **kwargs):
        value = read_total(*args, **kwargs)
        everyone_has_read.wait(timeout=30)
        return value

    monkeypatch.setattr(allocations, "lock", lambda *keys: None)
    monkeypatch.setattr(allocations, "line_allocated_total", read_then_wait)
    outcomes = run_concurrently(line, units, actor)
    assert outcomes == ["allocated"] * THREADS
    assert total(line) == THREADS * ASK > line.planned_count
