"""The pages of the benchmark render the same HTML, byte for byte, for every role (issue 17).

The expected pages under tests/html_snapshots/ were captured from the code before the rendering
work of issue 17 (rows written in Python, URLs from one reversed prefix); any change to what
these pages say shows up here. Normalised before comparing, and only that: the CSRF token, row
ids (numbered in order of appearance), factory sequences (reset to 0) and today's date/time
(the world is built when the test runs). Compared on SQLite, whose ids are the same on every
run; PostgreSQL's sequences are not rolled back between tests.

Pages whose HTML changes on purpose: `UPDATE_HTML_SNAPSHOTS=1 pytest tests/test_html_equality.py`
writes the snapshots again; review the diff before committing it.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.helpers import PERSONAS

SNAPSHOTS = Path(__file__).parent / "html_snapshots"
UPDATE = os.environ.get("UPDATE_HTML_SNAPSHOTS") == "1"

PAGES = {
    "dashboard": ("home", {}, ""),
    "plan_overview": ("plan_detail", {"year": 2021}, ""),
    "people": ("person_list", {}, ""),
    "people_search": ("person_list", {}, "?q=nguyen"),
    "nominations": ("nomination_list", {}, "?year=2021"),
    "nominations_filtered": ("nomination_list", {}, "?year=2021&status=submitted"),
    "class_list": ("class_list", {"year": 2021}, ""),
    "appendix": ("budget_appendix", {"year": 2021}, ""),
}


@pytest.fixture(autouse=True)
def same_factory_names():
    """Names made by the factories' sequences (“Lớp thử nghiệm 17”) depend on the tests run
    before: start every sequence at 0, before the world is built."""
    import factory

    from tests import factories

    for obj in vars(factories).values():
        if isinstance(obj, type) and issubclass(obj, factory.base.BaseFactory):
            if obj._meta.abstract:
                continue
            obj.reset_sequence(0, force=True)


def normalise(html):
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    now = timezone.localtime()
    for day in {now.date(), (now - datetime.timedelta(minutes=5)).date()}:
        html = html.replace(day.strftime("%d/%m/%Y"), "TODAY")
    html = re.sub(r"TODAY \d\d:\d\d", "TODAY HH:MM", html)
    numbers = {}

    def number(digits):
        return numbers.setdefault(digits, f"N{len(numbers) + 1}")

    def in_link(match):
        return re.sub(r'/(\d+)(?=/|\?|"|$)', lambda m: f"/{number(m.group(1))}", match.group(0))

    # Row ids, numbered in order of appearance: in links (every /123/ of an href or action),
    # in values and ids of inputs (value="123", pick-123) and in query strings (ids=123).
    html = re.sub(r'(?:href|action)="[^"]*"', in_link, html)
    return re.sub(
        r'(value="|pick-|ids=)(\d+)(?=["&\s])', lambda m: m.group(1) + number(m.group(2)), html
    )


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_html_is_unchanged(same_factory_names, client, world, request, persona, page):
    from django.db import connection

    if connection.vendor != "sqlite":
        # PostgreSQL's sequences are not rolled back: ids depend on the tests run before, and
        # the same id can stand for different rows of two kinds. The rendering code is the same
        # on both databases; SQLite gives the same ids on every run.
        pytest.skip("HTML snapshots are compared on SQLite (stable ids)")
    user = request.getfixturevalue(persona)
    client.force_login(user)
    name, kwargs, query = PAGES[page]
    response = client.get(reverse(name, kwargs=kwargs or None) + query)
    html = normalise(f"status {response.status_code}\n" + response.content.decode())
    path = SNAPSHOTS / f"{page}__{persona}.html"
    if UPDATE or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(html)
        if not UPDATE:
            pytest.fail(f"{path.name} was missing and has been written: run the test again")
    assert html == path.read_text(), f"{path.name}: the page's HTML changed"
