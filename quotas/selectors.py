"""Scoped reads of nominations and allocations; every list, view and export goes through these."""

from django.db.models import Q
from django.http import Http404

from quotas.models import Nomination


def nominations_for_user(user):
    """Nominations the user may see: all for BTC, SNV, leadership; a unit its own."""
    nominations = Nomination.objects.select_related(
        "person", "course__program__section__plan", "unit", "quota_line__institution"
    )
    if user.sees_all_units:
        return nominations
    if user.organisation_id is None:
        return nominations.none()
    return nominations.filter(unit_id=user.organisation_id)


def nomination_for_user(user, pk):
    nomination = nominations_for_user(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404("Không tìm thấy hồ sơ cử đi học.")
    return nomination


def seat_holding_nominations():
    """Nominations that take a seat (submitted and later, until rejected or withdrawn)."""
    return Nomination.objects.filter(status__in=Nomination.SEAT_HOLDING)


# ---------------------------------------------------------------------------------------------
# Nominations: list, detail, reserve order (feat/nominations).
# ---------------------------------------------------------------------------------------------


def nomination_list_for_user(
    user, *, plan, program=None, course=None, unit=None, status="", flag="", query=""
):
    """The user's nominations of one plan, filtered, in Vietnamese name order.

    Each row knows whether it came off the reserve list (`from_reserve`) without another query.
    """
    from django.db.models import Exists, OuterRef

    from courses.eligibility import Flag, notes_flag_prefix
    from quotas.models import NominationTransition
    from quotas.services import RESERVE_PROMOTION_REASON
    from training_plan.text import normalise_search

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
        nominations = nominations.filter(
            Q(eligibility_notes__startswith=notes_flag_prefix(Flag.OK))
            | Q(eligibility_notes__startswith=notes_flag_prefix(Flag.NONE))
            | Q(eligibility_notes="")
        )
    elif flag:
        nominations = nominations.filter(eligibility_notes__startswith=notes_flag_prefix(flag))
    words = normalise_search(query or "")
    if words:
        nominations = nominations.filter(person__search_name__contains=words)
    promoted = NominationTransition.objects.filter(
        nomination=OuterRef("pk"), reason=RESERVE_PROMOTION_REASON
    )
    return nominations.annotate(from_reserve=Exists(promoted)).order_by(
        "person__sort_key", "person_id", "course_id", "id"
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


def plans_for_nominations():
    """Plans a user can pick in the nomination screens, latest first."""
    from training_plan.models import Plan

    return Plan.objects.order_by("-year")


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
