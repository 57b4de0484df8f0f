"""A user's own account: change the password, reset a forgotten one by e-mail, two-step login
with an authenticator app and recovery codes, required of some accounts with REQUIRE_2FA."""

import re
import time
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import client_for, page_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Hoa-sen-nở-2021-Quảng-Ngãi"


def code_of(device, steps_ahead=0):
    """The code the app shows (a later step's for a second login: a code is used once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def set_up_authenticator(client, user):
    """What a user does on /account/2fa/: the page makes a device, the app shows its code."""
    client_for(client, user)
    assert client.get(reverse("two_factor")).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor"), {"code": code_of(device)})
    device.refresh_from_db()
    return device, response


def test_a_user_changes_the_password(client, unit_a_user):
    response = client_for(client, unit_a_user).post(
        reverse("password_change"),
        {"old_password": "x", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200  # the old password is wrong: the form again
    unit_a_user.set_password("mat-khau-cu-rat-dai")
    unit_a_user.save()
    client_for(client, unit_a_user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-cu-rat-dai",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu" in page_text(response)
    unit_a_user.refresh_from_db()
    assert unit_a_user.check_password(NEW_PASSWORD)


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, unit_a_user):
    unit_a_user.email = "binhson@example.vn"
    unit_a_user.save()
    response = client.post(reverse("password_reset"), {"email": "binhson@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in page_text(response)
    [message] = mail.outbox
    assert message.subject.startswith("Đặt lại mật khẩu")
    assert message.to == ["binhson@example.vn"]
    link = re.search(r"https?://[^/]+(/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in page_text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã đặt mật khẩu mới" in page_text(done)
    unit_a_user.refresh_from_db()
    assert unit_a_user.check_password(NEW_PASSWORD)
    # The link works once.
    assert "không còn hiệu lực" in page_text(client.get(link, follow=True))


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("password_reset"), {"email": "ai@example.vn"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in page_text(response)
    assert mail.outbox == []


def test_setting_up_the_authenticator_gives_ten_recovery_codes(client, btc_user):
    device, response = set_up_authenticator(client, btc_user)
    assert device.confirmed
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=btc_user).count() == 10
    # Once it is on, there is no setup QR code to show (and no second device made).
    assert client.get(reverse("two_factor_qr")).status_code == 404
    assert TOTPDevice.objects.filter(user=btc_user).count() == 1


def test_the_setup_qr_code_is_an_svg_image_a_browser_shows(client, btc_user):
    client_for(client, btc_user).get(reverse("two_factor"))
    qr = client.get(reverse("two_factor_qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(qr.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"  # an <img> needs the namespace
    assert TOTPDevice.objects.filter(user=btc_user, confirmed=False).count() == 1


def test_a_wrong_code_does_not_turn_it_on(client, btc_user):
    client_for(client, btc_user).get(reverse("two_factor"))
    response = client.post(reverse("two_factor"), {"code": "000000x"})
    assert "Mã không đúng" in page_text(response)
    assert not TOTPDevice.objects.filter(user=btc_user, confirmed=True).exists()


def test_with_an_authenticator_every_page_waits_for_the_code(client, settings, btc_user):
    # django-otp slows down guessing (1 s after a wrong code, then 2 s, 4 s…); not here.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, _ = set_up_authenticator(client, btc_user)
    client.logout()
    client.force_login(btc_user)  # the password step
    response = client.get(reverse("nomination_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "123"})
    assert "Mã không đúng" in page_text(wrong)
    assert client.get(reverse("nomination_list")).status_code == 302
    right = client.post(
        reverse("two_factor_verify"),
        {"code": code_of(device, steps_ahead=1), "next": reverse("nomination_list")},
    )
    assert right.url == reverse("nomination_list")
    assert client.get(reverse("nomination_list")).status_code == 200


def test_a_recovery_code_works_once(client, btc_user):
    _, response = set_up_authenticator(client, btc_user)
    code = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())[0]
    client.logout()
    client.force_login(btc_user)
    used = client.post(reverse("two_factor_verify"), {"code": code}, follow=True)
    assert "còn 9 mã" in page_text(used)
    client.logout()
    client.force_login(btc_user)
    again = client.post(reverse("two_factor_verify"), {"code": code})
    assert "Mã không đúng" in page_text(again)


def test_required_accounts_must_set_it_up_first(client, settings, btc_user, unit_a_user):
    settings.REQUIRE_2FA = True
    client.force_login(btc_user)
    response = client.get(reverse("nomination_list"))
    assert response.status_code == 302 and response.url == reverse("two_factor")
    set_up_authenticator(client, btc_user)
    assert client.get(reverse("nomination_list")).status_code == 200
    # Nor can they turn it off.
    client.post(reverse("two_factor_disable"))
    assert TOTPDevice.objects.filter(user=btc_user, confirmed=True).exists()
    # A unit account is not required to.
    other = client.__class__()
    other.force_login(unit_a_user)
    assert other.get(reverse("nomination_list")).status_code == 200


def test_without_the_requirement_a_user_may_turn_it_off(client, unit_a_user):
    set_up_authenticator(client, unit_a_user)
    client.post(reverse("two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=unit_a_user).exists()
    client.logout()
    client.force_login(unit_a_user)
    assert client.get(reverse("nomination_list")).status_code == 200
