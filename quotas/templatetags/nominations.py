"""Small display helpers of the nomination screens."""

from django import template

register = template.Library()

STATUS_STYLES = {
    "draft": "secondary",
    "reserve": "info",
    "submitted": "primary",
    "returned": "warning",
    "rejected": "danger",
    "verified": "success",
    "approved": "success",
    "enrolled": "success",
    "completed": "dark",
    "not_completed": "danger",
    "withdrawn": "secondary",
}
VERDICT_STYLES = {"ok": "success", "block": "danger", "warn": "warning", "overridden": "info"}
FLAG_STYLES = {
    "none": "light",
    "ok": "success",
    "warn": "warning",
    "overridden": "info",
    "blocked": "danger",
}


@register.filter
def status_style(status):
    return STATUS_STYLES.get(status, "secondary")


@register.filter
def verdict_style(state):
    return VERDICT_STYLES.get(state, "secondary")


@register.filter
def flag_style(flag):
    return FLAG_STYLES.get(flag, "secondary")


@register.simple_tag
def nomination_rows(page, bulk_actions):
    """The rows of the nominations list, written in Python (training_plan/rows.py)."""
    from django.utils.safestring import mark_safe

    from training_plan import rows

    return mark_safe(
        rows.nomination_rows(page, bulk_actions, status_style=status_style, flag_style=flag_style)
    )
