"""`{% load rows %}`: rows of the long list tables written in Python (training_plan/rows.py)."""

from django import template
from django.utils.safestring import mark_safe

from training_plan import rows

register = template.Library()


@register.simple_tag
def person_rows(page, show_identity):
    return mark_safe(rows.person_rows(page, show_identity))
