"""Reads of plan data, each with a bounded number of queries whatever the size of the plan."""

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404

from training_plan.models import (
    EventSuccessor,
    Organisation,
    Person,
    PersonTransfer,
    Plan,
    ReorganisationEvent,
)
from training_plan.rules import EVERY_UNIT, scope_to_user, unit_scope
from training_plan.text import normalise_search


def alive_on(day):
    """The condition “alive on `day`” of an organisation (its life includes the day)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def alive_in_year(year):
    """Alive on some day of `year`: a plan of the year reads these units (a unit that ended on
    30/06/2025 still has its 2025 figures; it is gone from 2026)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=datetime.date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1))
    )


def units(*, year=None, on=None):
    """Organisations that receive allocations and nominate cadres, in the one order of
    organisations (Vietnamese alphabetical, `Organisation.sort_key`); with `year`, those alive
    during that year (a plan's units); with `on`, those alive that day."""
    found = Organisation.objects.filter(kind=Organisation.Kind.UNIT)
    if year is not None:
        found = found.filter(alive_in_year(year))
    if on is not None:
        found = found.filter(alive_on(on))
    return found.order_by("sort_key", "id")


def units_for_picker(*, year=None, on=None, keep=None):
    """The units a picker offers: those alive in `year` / on `on` (a plan's pages: its year;
    people: today), plus `keep` (a Q or ids: the unit a record already names, so an ended unit's
    past records still display and save)."""
    alive = Q(kind=Organisation.Kind.UNIT)
    if year is not None:
        alive &= alive_in_year(year)
    if on is not None:
        alive &= alive_on(on)
    if keep is not None:
        if not isinstance(keep, Q):
            keep = Q(pk__in=[pk for pk in keep if pk is not None])
        alive |= keep
    return Organisation.objects.filter(alive).order_by("sort_key", "id")


def organisation_tree(day):
    """The organisations alive on `day` as (organisation, depth) in tree order: roots, then each
    one's children, alphabetically at each level. One query."""
    alive = list(Organisation.objects.filter(alive_on(day)).order_by("sort_key", "id"))
    ids = {org.pk for org in alive}
    children = {}
    for org in alive:
        parent = org.parent_id if org.parent_id in ids else None
        children.setdefault(parent, []).append(org)
    rows = []

    def walk(parent, depth):
        for org in children.get(parent, []):
            rows.append((org, depth))
            walk(org.pk, depth + 1)

    walk(None, 0)
    return rows


def organisation_or_404(code):
    org = Organisation.objects.select_related("parent").filter(code=code).first()
    if org is None:
        raise Http404("Không tìm thấy cơ quan, đơn vị.")
    return org


def _events():
    return ReorganisationEvent.objects.select_related("basis", "basis__issuer").prefetch_related(
        "predecessors",
        Prefetch(
            "successor_links",
            queryset=EventSuccessor.objects.select_related("organisation").order_by(
                "-is_main", "organisation__sort_key"
            ),
        ),
    )


def organisation_events(org):
    """The events that ended `org` (it is a predecessor) and that began it (a successor), each
    with its act, predecessors and successors. A fixed number of queries."""
    ended = list(_events().filter(predecessors=org).order_by("effective_date", "id"))
    began = list(
        _events().filter(successor_links__organisation=org).order_by("effective_date", "id")
    )
    return ended, began


def reorganisation_events():
    return _events().order_by("-effective_date", "id")


def reorganisation_or_404(pk):
    event = _events().filter(pk=pk).first()
    if event is None:
        raise Http404("Không tìm thấy sự kiện sắp xếp.")
    return event


def successors_by_unit(day=None):
    """Predecessor id → its successors (main first) over every recorded event, followed to the
    units alive on `day` when given (Huyện ủy Bình Sơn → the commune committees of 2026)."""
    preds = {}
    for event_id, org_id in ReorganisationEvent.predecessors.through.objects.values_list(
        "reorganisationevent_id", "organisation_id"
    ):
        preds.setdefault(event_id, []).append(org_id)
    direct = {}
    for link in EventSuccessor.objects.select_related("organisation").order_by(
        "event__effective_date", "-is_main", "organisation__sort_key"
    ):
        for pred_id in preds.get(link.event_id, []):
            direct.setdefault(pred_id, []).append(link.organisation)
    if day is None:
        return direct

    def follow(org, seen):
        if org.alive_on(day) or org.pk in seen or org.pk not in direct:
            return [org] if org.alive_on(day) else []
        found = []
        for nxt in direct[org.pk]:
            found += follow(nxt, seen | {org.pk})
        return found

    return {
        pred: [o for succ in succs for o in follow(succ, {pred})] for pred, succs in direct.items()
    }


def heirs(year):
    """Ended unit id → (its heir, the ended unit) for the units not alive in `year` that have a
    successor alive then: the main successor, followed through later events. Past figures of
    the ended unit are shown under its heir, marked “(trước đây: …)”. Three queries."""
    successors = successors_by_unit(datetime.date(year, 1, 1))
    ended = {
        org.pk: org
        for org in Organisation.objects.filter(pk__in=list(successors)).exclude(alive_in_year(year))
    }
    return {pk: (successors[pk][0], org) for pk, org in ended.items() if successors[pk]}


def former_names(heir_map, heir_pk):
    """The names of the ended units whose figures are shown under `heir_pk`."""
    return [old.name for heir, old in heir_map.values() if heir.pk == heir_pk]


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
