"""The 404 matrix: every object URL × every role, with the expected status from world.URL_TABLE.

A unit user asking for another unit's object gets 404, a read-only role 403 on a form, an
anonymous visitor the login page. The table grows with the screens; a URL with arguments that is
not in it fails `test_every_object_url_is_in_the_table`.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.world import (
    PERSONA_FIXTURES,
    ROLES,
    URL_ROWS,
    URL_TABLE,
    url_for,
    url_patterns,
)

pytestmark = pytest.mark.django_db


def test_every_object_url_is_in_the_table():
    missing = [
        p.name or p.route
        for p in url_patterns()
        if p.takes_arguments and not p.is_admin and p.name not in URL_ROWS
    ]
    assert missing == [], f"add rows for {missing} to tests/security/world.py URL_TABLE"


def client_as(request, role):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(PERSONA_FIXTURES[role]))
    return client


@pytest.mark.parametrize("row", URL_TABLE, ids=lambda row: row.name)
def test_object_url_for_every_role(request, world, row):
    url = reverse(row.name, kwargs=row.kwargs(world))
    actual = {}
    for role in ROLES:
        response = getattr(client_as(request, role), row.method)(url)
        actual[role] = response.status_code
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login")), (url, role)
    assert actual == row.expected, url


@pytest.mark.parametrize("row", URL_TABLE, ids=lambda row: row.name)
def test_object_url_with_unknown_ids_is_404(request, world, row):
    """Every id in the URL replaced by one that does not exist: 404 for every signed-in role
    that may use the page; 403 or 404 for a role that may not; never a 500 or a page."""
    kwargs = {k: (v + 10**6 if isinstance(v, int) else v) for k, v in row.kwargs(world).items()}
    url = reverse(row.name, kwargs=kwargs)
    for role in ROLES[:-1]:
        response = getattr(client_as(request, role), row.method)(url)
        wanted = {403, 404} if row.expected[role] == 403 else {404}
        assert response.status_code in wanted, (url, role)


ADMIN_OBJECT_PAGES = ("_change", "_history", "_delete")
APPEND_ONLY_ADMIN = ("/admin/training_plan/downloadlog/",)


def admin_object_urls(world):
    return [
        url_for(p, world)
        for p in url_patterns()
        if p.is_admin and p.name and p.name.endswith(ADMIN_OBJECT_PAGES)
    ]


def test_admin_object_pages_are_closed_to_every_role(request, world):
    """The admin is for administrators: the app roles (not staff) are sent to log in."""
    urls = admin_object_urls(world)
    assert len(urls) >= 3 * 15
    for role in ROLES:
        client = client_as(request, role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, (url, role)
            assert response["Location"].startswith(("/admin/login/", "/login/")), (url, role)


def test_admin_object_pages_open_for_the_administrator(world, admin_user_2021):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user_2021)
    for url in admin_object_urls(world):
        # The download log is append-only: even the administrator cannot delete a record.
        wanted = 403 if url.startswith(APPEND_ONLY_ADMIN) and url.endswith("/delete/") else 200
        assert client.get(url).status_code == wanted, url
