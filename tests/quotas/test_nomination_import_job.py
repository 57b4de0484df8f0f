"""The check of a big import file runs in the worker (quotas.jobs): the upload is still read and
refused in the request, the rows are checked with a progress bar, the result is the usual
preview — its requester's alone — from which the list is saved as after a check in the request."""

import datetime
import re

import pytest
from django.urls import reverse

from inbox import jobs as inbox_jobs
from inbox.models import Job, Notice
from quotas import imports
from quotas.models import Nomination
from tests.factories import NominationFactory, PersonFactory
from tests.fixture_2021 import line
from tests.helpers import client_for, page_text, run_worker
from tests.quotas import test_nomination_import as base
from tests.quotas.test_nomination_import import post_upload, row, workbook_bytes
from training_plan import uploads

pytestmark = pytest.mark.django_db
S = Nomination.Status
people, seats = base.people, base.seats  # the fixtures of the import in the request


@pytest.fixture
def threshold(settings):
    settings.NOMINATION_IMPORT_JOB_ROWS = 3
    return 3


def mixed_rows(people, seats):
    """Good rows and rows with the request's usual errors."""
    NominationFactory(person=people[2], course=line("II.1.1-2").course, quota_line=line("II.1.1-2"))
    return [
        row(1, people[0], "II.1.1", "II.1.1-2"),  # fine
        row(2, people[1], "II.9.9"),  # unknown course
        row(3, None, "III.1.1", name="Người Không Có", dob=datetime.date(1990, 1, 1)),
        row(4, people[1], "III.1.1", dob="31/02/1982"),  # bad date
        row(5, people[0], "II.1.1", "II.1.1-2"),  # duplicate of row 2
        row(6, people[2], "II.1.1", "II.1.1-2"),  # already nominated
        row(7, people[1], "II.4.1", training=24, commitment=48),
    ]


def start(client, content, **options):
    response = post_upload(client, content, **options)
    assert response.status_code == 302, page_text(response)
    job = Job.objects.latest("id")
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    return job


def checked(rows):
    return [
        (r.number, r.name, r.dob_text, r.person, r.course, r.quota_line, r.errors, r.warnings)
        for r in rows
    ]


def test_a_file_up_to_the_threshold_is_checked_in_the_request(
    client, unit_a_user, people, seats, threshold
):
    rows = [row(n, p, "II.1.1", "II.1.1-2") for n, p in enumerate(people, start=1)]
    response = post_upload(client_for(client, unit_a_user), workbook_bytes(rows))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 3 and response.context["token"]
    assert not Job.objects.exists()
    assert "Tệp trên 3 dòng được kiểm tra ở chế độ nền" in page_text(response)


def test_a_file_over_the_threshold_is_checked_by_the_worker_with_the_same_result(
    client, unit_a_user, people, seats, threshold, settings
):
    content = workbook_bytes(mixed_rows(people, seats))
    client_for(client, unit_a_user)
    settings.NOMINATION_IMPORT_JOB_ROWS = 300
    in_request = post_upload(client, content).context["rows"]
    settings.NOMINATION_IMPORT_JOB_ROWS = 3

    job = start(client, content, name="danh-sach-lon.xlsx")
    assert (job.requester, job.kind, job.personal_data) == (
        unit_a_user,
        "nomination_import_check",
        True,
    )
    assert job.title == "Kiểm tra tệp “danh-sach-lon.xlsx” (7 dòng) — năm 2021"
    assert len(job.params["raw"]) == 7
    page = client.get(reverse("job_detail", args=[job.pk]))
    assert "Đang chờ xử lý" in page_text(page)
    assert "khi xong, liên kết xem kết quả kiểm tra cũng có trong mục Việc cần xử lý" in (
        page_text(page)
    )
    assert Nomination.objects.count() == 1  # nothing checked, nothing saved yet

    run_worker()
    job.refresh_from_db()
    preview_url = reverse("nomination_import_checked", args=[job.pk])
    assert (job.status, job.done, job.total, job.rows) == ("done", 7, 7, 7)
    assert job.result_url == preview_url and not job.file
    assert "raw" not in job.params  # the cells are not kept once checked
    # The requester's inbox has the one item of jobs.run, leading to the preview.
    notice = Notice.objects.get(recipient=unit_a_user, kind=Notice.Kind.IMPORT_CHECKED)
    assert notice.url == preview_url
    assert notice.title == f"{job.title}: đã xong"
    assert notice.detail == "7 dòng, 5 dòng có lỗi: chưa lưu dòng nào."
    assert Notice.objects.filter(subject=f"job:{job.pk}").count() == 1

    status = client.get(reverse("job_status", args=[job.pk])).json()
    assert (status["result_url"], status["download_url"]) == (preview_url, "")
    assert (
        f'href="{preview_url}"' in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    )

    preview = client.get(preview_url)
    assert preview.status_code == 200
    assert checked(preview.context["rows"]) == checked(in_request)
    text = page_text(preview)
    assert "Kiểm tra tệp “danh-sach-lon.xlsx”: 7 dòng, 5 dòng có lỗi" in text
    assert "Chưa lưu dòng nào" in text
    assert "token" not in preview.context
    assert Nomination.objects.count() == 1


def test_progress_counts_the_rows_one_by_one(
    client, unit_a_user, people, seats, threshold, monkeypatch
):
    seen = []
    real_call = inbox_jobs.Progress.__call__

    def recording(self, done, total=None):
        real_call(self, done, total)
        seen.append((self.job.done, self.job.total))

    monkeypatch.setattr(inbox_jobs.Progress, "__call__", recording)
    rows = [row(n, PersonFactory(), "III.1.1") for n in range(1, 11)]
    job = start(client_for(client, unit_a_user), workbook_bytes(rows))
    run_worker()
    assert {total for _, total in seen} == {10}
    done = [done for done, _ in seen]
    assert done == sorted(done)
    assert set(done) == set(range(11))  # every row, from none to all
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (10, 10, 100)


def test_the_preview_after_the_job_is_confirmed_as_today(
    client, unit_a_user, people, seats, threshold
):
    rows = [row(n, p, "II.1.1", "II.1.1-2") for n, p in enumerate(people, start=1)]
    rows.append(row(4, PersonFactory(full_name="Đỗ Thị Dung"), "III.1.1"))
    job = start(client_for(client, unit_a_user), workbook_bytes(rows), submit_now=True)
    run_worker()
    preview_url = reverse("nomination_import_checked", args=[job.pk])
    assert Notice.objects.get(recipient=unit_a_user, kind=Notice.Kind.IMPORT_CHECKED).detail == (
        "4 dòng, tất cả hợp lệ: mở để xác nhận lưu."
    )
    preview = client.get(preview_url)
    token = preview.context["token"]
    assert "Xác nhận lưu 4 hồ sơ và gửi duyệt" in page_text(preview)
    assert client.get(preview_url).context["token"] == token  # opened again: the same form

    response = client.post(reverse("nomination_import_confirm"), {"token": token})
    assert response["Location"] == reverse("nomination_list") + "?year=2021"
    assert Nomination.objects.filter(status=S.SUBMITTED).count() == 4
    assert Nomination.objects.filter(quota_line=seats.quota_line).count() == 3

    # Saved: the preview's rows are not kept, and it cannot be saved twice.
    job.refresh_from_db()
    assert "rows" not in job.params
    again = client.get(preview_url)
    assert again["Location"] == reverse("nomination_import") + "?year=2021"
    assert "Kết quả kiểm tra này không còn" in page_text(client.get(again["Location"]))
    assert client.post(reverse("nomination_import_confirm"), {"token": token}).status_code == 302
    assert Nomination.objects.count() == 4


def test_confirming_a_preview_checks_again_when_seats_went_meanwhile(
    client, unit_a_user, people, seats, threshold
):
    rows = [row(n, p, "II.1.1", "II.1.1-2") for n, p in enumerate(people, start=1)]
    rows.append(row(4, PersonFactory(), "III.1.1"))
    job = start(client_for(client, unit_a_user), workbook_bytes(rows))
    run_worker()
    token = client.get(reverse("nomination_import_checked", args=[job.pk])).context["token"]
    NominationFactory(quota_line=seats.quota_line, status=S.SUBMITTED)  # another request
    response = client.post(reverse("nomination_import_confirm"), {"token": token})
    assert response.status_code == 200
    assert "Không lưu dòng nào: 1 dòng không hợp lệ khi kiểm tra lại lúc lưu" in page_text(response)
    assert Nomination.objects.count() == 1


def test_another_user_cannot_see_the_preview(
    client, unit_a_user, btc_user, people, seats, threshold
):
    rows = [row(n, p, "III.1.1") for n, p in enumerate(people, start=1)]
    rows.append(row(4, PersonFactory(), "III.1.1"))
    job = start(client_for(client, unit_a_user), workbook_bytes(rows))
    run_worker()
    preview_url = reverse("nomination_import_checked", args=[job.pk])
    assert client.get(preview_url).status_code == 200
    client_for(client, btc_user)
    assert client.get(preview_url).status_code == 404
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    # Another kind of job is not an import's preview either.
    other = inbox_jobs.start_job(requester=btc_user, kind="plan_workbook", title="x")
    assert client.get(reverse("nomination_import_checked", args=[other.pk])).status_code == 404


def test_the_preview_waits_for_the_job_and_goes_with_its_expiry(
    client, unit_a_user, people, seats, threshold
):
    rows = [row(n, PersonFactory(), "III.1.1") for n in range(1, 5)]
    job = start(client_for(client, unit_a_user), workbook_bytes(rows))
    preview_url = reverse("nomination_import_checked", args=[job.pk])
    assert client.get(preview_url)["Location"] == reverse("job_detail", args=[job.pk])
    run_worker()
    assert client.get(preview_url).status_code == 200
    Job.objects.filter(pk=job.pk).update(
        expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    assert client.get(preview_url).status_code == 302
    inbox_jobs.remove_expired_files()
    job.refresh_from_db()
    assert job.params == {}  # people's data go with the job's time


@pytest.mark.parametrize(
    "content, message",
    [
        (lambda rows: workbook_bytes(rows, headers=["STT", "Tên"]), "Dòng tiêu đề"),
        (lambda rows: b"not a workbook" * 100, "không phải là tệp Excel"),
    ],
)
def test_a_refused_file_is_still_refused_in_the_request(
    client, unit_a_user, people, threshold, content, message
):
    rows = [row(n, PersonFactory(), "III.1.1") for n in range(1, 6)]
    response = post_upload(client_for(client, unit_a_user), content(rows))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors, errors
    assert not Job.objects.exists()


def test_a_requester_who_lost_the_right_meanwhile_is_told_why(
    client, unit_a_user, people, threshold
):
    rows = [row(n, PersonFactory(), "III.1.1") for n in range(1, 5)]
    job = start(client_for(client, unit_a_user), workbook_bytes(rows))
    unit_a_user.role = unit_a_user.Role.LEADERSHIP  # reads everything, nominates nobody
    unit_a_user.save()
    run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and job.error
    assert job.params.keys() == {"year", "filename", "submit"}  # the cells are dropped
    assert (
        Notice.objects.get(recipient=unit_a_user, kind=Notice.Kind.JOB_FAILED).detail == job.error
    )


def test_the_cells_come_back_from_the_job_as_they_were_read():
    raw = [
        uploads.RawRow(
            number=2,
            values=[
                1,
                "Nguyễn Văn An",
                datetime.datetime(1980, 1, 2),
                51182000123,
                None,
                "II.1.1",
                2.0,
                datetime.date(2021, 1, 1),
                datetime.time(8, 30),
                datetime.timedelta(days=1, seconds=5),
            ],
        )
    ]
    again = imports.raw_rows_from_json(imports.raw_rows_to_json(raw))
    assert again == raw
    assert [type(value) for value in again[0].values] == [type(value) for value in raw[0].values]


def test_the_page_says_which_files_run_in_the_background(client, unit_a_user, plan_2021, settings):
    settings.NOMINATION_IMPORT_JOB_ROWS = 1200
    text = page_text(client_for(client, unit_a_user).get(reverse("nomination_import")))
    assert re.search(r"Tệp trên 1\.200 dòng được kiểm tra ở chế độ nền", text)


def test_a_big_file_refused_by_the_worker_comes_back_with_its_errors(
    client, unit_a_user, unit_b_user, people, seats, threshold
):
    import io

    import openpyxl
    from django.test import Client

    job = start(client_for(client, unit_a_user), workbook_bytes(mixed_rows(people, seats)))
    assert job.params["upload"]  # the uploaded bytes, for the copy with errors
    run_worker()
    job.refresh_from_db()
    url = reverse("nomination_import_checked_errors", args=[job.pk])
    preview = client.get(reverse("nomination_import_checked", args=[job.pk]))
    assert preview.context["error_copy_url"] == url
    download = client.get(url)
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))[
        imports.SHEET_NAME
    ]
    assert sheet["K1"].value == "Lỗi" and sheet["K2"].value is None
    assert sheet["K3"].value.startswith("Không có khóa mã “II.9.9”")
    assert sheet["F3"].fill.fgColor.rgb.endswith("FFC7CE")
    other = Client()
    other.force_login(unit_b_user)
    assert other.get(url).status_code == 404
    # Used (or expired), the preview goes and the uploaded bytes with it.
    from quotas.jobs import forget_check

    forget_check(job.pk)
    job.refresh_from_db()
    assert "upload" not in job.params
    assert client.get(url).status_code == 404


def test_a_big_file_without_error_keeps_no_upload(client, unit_a_user, people, seats, threshold):
    rows = [row(n, p, "III.1.1") for n, p in enumerate(people, start=1)]
    rows.append(row(4, PersonFactory(), "III.1.1"))
    job = start(client_for(client, unit_a_user), workbook_bytes(rows))
    run_worker()
    job.refresh_from_db()
    assert "upload" not in job.params and "raw" not in job.params
