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


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label, section):
    """A menu entry; on the pages of its section it is `active` with aria-current="page"."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = section_of(match.url_name) if match else None
    if current == section:
        return format_html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}">{}</a>'
            "</li>",
            reverse(url_name),
            label,
        )
    return format_html(
        '<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', reverse(url_name), label
    )
