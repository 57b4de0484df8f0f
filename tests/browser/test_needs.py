"""In the browser: Bình Sơn enters its needs for 2022 — a count for a bồi dưỡng course and a
named person for an đào tạo program, whose eligibility warning shows with its legal basis — and
submits them; BTC compares two versions of a plan and sees the changed words and figures."""

import pytest
from playwright.sync_api import expect

from needs.models import UnitNeeds
from tests import fixture_2021
from tests.helpers import browser_login
from tests.needs.helpers import fake_pdf, open_round, person_of
from training_plan.models import Person
from versions import services as version_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    monkeypatch.setattr("reports.documents.render_pdf", fake_pdf)


def test_binh_son_enters_needs_with_a_named_person_and_submits(
    page, live_server, btc_user, unit_a_user
):
    open_round(btc_user)
    person_of(unit_a_user, full_name="Võ Thị Quy Hoạch", theory_level=Person.TheoryLevel.ADVANCED)
    browser_login(page, live_server, "binhson_test")
    page.get_by_role("button", name="Kế hoạch", exact=True).click()  # the plans menu
    page.get_by_role("link", name="Đăng ký nhu cầu", exact=True).click()
    expect(page.locator("h1")).to_have_text("Đăng ký nhu cầu đào tạo, bồi dưỡng năm 2022")
    page.get_by_role("button", name="Nhập nhu cầu của đơn vị").first.click()
    expect(page.locator("#status")).to_have_text("Đang soạn")

    page.get_by_label("III.1.1 Bồi dưỡng kiến thức Quốc phòng - An ninh").fill("5")
    page.get_by_label("Lý do — III.1.1").fill("Cán bộ mới bổ nhiệm")
    page.get_by_role("button", name="Lưu số lượng").click()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu số lượng đăng ký")

    form = page.locator("#person-form")
    form.get_by_label("Cán bộ").select_option(label="Võ Thị Quy Hoạch")
    form.get_by_label("Chương trình đào tạo").select_option(
        label="II.1.1 Cao cấp lý luận chính trị"
    )
    form.get_by_label("Lý do").fill("Quy hoạch Ban Thường vụ")
    form.get_by_role("button", name="Thêm vào danh sách").click()
    expect(page.locator("#people")).to_contain_text("Võ Thị Quy Hoạch")
    expect(page.locator("#people")).to_contain_text("Không đạt")
    expect(page.locator("#people")).to_contain_text("Căn cứ")

    page.get_by_role("button", name="Gửi nhu cầu").click()
    expect(page.locator("#status")).to_have_text("Đã gửi")
    register = UnitNeeds.objects.get(unit=unit_a_user.organisation)
    assert register.status == UnitNeeds.Status.SUBMITTED
    assert register.counts.get().count == 5
    assert register.people.get().person.full_name == "Võ Thị Quy Hoạch"


def test_btc_compares_two_versions(page, live_server, btc_user):
    plan = fixture_2021.plan()
    version_services.save_version(plan=plan, actor=btc_user)
    plan.purpose = "Nâng cao năng lực đội ngũ cán bộ cơ sở."
    plan.save()
    line = fixture_2021.line("III.3.7-1")
    line.planned_count = 90
    line.save()
    version_services.save_version(plan=plan, actor=btc_user, note="Giảm tiếng Anh")
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/plans/2021/versions/")
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    page.get_by_role("button", name="So sánh").click()
    expect(page.locator("h1")).to_contain_text("So sánh phiên bản 1")
    purpose = page.locator(".text-change", has_text="Mục đích")
    expect(purpose.locator("ins").first).to_have_text("Nâng")
    expect(purpose.locator("del").first).to_be_visible()
    expect(purpose).to_contain_text("Nâng cao trình độ")  # the old words, struck through
    row = page.locator("#quota-lines tr", has_text="III.3.7-1")
    expect(row).to_contain_text("100")
    expect(row).to_contain_text("90")
    expect(page.get_by_role("link", name="Tải Bảng so sánh (PDF)")).to_be_visible()
