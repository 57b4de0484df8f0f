"""Class capacity under concurrent enrolments, on PostgreSQL with real connections."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from quotas import classes as services
from quotas.models import Nomination
from tests.factories import NominationFactory, TrainingClassFactory
from tests.fixture_2021 import state_course

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 24
CAPACITY = 5


def enrol_concurrently(training_class, nominations, actor):
    """Each nomination enrolled from its own thread and connection, all released at once."""
    barrier = threading.Barrier(len(nominations))
    outcomes = []

    def worker(nomination):
        try:
            barrier.wait(timeout=30)
            services.class_enrol(
                training_class=training_class, nomination_ids=[nomination.pk], actor=actor
            )
            outcomes.append("enrolled")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in nominations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_concurrent_enrolments_fill_exactly_the_capacity(postgres_only, plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=CAPACITY)
    nominations = NominationFactory.create_batch(WORKERS, course=course, status="approved")

    outcomes = enrol_concurrently(training_class, nominations, snv_user)

    assert len(outcomes) == WORKERS
    assert outcomes.count("enrolled") == CAPACITY
    refused = [o for o in outcomes if o != "enrolled"]
    assert all(o.startswith("Lớp chỉ còn 0 chỗ trống") for o in refused), refused
    assert Nomination.objects.filter(training_class=training_class).count() == CAPACITY
    assert (
        Nomination.objects.filter(course=course, status=Nomination.Status.ENROLLED).count()
        == CAPACITY
    )


def test_control_without_the_lock_the_class_is_overbooked(
    postgres_only, plan_2021, snv_user, monkeypatch
):
    """The same race with the lock taken away (and the window between counting and writing
    widened): more learners than places get in, so the lock is what keeps the capacity."""
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=CAPACITY)
    nominations = NominationFactory.create_batch(WORKERS, course=course, status="approved")
    count = services._learner_count

    def slow_count(klass):
        value = count(klass)
        time.sleep(0.2)
        return value

    monkeypatch.setattr(services, "lock", lambda *keys: None)
    monkeypatch.setattr(services, "_learner_count", slow_count)

    outcomes = enrol_concurrently(training_class, nominations, snv_user)

    assert outcomes.count("enrolled") > CAPACITY
