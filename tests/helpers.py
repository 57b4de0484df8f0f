"""Helpers shared by tests: logging in, reading pages, counting queries."""

import html
import re
import time
from unittest import mock

from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD

# The user fixtures of tests/conftest.py, one per role (the administrator apart).
PERSONAS = ["btc_user", "snv_user", "leader_user", "unit_a_user", "unit_b_user"]


def client_for(client, user):
    client.force_login(user)
    return client


def count_queries(client, url):
    """The number of queries of a GET of the URL, which must answer 200."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def browser_login(page, live_server, username, password=PASSWORD):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def page_text(response):
    """The visible text of an HTML response: tags dropped, entities decoded, spaces collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split()).replace(" :", ":")


def run_worker():
    """Run the queued tasks (e-mails, jobs) as `manage.py run_worker` does, then return.

    In the test's transaction: the worker's check for stale connections would close it on
    PostgreSQL (it sees autocommit off), as Django's test client keeps requests from doing."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        for attempt in range(20):
            try:
                call_command("run_worker", batch=True, startup_delay=False, verbosity=0)
                return
            except OperationalError as error:
                # Browser tests on SQLite: the live server's thread shares the in-memory
                # database, whose table locks answer at once instead of waiting (a page polling
                # its job while the worker starts). Try again, as a worker would.
                if "locked" not in str(error) or attempt == 19:
                    raise
                time.sleep(0.25)


def download_via_job(client, url):
    """A long export as the user meets it: the button (a POST) starts the job and leads to the
    job's page, the worker builds the file, the page's link downloads it. Returns the download's
    response."""
    response = client.post(url)
    assert response.status_code == 302, (url, response.status_code)
    match = re.fullmatch(r"/jobs/(\d+)/", response["Location"])
    assert match, response["Location"]
    run_worker()
    return client.get(reverse("job_download", args=[int(match[1])]))
