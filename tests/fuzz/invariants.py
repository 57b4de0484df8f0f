"""What must hold after any request: snapshots of the main tables (to see who changed what) and
the database's invariants (issue 11; SPEC §4 “Nothing lost”)."""

import unicodedata
from collections import Counter, defaultdict

from django.db import models
from django.db.models import Count, Sum

from budget.models import (
    MAX_LINE_AMOUNT,
    MAX_PLAN_TOTAL,
    MAX_RATE,
    BudgetBlock,
    BudgetLine,
    CostNorm,
)
from courses.models import Course, Program, TrainingClass
from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from quotas.selectors import LEARNER_STATUSES
from training_plan.models import Block, Organisation, Person, Plan, Section

# The tables a role's request may change, and what each row belongs to (a unit, a block).
MAIN_MODELS = [
    Plan,
    Section,
    Program,
    Course,
    QuotaLine,
    Allocation,
    Person,
    Nomination,
    TrainingClass,
    CostNorm,
    BudgetLine,
    BudgetBlock,
    Organisation,
    NominationTransition,
]
BLOCK_PATH = {
    Allocation: "quota_line__course__program__block",
    TrainingClass: "course__program__block",
    BudgetLine: "training_class__course__program__block",
    Nomination: "course__program__block",
}
UNIT_PATH = {
    Person: "organisation_id",
    Nomination: "unit_id",
    Allocation: "unit_id",
    NominationTransition: "_unit",
}


def _rows(model):
    fields = [f.attname for f in model._meta.concrete_fields]
    extra = {}
    if model in BLOCK_PATH:
        extra["_block"] = BLOCK_PATH[model]
    if model is NominationTransition:
        extra["_unit"] = "nomination__unit_id"
        extra["_block"] = "nomination__course__program__block"
    return {
        row["id"]: row
        for row in model._default_manager.values(
            *fields, **{k: models.F(v) for k, v in extra.items()}
        )
    }


def snapshot():
    """{model: {id: row as a dict}} of the main tables."""
    return {model: _rows(model) for model in MAIN_MODELS}


def changes(before, after):
    """[(model, id, before row or None, after row or None)] of every row added, removed or
    changed."""
    found = []
    for model in MAIN_MODELS:
        old, new = before[model], after[model]
        for pk in old.keys() | new.keys():
            if old.get(pk) != new.get(pk):
                found.append((model, pk, old.get(pk), new.get(pk)))
    return found


def describe(change):
    model, pk, old, new = change
    if old is None:
        return f"{model.__name__} {pk} created: {new}"
    if new is None:
        return f"{model.__name__} {pk} deleted: {old}"
    diff = {k: (old[k], new[k]) for k in old if old[k] != new.get(k)}
    return f"{model.__name__} {pk} changed: {diff}"


def forbidden_changes(role, user, found):
    """The changes `role` may not make (SPEC §2: who may do what):
    - leadership only reads: no change at all;
    - a unit changes only its own people and nominations: nothing else, nothing of another unit;
    - SNV reviews the State block: nothing of the Party block's allocations, classes, budget
      lines (their number and quantities; a cost norm's new rate reprices every block) or
      nominations;
    - BTC reviews the Party block: nothing of the State block's allocations or classes, nor the
      number of its budget lines (BTC enters nominations for every unit, so they may change);
    - any role: a GET changes nothing (checked by the caller)."""
    bad = []
    for change in found:
        model, _, old, new = change
        rows = [row for row in (old, new) if row is not None]
        if role == "leadership":
            bad.append(change)
        elif role in ("unit_a", "unit_b"):
            own = model in (Person, Nomination, NominationTransition) and all(
                row[UNIT_PATH[model]] == user.organisation_id for row in rows
            )
            if not own:
                bad.append(change)
        elif role in ("btc", "snv"):
            other = Block.STATE if role == "btc" else Block.PARTY
            if "_block" not in rows[0] or not any(row["_block"] == other for row in rows):
                continue
            if model in (Nomination, NominationTransition) and role == "btc":
                continue
            if model is BudgetLine and old is not None and new is not None:
                keys = ("training_class_id", "quantity", "multiplier", "quantity_kind", "norm_id")
                if all(old[k] == new[k] for k in keys):
                    continue
            bad.append(change)
    return bad


# --- Invariants --------------------------------------------------------------------------------


def _bad_text(value, multiline):
    for ch in value:
        if ch == "\n" and multiline:
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co"):
            return True
    return False


def dirty_rows(found):
    """[(model, id, field)] of the changed rows whose text holds a control or invisible
    character."""
    dirty = []
    for model, pk, _, new in found:
        if new is None:
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField) and f.name != "password":
                value = new[f.attname]
                if isinstance(value, str) and _bad_text(value, isinstance(f, models.TextField)):
                    dirty.append((model.__name__, pk, f.name))
    return dirty


def broken_invariants(found=None):
    """Every invariant that does not hold, as sentences (empty when all hold). With `found`
    (the changes of a request), the text of the changed rows is checked too."""
    broken = []
    lines = {line.pk: line for line in QuotaLine.objects.all()}
    allocated = defaultdict(int)
    allocation_of = {}
    for a in Allocation.objects.all():
        allocated[a.quota_line_id] += a.count
        allocation_of[(a.quota_line_id, a.unit_id)] = a.count
    for pk, total in allocated.items():
        line = lines[pk]
        if line.planned_count is not None and total > line.planned_count:
            broken.append(f"quota line {pk}: allocated {total} > planned {line.planned_count}")
    held = Counter()
    held_line = Counter()
    for row in (
        Nomination.objects.filter(status__in=Nomination.SEAT_HOLDING, quota_line__isnull=False)
        .values("quota_line_id", "unit_id")
        .annotate(n=Count("id"))
    ):
        held[(row["quota_line_id"], row["unit_id"])] += row["n"]
        held_line[row["quota_line_id"]] += row["n"]
    for (line_id, unit_id), n in held.items():
        line = lines[line_id]
        if line.planned_count is not None and n > allocation_of.get((line_id, unit_id), 0):
            broken.append(
                f"quota line {line_id}, unit {unit_id}: {n} seat-holding nominations > "
                f"allocation {allocation_of.get((line_id, unit_id), 0)}"
            )
    for line_id, n in held_line.items():
        line = lines[line_id]
        if line.planned_count is not None and n > line.planned_count:
            broken.append(f"quota line {line_id}: {n} seats held > planned {line.planned_count}")
    for c in TrainingClass.objects.annotate(
        n=Count("nominations", filter=models.Q(nominations__status__in=LEARNER_STATUSES))
    ):
        if c.n > c.capacity:
            broken.append(f"class {c.pk}: {c.n} learners > capacity {c.capacity}")
    plan_totals = defaultdict(int)
    for line in BudgetLine.objects.values(
        "pk", "rate", "quantity", "multiplier", "training_class__course__program__section__plan"
    ):
        amount = line["rate"] * line["quantity"] * line["multiplier"]
        plan_totals[line["training_class__course__program__section__plan"]] += amount
        if amount > MAX_LINE_AMOUNT or amount < 0:
            broken.append(f"budget line {line['pk']}: amount {amount} out of bounds")
    for plan, total in plan_totals.items():
        if total > MAX_PLAN_TOTAL:
            broken.append(f"plan {plan}: budget lines total {total} > {MAX_PLAN_TOTAL}")
    for block in BudgetBlock.objects.all():
        if not 0 <= block.planned_total <= MAX_PLAN_TOTAL:
            broken.append(f"budget block {block.pk}: planned total {block.planned_total}")
    for plan, total in BudgetBlock.objects.values_list("plan").annotate(t=Sum("planned_total")):
        if total > MAX_PLAN_TOTAL:
            broken.append(f"plan {plan}: blocks total {total} > {MAX_PLAN_TOTAL}")
    for pk, rate in CostNorm.objects.values_list("pk", "rate"):
        if not 0 <= rate <= MAX_RATE:
            broken.append(f"cost norm {pk}: rate {rate}")
    dirty = dirty_rows(found or [])
    if dirty:
        broken.append(f"text with control or invisible characters: {dirty[:5]}")
    return broken
