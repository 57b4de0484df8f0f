"""Every page of every role passes axe-core (axe-playwright-python) with no serious or critical
violation (issue 13, 14). The pages are the permission table's: each GET of tests/
test_permissions.py that answers the role with a page (200, not a file)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.fixture_2021 import unit
from tests.helpers import browser_login
from tests.security.world import build_world
from tests.test_permissions import ACCOUNTS, TABLE
from training_plan.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["anonymous", *ACCOUNTS, "admin"]
BLOCKING = {"serious", "critical"}
HTML = "text/html"


def pages_of(role, world):
    urls = []
    for row in TABLE:
        if row.method != "get" or row.download or row.expected[role] != 200:
            continue
        url = reverse(row.name, kwargs=row.kwargs(world))
        if url not in urls:
            urls.append(url)
    return urls


@pytest.fixture
def table_world(plan_2021):
    """The permission table's accounts and world, so that its rows' arguments resolve."""
    for name, role, code in ACCOUNTS.values():
        UserFactory(username=name, role=role, organisation=unit(code))
    User.objects.create_superuser("bang_admin", password=PASSWORD)
    return build_world(plan_2021)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_passes_axe(browser, live_server, table_world, role):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    if role == "admin":
        browser_login(page, live_server, "bang_admin")
    elif role != "anonymous":
        browser_login(page, live_server, ACCOUNTS[role][0])
    axe = Axe()
    found = {}
    urls = pages_of(role, table_world)
    assert urls, "the role reads no page"
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        if not response.headers.get("content-type", "").startswith(HTML):
            continue  # a JSON endpoint (the person picker's search), not a page
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [node["target"] for node in violation["nodes"]][:3]
                found.setdefault(violation["id"], []).append((url, violation["help"], targets))
    context.close()
    assert found == {}, "\n".join(
        f"{rule}: {items[0][1]} — {len(items)} trang, ví dụ {items[:3]}"
        for rule, items in found.items()
    )
