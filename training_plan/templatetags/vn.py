"""Vietnamese formatting filters, loaded in every template (settings TEMPLATES builtins)."""

from django import template

from training_plan import text

register = template.Library()


@register.filter
def number(value):
    """{{ 11147406000|number }} → 11.147.406.000"""
    if value is None or value == "":
        return ""
    return text.format_number(value)


@register.filter
def money(value):
    """{{ 11147406000|money }} → 11.147.406.000 đồng"""
    if value is None or value == "":
        return ""
    return text.format_money(value)


@register.filter
def money_words(value):
    """{{ 11147406000|money_words }} → Mười một tỷ … đồng"""
    return text.money_in_words(value)
