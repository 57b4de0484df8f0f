"""Under the Content-Security-Policy the pages still render: Bootstrap's CSS and JS load from
our static files and the browser reports no violation."""

import pytest

from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_render_under_the_policy_without_violations(page, live_server, btc_user):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    browser_login(page, live_server, "btc_test")
    for path in ["/plans/2021/", "/plans/"]:
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        # Bootstrap's CSS applies (container padding) and its JS bundle ran.
        assert page.evaluate("typeof window.bootstrap") == "object"
        display = page.evaluate("getComputedStyle(document.querySelector('.navbar')).display")
        assert display == "flex"
    violations = [m for m in messages if "Content Security Policy" in m]
    assert violations == []


def test_an_injected_inline_script_is_blocked(page, live_server, btc_user):
    """Control: the policy is enforced by the browser, not just sent."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    browser_login(page, live_server, "btc_test")
    page.goto(f"{live_server.url}/plans/2021/")
    page.evaluate(
        "() => { const s = document.createElement('div');"
        " s.innerHTML = '<img src=x onerror=\"window.pwned=1\">';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None
    assert any("Content Security Policy" in m for m in messages)
