import pytest

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_btc_logs_in_and_reads_the_plan(page, live_server, btc_user):
    page.goto(f"{live_server.url}/plans/2021/")
    assert "/login/" in page.url
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/plans/2021/")
    assert page.locator("h1").first.inner_text() == "KẾ HOẠCH"
    body = page.locator("article").inner_text()
    assert "dự kiến 145 chỉ tiêu" in body
    assert "Dự kiến 460 học viên" in body
    assert "11.147.406.000" in body
    page.click("text=Các lớp bồi dưỡng quản lý Nhà nước")
    assert "Bồi dưỡng chứng chỉ ngoại ngữ Tiếng Anh bậc 3 trở lên" in page.content()
