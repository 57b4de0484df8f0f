"""`make run` shows the product as its users see it (issue 13, item 11): DEBUG off with a local
secret key, plain HTTP on 127.0.0.1, static files collected for WhiteNoise, the demo data; a
mistyped URL gets the Vietnamese 404 page. `make dev` keeps DEBUG on. Never in production."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.helpers import client_for, page_text
from training_plan.models import User

READ = """
import django, json; django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG, "DEMO_MODE": s.DEMO_MODE, "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS, "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SECRET_KEY": s.SECRET_KEY, "STATIC": s.STORAGES["staticfiles"]["BACKEND"],
    "WHITENOISE": "whitenoise.middleware.WhiteNoiseMiddleware" in s.MIDDLEWARE,
}))
"""


def make_env(target):
    """The environment `make <target>` gives manage.py, read from `make -n`."""
    lines = subprocess.run(
        ["make", "-n", "--always-make", target, "VENV=/nonexistent"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    ).stdout.splitlines()
    serve = [line for line in lines if "runserver" in line][-1]
    command = serve.split("runserver")[0].rsplit(";", 1)[-1]
    return dict(word.split("=", 1) for word in command.split() if "=" in word), lines


def read_settings(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DEMO_MODE", "ALLOWED_HOSTS")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="training_plan.settings")
    return subprocess.run(
        [sys.executable, "-c", READ],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_make_run_is_the_product_as_users_see_it():
    env, lines = make_env("run")
    assert env == {"DEBUG": "0", "DEMO_MODE": "1"}
    assert any("collectstatic" in line for line in lines)  # WhiteNoise serves what it collected
    assert any("seed_demo" in line for line in lines)  # the demo data
    assert any("run_worker" in line for line in lines)
    result = read_settings(env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False and values["DEMO_MODE"] is True
    # Plain HTTP on 127.0.0.1: no HTTPS redirect, no secure-only cookies, no HSTS.
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert set(values["ALLOWED_HOSTS"]) == {"127.0.0.1", "localhost", "[::1]"}
    # A key of this clone, kept in a git-ignored file, the same at every start.
    assert len(values["SECRET_KEY"]) >= 50 and "insecure" not in values["SECRET_KEY"]
    assert json.loads(read_settings(env).stdout)["SECRET_KEY"] == values["SECRET_KEY"]
    ignored = subprocess.run(
        ["git", "check-ignore", "var/local_secret_key"], cwd=settings.BASE_DIR, capture_output=True
    )
    assert ignored.returncode == 0
    assert values["STATIC"].startswith("whitenoise.") and values["WHITENOISE"]


def test_make_dev_keeps_debug_on():
    env, _ = make_env("dev")
    assert env == {"DEBUG": "1"}
    assert json.loads(read_settings(env).stdout)["DEBUG"] is True


@pytest.mark.parametrize(
    "env",
    [
        {"DEMO_MODE": "1", "ALLOWED_HOSTS": "daotao.example.vn"},
        {"DEMO_MODE": "1", "BEHIND_PROXY": "1"},
    ],
)
def test_demo_mode_is_refused_outside_the_local_machine(env):
    result = read_settings({"DEBUG": "0", "SECRET_KEY": "x" * 50, **env})
    assert result.returncode != 0
    assert "DEMO_MODE is the local demo on 127.0.0.1 only" in result.stderr


@pytest.mark.django_db
def test_seed_demo_allowed_in_the_local_demo_only(settings):
    settings.DEBUG, settings.DEMO_MODE = False, True
    call_command("seed_demo")
    assert User.objects.filter(username="btc").exists()


@pytest.mark.django_db
def test_vietnamese_error_pages_with_debug_off(settings, unit_a_user, snv_user):
    settings.DEBUG = False
    anonymous = Client()
    response = anonymous.get("/khong-co/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page_text(response)
    assert "Page not found" not in response.content.decode()
    signed_in = client_for(Client(), unit_a_user)
    response = signed_in.get("/khong-co/")
    assert response.status_code == 404 and "Không tìm thấy trang" in page_text(response)
    response = signed_in.get(reverse("class_create", args=[2021]))
    assert response.status_code == 403
    assert "Không có quyền thực hiện" in page_text(response)


def test_the_500_page_is_static_vietnamese():
    from django.test import RequestFactory
    from django.views.defaults import server_error

    source = (settings.BASE_DIR / "templates" / "500.html").read_text()
    assert "{%" not in source and "{{" not in source  # nothing that could fail again
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in response.content.decode()
    assert 'lang="vi"' in response.content.decode()
