"""The comparison and the amending document rendered by WeasyPrint (no stub): the words and
figures that changed are in the PDF, and the amending document is in the Party format."""

import datetime

import pytest
from django.urls import reverse

from reports.lifecycle import plan_issue
from tests import fixture_2021
from tests.helpers import client_for
from tests.training_plan.pdf_helpers import body, pdf_text
from versions import services
from versions.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_comparison_and_amendment_pdfs(client, btc_user):
    plan = plan_issue(
        plan=fixture_2021.plan(),
        number="25-KH/TU",
        issue_date=datetime.date(2021, 1, 5),
        actor=btc_user,
    )
    issued = PlanVersion.objects.get(plan=plan, step=PlanVersion.Step.ISSUED)
    plan.closing_text = "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy tổ chức thực hiện nghiêm túc."
    plan.save()
    line = fixture_2021.line("III.3.7-1")
    line.planned_count = 90
    line.save()
    amended = services.save_version(
        plan=plan, actor=btc_user, step=PlanVersion.Step.AMENDED, note="Giảm tiếng Anh"
    )
    client_for(client, btc_user)
    url = reverse("plan_versions_compare_pdf", args=[2021]) + f"?a={issued.pk}&b={amended.pk}"
    text = " ".join(pdf_text(body(client.get(url))).split())
    assert "BẢNG SO SÁNH" in text
    assert "3.7-1" in text and "100" in text and "90" in text
    assert "nghiêm túc" in text
    response = client.get(reverse("plan_version_amendment_pdf", args=[2021, amended.pk]))
    text = " ".join(pdf_text(body(response)).split())
    assert "TỈNH ỦY QUẢNG NGÃI" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Điều chỉnh, bổ sung lần thứ 1" in text
    assert "3.7-1" in text and "Giảm tiếng Anh" in text
    assert "Kế hoạch số 25-KH/TU, ngày 05/01/2021" in text
    # Only what changed: a figure that did not change is not listed.
    assert "3.1-1" not in text
