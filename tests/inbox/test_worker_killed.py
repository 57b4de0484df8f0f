"""A worker killed in the middle of a job (SIGKILL: out of memory, a machine restart) on
PostgreSQL, with real worker processes (`manage.py run_worker`) on the test database: the next
worker puts the task back and finishes it; when the retries (TASK_MAX_ATTEMPTS) are spent the job
fails with a message in the requester's inbox. Never silently lost."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from inbox import jobs
from inbox.models import Job, Notice
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SLEEPY = "test_sleepy"
# The worker process: Django set up, a builder that sleeps registered, then the command itself.
WORKER = f"""
import sys, time
import django
django.setup()
from inbox.jobs import JobResult, builder

@builder({SLEEPY!r})
def sleepy(job, progress):
    for step in range(20):
        progress(step, 20)
        time.sleep(0.2)
    return JobResult(content=b"ok", filename="ket-qua.txt", content_type="text/plain")

from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "run_worker", "--no-startup-delay", *sys.argv[1:]])
"""


def worker(*args):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "training_plan.settings",
        "DEBUG": "1",
        "JOB_FILES_DIR": str(settings.JOB_FILES_DIR),
        "TASK_MAX_ATTEMPTS": "2",
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def kill_while_running(job, attempt):
    """Start a worker, wait until it runs the job (its `attempt`-th claim) with some progress
    written, and kill it."""

    def running():
        task = DBTaskResult.objects.get(pk=job.task_id)
        current = Job.objects.get(pk=job.pk)
        return len(task.worker_ids) == attempt and current.done >= 2

    process = worker()
    try:
        wait_for(running)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING  # left behind


def run_batch():
    process = worker("--batch")
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()


@pytest.fixture
def job(postgres_only, plan_2021, monkeypatch):
    monkeypatch.setitem(jobs.BUILDERS, SLEEPY, lambda job, progress: None)
    requester = UserFactory(username="binhson_nen")
    return jobs.start_job(requester=requester, kind=SLEEPY, title="Bảng số liệu (Excel)")


def test_a_killed_workers_job_is_retried_and_finishes(job):
    kill_while_running(job, attempt=1)
    said = run_batch()
    assert "Tiến trình trước bị dừng: 1 việc được chạy lại, 0 việc đánh dấu lỗi." in said
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.filename) == ("done", 20, 20, "ket-qua.txt")
    with job.file.open("rb") as stored:
        assert stored.read() == b"ok"
    (notice,) = Notice.objects.filter(recipient=job.requester)
    assert notice.kind == Notice.Kind.FILE_READY


def test_with_the_retries_spent_the_job_fails_with_a_message(job):
    kill_while_running(job, attempt=1)
    # The second worker takes it again (its recovery puts it back) and is killed too.
    kill_while_running(job, attempt=2)
    said = run_batch()
    assert "0 việc được chạy lại, 1 việc đánh dấu lỗi." in said
    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == ("failed", jobs.ABANDONED_MESSAGE, False)
    (notice,) = Notice.objects.filter(recipient=job.requester)
    assert (notice.kind, notice.detail) == (Notice.Kind.JOB_FAILED, jobs.ABANDONED_MESSAGE)
