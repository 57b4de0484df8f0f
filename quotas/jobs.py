"""The check of a big import file, run by the worker with its progress (`inbox.jobs`).

A file of more than NOMINATION_IMPORT_JOB_ROWS rows is read in the request as any other
(`imports.read_upload`: a refused file is refused there, with its message); its cells go into
the job's params and the worker resolves and checks them row by row. The job's result is the
usual preview page (`nomination_import_checked`), the requester's alone, from which the user
confirms as after a check in the request (`quotas.bulk.nomination_import` checks again inside
the locks). The cells and the preview are people's data: the cells are dropped once checked,
the preview once saved or when the job expires (`inbox.jobs.remove_expired_files`). The uploaded
bytes (`upload`, base64) are kept with a refused preview, for the copy of the file with its
errors (`error_copy`), and go with it; a file found without error drops them once checked."""

import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from inbox.jobs import JobResult, builder, start_job
from inbox.models import Job, Notice
from inbox.selectors import job_for_user
from quotas import imports
from training_plan.models import Plan
from training_plan.rules import refusal
from training_plan.text import format_number

NOMINATION_IMPORT_CHECK = "nomination_import_check"
PERMISSION = "quotas.add_nomination"


def runs_as_job(raw_rows):
    return len(raw_rows) > settings.NOMINATION_IMPORT_JOB_ROWS


def start_check(*, user, plan, raw_rows, filename, submit, data=b""):
    """Queue the check of the rows read from `filename`; the worker does it."""
    name = filename if len(filename) <= 120 else filename[:119] + "…"
    return start_job(
        requester=user,
        kind=NOMINATION_IMPORT_CHECK,
        title=f"Kiểm tra tệp “{name}” ({format_number(len(raw_rows))} dòng) — năm {plan.year}",
        params={
            "year": plan.year,
            "filename": filename,
            "submit": submit,
            "raw": imports.raw_rows_to_json(raw_rows),
            "upload": base64.b64encode(data).decode("ascii"),
        },
        personal_data=True,
    )


@builder(NOMINATION_IMPORT_CHECK)
def nomination_import_check(job, progress):
    """Each row counts twice toward its progress: resolved (people, course, line), then checked
    (duplicates, eligibility); the bar shows rows, the half-steps rounded down."""
    params = {key: value for key, value in job.params.items() if key not in ("raw", "upload")}
    upload = job.params.get("upload")
    try:
        if not job.requester.has_perm(PERMISSION):
            raise ValidationError(refusal(PERMISSION))
        plan = Plan.objects.filter(year=params.get("year")).first()
        if plan is None:
            raise ValidationError(f"Không còn kế hoạch năm {params.get('year')}.")
        raw_rows = imports.raw_rows_from_json(job.params.get("raw", []))
        total = len(raw_rows)
        progress(0, total)
        rows = imports.resolve_rows(
            raw_rows, user=job.requester, plan=plan, progress=lambda done: progress(done // 2)
        )
        resolved = len(rows)
        imports.check_rows(rows, plan=plan, progress=lambda done: progress((resolved + done) // 2))
        progress(total)
    except BaseException:
        Job.objects.filter(pk=job.pk).update(params=params)
        raise
    bad = sum(1 for row in rows if row.errors)
    job.params = params | {"rows": imports.rows_to_check(rows), "bad": bad}
    if bad and upload:
        job.params["upload"] = upload
    if bad:
        summary = (
            f"{format_number(total)} dòng, {format_number(bad)} dòng có lỗi: chưa lưu dòng nào."
        )
    else:
        summary = f"{format_number(total)} dòng, tất cả hợp lệ: mở để xác nhận lưu."
    return JobResult(
        url=reverse("nomination_import_checked", args=[job.pk]),
        rows=total,
        summary=summary,
        notice_kind=Notice.Kind.IMPORT_CHECKED,
    )


def checked_import(user, pk):
    """The user's own import check (anybody else's, or another kind of job: 404)."""
    job = job_for_user(user, pk)
    if job.kind != NOMINATION_IMPORT_CHECK:
        raise Http404
    return job


def forget_check(job_id):
    """The preview was used (saved or refused on saving): its rows are not kept."""
    job = Job.objects.filter(pk=job_id, kind=NOMINATION_IMPORT_CHECK).first()
    if job is not None:
        params = {
            key: value for key, value in job.params.items() if key not in ("raw", "rows", "upload")
        }
        Job.objects.filter(pk=job.pk).update(params=params | {"used": True})


def error_copy_source(job):
    """The uploaded bytes and bad rows of a refused check still kept, else None."""
    upload, rows = job.params.get("upload"), job.params.get("rows")
    if not upload or rows is None or job.expired:
        return None
    return base64.b64decode(upload), [item for item in rows if item.get("errors")]
