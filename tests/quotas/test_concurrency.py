"""Concurrent submissions on PostgreSQL: the last 5 seats of a unit go to exactly 5 requests.

Thirty real connections (one per thread) submit at once. With the quota lock exactly five
succeed; the control run disables the lock and widens the window between counting and writing,
and more than five succeed — the race is real and the lock is what prevents it.
"""

import threading
import time

import pytest
from django.db import connections

from quotas import services
from quotas.models import Nomination
from tests.factories import AllocationFactory, NominationFactory, PersonFactory
from tests.fixture_2021 import line, unit
from training_plan.locking import LockTimeout

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
S = Nomination.Status
THREADS = 30
FREE_SEATS = 5


@pytest.fixture
def race(postgres_only, plan_2021, unit_a_user):
    """Bình Sơn has 8 seats on a line, 3 already held: 5 free, and 30 drafts waiting."""
    quota_line = line("II.1.1-2")
    binhson = unit("huyen-uy-binh-son")
    AllocationFactory(quota_line=quota_line, unit=binhson, count=8)
    for _ in range(3):
        NominationFactory(quota_line=quota_line, status=S.SUBMITTED)
    drafts = [
        NominationFactory(person=PersonFactory(), quota_line=quota_line) for _ in range(THREADS)
    ]
    return unit_a_user, quota_line, binhson, [n.pk for n in drafts]


def submit_all(user, pks):
    barrier = threading.Barrier(len(pks))
    outcomes = []
    guard = threading.Lock()

    def attempt(pk):
        try:
            nomination = Nomination.objects.select_related(
                "person", "course__program__section__plan", "unit", "quota_line"
            ).get(pk=pk)
            barrier.wait(timeout=30)
            try:
                services.nomination_submit(actor=user, nomination=nomination)
                outcome = "ok"
            except services.NominationRefused as error:
                outcome = error.message
            except LockTimeout as error:
                outcome = f"timeout: {error}"
            with guard:
                outcomes.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(pk,)) for pk in pks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == len(pks), "every thread reported"
    return outcomes


def held(quota_line, binhson):
    return Nomination.objects.filter(
        quota_line=quota_line, unit=binhson, status__in=Nomination.SEAT_HOLDING
    ).count()


def test_exactly_5_of_30_concurrent_submissions_take_the_last_5_seats(race):
    user, quota_line, binhson, pks = race
    outcomes = submit_all(user, pks)
    assert outcomes.count("ok") == FREE_SEATS
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == THREADS - FREE_SEATS
    assert all("đã dùng hết 8 chỉ tiêu được phân bổ" in o for o in refused), refused[:3]
    assert held(quota_line, binhson) == 8


def test_control_without_the_lock_overbooks(race, monkeypatch):
    user, quota_line, binhson, pks = race
    monkeypatch.setattr(services, "lock", lambda *keys: None)
    monkeypatch.setattr(services, "_race_window", lambda: time.sleep(0.2))
    outcomes = submit_all(user, pks)
    assert outcomes.count("ok") > FREE_SEATS
    assert held(quota_line, binhson) > 8
