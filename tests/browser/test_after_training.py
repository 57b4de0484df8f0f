"""After training in a browser: a learner answers the evaluation through a one-time link
without logging in; a unit records a repayment and a payment and sees the formula's values."""

import datetime

import pytest

from evaluation.models import Invitation, Response
from evaluation.seed import criteria_seed
from evaluation.services import evaluation_open
from tests import factories
from tests.fixture_2021 import PARTY_COURSE, course
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_answers_once_without_login(page, live_server, btc_user, plan_2021):
    criteria_seed()
    training_class = factories.TrainingClassFactory(
        course=course(PARTY_COURSE), status="finished", name="Lớp Trung cấp K21"
    )
    factories.NominationFactory(
        course=training_class.course,
        status="completed",
        training_class=training_class,
        quota_line=None,
    )
    evaluation_open(actor=btc_user, training_class=training_class)
    token = Invitation.objects.get().token
    page.goto(f"{live_server.url}/evaluation/{token}/")
    assert "Lớp Trung cấp K21" in page.inner_text("main")
    for radio in page.locator("#answer-form input[type=radio][value='4']").all():
        radio.check()
    page.fill("textarea[name=comment]", "Nội dung thiết thực.")
    page.click("button:has-text('Gửi phiếu đánh giá')")
    assert "Cảm ơn anh/chị đã đánh giá khóa học" in page.inner_text("main")
    assert Response.objects.get().comment == "Nội dung thiết thực."
    page.goto(f"{live_server.url}/evaluation/{token}/")
    assert "không còn dùng được" in page.inner_text("#gone")


def test_a_unit_records_a_repayment_and_a_payment(page, live_server, unit_a_user, plan_2021):
    commitment = factories.commitment(
        person=factories.PersonFactory(full_name="Trần Văn Rời"),
        cost=96_000_000,
        return_date=datetime.date(2023, 9, 1),
    )
    browser_login(page, live_server, "binhson_test")
    page.goto(f"{live_server.url}/commitments/")
    page.click("a:text-is('Trần Văn Rời')")
    assert page.inner_text("#commitment-state") == "Đang thực hiện cam kết"
    page.click("a:has-text('Ghi trường hợp đền bù')")
    page.select_option("#id_kind", "left_early")
    page.fill("#id_event_date", "01/09/2025")
    page.fill("#id_decision_number", "15-QĐ/HU")
    page.click("button:has-text('Tính số tiền')")
    preview = page.inner_text("#repayment-preview")
    assert "T2 = 24 tháng" in preview and "S = 48.000.000 đồng" in preview
    page.click("button:has-text('Ghi quyết định đền bù')")
    assert "Đã ghi quyết định đền bù chi phí đào tạo." in page.inner_text(".alert-success")
    figures = page.inner_text("#repayment")
    for text in ("F = 96.000.000 đồng", "T1 = 48 tháng", "T2 = 24 tháng", "S = 48.000.000 đồng"):
        assert text in figures
    page.fill("#payment-form #id_paid_on", "15/10/2025")
    page.fill("#payment-form #id_amount", "10000000")
    page.click("button:has-text('Ghi khoản nộp')")
    assert page.inner_text("#remaining") == "38.000.000 đồng"
    assert page.inner_text("#commitment-state") == "Phải đền bù"
    assert commitment.repayment.payments.count() == 1
