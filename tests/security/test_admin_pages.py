"""The Django admin's object pages: closed to every application role, open to administrators.

The admin keeps its own permissions (Django's model permissions); the application's URLs are in
the permission table of tests/test_permissions.py.
"""

import pytest
from django.test import Client

from tests.security.world import url_for, url_patterns

pytestmark = pytest.mark.django_db

PERSONAS = ["btc_user", "snv_user", "leader_user", "unit_a_user", "unit_b_user"]
ADMIN_OBJECT_PAGES = ("_change", "_history", "_delete")
# Records nobody deletes by hand: the download log, the worker's task results (django-tasks-db
# keeps its admin read-only; old results go with `prune_db_task_results`), and the plan's
# versions (immutable: written once, never changed nor deleted).
APPEND_ONLY_ADMIN = (
    "/admin/training_plan/downloadlog/",
    "/admin/versions/planversion/",
    "/admin/django_tasks_database/dbtaskresult/",
)


def admin_object_urls(world):
    return [
        url_for(p, world)
        for p in url_patterns()
        if p.is_admin and p.name and p.name.endswith(ADMIN_OBJECT_PAGES)
    ]


@pytest.mark.parametrize("persona", [*PERSONAS, "anonymous"])
def test_admin_object_pages_are_closed_to_every_role(request, world, persona):
    """The admin is for administrators: the app roles (not staff) are sent to log in."""
    urls = admin_object_urls(world)
    assert len(urls) >= 3 * 15
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(("/admin/login/", "/login/")), url


def test_admin_object_pages_open_for_the_administrator(world, admin_user_2021):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user_2021)
    for url in admin_object_urls(world):
        # The download log is append-only: even the administrator cannot delete a record.
        wanted = 403 if url.startswith(APPEND_ONLY_ADMIN) and url.endswith("/delete/") else 200
        assert client.get(url).status_code == wanted, url
