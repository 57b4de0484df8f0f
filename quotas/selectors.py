"""Scoped reads of nominations and allocations; every list, view and export goes through these."""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from courses.models import Course, Program, ProgramInstitution
from quotas.models import Allocation, Nomination, QuotaLine
from training_plan.models import Organisation, Plan, Section
from training_plan.rules import EVERY_UNIT, scope_to_user, unit_scope
from training_plan.text import normalise_search


def nominations_for_user(user):
    """Nominations the user may see (`NominationQuerySet.visible_to`), with what lists show."""
    return Nomination.objects.visible_to(user).select_related(
        "person", "course__program__section__plan", "unit", "quota_line__institution"
    )


def nomination_for_user(user, pk):
    nomination = nominations_for_user(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404("Không tìm thấy hồ sơ cử đi học.")
    return nomination


def seat_holding_nominations():
    """Nominations that take a seat (submitted and later, until rejected or withdrawn)."""
    return Nomination.objects.filter(status__in=Nomination.SEAT_HOLDING)


# --- Allocation (phân bổ chỉ tiêu) -------------------------------------------------------------
# Usage comes from aggregate queries over all lines at once, never a count per row.


@dataclass
class UnitUsage:
    """One unit's share of one quota line."""

    unit: Organisation
    allocated: int = 0
    held: int = 0

    @property
    def free(self):
        return self.allocated - self.held


@dataclass
class LineUsage:
    """A capped quota line with its units' rows (only the rows the user may see) and totals."""

    line: QuotaLine
    rows: list[UnitUsage] = field(default_factory=list)
    allocated: int = 0  # Σ allocations of every unit
    held: int = 0  # Σ seat-holding nominations of every unit

    @property
    def planned(self):
        return self.line.planned_count

    @property
    def unallocated(self):
        return self.planned - self.allocated

    @property
    def free(self):
        """Seats allocated but not yet held by a nomination."""
        return self.allocated - self.held


def quota_line_for_year(year, pk):
    line = (
        QuotaLine.objects.select_related("course__program__section__plan", "institution")
        .filter(course__program__section__plan__year=year, pk=pk)
        .first()
    )
    if line is None:
        raise Http404("Không có dòng chỉ tiêu này trong kế hoạch.")
    return line


def allocation_usage(lines, *, user):
    """Usage of capped quota lines: a LineUsage per line, in the order given.

    Rows: every unit with an allocation or seat-holding nominations on the line; a unit user
    gets only its own row. Totals always count every unit. Three queries whatever the size.
    """
    lines = [line for line in lines if line.is_capped]
    ids = [line.pk for line in lines]
    usage = {line.pk: LineUsage(line=line) for line in lines}
    rows = {}
    for allocation in Allocation.objects.filter(quota_line_id__in=ids).select_related("unit"):
        key = (allocation.quota_line_id, allocation.unit_id)
        rows[key] = UnitUsage(unit=allocation.unit, allocated=allocation.count)
        usage[allocation.quota_line_id].allocated += allocation.count
    held = (
        seat_holding_nominations()
        .filter(quota_line_id__in=ids)
        .values("quota_line_id", "unit_id", "unit__name", "unit__short_name", "unit__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in held:
        key = (item["quota_line_id"], item["unit_id"])
        if key not in rows:  # seats held without an allocation: shown so nothing hides
            unit = Organisation(
                pk=item["unit_id"],
                name=item["unit__name"],
                short_name=item["unit__short_name"],
                code=item["unit__code"],
            )
            rows[key] = UnitUsage(unit=unit)
        rows[key].held = item["n"]
        usage[item["quota_line_id"]].held += item["n"]
    scope = unit_scope(user)
    for (line_id, unit_id), row in rows.items():
        if scope == EVERY_UNIT or unit_id == scope:
            usage[line_id].rows.append(row)
    for line_usage in usage.values():
        line_usage.rows.sort(key=lambda row: (row.unit.sort_key, row.unit.pk))
    return [usage[pk] for pk in ids]


@dataclass
class CourseUsage:
    course: object
    lines: int = 0
    planned: int = 0
    allocated: int = 0
    held: int = 0

    @property
    def unallocated(self):
        return self.planned - self.allocated

    @property
    def free(self):
        return self.allocated - self.held


def allocation_overview(plan, *, user):
    """Courses of a plan with capped quota lines and their totals, in plan order.

    A unit user gets its own allocation and held seats; the others every unit's. Four queries.
    """
    capped = QuotaLine.objects.filter(
        course__program__section__plan=plan, planned_count__isnull=False
    )
    per_course = {
        item["course_id"]: item
        for item in capped.values("course_id")
        .annotate(planned=Sum("planned_count"), lines=Count("id"))
        .order_by()
    }
    courses = Course.objects.filter(pk__in=per_course).select_related("program__section")
    usage = {
        course.pk: CourseUsage(
            course=course,
            lines=per_course[course.pk]["lines"],
            planned=per_course[course.pk]["planned"],
        )
        for course in courses
    }
    allocations = scope_to_user(Allocation.objects.filter(quota_line__in=capped), user, "unit_id")
    held = scope_to_user(seat_holding_nominations().filter(quota_line__in=capped), user, "unit_id")
    for item in allocations.values("quota_line__course_id").annotate(n=Sum("count")).order_by():
        usage[item["quota_line__course_id"]].allocated = item["n"] or 0
    for item in held.values("quota_line__course_id").annotate(n=Count("id")).order_by():
        usage[item["quota_line__course_id"]].held = item["n"]
    return list(usage.values())


# ---------------------------------------------------------------------------------------------
# Nominations: list, detail, reserve order.
# ---------------------------------------------------------------------------------------------


def nomination_list_for_user(
    user, *, plan, program=None, course=None, unit=None, status="", flag="", query=""
):
    """The user's nominations of one plan, filtered, in Vietnamese name order.

    Each row knows whether it came off the reserve list (`from_reserve`) without another query.
    """
    from django.db.models import Exists, OuterRef

    from courses.eligibility import Flag
    from quotas.models import NominationTransition

    nominations = nominations_for_user(user).filter(course__program__section__plan=plan)
    if program is not None:
        nominations = nominations.filter(course__program=program)
    if course is not None:
        nominations = nominations.filter(course=course)
    if unit is not None:
        nominations = nominations.filter(unit=unit)
    if status:
        nominations = nominations.filter(status=status)
    if flag == Flag.OK:
        # “Đạt”: every rule passed, or the course has no rule to check.
        nominations = nominations.filter(eligibility_flag__in=[Flag.OK, Flag.NONE])
    elif flag:
        nominations = nominations.filter(eligibility_flag=flag)
    words = normalise_search(query or "")
    if words:
        nominations = nominations.filter(person__search_name__contains=words)
    promoted = NominationTransition.objects.filter(
        nomination=OuterRef("pk"), reason=NominationTransition.RESERVE_PROMOTION_REASON
    )
    # The reason of the last return or rejection, shown with the status (a subquery per row in
    # the one query of the page, not a query per row).
    last_reason = (
        NominationTransition.objects.filter(
            nomination=OuterRef("pk"),
            to_status__in=[Nomination.Status.RETURNED, Nomination.Status.REJECTED],
        )
        .order_by("-at", "-id")
        .values("reason")[:1]
    )
    # Only the joins the list shows: the plan's long texts and the program chain would be read
    # and built into objects 50 times per page for nothing.
    return (
        nominations.select_related(None)
        .select_related("person", "course", "unit", "quota_line__institution")
        .annotate(from_reserve=Exists(promoted), last_reason=Subquery(last_reason))
        .order_by("person__sort_key", "person_id", "course_id", "id")
    )


def nomination_transitions(nomination):
    return nomination.transitions.select_related("actor").order_by("at", "id")


def reserve_position(nomination):
    """1 for the unit's first reserve nomination on the line, 2 for the next…; None if none."""
    if nomination.status != Nomination.Status.RESERVE or nomination.reserve_since is None:
        return None
    ahead = Nomination.objects.filter(
        quota_line_id=nomination.quota_line_id,
        unit_id=nomination.unit_id,
        status=Nomination.Status.RESERVE,
    ).filter(
        Q(reserve_since__lt=nomination.reserve_since)
        | Q(reserve_since=nomination.reserve_since, id__lt=nomination.id)
    )
    return ahead.count() + 1


def plan_courses(plan):
    """The plan's courses in order, with their quota lines (two queries)."""
    from django.db.models import Prefetch

    from courses.models import Course
    from quotas.models import QuotaLine

    return list(
        Course.objects.filter(program__section__plan=plan)
        .select_related("program__section")
        .prefetch_related(
            Prefetch(
                "quota_lines",
                queryset=QuotaLine.objects.select_related("institution").order_by("position"),
            )
        )
        .order_by("program__section__position", "program__position", "position")
    )


# Nominations that sit in a class: enrolled, then completed or not.
LEARNER_STATUSES = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)


def class_learner_count_expression():
    learners = (
        Nomination.objects.filter(training_class=OuterRef("pk"), status__in=LEARNER_STATUSES)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(learners), Value(0), output_field=IntegerField())


def class_learners(training_class, user):
    """Learners of a class the user may see, sorted the Vietnamese way (given name first).

    A unit sees only the learners it sent; BTC, SNV and leadership see all
    (`Nomination.objects.visible_to`)."""
    return (
        Nomination.objects.visible_to(user)
        .filter(training_class=training_class, status__in=LEARNER_STATUSES)
        .select_related("person", "unit", "training_class")
        .order_by("person__sort_key", "pk")
    )


def enrolment_candidates(training_class):
    """Approved nominations of the class's course that sit in no class yet."""
    return (
        Nomination.objects.filter(
            course_id=training_class.course_id,
            status=Nomination.Status.APPROVED,
            training_class__isnull=True,
        )
        .select_related("person", "unit")
        .order_by("person__sort_key", "pk")
    )


def learner_status_counts(class_ids):
    """{class id: {status: count}} for the given class ids, in one grouped query."""
    counts = {}
    rows = (
        Nomination.objects.filter(training_class_id__in=list(class_ids))
        .order_by()
        .values_list("training_class", "status")
        .annotate(n=Count("pk"))
    )
    for class_id, status, n in rows:
        counts.setdefault(class_id, {})[status] = n
    return counts


def learner_counts(class_ids):
    """{class id: learners (enrolled, completed or not)} for the given class ids, in one grouped
    query on the nominations alone (classes without learners are left out)."""
    return dict(
        Nomination.objects.filter(
            training_class_id__in=list(class_ids), status__in=LEARNER_STATUSES
        )
        .order_by()
        .values_list("training_class")
        .annotate(n=Count("pk"))
    )


def _programs_with_bodies():
    """Programs with their directing and implementing bodies, legal bases and institutions."""
    return Program.objects.select_related(
        "section__plan", "directing_body", "implementing_body"
    ).prefetch_related(
        "legal_documents__issuer",
        Prefetch(
            "institution_links",
            queryset=ProgramInstitution.objects.select_related("institution"),
        ),
    )


def plan_for_year(year):
    """The plan of a year with its sections, programs, courses and quota lines, or 404."""
    programs = (
        _programs_with_bodies()
        .prefetch_related(
            Prefetch(
                "courses",
                queryset=Course.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "quota_lines",
                        queryset=QuotaLine.objects.select_related("institution").order_by(
                            "position"
                        ),
                    )
                ),
            ),
        )
        .order_by("position")
    )
    plan = (
        Plan.objects.select_related("issuing_body", "budget_legal_basis__issuer")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=Section.objects.prefetch_related(Prefetch("programs", queryset=programs)),
            ),
            "recipients",
            "responsibilities__body",
            "budget_blocks",
        )
        .filter(year=year)
        .first()
    )
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    return plan


def program_for_year(year, pk):
    program = (
        _programs_with_bodies()
        .prefetch_related(
            Prefetch(
                "courses",
                queryset=Course.objects.prefetch_related(
                    Prefetch(
                        "quota_lines", queryset=QuotaLine.objects.select_related("institution")
                    ),
                    "eligibility_rules__legal_document",
                ),
            ),
        )
        .filter(section__plan__year=year, pk=pk)
        .first()
    )
    if program is None:
        raise Http404("Không có chương trình này trong kế hoạch.")
    return program


def course_for_year(year, pk):
    course = (
        Course.objects.select_related(
            "program__section__plan", "program__directing_body", "program__implementing_body"
        )
        .prefetch_related(
            Prefetch("quota_lines", queryset=QuotaLine.objects.select_related("institution")),
            "eligibility_rules__legal_document",
        )
        .filter(program__section__plan__year=year, pk=pk)
        .first()
    )
    if course is None:
        raise Http404("Không có khóa này trong kế hoạch.")
    return course


# ---------------------------------------------------------------------------------------------
# The nomination form's person picker.
# ---------------------------------------------------------------------------------------------

PICKER_LIMIT = 20


def seats_text(line, allocated, held):
    """What a unit has left on a quota line, as the line's choice says it."""
    if not line.is_capped:
        return "theo nhu cầu đăng ký"
    if allocated is None:
        return "đơn vị chưa được phân bổ chỉ tiêu"
    return f"đơn vị còn {max(allocated - held, 0)}/{allocated} chỉ tiêu"


def unit_seats(lines, unit_ids):
    """{unit id: {"line-<pk>": text}} of the seats each unit has left on each line. Two queries."""
    ids = [line.pk for line in lines if line.is_capped]
    allocated = {
        (a["unit_id"], a["quota_line_id"]): a["count"]
        for a in Allocation.objects.filter(quota_line_id__in=ids, unit_id__in=unit_ids).values(
            "unit_id", "quota_line_id", "count"
        )
    }
    held = {
        (h["unit_id"], h["quota_line_id"]): h["n"]
        for h in seat_holding_nominations()
        .filter(quota_line_id__in=ids, unit_id__in=unit_ids)
        .values("unit_id", "quota_line_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    return {
        unit_id: {
            f"line-{line.pk}": seats_text(
                line, allocated.get((unit_id, line.pk)), held.get((unit_id, line.pk), 0)
            )
            for line in lines
        }
        for unit_id in unit_ids
    }


def picker_people(people, query, *, unit=None):
    """People of the picker: every word of the query in the name (diacritics ignored), at most
    PICKER_LIMIT, in Vietnamese name order."""
    from training_plan.selectors import people_matching

    if not normalise_search(query).split():
        return []
    if unit is not None:
        people = people.filter(organisation=unit)
    return list(people_matching(people, query).order_by("sort_key", "id")[:PICKER_LIMIT])
