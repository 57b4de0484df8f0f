"""The download log of files with personal data: what each entry records, the log page, the
admin's read-only view. Who may download what, and which downloads are logged, is the permission
table of tests/test_permissions.py."""

import pytest
from django.urls import reverse

from tests.factories import NominationFactory, class_with_estimate
from tests.fixture_2021 import course_of
from tests.fixture_2021 import unit as org
from tests.helpers import client_for, download_via_job
from tests.training_plan.pdf_helpers import body
from training_plan.download_log import download_log_record
from training_plan.models import DownloadLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_class(plan_2021):
    training_class = class_with_estimate(course_of(plan_2021, 2, 3), 1_000_000, name="Lớp K45")
    NominationFactory(
        unit=org("huyen-uy-binh-son"),
        course=training_class.course,
        status="enrolled",
        training_class=training_class,
    )
    return training_class


def test_download_log_records_who_what_and_filter(client, unit_a_user, btc_user, training_class):
    client_for(client, unit_a_user).get(reverse("class_learners_xlsx", args=[training_class.pk]))
    client.get(reverse("plan_nominations_xlsx", args=[2021]))
    client.logout()
    download_via_job(client_for(client, btc_user), reverse("plan_workbook_xlsx", args=[2021]))
    entries = list(DownloadLog.objects.order_by("id"))
    assert [(e.username, e.filename, e.filters) for e in entries] == [
        (
            "binhson_test",
            f"danh-sach-hoc-vien-lop-{training_class.pk}.xlsx",
            {"class": training_class.pk, "scope": "unit:huyen-uy-binh-son"},
        ),
        (
            "binhson_test",
            "danh-sach-cu-di-hoc-2021.xlsx",
            {"plan": 2021, "scope": "unit:huyen-uy-binh-son"},
        ),
        ("btc_test", "so-lieu-ke-hoach-2021.xlsx", {"plan": 2021, "scope": "all"}),
    ]
    assert entries[0].user == unit_a_user and entries[0].at is not None


def test_download_log_keeps_the_username_when_the_account_goes(btc_user, unit_a_user):
    entry = download_log_record(user=unit_a_user, filename="x.xlsx", filters={"plan": 2021})
    unit_a_user.delete()
    entry.refresh_from_db()
    assert entry.user is None and entry.username == "binhson_test"


def test_unit_nominations_sheet_has_only_its_own(client, unit_a_user, plan_2021):
    import io

    import openpyxl

    course = course_of(plan_2021, 2, 3)
    NominationFactory(unit=org("huyen-uy-binh-son"), course=course, person__full_name="Của A")
    NominationFactory(unit=org("huyen-uy-son-tinh"), course=course, person__full_name="Của B")
    response = client_for(client, unit_a_user).get(reverse("plan_nominations_xlsx", args=[2021]))
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    names = [row[0] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert names == ["Của A"]


def log_entries(user, count):
    DownloadLog.objects.bulk_create(
        DownloadLog(user=user, username=user.username, filename=f"tep-{i}.xlsx")
        for i in range(count)
    )


def test_download_log_page_is_paginated(client, btc_user):
    log_entries(btc_user, 120)
    client_for(client, btc_user)
    first = client.get(reverse("download_log"))
    assert first.status_code == 200
    assert first.content.decode().count("<tr>") == 51  # header + 50
    assert "Trang 1 / 3" in first.content.decode()
    last = client.get(reverse("download_log") + "?page=3")
    assert last.content.decode().count("<tr>") == 21
    assert "tep-0.xlsx" in last.content.decode()


def test_download_log_page_query_count_does_not_grow(
    client, btc_user, unit_a_user, django_assert_num_queries
):
    client_for(client, btc_user)
    log_entries(unit_a_user, 3)
    client.get(reverse("download_log"))  # warm the session
    # session, user, the user's organisation (menu), the inbox's count (nav), count, one page
    # of entries with users
    with django_assert_num_queries(6):
        client.get(reverse("download_log"))
    log_entries(unit_a_user, 60)
    with django_assert_num_queries(6):
        client.get(reverse("download_log"))


def test_download_log_is_read_only_in_admin(client, admin_user_2021, btc_user):
    entry = download_log_record(user=btc_user, filename="so-lieu.xlsx", filters={"plan": 2021})
    client_for(client, admin_user_2021)
    assert client.get(reverse("admin:training_plan_downloadlog_changelist")).status_code == 200
    assert client.get(reverse("admin:training_plan_downloadlog_add")).status_code == 403
    change = reverse("admin:training_plan_downloadlog_change", args=[entry.pk])
    assert client.get(change).status_code == 200  # view only
    client.post(change, {"filename": "doi-ten.xlsx"})
    entry.refresh_from_db()
    assert entry.filename == "so-lieu.xlsx"
    delete = reverse("admin:training_plan_downloadlog_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DownloadLog.objects.filter(pk=entry.pk).exists()
