"""The inbox page per role: each user sees their own items, marks them read (some or all),
follows them, never reaches another user's; the count of open items is in the nav."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox.models import Notice
from inbox.services import notify
from tests.helpers import client_for, page_text

pytestmark = pytest.mark.django_db
K = Notice.Kind


def item(user, title, **fields):
    fields.setdefault("kind", K.RETURNED)
    fields.setdefault("url", "/nominations/")
    return notify([user], title=title, **fields)[0]


@pytest.mark.parametrize("persona", ["btc_user", "snv_user", "leader_user", "unit_a_user"])
def test_each_role_sees_its_own_items_newest_first_with_the_count(
    client, persona, request, unit_b_user
):
    user = request.getfixturevalue(persona)
    older = item(user, "Việc thứ nhất", detail="Lý do: thiếu hồ sơ")
    Notice.objects.filter(pk=older.pk).update(created_at=timezone.now() - timezone.timedelta(1))
    item(user, "Việc thứ hai")
    item(unit_b_user, "Việc của đơn vị khác")
    client_for(client, user)
    response = client.get(reverse("inbox"))
    text = page_text(response)
    assert text.index("Việc thứ hai") < text.index("Việc thứ nhất")
    assert "Lý do: thiếu hồ sơ" in text
    assert "Việc của đơn vị khác" not in text
    assert "Việc cần xử lý 2 việc chưa đọc" in text  # the nav's count


def test_mark_read_one_then_all(client, unit_a_user):
    first, second, third = (item(unit_a_user, f"Việc {n}") for n in (1, 2, 3))
    client_for(client, unit_a_user)
    response = client.post(reverse("inbox_mark_read"), {"notice": [first.pk]})
    assert response.status_code == 302
    assert "Việc cần xử lý 2 việc chưa đọc" in page_text(client.get(reverse("inbox")))
    client.post(reverse("inbox_mark_read"), {"all": "1"})
    assert not Notice.objects.filter(recipient=unit_a_user, read_at=None).exists()
    text = page_text(client.get(reverse("inbox")))
    assert "Không có việc nào đang chờ bạn." in text
    assert "việc chưa đọc" not in text
    # Read items stay under “Tất cả”.
    assert "Việc 3" in page_text(client.get(reverse("inbox"), {"show": "all"}))


def test_marking_another_users_item_changes_nothing(client, unit_a_user, unit_b_user):
    theirs = item(unit_b_user, "Việc của Sơn Tịnh")
    client_for(client, unit_a_user)
    client.post(reverse("inbox_mark_read"), {"notice": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_follows_the_link_and_marks_read(client, unit_a_user):
    notice = item(unit_a_user, "Hồ sơ bị trả lại", url="/nominations/?status=returned")
    client_for(client, unit_a_user)
    response = client.get(reverse("inbox_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/nominations/?status=returned"
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.parametrize("persona", ["btc_user", "unit_b_user", "admin_user_2021"])
def test_another_users_item_is_404(client, persona, request, unit_a_user):
    notice = item(unit_a_user, "Hồ sơ bị trả lại")
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("inbox_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_done_items_leave_the_count(client, unit_a_user):
    from inbox.services import close

    item(unit_a_user, "Hồ sơ bị trả lại", subject="nomination:1")
    item(unit_a_user, "Việc khác")
    close("nomination:1")
    client_for(client, unit_a_user)
    assert "Việc cần xử lý 1 việc chưa đọc" in page_text(client.get(reverse("inbox")))
