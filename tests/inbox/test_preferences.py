"""The e-mail preferences page (/account/notifications/): each user chooses for themself, it is
linked from the account pages and the inbox."""

import pytest
from django.urls import reverse

from inbox.models import MailPreference
from inbox.services import delivery_of
from tests.helpers import PERSONAS, client_for, page_text

pytestmark = pytest.mark.django_db

URL = reverse("mail_preferences")


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_chooses_its_own_delivery(client, request, persona, unit_b_user):
    user = request.getfixturevalue(persona)
    client_for(client, user)
    page = client.get(URL)
    assert page.status_code == 200
    text = page_text(page)
    assert f"Thông báo qua e-mail được gửi tới địa chỉ {user.email}" in text
    assert page.context["form"].initial == {"delivery": "immediate"}
    response = client.post(URL, {"delivery": "daily"})
    assert response.status_code == 302 and response["Location"] == URL
    assert delivery_of(user) == MailPreference.Delivery.DAILY
    assert "Đã lưu cách nhận thông báo qua e-mail." in page_text(client.get(URL))
    # Nobody else's choice changed.
    if user != unit_b_user:
        assert delivery_of(unit_b_user) == MailPreference.Delivery.IMMEDIATE
    assert MailPreference.objects.count() == 1


def test_a_value_not_offered_changes_nothing(client, unit_a_user):
    client_for(client, unit_a_user)
    response = client.post(URL, {"delivery": "hourly"})
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in page_text(response)
    assert not MailPreference.objects.exists()


def test_none_is_offered_and_kept(client, unit_a_user):
    client_for(client, unit_a_user)
    client.post(URL, {"delivery": "none"})
    assert client.get(URL).context["form"].initial == {"delivery": "none"}


def test_an_account_without_address_is_told(client, unit_a_user):
    unit_a_user.email = ""
    unit_a_user.save()
    text = page_text(client_for(client, unit_a_user).get(URL))
    assert "Tài khoản chưa có địa chỉ e-mail nên chưa nhận được thư" in text


@pytest.mark.parametrize("page", ["password_change", "two_factor", "inbox"])
def test_linked_from_the_account_pages_and_the_inbox(client, unit_a_user, page):
    content = client_for(client, unit_a_user).get(reverse(page)).content.decode()
    assert f'href="{URL}"' in content


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
