"""Reads of plan data, each with a bounded number of queries whatever the size of the plan."""

from django.db.models import Q
from django.http import Http404

from training_plan.models import Organisation, Person, PersonTransfer, Plan
from training_plan.rules import EVERY_UNIT, scope_to_user, unit_scope
from training_plan.text import normalise_search


def units():
    """Organisations that receive allocations and nominate cadres, in the one order of
    organisations (Vietnamese alphabetical, `Organisation.sort_key`)."""
    return Organisation.objects.filter(kind=Organisation.Kind.UNIT).order_by("sort_key", "id")


def plan_list():
    return Plan.objects.select_related("issuing_body").order_by("-year")


def people_for_user(user):
    """People the user may see (`training_plan.view_person`): all for BTC, SNV, leadership and
    administrators; a unit its own (SPEC §2 People)."""
    return scope_to_user(Person.objects.select_related("organisation"), user, "organisation_id")


def person_for_user(user, pk):
    """One person the user may see, or 404 (never another unit's data)."""
    person = people_for_user(user).filter(pk=pk).first()
    if person is None:
        raise Http404("Không tìm thấy cán bộ.")
    return person


def people_matching(people, query):
    """People whose name contains every word of the query, ignoring diacritics and case.

    Compares the normalised `search_name` column (“nguyen van duc”), so “NGUYEN van Đức” and
    “nguyễn văn đức” find the same person on every database; on PostgreSQL a trigram index
    serves the LIKE '%…%' (migration 0002).
    """
    for word in normalise_search(query).split():
        people = people.filter(search_name__contains=word)
    return people


def plan_or_404(year):
    """The plan of a year (without its structure), or 404."""
    plan = plan_list().filter(year=year).first()
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    return plan


def latest_plan():
    return plan_list().first()


def current_plan():
    """The plan people work on: the latest issued one. A draft of a later year (built from the
    needs round) is not current until it is issued; before any plan is issued, the earliest
    draft is the one being finished."""
    plans = plan_list()
    return plans.filter(status=Plan.Status.ISSUED).first() or plans.last()


def plan_exists(province, year):
    return Plan.objects.filter(province=province, year=year).exists()


def transfers_for_user(user):
    """Transfer requests the user sees: all for BTC, SNV, leadership and administrators; a unit
    those from or to it."""
    transfers = PersonTransfer.objects.select_related(
        "person", "from_unit", "to_unit", "requested_by"
    ).order_by("-requested_at", "-id")
    scope = unit_scope(user)
    if scope == EVERY_UNIT:
        return transfers
    if scope is None:
        return transfers.none()
    return transfers.filter(Q(from_unit_id=scope) | Q(to_unit_id=scope))


def transfer_for_user(user, pk):
    transfer = transfers_for_user(user).filter(pk=pk).first()
    if transfer is None:
        raise Http404("Không tìm thấy đề nghị chuyển hồ sơ.")
    return transfer
