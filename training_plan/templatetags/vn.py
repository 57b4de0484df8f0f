"""Vietnamese formatting filters, loaded in every template (settings TEMPLATES builtins)."""

from django import template
from django.template.defaulttags import querystring

from training_plan import text

register = template.Library()


@register.filter
def number(value):
    """{{ 11147406000|number }} → 11.147.406.000"""
    if value is None or value == "":
        return ""
    return text.format_number(value)


@register.filter
def signed(value):
    """A difference with its sign: {{ 3000000|signed }} → +3.000.000, {{ -5000|signed }} →
    −5.000 (a minus sign), 0 → 0."""
    if value is None or value == "":
        return ""
    return text.format_signed(value)


@register.filter
def percent(value):
    """A rate with one decimal: {{ 0.4|percent }} → 0,4 %; none → —."""
    if value is None or value == "":
        return "—"
    return f"{value:.1f}".replace(".", ",") + " %"


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


@register.simple_tag(takes_context=True)
def page_querystring(context, param, number):
    """Django's {% querystring %} with the page parameter's name in a variable, for a page with
    two paginated lists (the class page: learners `page`, candidates `cpage`)."""
    return querystring(context, **{param: number})
