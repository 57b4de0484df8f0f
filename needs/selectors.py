"""Reads of the needs round, each with a fixed number of queries: a unit's register (scoped: another
unit's is a 404), the rounds of a year, and the consolidation of a year's needs."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum
from django.http import Http404

from courses.models import Course
from needs.models import NeedsCount, NeedsPerson, NeedsRound, UnitNeeds, collects_people
from quotas.models import Nomination
from training_plan import selectors as core_selectors
from training_plan.models import Block

# What counts as last year's actual enrolment: the people who were placed in a class.
ENROLLED = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)
# Registers whose figures the consolidation counts.
COUNTED = (UnitNeeds.Status.SUBMITTED, UnitNeeds.Status.ACCEPTED)


def _ordered_courses():
    return Course.objects.select_related("program__section").order_by(
        "program__section__position", "program__position", "position"
    )


def rounds_of_year(year):
    """The rounds of a year (Party block first), with their courses."""
    return list(
        NeedsRound.objects.filter(year=year)
        .select_related("source_plan", "opened_by")
        .prefetch_related(Prefetch("courses", queryset=_ordered_courses()))
        .order_by("block")
    )


def round_or_404(year, block):
    round_ = (
        NeedsRound.objects.filter(year=year, block=block)
        .select_related("source_plan")
        .prefetch_related(Prefetch("courses", queryset=_ordered_courses()))
        .first()
    )
    if round_ is None:
        raise Http404("Chưa mở đợt đăng ký nhu cầu này.")
    return round_


def registers_for_user(user):
    return UnitNeeds.objects.visible_to(user)


def register_for_user(user, pk):
    """One register the user may read, with its round and entries, or 404 (never another
    unit's)."""
    register = (
        registers_for_user(user)
        .select_related("round__source_plan", "unit")
        .prefetch_related(
            Prefetch("round__courses", queryset=_ordered_courses()),
            Prefetch(
                "counts", queryset=NeedsCount.objects.select_related("course__program__section")
            ),
            Prefetch(
                "people",
                queryset=NeedsPerson.objects.select_related(
                    "person", "course__program__section"
                ).order_by("course__program__position", "course__position", "person__sort_key"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if register is None:
        raise Http404("Không tìm thấy nhu cầu đăng ký.")
    return register


def own_registers(user, rounds):
    """{round id: register} of the user's unit."""
    if not getattr(user, "organisation_id", None):
        return {}
    return {
        register.round_id: register
        for register in UnitNeeds.objects.filter(round__in=rounds, unit_id=user.organisation_id)
    }


def transitions_of(register):
    return register.transitions.select_related("actor").order_by("at", "id")


# ---- Consolidation --------------------------------------------------------------------------


@dataclass
class CourseRow:
    course: Course
    last_plan: int | None  # last year's planned figure (None: theo nhu cầu)
    last_enrolled: int
    by_unit: dict = field(default_factory=dict)  # unit id -> need
    cells: list = field(default_factory=list)  # the needs in the order of the table's units
    total: int = 0
    accepted: int = 0

    @property
    def is_people(self):
        return collects_people(self.course)


@dataclass
class BlockTable:
    round: NeedsRound
    rows: list
    units: list  # units with a submitted or accepted register (the table's columns)
    waiting: list  # (unit, status label) of units that have not submitted
    registers: list  # (unit, register) of every unit that has started one
    # Last year's enrolment per unit, aligned with `units`; an ended unit's figures are counted
    # under its heir (`training_plan.selectors.heirs`), named in `former` (unit id -> names).
    last_by_unit: list = field(default_factory=list)
    former: dict = field(default_factory=dict)
    # Ended units' last-year figures whose heir has no column (not submitted): (heir, names, n).
    last_elsewhere: list = field(default_factory=list)

    @property
    def label(self):
        return Block(self.round.block).label

    @property
    def total(self):
        return sum(row.total for row in self.rows)

    @property
    def accepted(self):
        return sum(row.accepted for row in self.rows)

    @property
    def last_plan(self):
        return sum(row.last_plan or 0 for row in self.rows)

    @property
    def last_enrolled(self):
        return sum(row.last_enrolled for row in self.rows)

    @property
    def unit_totals(self):
        return [sum(row.by_unit.get(unit.pk, 0) for row in self.rows) for unit in self.units]


def consolidation(year):
    """One table per round of the year: course × unit with totals, beside last year's plan figure
    and actual enrolment; the units that have not submitted listed apart."""
    rounds = rounds_of_year(year)
    if not rounds:
        return []
    units = list(core_selectors.units(year=year))
    registers = list(UnitNeeds.objects.filter(round__in=rounds))
    needs = defaultdict(int)  # (round, course, unit) -> need
    accepted = defaultdict(int)  # (round, course) -> accepted need
    status_of = {register.pk: register for register in registers}
    for model, value in ((NeedsCount, Sum("count")), (NeedsPerson, Count("id"))):
        for row in (
            model.objects.filter(register__in=registers, register__status__in=COUNTED)
            .values("register_id", "course_id")
            .annotate(value=value)
        ):
            register = status_of[row["register_id"]]
            needs[(register.round_id, row["course_id"], register.unit_id)] += row["value"]
            if register.status == UnitNeeds.Status.ACCEPTED:
                accepted[(register.round_id, row["course_id"])] += row["value"]
    course_ids = [course.pk for round_ in rounds for course in round_.courses.all()]
    enrolled = defaultdict(int)  # course -> enrolled last year
    enrolled_by_unit = defaultdict(int)  # (course, unit or its heir) -> enrolled last year
    heir_map = core_selectors.heirs(year)
    for course_id, unit_id, n in (
        Nomination.objects.filter(course_id__in=course_ids, status__in=ENROLLED)
        .order_by()
        .values("course_id", "unit_id")
        .annotate(n=Count("id"))
        .values_list("course_id", "unit_id", "n")
    ):
        enrolled[course_id] += n
        heir = heir_map.get(unit_id)
        enrolled_by_unit[(course_id, heir[0].pk if heir else unit_id)] += n
    tables = []
    for round_ in rounds:
        own = {r.unit_id: r for r in registers if r.round_id == round_.pk}
        counted = [u for u in units if u.pk in own and own[u.pk].status in COUNTED]
        waiting = [
            (unit, own[unit.pk].get_status_display() if unit.pk in own else "Chưa đăng ký")
            for unit in units
            if unit.pk not in own or own[unit.pk].status not in COUNTED
        ]
        rows = []
        for course in round_.courses.all():
            row = CourseRow(
                course=course, last_plan=course.quantity, last_enrolled=enrolled.get(course.pk, 0)
            )
            for unit in counted:
                value = needs.get((round_.pk, course.pk, unit.pk), 0)
                if value:
                    row.by_unit[unit.pk] = value
            row.cells = [row.by_unit.get(unit.pk, 0) for unit in counted]
            row.total = sum(row.by_unit.values())
            row.accepted = accepted.get((round_.pk, course.pk), 0)
            rows.append(row)
        listed = [(unit, own[unit.pk]) for unit in units if unit.pk in own]
        table = BlockTable(round_, rows, counted, waiting, listed)
        course_pks = [course.pk for course in round_.courses.all()]

        def last_of(unit_pk, course_pks=course_pks):
            return sum(enrolled_by_unit.get((pk, unit_pk), 0) for pk in course_pks)

        table.last_by_unit = [last_of(unit.pk) for unit in counted]
        shown = {unit.pk for unit in counted}
        for heir in {h.pk: h for h, _ in heir_map.values()}.values():
            names = core_selectors.former_names(heir_map, heir.pk)
            if heir.pk in shown:
                table.former[heir.pk] = names
            elif last_of(heir.pk):
                table.last_elsewhere.append((heir, names, last_of(heir.pk)))
        tables.append(table)
    return tables
