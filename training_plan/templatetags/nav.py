"""The navigation bar's links, each marking itself when it is the current page's section."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()

# Which menu entry a page belongs to, by its URL name (first match wins). Pages of one object
# (a nomination, a class) belong to the list they are reached from.
SECTIONS = [
    ("people", ("person_",)),
    ("organisations", ("organisation_", "reorganisation_")),
    ("commitments", ("commitment_", "repayment_")),
    ("allocations", ("allocation_",)),
    ("nominations", ("nomination",)),
    ("appendix", ("budget_appendix", "appendix_current")),
    ("classes", ("class_", "budget_line_")),
    ("budget", ("budget_", "cost_norm_", "block_review")),
    ("download_log", ("download_log",)),
    ("needs", ("needs_",)),
    ("plans", ("plan_", "program_", "course_")),
    ("home", ("home",)),
]


def section_of(url_name):
    for section, prefixes in SECTIONS:
        if url_name and url_name.startswith(prefixes):
            return section
    return None


def current_section(context):
    match = getattr(context.get("request"), "resolver_match", None)
    return section_of(match.url_name) if match else None


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label, section):
    """A menu entry; on the pages of its section it is `active` with aria-current="page"."""
    if current_section(context) == section:
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}">{}</a>'
            "</li>",
            reverse(url_name),
            label,
        )
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', reverse(url_name), label
    )


@register.simple_tag(takes_context=True)
def nav_menu_item(context, url_name, label, section):
    """An entry of a drop-down menu (a group of screens used less often than the bar's)."""
    if current_section(context) == section:
        return format_html(
            '<li><a class="dropdown-item active" aria-current="page" href="{}">{}</a></li>',
            reverse(url_name),
            label,
        )
    return format_html(
        '<li><a class="dropdown-item" href="{}">{}</a></li>', reverse(url_name), label
    )


@register.simple_tag(takes_context=True)
def nav_menu_class(context, *sections):
    """The drop-down's toggle is marked active when the current page is one of its entries."""
    return (
        "nav-link dropdown-toggle active"
        if current_section(context) in sections
        else ("nav-link dropdown-toggle")
    )
