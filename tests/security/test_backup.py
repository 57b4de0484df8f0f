"""deploy/backup.sh and deploy/restore.sh: dump the test database, restore it into a fresh
database, and find the same number of rows in every table of every model."""

import shutil
import subprocess
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from tests.security.world import build_world

DEPLOY = settings.BASE_DIR / "deploy"


def database_url(name):
    s = connection.settings_dict
    auth = quote(s["USER"] or "postgres")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def model_tables():
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    return sorted(tables)


def row_counts(conn, tables):
    with conn.cursor() as cursor:
        return {t: cursor.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_keeps_every_row(
    postgres_only, plan_2021, btc_user, snv_user, leader_user, unit_a_user, unit_b_user,
    admin_user_2021, tmp_path,
):  # fmt: skip
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore không có: apt-get install postgresql-client")
    build_world(plan_2021)
    source_name = connection.settings_dict["NAME"]
    target_name = source_name.removeprefix("test_") + "_restored"
    tables = model_tables()
    source_counts = row_counts(connection.connection, tables)
    assert source_counts["training_plan_person"] >= 2
    assert source_counts["quotas_nomination"] >= 2

    dump = subprocess.run(
        [str(DEPLOY / "backup.sh"), database_url(source_name), str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert dump.returncode == 0, dump.stderr
    dump_file = dump.stdout.strip().splitlines()[-1]
    assert dump_file.startswith(str(tmp_path)) and dump_file.endswith(".dump")

    target_url = database_url(target_name)
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
    try:
        restore = subprocess.run(
            [str(DEPLOY / "restore.sh"), dump_file, target_url],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert restore.returncode == 0, restore.stderr
        with psycopg.connect(target_url) as restored:
            assert row_counts(restored, tables) == source_counts
        # Restoring over an existing database is refused.
        again = subprocess.run(
            [str(DEPLOY / "restore.sh"), dump_file, target_url],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert again.returncode != 0
        assert "restore into a new database" in again.stderr
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
