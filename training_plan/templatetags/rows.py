"""`{% load rows %}`: rows of the long list tables written in Python (training_plan/rows.py)."""

from django import template
from django.utils.safestring import mark_safe

from training_plan import rows

register = template.Library()


@register.simple_tag
def person_rows(page, show_identity):
    return mark_safe(rows.person_rows(page, show_identity))


@register.simple_tag
def appendix_rows(group_rows):
    from training_plan.templatetags.vn import number

    return mark_safe(rows.appendix_rows(group_rows, number=number))


@register.simple_tag
def class_rows(page):
    from training_plan.templatetags.vn import number

    return mark_safe(rows.class_rows(page, number=number))
