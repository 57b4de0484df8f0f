"""SNV takes a learner out of a class and deletes a budget line: each time a page says what
will change, and nothing changes until its button is pressed (issue 13, item 9)."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    BudgetLineFactory,
    NominationFactory,
    TrainingClassFactory,
    enrol_directly,
)
from tests.fixture_2021 import state_course
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_snv_confirms_before_removing(page, live_server, plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021), capacity=10)
    learner = NominationFactory(course=training_class.course, status="approved")
    enrol_directly(training_class, [learner])
    BudgetLineFactory(training_class=training_class, description="Nước uống", rate=100_000)
    browser_login(page, live_server, "snv_test")
    page.goto(f"{live_server.url}/classes/{training_class.pk}/")

    page.get_by_role("link", name="Rút khỏi lớp").click()
    expect(page.locator("h1")).to_have_text(f"Rút {learner.person.full_name} khỏi lớp")
    page.get_by_role("link", name="Không, quay lại lớp").click()
    learner.refresh_from_db()
    assert learner.training_class_id == training_class.pk
    page.get_by_role("link", name="Rút khỏi lớp").click()
    page.get_by_role("button", name="Rút khỏi lớp").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        f"Đã rút {learner.person.full_name} khỏi lớp"
    )
    learner.refresh_from_db()
    assert learner.training_class_id is None

    page.get_by_role("link", name="Xóa", exact=True).click()
    expect(page.locator(".confirm-changes")).to_contain_text("bị xóa khỏi dự toán")
    page.get_by_role("button", name="Xóa khoản này").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã xóa khoản “Nước uống”.")
    assert not training_class.budget_lines.exists()
