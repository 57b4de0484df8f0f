"""Tasks whose worker died under them (killed, out of memory, the machine restarted).

django-tasks-db leaves such a task “running” for ever. A worker starting (`run_worker`) and the
daily round look for them: a task whose worker was a process of this machine that is gone, or
whose heartbeat (the job's progress, else its start) is older than TASK_STALE_SECONDS, is put
back in the queue once more (TASK_MAX_ATTEMPTS in all), then marked failed — its job failed
with a message in the requester's inbox. Never silently lost."""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from inbox import jobs
from inbox.models import Job

ABANDONED_EXCEPTION = "inbox.recovery.WorkerLost"


def worker_id():
    """`host:pid:random` — lets another worker on the machine see that this one is gone."""
    from django.utils.crypto import get_random_string

    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(8)}"


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_gone(worker):
    host, _, rest = worker.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    return not _process_alive(int(pid))


def recover_abandoned(now=None):
    """Requeue or fail the running tasks whose worker is gone; return (requeued, failed)."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.TASK_STALE_SECONDS)
    requeued = failed = 0
    for result in DBTaskResult.objects.running().order_by():
        job = Job.objects.filter(task_id=str(result.id)).first()
        beat = (job.heartbeat_at if job and job.heartbeat_at else None) or result.started_at
        last_worker = result.worker_ids[-1] if result.worker_ids else ""
        if not (_worker_gone(last_worker) or (beat and beat < stale_before)):
            continue
        with transaction.atomic():
            # Claimed again by nobody in the meantime: still running under the same worker.
            locked = (
                DBTaskResult.objects.select_for_update()
                .filter(pk=result.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if locked is None or locked.worker_ids != result.worker_ids:
                continue
            if len(locked.worker_ids) < settings.TASK_MAX_ATTEMPTS:
                locked.status = TaskResultStatus.READY
                locked.started_at = None
                locked.save(update_fields=["status", "started_at"])
                if job:
                    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, done=0)
                requeued += 1
            else:
                locked.status = TaskResultStatus.FAILED
                locked.finished_at = now
                locked.exception_class_path = ABANDONED_EXCEPTION
                locked.traceback = jobs.ABANDONED_MESSAGE
                locked.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                if job and not job.finished:
                    jobs.fail(job, jobs.ABANDONED_MESSAGE)
                failed += 1
    return requeued, failed
