"""Background jobs as users meet them: the button starts the job, its page shows the progress,
the worker builds the file, the requester alone downloads it (logged), for a limited time; a
job that fails says why in the requester's inbox."""

import io
import os
from datetime import timedelta

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from inbox import jobs
from inbox.models import Job, Notice
from reports import exports
from tests.factories import NominationFactory, UserFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, unit
from tests.helpers import client_for, page_text, run_worker
from tests.training_plan.pdf_helpers import body
from training_plan.models import DownloadLog, User

pytestmark = pytest.mark.django_db

ALL_YEARS = reverse("nominations_all_years_xlsx")


@pytest.fixture
def nominations(plan_2021):
    for code in (BINH_SON, SON_TINH):
        for index in range(3):
            NominationFactory(
                unit=unit(code), status="submitted", person__full_name=f"Người {index}"
            )


def start(client, url=ALL_YEARS):
    response = client.post(url)
    assert response.status_code == 302
    job = Job.objects.latest("id")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    return job


def status(client, job):
    return client.get(reverse("job_status", args=[job.pk])).json()


def test_the_button_starts_a_job_its_page_shows_progress_then_the_link(
    client, btc_user, nominations
):
    client_for(client, btc_user)
    asking = client.get(ALL_YEARS)
    assert "Tệp này có thể lớn nên được tạo ở chế độ nền" in page_text(asking)
    assert not Job.objects.exists()  # a GET starts nothing
    job = start(client)
    assert (job.requester, job.kind, job.personal_data) == (btc_user, "nominations_all_years", True)
    page = client.get(reverse("job_detail", args=[job.pk]))
    content = page.content.decode()
    assert 'role="progressbar"' in content and 'aria-valuenow="0"' in content
    assert '<script src="/static/js/job-progress.js"></script>' in content
    assert f'data-status-url="{reverse("job_status", args=[job.pk])}"' in content
    assert "Đang chờ xử lý" in page_text(page)
    assert status(client, job) | {"status_label": None} == {
        "status": "queued",
        "status_label": None,
        "done": 0,
        "total": 0,
        "percent": 0,
        "finished": False,
        "error": "",
        "download_url": "",
        "result_url": "",
    }
    run_worker()
    state = status(client, job)
    download = reverse("job_download", args=[job.pk])
    assert (state["status"], state["done"], state["total"], state["percent"]) == ("done", 6, 6, 100)
    assert state["download_url"] == download and state["finished"]
    assert f'href="{download}"' in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    # The link is in the requester's inbox too.
    (notice,) = Notice.objects.filter(recipient=btc_user, kind=Notice.Kind.FILE_READY)
    assert notice.title == "Danh sách cử đi học tất cả các năm (Excel): đã xong"
    assert notice.detail == "6 hồ sơ cử đi học." and notice.url == reverse(
        "job_detail", args=[job.pk]
    )
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(body(response)))["Danh sách cử đi học"]
    assert sheet.max_row == 7


def test_progress_is_reported_every_200_rows():
    class Numbers(exports.Exporter):
        sheet_name = "Số"
        columns = [exports.Column("Số", kind=exports.INTEGER)]

        def rows(self):
            yield from ([n] for n in range(450))

        def count(self):
            return 450

    class Unknown(Numbers):
        sheet_name = "Khác"

        def count(self):
            return None

    calls = []
    exports.write_xlsx([Numbers(), Unknown()], progress=lambda d, t: calls.append((d, t))).close()
    assert calls == [(0, 450), (200, 450), (400, 450), (450, 450)]
    exports.write_xlsx([Numbers()]).close()  # without a callback as before


def test_only_the_requester_downloads_each_download_logged(
    client, btc_user, snv_user, unit_a_user, nominations
):
    job = start(client_for(client, btc_user))
    run_worker()
    download = reverse("job_download", args=[job.pk])
    for other in (snv_user, unit_a_user, UserFactory(btc=True, username="btc_2")):
        client_for(client, other)
        for name in ("job_detail", "job_status", "job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
    assert not DownloadLog.objects.exists()
    client_for(client, btc_user)
    assert client.head(download).status_code == 200
    assert not DownloadLog.objects.exists()  # a HEAD sends no file
    client.get(download)
    client.get(download)
    entries = DownloadLog.objects.filter(user=btc_user)
    assert [(e.filename, e.filters, e.rows) for e in entries] == [
        ("danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx", {"plan": "all", "scope": "all"}, 6)
    ] * 2


def test_a_units_file_holds_its_own_rows_and_logs_its_scope(client, unit_a_user, nominations):
    job = start(client_for(client, unit_a_user))
    run_worker()
    response = client.get(reverse("job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(body(response)))["Danh sách cử đi học"]
    assert {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)} == {unit(BINH_SON).name}
    (entry,) = DownloadLog.objects.all()
    assert entry.filters == {"plan": "all", "scope": f"unit:{BINH_SON}"} and entry.rows == 3


def test_files_are_kept_for_the_setting_then_gone(client, settings, btc_user, nominations):
    settings.JOB_FILES_KEEP_HOURS = 3
    job = start(client_for(client, btc_user))
    run_worker()
    job.refresh_from_db()
    assert job.expires_at - job.finished_at == timedelta(hours=3)
    path = job.file.path
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404
    assert status(client, job)["download_url"] == ""
    assert "Tệp đã hết thời hạn lưu; hãy yêu cầu lại." in page_text(
        client.get(reverse("job_detail", args=[job.pk]))
    )
    assert jobs.remove_expired_files() == 1
    job.refresh_from_db()
    assert not job.file
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    "error, message",
    [
        (ValidationError("Kế hoạch năm 2021 đã bị xóa."), "Kế hoạch năm 2021 đã bị xóa."),
        (RuntimeError("database exploded at 0x7f"), jobs.FAILED_MESSAGE),
    ],
)
def test_a_failed_job_says_why_in_the_inbox(client, monkeypatch, btc_user, error, message):
    def broken(job, progress):
        progress(10, 100)
        raise error

    monkeypatch.setitem(jobs.BUILDERS, "broken", broken)
    job = jobs.start_job(requester=btc_user, kind="broken", title="Bảng số liệu (Excel)")
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == ("failed", message, False)
    (notice,) = Notice.objects.filter(recipient=btc_user)
    assert (notice.kind, notice.title, notice.detail) == (
        Notice.Kind.JOB_FAILED,
        "Bảng số liệu (Excel): không thành công",
        message,
    )
    client_for(client, btc_user)
    assert status(client, job)["error"] == message
    text = page_text(client.get(reverse("job_detail", args=[job.pk])))
    assert message in text and "0x7f" not in text
    assert message in page_text(client.get(reverse("inbox")))


def test_a_requester_who_lost_the_right_gets_the_reason(client, btc_user, nominations):
    job = start(client_for(client, btc_user))
    User.objects.filter(pk=btc_user.pk).update(role="", organisation=None)
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and not job.file
    assert job.error == "Tài khoản của bạn không có quyền tải danh sách này."


@pytest.mark.parametrize(
    "name, filename",
    [
        ("plan_workbook_xlsx", "so-lieu-ke-hoach-2021.xlsx"),
        ("plan_results_xlsx", "bao-cao-ket-qua-2021.xlsx"),
    ],
)
def test_the_plan_workbook_and_results_report_are_jobs(
    client, leader_user, nominations, name, filename
):
    job = start(client_for(client, leader_user), reverse(name, args=[2021]))
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.filename, job.total > 0, job.done == job.total) == (
        "done",
        filename,
        True,
        True,
    )
    assert job.personal_data == (name == "plan_workbook_xlsx")
    response = client.get(reverse("job_download", args=[job.pk]))
    assert openpyxl.load_workbook(io.BytesIO(body(response))).sheetnames
    assert DownloadLog.objects.count() == (1 if job.personal_data else 0)
