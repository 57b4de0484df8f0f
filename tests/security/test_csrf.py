"""CSRF over every URL of the project, found by walking the URL resolver.

A POST without a token must be refused with the Vietnamese CSRF page before any view runs;
the same POST with a valid token must not be (the control that shows the token is what counts).
A new URL with arguments that tests/security/world.py cannot fill fails the test.
"""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from tests.security.world import UnknownURL, url_for, url_patterns

pytestmark = pytest.mark.django_db

CSRF_PAGE = "kiểm tra CSRF không đạt"


def every_url(world):
    urls, unknown = [], []
    for pattern in url_patterns():
        try:
            urls.append(url_for(pattern, world))
        except UnknownURL as error:
            unknown.append(str(error))
    assert not unknown, "\n".join(unknown)
    return urls


def test_every_url_pattern_is_known_to_the_matrix(world):
    urls = every_url(world)
    # The walk reaches our own pages and the admin's object pages.
    assert "/plans/2021/" in urls
    assert f"/plans/2021/courses/{world.course.pk}/" in urls
    assert f"/admin/training_plan/person/{world.person_a.pk}/change/" in urls


def test_post_without_token_is_refused_on_every_url(world, admin_user_2021):
    urls = every_url(world)
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(admin_user_2021)
    for url in urls:
        response = client.post(url, {"name": "x"})
        assert response.status_code == 403, url
        assert CSRF_PAGE in response.content.decode(), url


def test_anonymous_post_without_token_is_refused(world):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    for url in ["/login/", "/logout/", "/admin/login/"]:
        response = client.post(url, {"username": "btc", "password": "x"})
        assert response.status_code == 403, url
        assert CSRF_PAGE in response.content.decode(), url


def control_urls(world):
    """Every URL of ours; of the Django admin, the pages of one model and the site-wide ones
    (the admin's views are Django's own; their GETs are covered by the object matrix). Logout
    URLs last, as they end the session."""
    urls = [
        url
        for url in every_url(world)
        if not url.startswith("/admin/")
        or url.startswith("/admin/training_plan/person/")
        or url.count("/") <= 3
    ]
    return sorted(urls, key=lambda url: "logout" in url)


def test_post_with_token_passes_the_check_on_every_url(world, admin_user_2021):
    """Control: with the token, no URL answers with the CSRF page: the views run (and none
    fails on an empty form)."""
    secret = _get_new_csrf_string()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(admin_user_2021)
    client.cookies["csrftoken"] = secret
    urls = control_urls(world)
    assert "/logout/" in urls and "/plans/2021/" in urls
    for url in urls:
        response = client.post(url, {}, HTTP_X_CSRFTOKEN=secret)
        if not response.streaming:  # a file download is never the CSRF page
            assert CSRF_PAGE not in response.content.decode(), url
        assert response.status_code < 500, url


def test_login_form_works_with_its_token(client, btc_user):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/login/",
        {"username": "btc_test", "password": "secret-password-123", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
