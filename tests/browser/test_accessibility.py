"""Every page of every role passes axe-core (axe-playwright-python) with no serious or critical
violation (issue 13, 14). The pages are the permission table's: each GET of tests/
test_permissions.py that answers the role with a page (200, not a file)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.helpers import browser_login
from tests.test_permissions import TABLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The table's roles and the persona fixtures (tests/conftest.py) that play them here.
PERSONAS = {
    "anonymous": None,
    "btc": "btc_test",
    "snv": "snv_test",
    "lanhdao": "lanhdao_test",
    "unit_own": "binhson_test",
    "unit_other": "sontinh_test",
    "admin": "admin_test",
}
BLOCKING = {"serious", "critical"}


def pages_of(role, world):
    urls = []
    for row in TABLE:
        if row.method != "get" or row.download or row.expected[role] != 200:
            continue
        url = reverse(row.name, kwargs=row.kwargs(world))
        if url not in urls:
            urls.append(url)
    return urls


@pytest.mark.parametrize("role", list(PERSONAS))
def test_every_page_of_the_role_passes_axe(browser, live_server, world, role):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    if PERSONAS[role]:
        browser_login(page, live_server, PERSONAS[role])
    axe = Axe()
    found = {}
    urls = pages_of(role, world)
    assert urls, "the role reads no page"
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
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
