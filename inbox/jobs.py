"""Long work for a user, run by the worker with its progress: the big exports and import checks.

An app registers a builder for a kind of job (`@builder("nominations_all_years")`); a view calls
`start_job(...)` and sends the user to the job's page, which shows the progress bar and then the
download link (also put in the user's inbox). A builder gets the job and a `progress(done,
total)` callback and returns a `JobResult`; an exception fails the job with its message."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from inbox.models import Job, Notice
from inbox.services import notify

logger = logging.getLogger(__name__)

BUILDERS = {}

# The message of a job whose worker stopped under it (killed, restarted) once retries ran out.
ABANDONED_MESSAGE = (
    "Tiến trình xử lý nền bị dừng giữa chừng (máy chủ khởi động lại hoặc hết bộ nhớ) "
    "và đã thử lại mà không xong. Hãy yêu cầu lại; nếu vẫn lỗi, báo quản trị hệ thống."
)
FAILED_MESSAGE = "Có lỗi khi xử lý. Hãy yêu cầu lại; nếu vẫn lỗi, báo quản trị hệ thống."


@dataclass
class JobResult:
    content: bytes = b""
    filename: str = ""
    content_type: str = ""
    rows: int | None = None
    # A page that shows the result instead of a file (an import's check).
    url: str = ""
    summary: str = ""
    # The inbox item's kind when not “Tệp đã sẵn sàng” (an import's check).
    notice_kind: str = ""


def builder(kind):
    """Register the function that does the work of jobs of `kind`."""

    def register(function):
        BUILDERS[kind] = function
        return function

    return register


@transaction.atomic
def start_job(*, requester, kind, title, params=None, personal_data=False, log_filters=None):
    """Queue the work; the worker runs it (`inbox.tasks.run_job`)."""
    if kind not in BUILDERS:
        raise ValueError(f"No builder for jobs of kind {kind!r}")
    job = Job.objects.create(
        requester=requester,
        kind=kind,
        title=title,
        params=params or {},
        personal_data=personal_data,
        log_filters=log_filters or {},
    )
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)
    return job


class Progress:
    """The `progress(done, total)` callback: writes at most every PROGRESS_INTERVAL seconds (and
    the last step), each write also a heartbeat of the worker."""

    INTERVAL = 0.5

    def __init__(self, job):
        self.job = job
        self.written = None

    def __call__(self, done, total=None):
        now = timezone.now()
        if total is not None:
            self.job.total = total
        self.job.done = done
        last = self.job.total and done >= self.job.total
        if (
            self.written is not None
            and not last
            and (now - self.written).total_seconds() < self.INTERVAL
        ):
            return
        self.written = now
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, heartbeat_at=now
        )


@task()
def run_job(job_id):
    run(job_id)


def run(job_id):
    """Do job `job_id` (in the worker): mark it running, build, store the file or fail it."""
    job = Job.objects.select_related("requester").get(pk=job_id)
    if job.finished:
        return
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, done=0
    )
    job.status = Job.Status.RUNNING
    try:
        result = BUILDERS[job.kind](job, Progress(job))
    except ValidationError as error:
        fail(job, " ".join(error.messages))
        return
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        fail(job, FAILED_MESSAGE)
        return
    with transaction.atomic():
        if result.content:
            job.file.save(result.filename, ContentFile(result.content), save=False)
        job.filename = result.filename
        job.content_type = result.content_type
        job.rows = result.rows
        job.result_url = result.url
        job.status = Job.Status.DONE
        job.done = max(job.done, job.total)
        job.finished_at = timezone.now()
        job.expires_at = job.finished_at + timedelta(hours=settings.JOB_FILES_KEEP_HOURS)
        job.save()
        notify(
            [job.requester],
            kind=result.notice_kind or Notice.Kind.FILE_READY,
            title=f"{job.title}: đã xong",
            detail=result.summary,
            url=result.url or reverse("job_detail", args=[job.pk]),
            subject=f"job:{job.pk}",
        )


def fail(job, message):
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=message, finished_at=timezone.now()
        )
        notify(
            [job.requester],
            kind=Notice.Kind.JOB_FAILED,
            title=f"{job.title}: không thành công",
            detail=message,
            url=reverse("job_detail", args=[job.pk]),
            subject=f"job:{job.pk}",
        )


def remove_expired_files(now=None):
    """Delete the files of finished jobs past their time (the daily round); the job stays, its
    params too unless they hold people's data (an import's checked rows): those go with it."""
    now = now or timezone.now()
    removed = 0
    for job in Job.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        removed += 1
    Job.objects.filter(expires_at__lte=now, personal_data=True).exclude(params={}).update(params={})
    return removed
