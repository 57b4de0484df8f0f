"""Settings and the demo setup behave as the README says."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from training_plan.models import User


def run_settings(env):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    clean.update(env, DJANGO_SETTINGS_MODULE="training_plan.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_secret_key_required_without_debug():
    result = run_settings({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_debug_value_fails_loudly():
    result = run_settings({"DEBUG": "maybe", "SECRET_KEY": "x"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_vietnamese_locale_settings():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.django_db
def test_seed_demo_creates_each_role_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    users = {u.username: u for u in User.objects.all()}
    assert users["btc"].role == "btc"
    assert users["snv"].role == "snv"
    assert users["lanhdao"].role == "leadership"
    assert users["binhson"].organisation.code == "huyen-uy-binh-son"
    assert users["sontinh"].organisation.code == "huyen-uy-son-tinh"
    assert users["binhson"].check_password(os.environ.get("DEMO_PASSWORD", "demo"))
    assert User.objects.filter(username="btc").count() == 1


@pytest.mark.django_db
def test_seed_demo_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="chỉ được tạo trên cơ sở dữ liệu demo"):
        call_command("seed_demo")
    assert not User.objects.exists()
