"""The stored plan PDFs rendered again by the worker after a change, so that the next download
is served from the store (`documents.render_pdf(..., keep=True)`) instead of waiting seconds for
WeasyPrint.

A save or a delete of what the plan PDF or its appendix shows (the plan and its parts, programs,
courses, quota lines, classes, budget blocks, lines and norms) queues `render_plan_documents`
for the plan's year once the transaction commits; nothing is queued for a fixture loaded raw,
for a transaction rolled back, or while a render of that year waits in the queue, not started.
A change made without signals (`QuerySet.update`, `bulk_create`) is not seen: the first
download after it renders, as it always did."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django_tasks import TaskResultStatus, task

from budget.models import BudgetBlock, BudgetLine, CostNorm
from courses.models import Course, Program, ProgramInstitution, TrainingClass
from quotas.models import QuotaLine
from reports import documents
from training_plan.models import Plan, Recipient, Responsibility, Section

# How to find the plan of a changed object from its own fields (no query: the object may be
# gone, its parents not yet).
PLAN_OF = {
    Plan: lambda o: ("pk", o.pk),
    Section: lambda o: ("pk", o.plan_id),
    Recipient: lambda o: ("pk", o.plan_id),
    Responsibility: lambda o: ("pk", o.plan_id),
    BudgetBlock: lambda o: ("pk", o.plan_id),
    CostNorm: lambda o: ("pk", o.plan_id),
    Program: lambda o: ("sections", o.section_id),
    ProgramInstitution: lambda o: ("sections__programs", o.program_id),
    Course: lambda o: ("sections__programs", o.program_id),
    QuotaLine: lambda o: ("sections__programs__courses", o.course_id),
    TrainingClass: lambda o: ("sections__programs__courses", o.course_id),
    BudgetLine: lambda o: ("sections__programs__courses__classes", o.training_class_id),
}


@task()
def render_plan_documents(year):
    """Render the plan PDF and its appendix into the store (nothing when unchanged)."""
    if not Plan.objects.filter(year=year).exists():
        return []
    documents.plan_pdf(year)
    documents.appendix_pdf(year)
    return ["documents/plan.html", "documents/appendix.html"]


def queued_render(year):
    """A render of `year` waiting in the queue, not started."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=render_plan_documents.module_path,
        status=TaskResultStatus.READY,
        args_kwargs={"args": [year], "kwargs": {}},
    ).first()


def enqueue_render(year):
    """Queue a render of `year` unless one is already waiting; returns whether it queued."""
    if queued_render(year) is not None:
        return False
    render_plan_documents.enqueue(year)
    return True


class _RenderAfterCommit:
    """The on-commit hook of a change: finds the plan's year and queues its render."""

    def __init__(self, key):
        self.key = key
        self.done = False

    def __call__(self):
        self.done = True
        lookup, value = self.key
        if value is None:
            return
        year = Plan.objects.filter(**{lookup: value}).values_list("year", flat=True).first()
        if year is not None:
            enqueue_render(year)


def _waiting(connection, key):
    """A hook for `key` already waits for this transaction's commit."""
    for entry in getattr(connection, "run_on_commit", ()):
        hook = entry[1] if isinstance(entry, tuple) and len(entry) > 1 else None
        if isinstance(hook, _RenderAfterCommit) and hook.key == key and not hook.done:
            return True
    return False


def changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    key = PLAN_OF[sender](instance)
    connection = transaction.get_connection()
    if connection.in_atomic_block and _waiting(connection, key):
        return
    transaction.on_commit(_RenderAfterCommit(key))


def connect():
    for model in PLAN_OF:
        uid = f"reports.rendering:{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, dispatch_uid=f"{uid}:delete")
