"""Document numbers on PostgreSQL with real concurrent connections (one per thread): the counter
row locked by the issuing transaction makes two issuers wait for each other and take
consecutive numbers; a transaction that rolls back after taking a number gives it back with the
document it never issued, so each number ends up on exactly one document."""

import threading
import time

import pytest
from django.db import IntegrityError, connections

from reports import issuing, official
from reports.models import DocumentCounter, DocumentKind, IssuedDocument
from tests.fixture_2021 import BINH_SON, unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def build_for(issuer, hold=None, fail=False):
    """A payload builder that, after the number is taken, waits on `hold` (the counter row stays
    locked meanwhile) and then fails if told to."""

    def build(number, day):
        if hold is not None:
            hold["taken"].set()
            hold["release"].wait(timeout=30)
        if fail:
            raise RuntimeError("lỗi sau khi đã lấy số")
        payload = official.base_payload(
            organisation=issuer,
            province="Quảng Ngãi",
            kind=DocumentKind.LETTER,
            number=number,
            day=day,
            signer={"title": "PHÓ BÍ THƯ", "name": "Nguyễn Văn Ký"},
        )
        payload["subject"] = "Cử cán bộ đi học"
        return payload

    return build


def in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 — reported to the test
            results[key] = error
        finally:
            results[f"{key}_at"] = time.monotonic()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def issue(issuer, plan, build):
    return issuing.issue(
        kind=DocumentKind.LETTER, issuer=issuer, plan=plan, actor=None, build=build
    ).number


@pytest.fixture
def issuer(postgres_only, plan_2021):
    return unit(BINH_SON), plan_2021


def test_a_second_issuer_waits_for_the_first_and_takes_the_next_number(issuer):
    organisation, plan = issuer
    hold = {"taken": threading.Event(), "release": threading.Event()}
    results = {}
    first = in_thread(
        lambda: issue(organisation, plan, build_for(organisation, hold)), results, "a"
    )
    assert hold["taken"].wait(timeout=30)  # A holds number 1 and the counter's lock
    second = in_thread(lambda: issue(organisation, plan, build_for(organisation)), results, "b")
    time.sleep(0.5)
    assert "b" not in results, "B must wait for A's transaction"
    released_at = time.monotonic()
    hold["release"].set()
    first.join(timeout=60)
    second.join(timeout=60)
    assert (results["a"], results["b"]) == (1, 2)
    assert results["b_at"] >= released_at
    assert sorted(IssuedDocument.objects.values_list("number", flat=True)) == [1, 2]


def test_a_rolled_back_number_is_given_back_and_never_on_two_documents(issuer):
    organisation, plan = issuer
    hold = {"taken": threading.Event(), "release": threading.Event()}
    results = {}
    failing = in_thread(
        lambda: issue(organisation, plan, build_for(organisation, hold, fail=True)), results, "a"
    )
    assert hold["taken"].wait(timeout=30)  # A took number 1, then fails and rolls back
    waiting = in_thread(lambda: issue(organisation, plan, build_for(organisation)), results, "b")
    time.sleep(0.3)
    hold["release"].set()
    failing.join(timeout=60)
    waiting.join(timeout=60)
    assert isinstance(results["a"], RuntimeError)
    assert results["b"] == 1  # nothing was issued under 1: B has it, alone
    assert issue(organisation, plan, build_for(organisation)) == 2
    numbers = list(IssuedDocument.objects.order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2]
    assert DocumentCounter.objects.get(issuer=organisation).last_number == 2


def test_the_database_refuses_a_number_twice(issuer):
    """Behind the lock, the unique (issuer, kind, year, number) refuses a duplicate."""
    organisation, plan = issuer
    issue(organisation, plan, build_for(organisation))
    document = IssuedDocument.objects.get()
    document.pk = None
    with pytest.raises(IntegrityError):
        document.save()
