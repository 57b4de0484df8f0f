"""Login throttling (django-axes): 10 failures lock the user name on that address for a while."""

import runpy
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Tài khoản tạm thời bị khóa đăng nhập"


def attempt(client, password, username="btc_test", ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, times, **kwargs):
    for _ in range(times):
        response = attempt(client, "mat-khau-sai", **kwargs)
    return response


def test_nine_failures_do_not_lock(client, btc_user):
    response = fail(client, 9)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert attempt(client, PASSWORD).status_code == 302


def test_ten_failures_lock_with_a_vietnamese_page(client, btc_user):
    response = fail(client, 10)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "Vui lòng thử lại sau 15 phút" in page
    assert "Content-Security-Policy" in response
    # Locked: even the right password is refused, and nobody is logged in.
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert client.get(reverse("plan_detail", args=[2021])).status_code == 302


def test_lock_is_per_user_name_and_address(client, btc_user, snv_user):
    fail(client, 10)
    # Another address may still log in with the same user name ...
    assert attempt(client, PASSWORD, ip="10.0.0.2").status_code == 302
    client.logout()
    # ... and another user from the locked address too.
    assert attempt(client, PASSWORD, username="snv_test").status_code == 302


def test_lock_ends_after_the_cool_off(client, btc_user):
    fail(client, 10)
    assert attempt(client, PASSWORD).status_code == 429
    # 16 minutes later (the attempts' clock moved back instead of waiting).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert attempt(client, PASSWORD).status_code == 302


def test_admin_login_is_throttled_too(client, admin_user_2021):
    for _ in range(10):
        response = client.post(
            "/admin/login/", {"username": "admin_test", "password": "sai"}, REMOTE_ADDR="10.0.0.3"
        )
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_test_client_login_still_works(client, btc_user):
    """`client.login` authenticates without a request: throttling stands aside, nothing breaks."""
    assert client.login(username="btc_test", password=PASSWORD)
    assert not client.login(username="btc_test", password="sai")
    assert client.get(reverse("plan_detail", args=[2021])).status_code == 200


# Behind nginx every request comes from 127.0.0.1; the client is in X-Real-IP.


def proxy_settings(monkeypatch):
    """The throttling settings that training_plan/settings.py gives with BEHIND_PROXY=1."""
    monkeypatch.setenv("BEHIND_PROXY", "1")
    values = runpy.run_path(settings.BASE_DIR / "training_plan" / "settings.py")
    return {name: value for name, value in values.items() if name.startswith("AXES_")}


def through_nginx(client, password, client_ip):
    return client.post(
        reverse("login"),
        {"username": "btc_test", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP=client_ip,
    )


def test_behind_the_proxy_the_lock_is_per_client_address(client, btc_user, monkeypatch):
    with override_settings(**proxy_settings(monkeypatch)):
        for _ in range(10):
            response = through_nginx(client, "mat-khau-sai", "203.0.113.5")
        assert response.status_code == 429
        assert through_nginx(client, PASSWORD, "203.0.113.5").status_code == 429
        # Another visitor, the same user name: not locked out.
        assert through_nginx(client, PASSWORD, "203.0.113.9").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


def test_without_the_proxy_forged_headers_do_not_escape_the_lock(client, btc_user):
    for n in range(10):
        response = client.post(
            reverse("login"),
            {"username": "btc_test", "password": "mat-khau-sai"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP=f"203.0.113.{n}",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    assert response.status_code == 429
