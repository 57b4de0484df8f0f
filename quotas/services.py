"""Writes of quotas and nominations: allocations, the nomination workflow, imports."""

from django.db import transaction

from quotas.models import Nomination, NominationTransition


@transaction.atomic
def nomination_set_status(*, nomination: Nomination, to_status: str, actor, reason: str = ""):
    """Move a nomination to a status and record who, when and why. Callers check the rules
    (who may move it, seats) before calling; this only writes the change and its record."""
    from_status = nomination.status
    nomination.status = to_status
    nomination.save(update_fields=["status", "updated_at"])
    NominationTransition.objects.create(
        nomination=nomination,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )
    return nomination
