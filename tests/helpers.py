"""Helpers shared by tests."""

import html
import re

from training_plan.models import Organisation, User

PASSWORD = "secret-password-123"


def make_user(username, role, org_code):
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        organisation=Organisation.objects.get(code=org_code) if org_code else None,
    )


def client_for(client, user):
    client.force_login(user)
    return client


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
