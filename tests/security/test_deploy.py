"""The deploy/ folder: each file checked by the tool that reads it in production."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

DEPLOY = settings.BASE_DIR / "deploy"


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


def settings_env_vars():
    """Names of the environment variables that settings.py and gunicorn.conf.py read."""
    names = set()
    for path in [settings.BASE_DIR / "training_plan" / "settings.py", DEPLOY / "gunicorn.conf.py"]:
        source = path.read_text()
        names |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", source))
        names |= set(re.findall(r"env_(?:bool|int)\(\s*\"([A-Z_]+)\"", source))
        if "dj_database_url.config(" in source:
            names.add("DATABASE_URL")
    return names


def test_env_example_lists_every_setting():
    names = settings_env_vars()
    assert {"SECRET_KEY", "DATABASE_URL", "BEHIND_PROXY", "WEB_CONCURRENCY"} <= names
    example = (DEPLOY / "env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z_]+)=", example, flags=re.M))
    assert names - listed == set(), "add these to deploy/env.example"
    assert listed - names == set(), "env.example lists variables nobody reads"


def test_gunicorn_config_is_valid_and_uses_two_workers_per_core_plus_one():
    env = dict(os.environ, DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="localhost")
    env.pop("WEB_CONCURRENCY", None)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    result = run(
        gunicorn,
        "--check-config",
        "-c",
        str(DEPLOY / "gunicorn.conf.py"),
        "training_plan.wsgi",
        env=env,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    code = "import runpy; c = runpy.run_path('deploy/gunicorn.conf.py'); print(c['workers'])"
    result = run(sys.executable, "-c", code, env=env, cwd=settings.BASE_DIR)
    assert result.stdout.split() == [str(2 * os.cpu_count() + 1)]


@pytest.fixture
def self_signed_cert(tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl không có: apt-get install openssl")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    result = run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=daotao.example.vn", "-keyout", str(key), "-out", str(cert),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return cert, key


def nginx_test(site_text, tmp_path, cert, key):
    site = site_text.replace("/etc/ssl/training-plan/fullchain.pem", str(cert))
    site = site.replace("/etc/ssl/training-plan/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"error_log {tmp_path}/error.log; pid {tmp_path}/nginx.pid;\n"
        "events {}\n"
        f"http {{ access_log off; include {tmp_path}/site.conf; }}\n"
    )
    return run("nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"))


@pytest.fixture
def nginx():
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        pytest.skip("nginx không có: apt-get install nginx-light (CI cài sẵn)")
    os.environ["PATH"] += os.pathsep + "/usr/sbin"


def test_nginx_site_passes_nginx_t(nginx, tmp_path, self_signed_cert):
    site = (DEPLOY / "nginx.conf").read_text()
    result = nginx_test(site, tmp_path, *self_signed_cert)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    # The upload limit matches the import's 5 MB; proxy headers cannot be forged by clients.
    assert "client_max_body_size 6m;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
    assert "proxy_set_header X-Real-IP $remote_addr;" in site


def test_nginx_t_catches_a_broken_site(nginx, tmp_path, self_signed_cert):
    """Control: the same check fails on a typo."""
    site = (DEPLOY / "nginx.conf").read_text().replace("client_max_body_size", "client_max_body")
    assert nginx_test(site, tmp_path, *self_signed_cert).returncode != 0


def systemd_verify(unit_text, tmp_path):
    # The unit names the production paths; point them at this checkout so that systemd can
    # check that the program exists and is executable.
    unit = tmp_path / "training-plan.service"
    unit.write_text(unit_text.replace("/srv/training-plan/app", str(settings.BASE_DIR)))
    return run("systemd-analyze", "verify", str(unit))


@pytest.fixture
def systemd_analyze():
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze không có trên máy này")


@pytest.mark.parametrize("name", ["training-plan.service", "training-plan-worker.service"])
def test_systemd_unit_verifies(systemd_analyze, tmp_path, name):
    result = systemd_verify((DEPLOY / name).read_text(), tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_the_worker_unit_runs_the_worker_and_always_restarts():
    text = (DEPLOY / "training-plan-worker.service").read_text()
    assert "ExecStart=/srv/training-plan/app/.venv/bin/python manage.py run_worker\n" in text
    assert "Restart=always\n" in text
    web = (DEPLOY / "training-plan.service").read_text()
    for line in [
        "User=training-plan",
        "EnvironmentFile=/etc/training-plan/env",
        "ProtectSystem=strict",
    ]:
        assert line in text and line in web


def test_systemd_verify_catches_a_broken_unit(systemd_analyze, tmp_path):
    text = (DEPLOY / "training-plan.service").read_text().replace("Type=notify", "Type=notifyy")
    result = systemd_verify(text, tmp_path)
    assert "Failed to parse service type" in result.stderr


def test_shell_scripts_parse():
    for name in ["backup.sh", "restore.sh"]:
        result = run("bash", "-n", str(DEPLOY / name))
        assert result.returncode == 0, result.stderr
        assert os.access(DEPLOY / name, os.X_OK), name
