"""Production settings, sessions, cookies, password rules and the Content-Security-Policy."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.helpers import client_for

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "daotao.quangngai.example",
    "DATABASE_URL": "sqlite:////tmp/check-deploy.sqlite3",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE comes from the browser tests' fixture: not production.
        if not k.startswith(
            ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "BEHIND_", "DJANGO_ALLOW_ASYNC")
        )
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_notices_an_insecure_production():
    """Control: the same check fails when HTTPS is switched off from the environment."""
    env = dict(PRODUCTION_ENV, SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    for check in ("security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_production_behind_proxy_trusts_forwarded_proto():
    code = (
        "from django.conf import settings;"
        "print(settings.SECURE_PROXY_SSL_HEADER, settings.SESSION_COOKIE_SECURE,"
        " settings.SECURE_HSTS_SECONDS, settings.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    )
    result = manage("shell", "-v", "0", "-c", code, env=dict(PRODUCTION_ENV, BEHIND_PROXY="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "31536000",
        "['HTTP_X_REAL_IP',",
        "'REMOTE_ADDR']",
    ]


def test_bad_number_in_environment_fails_loudly():
    result = manage("check", env=dict(PRODUCTION_ENV, SECURE_HSTS_SECONDS="a year"))
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS must be a whole number" in result.stderr


def test_session_and_cookie_settings():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.CSRF_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_ends_with_the_browser(client, btc_user):
    response = client.post(
        reverse("login"), {"username": "btc_test", "password": "secret-password-123"}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Trà-Khúc-91", "Mật khẩu quá ngắn: cần ít nhất 12 ký tự."),
        ("123456789012", "Mật khẩu này hoàn toàn là số."),
        ("password1234", "Mật khẩu này quá phổ biến."),
    ],
)
def test_password_rules_refuse_weak_passwords_in_vietnamese(password, message):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password(password)
    assert error.value.messages == [message]


def test_password_rules_accept_twelve_uncommon_characters():
    validate_password("Trà-Khúc-912")
    validate_password("Sông Trà Khúc chảy qua 2021")


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client, btc_user):
    client_for(client, btc_user)
    for url in [reverse("login"), reverse("plan_detail", args=[2021]), "/admin/login/"]:
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
