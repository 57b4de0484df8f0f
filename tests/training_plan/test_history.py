"""The change-history helper behind `_history.html`."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quotas.models import Allocation
from tests.factories import PersonFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH, line, unit
from training_plan.history import history_rows
from training_plan.services import person_update

pytestmark = pytest.mark.django_db


def changes(row):
    return [(c.field, c.old, c.new) for c in row.changes]


def test_rows_say_who_when_and_old_to_new_with_labels(btc_user, unit_a_user):
    person = PersonFactory(
        full_name="Lê Văn Bình",
        date_of_birth=dt.date(1985, 3, 1),
        theory_level="",
        organisation=unit(BINH_SON),
    )
    person_update(
        actor=unit_a_user,
        person=person,
        data={"theory_level": "trung_cap", "date_of_birth": dt.date(1980, 1, 2)},
    )
    person_update(actor=btc_user, person=person, data={"organisation": unit(SON_TINH)})
    newest, middle, created = history_rows(person)
    assert newest.who == "btc_test" and newest.kind == "Sửa"
    assert changes(newest) == [("Đơn vị", "Huyện ủy Bình Sơn", "Huyện ủy Sơn Tịnh")]
    assert middle.who == "binhson_test"
    assert changes(middle) == [
        ("Ngày sinh", "01/03/1985", "02/01/1980"),
        ("Trình độ lý luận chính trị", "—", "Trung cấp"),
    ]
    assert created.kind == "Tạo mới" and created.who == "Hệ thống"
    assert ("Họ và tên", "—", "Lê Văn Bình") in changes(created)
    # Derived and technical columns never show.
    shown = {c.field for row in (newest, middle, created) for c in row.changes}
    assert not shown & {"Tên không dấu", "Khóa sắp xếp", "Id", "ID"}


def test_masked_fields_show_last_three_digits(btc_user):
    person = PersonFactory(identity_number="051085001234")
    person_update(actor=btc_user, person=person, data={"identity_number": "051085009999"})
    row = history_rows(person, masked=("identity_number",))[0]
    assert changes(row) == [("Số định danh cá nhân", "•••••••••234", "•••••••••999")]


def test_history_of_several_objects_with_labels_and_deletions(plan_2021, btc_user):
    cao_cap = line(CAO_CAP)
    allocation = Allocation(quota_line=cao_cap, unit=unit(BINH_SON), count=3)
    allocation._history_user = btc_user
    allocation.save()
    allocation.count = 5
    allocation.save()
    allocation.delete()
    rows = history_rows(
        Allocation.history.filter(quota_line=cao_cap),
        label=lambda r: f"đơn vị {r.unit_id}",
        exclude=("quota_line", "unit"),
    )
    assert [r.kind for r in rows] == ["Xóa", "Sửa", "Tạo mới"]
    assert changes(rows[1]) == [("Số chỉ tiêu", "3", "5")]
    assert changes(rows[2]) == [("Số chỉ tiêu", "—", "3")]
    assert rows[0].label == f"đơn vị {unit('huyen-uy-binh-son').pk}"


def test_queries_do_not_grow_with_history_length(btc_user):
    short, long = PersonFactory(), PersonFactory()
    person_update(actor=btc_user, person=short, data={"position": "A"})
    for index in range(80):
        person_update(actor=btc_user, person=long, data={"position": f"Vị trí {index}"})
    with CaptureQueriesContext(connection) as few:
        assert len(history_rows(short)) == 2
    with CaptureQueriesContext(connection) as many:
        rows = history_rows(long, limit=50)
    assert len(rows) == 50
    # The oldest row shown is diffed against a record outside the window: one more query at most.
    assert len(many) <= len(few) + 1
    assert changes(rows[-1]) == [("Chức vụ", "Vị trí 29", "Vị trí 30")]
