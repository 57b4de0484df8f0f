"""Reads of commitments: scoped to the user, a bounded number of queries per page."""

from django.http import Http404
from django.utils import timezone

from commitments.models import Commitment, CommitmentRule, State
from quotas.models import Nomination

LIST_RELATED = ("person__organisation", "nomination__course__program", "rule", "repayment")


def commitments_for_user(user, *, today=None):
    return (
        Commitment.objects.visible_to(user)
        .select_related(*LIST_RELATED)
        .with_state(today or timezone.localdate())
    )


def commitment_for_user(user, pk):
    """One commitment the user may read, or 404 (never another unit's)."""
    commitment = (
        commitments_for_user(user)
        .select_related("nomination__training_class", "nomination__unit")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("Không tìm thấy cam kết phục vụ.")
    return commitment


def state_counts(queryset):
    """{State: count} of a scoped queryset (one query)."""
    from django.db.models import Count

    counts = dict(
        queryset.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [(state, label, counts.get(state, 0)) for state, label in State.choices]


def nomination_for_commitment(user, pk):
    """A nomination the user may read and record a commitment with, or 404."""
    nomination = (
        Nomination.objects.visible_to(user)
        .select_related("person__organisation", "course__program", "training_class", "unit")
        .filter(pk=pk)
        .first()
    )
    if nomination is None:
        raise Http404("Không tìm thấy hồ sơ cử đi học.")
    return nomination


def rules_list():
    return CommitmentRule.objects.order_by("category", "valid_from")


def commitments_of_person(person):
    return (
        Commitment.objects.filter(person=person)
        .select_related(*LIST_RELATED)
        .with_state(timezone.localdate())
        .order_by("sent_date", "pk")
    )
