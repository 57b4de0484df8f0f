"""SNV records the results of a whole class at once (issue 13, item 7): “Tất cả hoàn thành”,
certificate numbers typed down the column with Enter, the first date copied down, Ctrl+D from
the row above; a bad date is listed at the top and nothing is saved until it is fixed."""

import datetime

import pytest
from playwright.sync_api import expect

from quotas.models import Nomination
from tests.factories import NominationFactory, TrainingClassFactory, enrol_directly
from tests.fixture_2021 import state_course
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_snv_records_a_whole_class(page, live_server, plan_2021, snv_user):
    training_class = TrainingClassFactory(
        course=state_course(plan_2021),
        capacity=10,
        status="running",
        start_date=datetime.date(2021, 6, 1),
        end_date=datetime.date(2021, 6, 30),
    )
    learners = NominationFactory.create_batch(3, course=training_class.course, status="approved")
    enrol_directly(training_class, learners)
    browser_login(page, live_server, "snv_test")
    page.goto(f"{live_server.url}/classes/{training_class.pk}/results/")
    page.get_by_role("button", name="Tất cả hoàn thành").click()
    for learner in learners:
        expect(page.locator(f"#id_result_{learner.pk}")).to_have_value("completed")

    # Certificate numbers: type, Enter, type ... down the column.
    first = page.locator(f"#id_certificate_number_{learners[0].pk}")
    first.fill("CC-01")
    first.press("Enter")
    page.keyboard.type("CC-02")
    page.keyboard.press("Enter")
    page.keyboard.type("CC-03")
    expect(page.locator(f"#id_certificate_number_{learners[2].pk}")).to_have_value("CC-03")

    page.locator(f"#id_certificate_date_{learners[0].pk}").fill("30/06/2021")
    page.get_by_role("button", name="Chép ngày cấp dòng đầu xuống mọi dòng").click()
    expect(page.locator(f"#id_certificate_date_{learners[2].pk}")).to_have_value("30/06/2021")
    second = page.locator(f"#id_certificate_date_{learners[1].pk}")
    second.fill("31/06/2021")  # no such day
    page.get_by_role("button", name="Lưu kết quả").click()

    summary = page.locator("#results-summary")
    expect(summary).to_contain_text("Chưa lưu kết quả nào: 1 dòng có lỗi.")
    expect(summary).to_contain_text("Dòng 2")
    expect(summary).to_contain_text("Ngày cấp phải theo dạng dd/mm/yyyy và có thật.")
    expect(page.locator(f"#id_certificate_number_{learners[2].pk}")).to_have_value("CC-03")
    assert not Nomination.objects.filter(status="completed").exists()

    # Ctrl+D takes the date of the row above.
    second = page.locator(f"#id_certificate_date_{learners[1].pk}")
    second.focus()
    second.press("Control+d")
    expect(second).to_have_value("30/06/2021")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Đã ghi kết quả học tập (3 học viên thay đổi)."
    )
    saved = sorted(
        Nomination.objects.filter(training_class=training_class).values_list(
            "status", "certificate_number", "certificate_date"
        )
    )
    assert saved == [("completed", f"CC-0{i}", datetime.date(2021, 6, 30)) for i in (1, 2, 3)]
