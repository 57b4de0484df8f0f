"""Every file with personal data is recorded once per download, through one response helper."""

import pytest
from django.urls import reverse

from tests.helpers import client_for
from training_plan.models import DownloadLog

pytestmark = pytest.mark.django_db


def test_a_download_is_logged_with_its_scope(client, btc_user):
    response = client_for(client, btc_user).get(reverse("plan_nominations_xlsx", args=[2021]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    entry = DownloadLog.objects.get()
    assert entry.filename == "danh-sach-cu-di-hoc-2021.xlsx"
    assert entry.filters == {"plan": 2021, "scope": "all"}


def test_a_head_request_sends_no_file_and_is_not_logged(client, btc_user):
    response = client_for(client, btc_user).head(reverse("plan_nominations_xlsx", args=[2021]))
    assert response.status_code == 200
    assert not DownloadLog.objects.exists()


def test_the_log_keeps_the_client_address_and_the_number_of_rows(client, btc_user):
    from quotas.models import QuotaLine
    from tests.factories import NominationFactory

    line = QuotaLine.objects.filter(course__program__section__plan__year=2021).first()
    NominationFactory.create_batch(3, quota_line=line)
    client_for(client, btc_user).get(
        reverse("plan_nominations_xlsx", args=[2021]), REMOTE_ADDR="198.51.100.7"
    )
    entry = DownloadLog.objects.get()
    assert entry.client_address == "198.51.100.7"
    assert entry.rows == 3
    page = client.get(reverse("download_log")).content.decode()
    assert "198.51.100.7" in page


def test_the_log_reads_its_parameters_in_vietnamese(client, btc_user, unit_a_user):
    from tests.helpers import page_text

    client_for(client, unit_a_user).get(reverse("plan_nominations_xlsx", args=[2021]))
    client_for(client, btc_user).get(reverse("plan_nominations_xlsx", args=[2021]))
    text = page_text(client.get(reverse("download_log")))
    assert "Năm 2021; phạm vi: toàn tỉnh" in text
    assert "Năm 2021; phạm vi: Huyện ủy Bình Sơn" in text
    assert "plan:" not in text and "scope:" not in text
