"""SNV opens a State-block class, enrols approved learners, costs it, and the block reconciles."""

import pytest

from courses.models import TrainingClass
from quotas.models import Nomination
from tests.factories import NominationFactory
from tests.fixture_2021 import SON_TINH, course, unit
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def state_row(page):
    return page.locator('#budget-blocks tr[data-block="state"]')


def test_snv_runs_a_state_class_and_the_block_reconciles(page, live_server, snv_user, plan_2021):
    english = course("III.3.7")
    # Take away the fixture's illustrative class of the course: the block is now short of it.
    illustrative = TrainingClass.objects.get(course=english, is_illustrative=True)
    illustrative.budget_lines.all().delete()
    illustrative.delete()
    NominationFactory(course=english, status="approved", person__full_name="Trần Thị Ánh")
    NominationFactory(course=english, status="approved", person__full_name="Nguyễn Văn Bảo")
    NominationFactory(
        course=english, status="approved", person__full_name="Lê Thị Cúc", unit=unit(SON_TINH)
    )

    browser_login(page, live_server, "snv_test")
    page.goto(f"{live_server.url}/plans/2021/budget/")
    row = state_row(page)
    assert "3.910.000.000\t3.493.987.000\t\u2212416.013.000" in row.inner_text()
    assert row.locator(".diff-nonzero").count() == 1
    # Red on the page, whatever colour the table gives its cells.
    colour = row.locator(".diff-nonzero").evaluate("cell => getComputedStyle(cell).color")
    assert colour == "rgb(176, 42, 55)"

    # Open a class of the English course.
    page.click(".navbar a:text-is('Lớp')")
    page.click("a:text-is('Mở lớp mới')")
    page.select_option(
        "#id_course", label="III.3. Bồi dưỡng chứng chỉ ngoại ngữ Tiếng Anh bậc 3 trở lên"
    )
    page.fill("#id_name", "Lớp tiếng Anh bậc 3 khóa 1")
    page.select_option("#id_institution", label="Các cơ sở đào tạo có liên quan")
    page.fill("#id_venue", "Sở Nội vụ, 52 Hùng Vương, Quảng Ngãi")
    page.select_option("#id_study_mode", label="Tập trung")
    page.fill("#id_start_date", "2021-09-06")
    page.fill("#id_end_date", "2021-11-26")
    page.fill("#id_capacity", "30")
    page.fill("#id_planned_learners", "30")
    page.click("button:has-text('Mở lớp')")
    assert "Đã mở lớp “Lớp tiếng Anh bậc 3 khóa 1”." in page.inner_text(".alert-success")
    assert page.locator("#class-status").inner_text() == "Dự kiến"

    # Enrol two in bulk, then the third one alone.
    candidates = page.locator("#candidates tbody tr")
    assert [r.inner_text().split("\t")[1] for r in candidates.all()] == [
        "Trần Thị Ánh",
        "Nguyễn Văn Bảo",
        "Lê Thị Cúc",
    ]
    page.check("text=Trần Thị Ánh")
    page.check("text=Lê Thị Cúc")
    page.click("#enrol-selected")
    assert "Đã xếp 2 học viên vào lớp." in page.inner_text(".alert-success")
    page.click("#candidates button:has-text('Xếp lớp')")
    assert "Đã xếp 1 học viên vào lớp." in page.inner_text(".alert-success")
    learners = page.locator("#learners").inner_text()
    assert learners.index("Trần Thị Ánh") < learners.index("Nguyễn Văn Bảo")
    assert learners.index("Nguyễn Văn Bảo") < learners.index("Lê Thị Cúc")
    assert page.locator("#learner-count").inner_text() == "3"
    assert Nomination.objects.filter(course=english, status="enrolled").count() == 3

    # Budget lines: a norm line and the contract with the institution (a free line).
    assert page.is_visible("#id_quantity")  # the form is open while the class has no lines
    page.select_option("#id_norm", label="Tài liệu học tập — 200.000 đồng/học viên")
    page.select_option("#id_quantity_kind", label="Học viên")
    page.fill("#id_quantity", "30")
    page.click("button:has-text('Thêm dòng')")
    assert "Đã thêm khoản “Tài liệu học tập”: 6.000.000 đồng." in page.inner_text(".alert-success")

    page.click("text=Thêm dòng dự toán")
    page.fill("#id_description", "Kinh phí trả cơ sở đào tạo theo hợp đồng")
    page.select_option("#id_quantity_kind", label="Trọn gói")
    page.fill("#id_quantity", "1")
    page.fill("#id_rate", "410,013")  # a slip of the keyboard: refused, explained
    page.click("button:has-text('Thêm dòng')")
    assert "Nhập số tiền là số nguyên đồng, ví dụ 1.500.000." in page.content()
    page.fill("#id_rate", "410.013.000")
    page.click("button:has-text('Lưu')")
    assert page.locator("#class-estimate").inner_text() == "416.013.000 đồng"

    # The State block reconciles again.
    page.click(".navbar a:text-is('Kinh phí')")  # the menu, then its first entry
    page.click(".navbar a:text-is('Kinh phí các khối')")
    row = state_row(page)
    assert "3.910.000.000\t3.910.000.000\t0" in row.inner_text()
    assert row.locator(".diff-nonzero").count() == 0
    assert page.locator("#classes-total").inner_text() == "11.147.406.000"
