"""Names with markup render escaped on every page that shows a person or an organisation.

Every organisation, program, course, plan title and person gets a hostile name; the pages in
ESCAPE_PAGES (plan, programs, courses, dashboard, people, nominations, classes, budget
appendix, admin) must show the name
escaped and never the raw markup. No page of ours has an inline script, so any raw `<script>`
is an injection.
"""

import html

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Course, Program, TrainingClass
from training_plan.models import Organisation, Person, Plan

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script> "trích dẫn"'
ESCAPED = html.escape(HOSTILE, quote=True)  # &lt;script&gt;… &quot;trích dẫn&quot;

# (description, role fixture, url builder)
ESCAPE_PAGES = [
    ("plan overview", "btc_user", lambda w: reverse("plan_detail", args=[w.plan.year])),
    ("plan list", "btc_user", lambda w: reverse("plan_list")),
    ("program", "unit_a_user", lambda w: reverse("program_detail", args=[2021, w.program.pk])),
    ("course", "unit_a_user", lambda w: reverse("course_detail", args=[2021, w.course.pk])),
    ("dashboard", "btc_user", lambda w: reverse("home")),
    ("people list", "btc_user", lambda w: reverse("person_list")),
    ("people list of a unit", "unit_a_user", lambda w: reverse("person_list")),
    ("person", "unit_a_user", lambda w: reverse("person_detail", args=[w.person_a.pk])),
    ("nomination list", "btc_user", lambda w: reverse("nomination_list") + "?year=2021"),
    (
        "nomination list of a unit",
        "unit_a_user",
        lambda w: reverse("nomination_list") + "?year=2021",
    ),
    ("nomination", "unit_a_user", lambda w: reverse("nomination_detail", args=[w.nomination_a.pk])),
    ("class list", "btc_user", lambda w: reverse("class_list", args=[2021])),
    ("class", "btc_user", lambda w: reverse("class_detail", args=[w.training_class.pk])),
    ("budget appendix", "btc_user", lambda w: reverse("budget_appendix", args=[2021])),
    (
        "admin people",
        "admin_user_2021",
        lambda w: reverse("admin:training_plan_person_changelist"),
    ),
    (
        "admin person",
        "admin_user_2021",
        lambda w: reverse("admin:training_plan_person_change", args=[w.person_a.pk]),
    ),
    (
        "admin organisations",
        "admin_user_2021",
        lambda w: reverse("admin:training_plan_organisation_changelist"),
    ),
    (
        "admin nominations",
        "admin_user_2021",
        lambda w: reverse("admin:quotas_nomination_changelist"),
    ),
    (
        "admin nomination",
        "admin_user_2021",
        lambda w: reverse("admin:quotas_nomination_change", args=[w.nomination_a.pk]),
    ),
]


@pytest.fixture
def hostile_world(world):
    for model, field in [
        (Organisation, "name"),
        (Organisation, "short_name"),
        (Program, "name"),
        (Course, "name"),
        (Plan, "title"),
        (Person, "full_name"),
        (TrainingClass, "name"),
    ]:
        for obj in model.objects.all():
            setattr(obj, field, f"{getattr(obj, field)[:60]} {HOSTILE}")
            obj.save()
    return world


@pytest.mark.parametrize(
    ("description", "role", "url"), ESCAPE_PAGES, ids=[p[0] for p in ESCAPE_PAGES]
)
def test_hostile_names_render_escaped(request, hostile_world, description, role, url):
    client = Client()
    client.force_login(request.getfixturevalue(role))
    response = client.get(url(hostile_world))
    assert response.status_code == 200
    content = response.content.decode()
    assert ESCAPED in content, description
    assert "<script>alert(1)</script>" not in content, description
    assert '"trích dẫn"' not in content, description


def test_hostile_name_in_the_navigation_bar(hostile_world, unit_a_user):
    client = Client()
    client.force_login(unit_a_user)
    content = client.get(reverse("plan_list")).content.decode()
    assert f"Huyện ủy Bình Sơn {ESCAPED}" in content  # the user's organisation, in the navbar
    assert "<script>alert(1)</script>" not in content
