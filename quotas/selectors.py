"""Scoped reads of nominations and allocations; every list, view and export goes through these."""

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
