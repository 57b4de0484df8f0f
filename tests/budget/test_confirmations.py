"""Destructive actions ask first (issue 13, item 9): taking a learner out of a class, deleting
a budget line and revoking all of a unit's seats each show a page that says what will change;
only its button changes anything."""

import pytest
from django.urls import reverse

from quotas.allocations import allocation_set
from quotas.models import Allocation
from tests.factories import (
    BudgetLineFactory,
    NominationFactory,
    TrainingClassFactory,
    enrol_directly,
)
from tests.fixture_2021 import BINH_SON, state_course, unit
from tests.helpers import client_for, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def state_class(plan_2021):
    return TrainingClassFactory(course=state_course(plan_2021), capacity=10)


def test_taking_a_learner_out_asks_first(client, state_class, snv_user, btc_user, unit_a_user):
    learner = NominationFactory(course=state_class.course, status="approved")
    enrol_directly(state_class, [learner])
    url = reverse("class_unenrol", args=[state_class.pk, learner.pk])
    client_for(client, snv_user)
    detail = client.get(reverse("class_detail", args=[state_class.pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a one-click form
    text = page_text(client.get(url))
    assert f"Rút {learner.person.full_name} khỏi lớp" in text
    assert "Hồ sơ cử đi học trở về trạng thái “Đã duyệt”" in text
    learner.refresh_from_db()
    assert learner.training_class_id == state_class.pk  # asking changed nothing
    for other in (btc_user, unit_a_user):
        assert client_for(client, other).get(url).status_code == 403
    client_for(client, snv_user)
    assert client.post(url).status_code == 302
    learner.refresh_from_db()
    assert (learner.training_class_id, learner.status) == (None, "approved")
    assert client.get(url).status_code == 404  # no longer a learner


def test_deleting_a_budget_line_asks_first(client, state_class, snv_user):
    line = BudgetLineFactory(
        training_class=state_class, description="Nước uống", rate=100_000, quantity=3
    )
    BudgetLineFactory(training_class=state_class, description="Tài liệu", rate=50_000, quantity=2)
    url = reverse("budget_line_delete", args=[line.pk])
    client_for(client, snv_user)
    text = page_text(client.get(url))
    assert "Xóa khoản “Nước uống”" in text
    assert "Khoản “Nước uống” (300.000 đồng) bị xóa" in text
    assert "Dự toán của lớp giảm từ 400.000 đồng xuống 100.000 đồng." in text
    assert state_class.budget_lines.count() == 2
    client.post(url)
    assert list(state_class.budget_lines.values_list("description", flat=True)) == ["Tài liệu"]


def test_revoking_a_units_seats_asks_first(client, btc_user, cao_cap):
    allocation_set(actor=btc_user, quota_line=cao_cap, unit=unit(BINH_SON), count=7)
    url = reverse("allocation_set", args=[2021, cao_cap.pk])
    client_for(client, btc_user)
    response = client.post(url, {"unit": unit(BINH_SON).pk, "count": "0"})
    assert response.status_code == 200
    assert "Huyện ủy Bình Sơn không còn chỉ tiêu trên dòng" in page_text(response)
    assert Allocation.objects.get(quota_line=cao_cap).count == 7
    response = client.post(url, {"unit": unit(BINH_SON).pk, "count": "0", "confirm": "1"})
    assert response.status_code == 302
    assert not Allocation.objects.filter(quota_line=cao_cap).exists()
