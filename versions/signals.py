"""A plan issued is a step of its life: its version “Ban hành” is recorded as it is issued, with
the PDF as issued (whatever changes later, that version keeps it)."""

from django.db.models.signals import post_save, pre_save
from simple_history.models import HistoricalRecords

from training_plan.models import Plan


def _remember_status(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._status_before = None
        return
    instance._status_before = (
        Plan.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
    )


def _record_issue(sender, instance, created, raw=False, **kwargs):
    from versions.models import PlanVersion
    from versions.services import record_version

    before = getattr(instance, "_status_before", None)
    if raw or created or before == instance.status or instance.status != Plan.Status.ISSUED:
        return
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    actor = user if getattr(user, "is_authenticated", False) else None
    record_version(plan=instance, step=PlanVersion.Step.ISSUED, actor=actor)


def connect():
    pre_save.connect(_remember_status, sender=Plan, dispatch_uid="versions_plan_status")
    post_save.connect(_record_issue, sender=Plan, dispatch_uid="versions_plan_issued")
