"""Rows of the long list tables written in Python, with the same HTML as the template loops they
replace (tests/test_html_equality.py compares every page, for every role, with the HTML of the
template version).

The template engine spends ≈0,15–0,25 ms on each row of a 50-row table (variable lookups,
filters, autoescape, one `reverse()` per link): 8–12 ms of every list page, more than its SQL
(issue 17, BENCHMARKS.md). Here a row is one f-string: values escaped with Django's own
`conditional_escape` (what autoescape applies), links built from one reversed prefix.
"""

from django.urls import reverse
from django.utils.html import conditional_escape as e

SENTINEL = 987654321


class UrlOf:
    """`reverse(name, args=[pk])` for many pks: reversed once, the pk put in its place."""

    def __init__(self, name):
        self.head, self.tail = reverse(name, args=[SENTINEL]).split(str(SENTINEL))

    def __call__(self, pk):
        return f"{self.head}{int(pk)}{self.tail}"


def day(value):
    """`{{ value|date:"d/m/Y" }}`"""
    if not value:
        return ""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def day_time(value):
    """`{{ value|date:"d/m/Y H:i" }}` of an aware datetime, in the current time zone."""
    if not value:
        return ""
    from django.utils import timezone

    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(value)} {value.hour:02d}:{value.minute:02d}"


def person_rows(people, show_identity):
    """The rows of the people list (templates/training_plan/person_list.html)."""
    url = UrlOf("person_detail")
    parts = []
    for person in people:
        identity = person.identity_number if show_identity else person.masked_identity_number
        parts.append(
            "\n    <tr>\n"
            f'      <td><a href="{e(url(person.pk))}">{e(person.full_name)}</a></td>\n'
            f"      <td>{day(person.date_of_birth)}</td>\n"
            f"      <td>{e(person.get_gender_display())}</td>\n"
            f"      <td>{e(person.organisation.name)}</td>\n"
            f"      <td>{e(person.position or '—')}</td>\n"
            f"      <td>{e(person.get_category_display())}</td>\n"
            f"      <td>{e(person.get_rank_display() or '—')}</td>\n"
            f"      <td>{e(person.get_theory_level_display() or '—')}</td>\n"
            f'      <td class="font-monospace">{e(identity or "—")}</td>\n'
            "    </tr>\n  "
        )
    return "".join(parts)


def nomination_rows(page, bulk_actions, *, status_style, flag_style):
    """The rows of the nominations list (templates/quotas/nomination_list.html); each
    nomination carries its `report` (eligibility) as the view sets it."""
    url = UrlOf("nomination_detail")
    parts = []
    for n in page:
        person, report = n.person, n.report
        pick = ""
        if bulk_actions:
            pick = (
                f'<td><input class="form-check-input" type="checkbox" name="ids" value="{n.pk:d}"'
                f' id="pick-{n.pk:d}" aria-label="Chọn {e(person.full_name)}"></td>'
            )
        place = (
            f'<br><small class="text-muted">{e(n.quota_line.place)}</small>' if n.quota_line else ""
        )
        reserve = (
            f"<br><small>Dự bị từ {day_time(n.reserve_since)}</small>"
            if n.status == "reserve"
            else ""
        )
        # `n.status in "returned rejected"` in the template: a substring test, kept as is.
        reason = (
            f'<br><small class="status-reason">Lý do: {e(n.last_reason)}</small>'
            if n.last_reason and n.status in "returned rejected"
            else ""
        )
        promoted = (
            '<br><small class="text-info-emphasis">Tự động chuyển từ danh sách dự bị</small>'
            if n.from_reserve
            else ""
        )
        sentences = "".join(f'<div class="mt-1">{e(s)}</div>' for s in report.sentences)
        parts.append(
            f"\n      <tr>\n        {pick}\n"
            f'        <td class="text-nowrap"><a href="{e(url(n.pk))}">{e(person.full_name)}</a>'
            f'<br><small class="text-muted">sinh {day(person.date_of_birth)}</small></td>\n'
            f"        <td>{e(n.unit.name)}</td>\n"
            f"        <td>{e(n.course.name)}{place}</td>\n"
            f'        <td><span class="badge text-bg-{e(status_style(n.status))}">'
            f"{e(n.get_status_display())}</span>\n"
            f"          {reserve}\n          {reason}\n          {promoted}\n        </td>\n"
            f'        <td class="small">\n'
            f'          <span class="badge text-bg-{e(flag_style(report.flag))}">'
            f"{e(report.flag_label)}</span>\n"
            f"          {sentences}\n        </td>\n      </tr>\n    "
        )
    return "".join(parts)


def value(obj):
    """`{{ obj }}`: what the template engine writes for a value (localised, escaped)."""
    from django.utils.formats import localize

    obj = localize(obj)
    return e(obj if isinstance(obj, str) else str(obj))


def appendix_rows(rows, *, number):
    """The class rows of one block of the budget appendix (templates/budget/appendix.html), the
    `{% for row in group.rows %}…{% empty %}…{% endfor %}` loop; `number` is the `number`
    filter (training_plan/templatetags/vn.py)."""
    if not rows:
        return '\n    <tr><td colspan="9" class="text-muted">Chưa có lớp.</td></tr>\n    '
    url = UrlOf("class_detail")
    parts = []
    for row in rows:
        planned = '<div class="small text-muted">dự kiến</div>' if row.learners_are_planned else ""
        illustrative = (
            '<span class="badge text-bg-light border">Minh họa (*)</span>'
            if row.is_illustrative
            else ""
        )
        parts.append(
            "\n    <tr>\n"
            f"      <td>{value(row.number)}</td>\n"
            f"      <td>{value(row.program)}</td>\n"
            f'      <td><a href="{e(url(row.training_class.pk))}">{value(row.course)}</a>'
            f'<div class="small text-muted">{value(row.training_class.name)}</div></td>\n'
            f"      <td>{value(row.institution)}</td>\n"
            f'      <td class="num">{value(number(row.learners))}{planned}</td>\n'
            f'      <td class="text-nowrap">{value(row.period)}</td>\n'
            f'      <td class="num">{value(number(row.estimate))}</td>\n'
            f"      <td>{value(row.funding_source)}</td>\n"
            f"      <td>{illustrative}</td>\n"
            "    </tr>\n    "
        )
    return "".join(parts)


def class_rows(page, *, number):
    """The rows of the class list (templates/budget/class_list.html), the
    `{% for c in page %}…{% empty %}…{% endfor %}` loop."""
    if not page.object_list:
        return '\n    <tr><td colspan="8">Chưa có lớp nào.</td></tr>\n  '
    url = UrlOf("class_detail")
    parts = []
    for c in page:
        illustrative = (
            ' <a class="badge text-bg-light border" href="#illustrative-note" title="Lớp minh '
            'họa: xem chú thích cuối bảng">minh họa (*)</a>'
            if c.is_illustrative
            else ""
        )
        program = c.course.program
        parts.append(
            "\n    <tr>\n"
            f'      <td><a href="{e(url(c.pk))}">{value(c.name)}</a>{illustrative}</td>\n'
            f"      <td>{value(program.number)}. {value(c.course.name)}</td>\n"
            f"      <td>{value(c.institution.name)}</td>\n"
            f'      <td class="text-nowrap">{day(c.start_date)} – {day(c.end_date)}</td>\n'
            f'      <td class="num">{value(number(c.learner_count))} / '
            f"{value(number(c.capacity))}</td>\n"
            f"      <td>{value(c.get_status_display())}</td>\n"
            f'      <td class="num">{value(number(c.estimate))}</td>\n'
            f"      <td>{value(program.get_block_display())}</td>\n"
            "    </tr>\n  "
        )
    return "".join(parts)
