"""Change history of any model tracked by django-simple-history, ready for `_history.html`.

    rows = history_rows(person)                       # one object
    rows = history_rows(Allocation.history.filter(quota_line__course=course),
                        label=lambda record: ...)     # many objects, one table

Each row says who, when, what kind of change, and for every field that changed its Vietnamese
verbose name with the old and the new value (choice labels, dd/mm/yyyy dates, related objects by
name). The newest `limit` records are shown; the whole thing costs a fixed number of queries
whatever the length of the history: one for the records (each annotated with the id of its
previous record), one for previous records outside the window, one per kind of related object.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from training_plan.text import format_number

HISTORY_LIMIT = 50
EMPTY = "—"
KIND_LABELS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


@dataclass
class FieldChange:
    field: str  # Vietnamese verbose name
    old: str
    new: str


@dataclass
class HistoryRow:
    when: dt.datetime
    who: str
    kind: str  # “Tạo mới”, “Sửa”, “Xóa”
    label: str = ""  # which object, when the table mixes several
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def _mask(value):
    text = str(value)
    return "•" * max(len(text) - 3, 0) + text[-3:]


def _render(model_field, value, related):
    if value is None or value == "":
        return EMPTY
    if isinstance(model_field, models.ForeignKey):
        obj = related.get(model_field.related_model, {}).get(value)
        return str(obj) if obj is not None else f"#{value} (đã xóa)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, int) and not isinstance(model_field, models.AutoField):
        # Amounts get the thousands separator; small numbers (counts, years) stay plain.
        return format_number(value) if abs(value) >= 10000 else str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _who(record):
    user = record.history_user
    if user is None:
        return "Hệ thống"
    return user.get_full_name() or user.username


def history_rows(source, *, limit=HISTORY_LIMIT, label=None, exclude=(), masked=()):
    """History rows, newest first.

    source  a model instance with `history = HistoricalRecords()`, or a queryset of its
            historical model (e.g. `Allocation.history.filter(...)`) for several objects.
    label   optional callable(record) → text naming the object of each row.
    exclude field names never shown; non-editable fields (derived columns, timestamps) never are.
    masked  field names whose values show only their last three characters (identity numbers
            for readers who may not see them).
    """
    if isinstance(source, models.Model):
        records = source.history.all()
    else:
        records = source
    history_model = records.model
    tracked = history_model.tracked_fields
    fields = [f for f in tracked if f.editable and not f.primary_key and f.name not in exclude]
    names = [f.name for f in fields]

    previous_id = (
        history_model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    window = list(
        records.select_related("history_user")
        .annotate(previous_history_id=Subquery(previous_id))
        .order_by("-history_id")[:limit]
    )
    by_id = {record.history_id: record for record in window}
    missing = {
        r.previous_history_id
        for r in window
        if r.previous_history_id is not None and r.previous_history_id not in by_id
    }
    if missing:
        by_id.update(
            {r.history_id: r for r in history_model.objects.filter(history_id__in=missing)}
        )

    # Pairs (record, previous) and the changes between them, with raw values.
    raw_rows = []
    for record in window:
        previous = by_id.get(record.previous_history_id)
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, included_fields=names)
            changed = {c.field: (c.old, c.new) for c in delta.changes}
        elif record.history_type == "+" or previous is None:
            changed = {
                name: (None, getattr(record, f.attname))
                for name, f in zip(names, fields, strict=True)
                if getattr(record, f.attname) not in (None, "")
            }
        else:  # deletion: nothing changes but the object's existence
            changed = {}
        if record.history_type == "~" and not changed:
            continue  # saved without changing anything the user can see
        raw_rows.append((record, changed))

    # Related objects by kind, one query each.
    wanted = {}
    for _record, changed in raw_rows:
        for name, values in changed.items():
            model_field = history_model.instance_type._meta.get_field(name)
            if isinstance(model_field, models.ForeignKey):
                wanted.setdefault(model_field.related_model, set()).update(
                    v for v in values if v is not None
                )
    related = {
        model: model._default_manager.select_related().in_bulk(ids) for model, ids in wanted.items()
    }

    order = {name: index for index, name in enumerate(names)}
    rows = []
    for record, changed in raw_rows:
        changes = []
        for name in sorted(changed, key=order.get):
            model_field = history_model.instance_type._meta.get_field(name)
            old, new = changed[name]
            old_text, new_text = (
                _render(model_field, old, related),
                _render(model_field, new, related),
            )
            if name in masked:
                old_text = old_text if old in (None, "") else _mask(old)
                new_text = new_text if new in (None, "") else _mask(new)
            changes.append(
                FieldChange(str(model_field.verbose_name).capitalize(), old_text, new_text)
            )
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=_who(record),
                kind=KIND_LABELS.get(record.history_type, record.history_type),
                label=label(record) if label else "",
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return rows
