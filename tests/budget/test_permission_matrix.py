"""Every URL of the classes, budget and plan life-cycle screens × every role."""

import pytest
from django.urls import reverse

from tests.factories import add_line, approved_nomination, enrol_directly, make_class
from tests.fixture_2021 import norm, party_course, state_course
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

ROLES = ["btc_user", "snv_user", "leader_user", "unit_a_user", "unit_b_user"]
ALL = dict.fromkeys(ROLES, 200)
STAFF_READ = {**dict.fromkeys(ROLES, 403), "btc_user": 200, "snv_user": 200, "leader_user": 200}
BTC_ONLY = {**dict.fromkeys(ROLES, 403), "btc_user": 200}
SNV_ONLY = {**dict.fromkeys(ROLES, 403), "snv_user": 200}
NORM_EDITORS = {**dict.fromkeys(ROLES, 403), "btc_user": 200, "snv_user": 200}


@pytest.fixture
def objects(plan_2021):
    state = make_class(state_course(plan_2021), status="running")
    party = make_class(party_course(plan_2021))
    learner = approved_nomination(state.course)
    enrol_directly(state, [learner])
    return {
        "state": state,
        "party": party,
        "learner": learner,
        "line": add_line(state, rate=1000),
        "norm": norm(plan_2021, "tai-lieu-hoc-tap"),
    }


def get_matrix(o):
    return [
        (reverse("class_list", args=[2021]), ALL),
        (reverse("class_create", args=[2021]), NORM_EDITORS),
        (reverse("class_detail", args=[o["state"].pk]), ALL),
        (reverse("class_detail", args=[o["party"].pk]), ALL),
        (reverse("class_edit", args=[o["state"].pk]), SNV_ONLY),
        (reverse("class_edit", args=[o["party"].pk]), BTC_ONLY),
        (reverse("class_results", args=[o["state"].pk]), SNV_ONLY),
        (reverse("class_cancel", args=[o["state"].pk]), SNV_ONLY),
        (reverse("class_cancel", args=[o["party"].pk]), BTC_ONLY),
        (reverse("budget_overview", args=[2021]), ALL),
        (reverse("budget_appendix", args=[2021]), ALL),
        (reverse("block_review", args=[2021, "state"]), STAFF_READ),
        (reverse("block_review", args=[2021, "party"]), STAFF_READ),
        (reverse("cost_norm_list", args=[2021]), ALL),
        (reverse("cost_norm_edit", args=[o["norm"].pk]), NORM_EDITORS),
        (reverse("budget_line_create", args=[o["state"].pk]), SNV_ONLY),
        (reverse("budget_line_create", args=[o["party"].pk]), BTC_ONLY),
        (reverse("budget_line_edit", args=[o["line"].pk]), SNV_ONLY),
        (reverse("plan_check", args=[2021]), STAFF_READ),
        (reverse("plan_issue", args=[2021]), BTC_ONLY),
        (reverse("plan_copy", args=[2021]), BTC_ONLY),
    ]


def post_only(o):
    return [
        reverse("class_enrol", args=[o["state"].pk]),
        reverse("class_unenrol", args=[o["state"].pk, o["learner"].pk]),
        reverse("cost_norm_delete", args=[o["norm"].pk]),
        reverse("budget_line_delete", args=[o["line"].pk]),
    ]


@pytest.mark.parametrize("persona", ROLES)
def test_get_matrix(client, objects, persona, request):
    client_for(client, request.getfixturevalue(persona))
    for url, expected in get_matrix(objects):
        assert client.get(url).status_code == expected[persona], url


@pytest.mark.parametrize("persona", ["leader_user", "unit_a_user", "unit_b_user", "btc_user"])
def test_post_only_urls_refuse_other_roles(client, objects, persona, request):
    client_for(client, request.getfixturevalue(persona))
    urls = post_only(objects)
    if persona == "btc_user":  # BTC edits norms, but not SNV's class
        urls = [u for u in urls if "/norms/" not in u]
    for url in urls:
        assert client.get(url).status_code == 405, url
        assert client.post(url).status_code == 403, url
    objects["learner"].refresh_from_db()
    assert objects["learner"].training_class_id == objects["state"].pk
    assert objects["state"].budget_lines.filter(pk=objects["line"].pk).exists()


def test_anonymous_is_sent_to_login_everywhere(client, objects):
    for url in [url for url, _ in get_matrix(objects)] + post_only(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 404), ("snv_user", 404), ("leader_user", 403), ("unit_b_user", 403)],
)
def test_unknown_ids_on_write_pages(client, plan_2021, persona, status, request):
    """A role that never writes classes or budget lines gets 403 before any lookup; BTC and
    SNV get 404 for a class, line or plan year that does not exist."""
    client_for(client, request.getfixturevalue(persona))
    for url in [
        reverse("class_create", args=[1999]),
        reverse("class_edit", args=[10**6]),
        reverse("class_results", args=[10**6]),
        reverse("class_cancel", args=[10**6]),
        reverse("budget_line_create", args=[10**6]),
        reverse("budget_line_edit", args=[10**6]),
    ]:
        assert client.get(url).status_code == status, url
    for url in [
        reverse("class_enrol", args=[10**6]),
        reverse("class_unenrol", args=[10**6, 10**6]),
        reverse("budget_line_delete", args=[10**6]),
    ]:
        assert client.post(url).status_code == status, url
