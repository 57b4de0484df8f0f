"""Nomination screens: list, detail, create, edit, actions, bulk (statuses per role: the
permission table of tests/test_permissions.py)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotas import rules, services
from quotas.models import Nomination, NominationTransition
from tests.factories import AllocationFactory, NominationFactory, PersonFactory
from tests.fixture_2021 import course, line, unit
from tests.helpers import client_for, page_text

pytestmark = pytest.mark.django_db
S = Nomination.Status
# One stored verdict, as the check writes it into `Nomination.eligibility_details`.
VERDICT_OK = {
    "code": "chua-co-cao-cap",
    "kind": "not_holding_theory",
    "severity": "block",
    "ok": True,
    "message": "Trình độ lý luận chính trị hiện có: trung cấp.",
    "description": "Chưa có bằng cao cấp hoặc cử nhân lý luận chính trị",
    "basis": "Công văn 4741-CV/BTCTW ngày 20/05/2013 của Ban Tổ chức Trung ương",
    "overridden": False,
}


@pytest.fixture
def nomination(cao_cap):
    """A draft of Huyện ủy Bình Sơn (unit A), Party block."""
    return NominationFactory(person=PersonFactory(full_name="Nguyễn Văn An"), quota_line=cao_cap)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Who gets which status at each URL is the permission table (tests/test_permissions.py); here:
# a refused action changes nothing.


@pytest.mark.parametrize("persona", ["snv_user", "leader_user", "unit_b_user"])
def test_refused_actions_change_nothing(request, client, persona, nomination):
    client_for(client, request.getfixturevalue(persona))
    for action in [*rules.ACTIONS, "edit"]:
        url = (
            reverse("nomination_edit", args=[nomination.pk])
            if action == "edit"
            else reverse("nomination_action", args=[nomination.pk, action])
        )
        response = client.post(url, {"reason": "Thử", "note": "Thử"})
        assert response.status_code in (302, 403, 404), (action, response.status_code)
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT
    assert nomination.note == ""
    assert not nomination.transitions.exists()


def test_leadership_gets_403_on_bulk_and_import_confirm(client, leader_user, nomination):
    client_for(client, leader_user)
    data = {"action": "submit", "ids": [nomination.pk], "confirm": "1"}
    assert client.post(reverse("nomination_bulk"), data).status_code == 403
    assert client.post(reverse("nomination_import_confirm")).status_code == 403
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


def test_snv_may_not_create_but_reads(client, snv_user, nomination):
    client_for(client, snv_user)
    assert client.get(reverse("nomination_create")).status_code == 403
    assert client.get(reverse("nomination_list")).status_code == 200


def test_unit_b_bulk_on_unit_as_ids_changes_nothing(client, unit_b_user, nomination):
    client_for(client, unit_b_user)
    response = client.post(
        reverse("nomination_bulk"), {"action": "submit", "ids": [nomination.pk], "confirm": "1"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Chưa chọn hồ sơ nào: đánh dấu các hồ sơ trong danh sách."]
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT


# List --------------------------------------------------------------------------------------


def test_unit_sees_only_its_own_nominations(client, unit_a_user, unit_b_user, cao_cap):
    NominationFactory(person=PersonFactory(full_name="Phạm Thị Lan"), quota_line=cao_cap)
    NominationFactory(
        person=PersonFactory(full_name="Võ Minh Long", organisation=unit("huyen-uy-son-tinh")),
        quota_line=cao_cap,
    )
    text_a = page_text(client_for(client, unit_a_user).get(reverse("nomination_list")))
    assert "Phạm Thị Lan" in text_a and "Võ Minh Long" not in text_a
    text_b = page_text(client_for(client, unit_b_user).get(reverse("nomination_list")))
    assert "Võ Minh Long" in text_b and "Phạm Thị Lan" not in text_b


@pytest.mark.parametrize("query", ["nguyen van duc", "NGUYEN VAN ĐUC", "Nguyễn Văn Đức", "văn đức"])
def test_name_search_ignores_diacritics_and_case(client, btc_user, cao_cap, query):
    NominationFactory(person=PersonFactory(full_name="Nguyễn Văn Đức"), quota_line=cao_cap)
    NominationFactory(person=PersonFactory(full_name="Nguyễn Văn Dung"), quota_line=cao_cap)
    text = page_text(client_for(client, btc_user).get(reverse("nomination_list"), {"q": query}))
    assert "Nguyễn Văn Đức" in text
    assert "Nguyễn Văn Dung" not in text


def test_list_filters(client, btc_user, cao_cap):
    sontinh = unit("huyen-uy-son-tinh")
    NominationFactory(person=PersonFactory(full_name="Hồ Thanh Mai"), quota_line=cao_cap)
    NominationFactory(
        person=PersonFactory(full_name="Đỗ Quốc Nam", organisation=sontinh),
        quota_line=cao_cap,
        status=S.SUBMITTED,
    )
    NominationFactory(person=PersonFactory(full_name="Bùi Ngọc Hà"), course=course("III.1.1"))
    client_for(client, btc_user)
    url = reverse("nomination_list")

    def names(params):
        text = page_text(client.get(url, params))
        return {n for n in ("Hồ Thanh Mai", "Đỗ Quốc Nam", "Bùi Ngọc Hà") if n in text}

    assert names({}) == {"Hồ Thanh Mai", "Đỗ Quốc Nam", "Bùi Ngọc Hà"}
    assert names({"status": "submitted"}) == {"Đỗ Quốc Nam"}
    assert names({"unit": sontinh.pk}) == {"Đỗ Quốc Nam"}
    assert names({"course": course("III.1.1").pk}) == {"Bùi Ngọc Hà"}
    assert names({"program": cao_cap.course.program_id}) == {"Hồ Thanh Mai", "Đỗ Quốc Nam"}
    assert names({"year": 2021, "status": "approved"}) == set()
    assert client.get(url, {"year": 1999}).status_code == 404


def test_eligibility_filter_and_explanations_in_the_list(client, btc_user, unit_a_user):
    old = PersonFactory(
        full_name="Lê Thị Hòa",
        date_of_birth=datetime.date(1975, 1, 1),
        service_start_date=datetime.date(2000, 1, 1),
    )
    young = PersonFactory(full_name="Trần Văn Bình", service_start_date=datetime.date(2005, 1, 1))
    for person in (old, young):
        services.nomination_create(
            actor=unit_a_user,
            person=person,
            course=course("II.4.1"),
            training_months=24,
            commitment_months=48,
        )
    client_for(client, btc_user)
    warn = page_text(client.get(reverse("nomination_list"), {"flag": "warn"}))
    assert "Lê Thị Hòa" in warn and "Trần Văn Bình" not in warn
    assert "Có cảnh báo chưa được chấp nhận" in warn
    assert (
        "Cảnh báo: Không quá 40 tuổi tính từ thời điểm được cử đi đào tạo sau đại học lần đầu "
        "(không áp dụng khi không phải lần đầu: người thẩm định ghi lý do chấp nhận) — 46 tuổi "
        "trong năm 2021; yêu cầu không quá 40 tuổi (Căn cứ: Nghị định 101/2017/NĐ-CP ngày "
        "01/09/2017 của Chính phủ, Điều 6 khoản 2 điểm b)."
    ) in warn
    ok = page_text(client.get(reverse("nomination_list"), {"flag": "ok"}))
    assert "Trần Văn Bình" in ok and "Lê Thị Hòa" not in ok


def test_list_paginates(client, btc_user, cao_cap):
    for index in range(55):
        NominationFactory(
            person=PersonFactory(full_name=f"Nguyễn Văn Tên {index:02d}"), quota_line=cao_cap
        )
    client_for(client, btc_user)
    first = client.get(reverse("nomination_list"))
    assert first.context["page"].paginator.count == 55
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("nomination_list"), {"page": 2, "status": "draft"})
    assert len(second.context["page"].object_list) == 5
    assert "Trang 2 / 2" in page_text(second)


def _fill(count, lines):
    """Nominations in every listed state, the returned and rejected ones with the transition
    whose reason the list shows."""
    statuses = [S.DRAFT, S.SUBMITTED, S.VERIFIED, S.RETURNED, S.REJECTED]
    for index in range(count):
        nomination = NominationFactory(
            person=PersonFactory(),
            quota_line=lines[index % len(lines)],
            status=statuses[index % len(statuses)],
            eligibility_flag="ok",
            eligibility_details=[VERDICT_OK],
        )
        if nomination.status in (S.RETURNED, S.REJECTED):
            NominationTransition.objects.create(
                nomination=nomination,
                from_status=S.SUBMITTED,
                to_status=nomination.status,
                reason=f"Lý do số {index}",
            )


def test_list_shows_the_reason_of_the_last_return_or_rejection(
    client, btc_user, unit_a_user, cao_cap
):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=2)
    nomination = NominationFactory(person=PersonFactory(full_name="Võ Thị Lan"), quota_line=cao_cap)
    services.nomination_set_status(nomination=nomination, to_status=S.SUBMITTED, actor=unit_a_user)
    services.nomination_return(actor=btc_user, nomination=nomination, reason="Thiếu bằng cấp")
    services.nomination_set_status(nomination=nomination, to_status=S.SUBMITTED, actor=unit_a_user)
    services.nomination_return(actor=btc_user, nomination=nomination, reason="Thiếu ảnh 3x4")
    client_for(client, unit_a_user)
    text = page_text(client.get(reverse("nomination_list"), {"status": "returned"}))
    assert "Võ Thị Lan" in text
    assert "Lý do: Thiếu ảnh 3x4" in text and "Thiếu bằng cấp" not in text


@pytest.mark.parametrize("persona", ["btc_user", "unit_a_user"])
def test_list_query_count_is_the_same_at_10_and_200_rows(
    request, client, persona, plan_2021, django_assert_num_queries
):
    client_for(client, request.getfixturevalue(persona))
    lines = [line("II.1.1-2"), line("II.3.1-1"), line("III.3.5-1")]
    url = reverse("nomination_list")
    _fill(10, lines)
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _fill(190, lines)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 200
    assert len(response.context["page"].object_list) == 50


# Detail ------------------------------------------------------------------------------------


def test_detail_shows_transitions_verdicts_and_the_users_actions(
    client, btc_user, unit_a_user, cao_cap
):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=1)
    nomination = services.nomination_create(
        actor=unit_a_user,
        person=PersonFactory(full_name="Đặng Thị Mai"),
        course=cao_cap.course,
        quota_line=cao_cap,
    )
    services.nomination_submit(actor=unit_a_user, nomination=nomination)
    services.nomination_return(actor=btc_user, nomination=nomination, reason="Thiếu lý lịch")
    btc_user.first_name = "Cán bộ BTC"
    btc_user.save()
    text = page_text(client_for(client, btc_user).get(nomination.get_absolute_url()))
    assert "Trả lại để bổ sung" in text
    assert "Cán bộ BTC Đã gửi Trả lại để bổ sung Thiếu lý lịch" in text
    assert (
        "Đạt: Chưa có bằng cao cấp hoặc cử nhân lý luận chính trị — Trình độ lý luận chính trị "
        "hiện có: trung cấp (Căn cứ: Công văn 4741-CV/BTCTW ngày 20/05/2013 của Ban Tổ chức "
        "Trung ương"
    ) in text
    # BTC reviews (reject) and also acts for units (send again), but cannot verify a returned one.
    assert "Không chấp thuận" in text and "Gửi duyệt" in text and "Thẩm định đạt" not in text
    unit_text = page_text(client_for(client, unit_a_user).get(nomination.get_absolute_url()))
    assert "Gửi duyệt" in unit_text and "Sửa hồ sơ" in unit_text
    assert "Thẩm định đạt" not in unit_text


def test_detail_shows_reserve_order_and_promotion(client, btc_user, unit_a_user, cao_cap):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=1)
    holder = NominationFactory(quota_line=cao_cap, status=S.SUBMITTED)
    first, second = NominationFactory(quota_line=cao_cap), NominationFactory(quota_line=cao_cap)
    services.nomination_reserve(actor=unit_a_user, nomination=first)
    services.nomination_reserve(actor=unit_a_user, nomination=second)
    client_for(client, unit_a_user)
    assert "Thứ tự dự bị của đơn vị trên dòng chỉ tiêu: 2" in page_text(
        client.get(second.get_absolute_url())
    )
    response = client.post(
        reverse("nomination_action", args=[holder.pk, "withdraw"]), {"reason": "Chuyển công tác"}
    )
    assert messages_of(response)[-1] == (
        f"Chỉ tiêu được trả lại đã chuyển cho hồ sơ dự bị đầu tiên của đơn vị: {first.person} "
        "(nay ở trạng thái “Đã gửi”)."
    )
    text = page_text(client.get(first.get_absolute_url()))
    assert "Dự bị Đã gửi Tự động chuyển từ danh sách dự bị khi có chỉ tiêu trống" in text
    listing = page_text(client.get(reverse("nomination_list")))
    assert "Tự động chuyển từ danh sách dự bị" in listing
    assert "Thứ tự dự bị của đơn vị trên dòng chỉ tiêu: 1" in page_text(
        client.get(second.get_absolute_url())
    )


# Create and edit ---------------------------------------------------------------------------


def test_unit_form_offers_only_its_own_people(client, unit_a_user):
    PersonFactory(full_name="Huỳnh Văn Phúc")
    PersonFactory(full_name="Võ Thị Lan", organisation=unit("huyen-uy-son-tinh"))
    response = client_for(client, unit_a_user).get(reverse("nomination_create"))
    people = list(response.context["form"].fields["person"].queryset)
    assert [p.full_name for p in people] == ["Huỳnh Văn Phúc"]
    text = page_text(response)
    assert "Dưới 40 tuổi (tính theo năm kế hoạch)" in text  # rules explained on the form


def test_unit_cannot_post_another_units_person(client, unit_a_user, cao_cap):
    other = PersonFactory(organisation=unit("huyen-uy-son-tinh"))
    response = client_for(client, unit_a_user).post(
        reverse("nomination_create"), {"person": other.pk, "target": f"line-{cao_cap.pk}"}
    )
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in page_text(response)
    assert not Nomination.objects.exists()


def test_unit_creates_and_submits_from_the_form(client, unit_a_user, cao_cap):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=1)
    person = PersonFactory()
    client_for(client, unit_a_user)
    response = client.post(
        reverse("nomination_create"),
        {"person": person.pk, "target": f"line-{cao_cap.pk}", "save_submit": "1"},
    )
    nomination = Nomination.objects.get()
    assert response["Location"] == nomination.get_absolute_url()
    assert nomination.status == S.SUBMITTED
    assert messages_of(response)[1].startswith("Gửi duyệt: hồ sơ của")


def test_check_button_explains_without_saving(client, unit_a_user):
    person = PersonFactory(date_of_birth=datetime.date(1970, 1, 1))
    response = client_for(client, unit_a_user).post(
        reverse("nomination_create"),
        {"person": person.pk, "target": f"line-{line('III.3.7-1').pk}", "check": "1"},
    )
    text = page_text(response)
    assert "Kết quả kiểm tra điều kiện: không đạt điều kiện" in text
    assert (
        "Không đạt: Dưới 40 tuổi (tính theo năm kế hoạch) — 51 tuổi trong năm 2021; yêu cầu "
        "dưới 40 tuổi (Căn cứ:"
    ) in text
    assert not Nomination.objects.exists()


def test_blocked_nomination_shows_the_reason_and_saves_nothing(client, unit_a_user):
    person = PersonFactory(theory_level="trung_cap")
    response = client_for(client, unit_a_user).post(
        reverse("nomination_create"),
        {"person": person.pk, "target": f"line-{line('II.3.1-1').pk}", "save": "1"},
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Không đạt điều kiện: Chưa có bằng trung cấp lý luận chính trị trở lên" in text
    assert not Nomination.objects.exists()


def test_btc_picks_unit_and_person_in_one_step(client, btc_user, cao_cap):
    sontinh = unit("huyen-uy-son-tinh")
    person = PersonFactory(full_name="Trần Quốc Cường", organisation=sontinh)
    binhson_person = PersonFactory(full_name="Lê Văn Cường")
    client_for(client, btc_user)
    # Every unit's people, found by name in the picker; ?unit= narrows to one unit.
    people = client.get(reverse("nomination_create")).context["form"].fields["person"].queryset
    assert set(people) >= {person, binhson_person}
    response = client.get(reverse("nomination_create"), {"unit": sontinh.code})
    assert list(response.context["form"].fields["person"].queryset) == [person]
    from_person_page = client.get(reverse("nomination_create"), {"person": person.pk})
    assert from_person_page.context["unit"] == sontinh
    assert "Trần Quốc Cường — sinh" in from_person_page.content.decode()  # the chosen person
    client.post(
        reverse("nomination_create"),
        {"person": person.pk, "target": f"line-{cao_cap.pk}", "save": "1"},
    )
    assert Nomination.objects.get().unit == sontinh


def test_picker_finds_people_without_diacritics_scoped_to_the_user(
    client, btc_user, unit_a_user, unit_b_user, cao_cap
):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=5)
    thanh = PersonFactory(
        full_name="Nguyễn Văn Thành",
        position="Phó Chánh Văn phòng",
        date_of_birth=datetime.date(1985, 3, 5),
    )
    PersonFactory(full_name="Nguyễn Văn Thịnh", organisation=unit("huyen-uy-son-tinh"))
    PersonFactory(full_name="Nguyễn Thị Thu")
    url = reverse("nomination_people")

    def names(user, query, **extra):
        data = client_for(client, user).get(url, {"q": query, "year": 2021, **extra}).json()
        return [row["name"] for row in data["results"]], data

    found, data = names(unit_a_user, "nguyen van th")
    assert found == ["Nguyễn Văn Thành"]  # only its own people
    row = data["results"][0]
    assert row == {
        "id": thanh.pk,
        "label": "Nguyễn Văn Thành — sinh 05/03/1985 — Phó Chánh Văn phòng — "
        + (thanh.organisation.short_name or thanh.organisation.name),
        "name": "Nguyễn Văn Thành",
        "unit": "Huyện ủy Bình Sơn",
        "birth": "05/03/1985",
        "position": "Phó Chánh Văn phòng",
        "seats": row["seats"],
    }
    assert row["seats"][f"line-{cao_cap.pk}"] == "đơn vị còn 5/5 chỉ tiêu"
    assert names(unit_b_user, "NGUYEN van th")[0] == ["Nguyễn Văn Thịnh"]
    assert sorted(names(btc_user, "nguyen van th")[0]) == ["Nguyễn Văn Thành", "Nguyễn Văn Thịnh"]
    assert names(btc_user, "nguyen van th", unit="huyen-uy-son-tinh")[0] == ["Nguyễn Văn Thịnh"]
    assert names(btc_user, "")[0] == []


def test_quota_choice_shows_the_units_seats_left(client, unit_a_user, cao_cap):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=5)
    NominationFactory(quota_line=cao_cap, person=PersonFactory(), status=S.SUBMITTED)
    response = client_for(client, unit_a_user).get(reverse("nomination_create"))
    html = response.content.decode()
    assert "(đơn vị còn 4/5 chỉ tiêu)" in html
    assert "(56 chỉ tiêu)" not in html
    assert "---------" not in html


def test_edit_changes_a_draft_and_refuses_after_submission(client, unit_a_user, nomination):
    client_for(client, unit_a_user)
    other_line = line("II.1.1-3")
    response = client.post(
        reverse("nomination_edit", args=[nomination.pk]),
        {"target": other_line.pk, "note": "Đổi sang hệ không tập trung"},
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.quota_line == other_line
    Nomination.objects.filter(pk=nomination.pk).update(status=S.SUBMITTED)
    response = client.get(reverse("nomination_edit", args=[nomination.pk]))
    assert response.status_code == 302
    assert "chỉ hồ sơ dự thảo hoặc bị trả lại" in messages_of(response)[-1]


# Actions -------------------------------------------------------------------------------------


def test_return_needs_a_reason_on_the_page(client, btc_user, cao_cap):
    nomination = NominationFactory(quota_line=cao_cap, status=S.SUBMITTED)
    client_for(client, btc_user)
    url = reverse("nomination_action", args=[nomination.pk, "return"])
    assert "Lý do" in page_text(client.get(url))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED
    response = client.post(url, {"reason": "Thiếu bản kê khai"})
    assert response.status_code == 302
    assert Nomination.objects.get(pk=nomination.pk).status == S.RETURNED


def test_refused_action_says_why(client, unit_a_user, cao_cap):
    nomination = NominationFactory(quota_line=cao_cap, status=S.SUBMITTED)
    client_for(client, unit_a_user)
    response = client.post(reverse("nomination_action", args=[nomination.pk, "verify"]))
    assert response.status_code == 302
    assert messages_of(response) == [
        "Chỉ Ban Tổ chức Tỉnh ủy thẩm định, phê duyệt hồ sơ của khóa này "
        "(Khối Đảng, Mặt trận, đoàn thể)."
    ]
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


def test_seat_refusal_reaches_the_user(client, unit_a_user, nomination):
    client_for(client, unit_a_user)
    response = client.post(reverse("nomination_action", args=[nomination.pk, "submit"]))
    assert messages_of(response) == [
        "Gửi duyệt không thực hiện được: Huyện ủy Bình Sơn chưa được phân bổ chỉ tiêu trên dòng "
        "“II.1.1-2 Học viện Chính trị khu vực III, tập trung” nên chưa thể gửi hồ sơ."
    ]


def test_unknown_action_is_404(client, btc_user, nomination):
    client_for(client, btc_user)
    assert (
        client.get(reverse("nomination_action", args=[nomination.pk, "delete"])).status_code == 404
    )


def test_override_then_verify_through_the_screens(client, btc_user, unit_a_user):
    person = PersonFactory(date_of_birth=datetime.date(1975, 1, 1))
    nomination = services.nomination_create(
        actor=unit_a_user,
        person=person,
        course=course("II.4.1"),
        training_months=24,
        commitment_months=48,
    )
    services.nomination_submit(actor=unit_a_user, nomination=nomination)
    client_for(client, btc_user)
    response = client.post(reverse("nomination_action", args=[nomination.pk, "verify"]))
    assert "Còn cảnh báo điều kiện chưa được chấp nhận" in messages_of(response)[0]
    detail = page_text(client.get(nomination.get_absolute_url()))
    assert "Chấp nhận cảnh báo điều kiện" in detail
    client.post(
        reverse("nomination_action", args=[nomination.pk, "override"]),
        {"reason": "Lần thứ hai đi học sau đại học"},
    )
    client.post(reverse("nomination_action", args=[nomination.pk, "verify"]))
    assert Nomination.objects.get(pk=nomination.pk).status == S.VERIFIED
    detail = page_text(client.get(nomination.get_absolute_url()))
    assert "Lý do chấp nhận cảnh báo: Lần thứ hai đi học sau đại học" in detail
    assert "Cảnh báo đã được chấp nhận" in detail


# Bulk --------------------------------------------------------------------------------------


def test_bulk_submit_confirms_then_reports_counts_and_refusals(client, unit_a_user, cao_cap):
    AllocationFactory(quota_line=cao_cap, unit=unit("huyen-uy-binh-son"), count=1)
    first = NominationFactory(person=PersonFactory(full_name="Lê Văn Một"), quota_line=cao_cap)
    second = NominationFactory(person=PersonFactory(full_name="Lê Văn Hai"), quota_line=cao_cap)
    approved = NominationFactory(
        person=PersonFactory(full_name="Lê Văn Ba"), quota_line=cao_cap, status=S.APPROVED
    )
    client_for(client, unit_a_user)
    data = {
        "action": "submit",
        "ids": [first.pk, second.pk, approved.pk],
        "next": "/nominations/?status=draft",
    }
    confirm = client.post(reverse("nomination_bulk"), data)
    assert confirm.status_code == 200
    text = page_text(confirm)
    assert "Xác nhận: gửi duyệt 3 hồ sơ đã chọn" in text
    assert "Không thực hiện được: Hồ sơ đang ở trạng thái “Đã duyệt”" in text
    assert Nomination.objects.filter(status=S.SUBMITTED).count() == 0
    response = client.post(reverse("nomination_bulk"), {**data, "confirm": "1"})
    assert response["Location"] == "/nominations/?status=draft"
    messages = messages_of(response)
    # Approved holds the only seat: nothing fits.
    assert messages[0] == "Gửi duyệt: đã thực hiện 0 hồ sơ; không thực hiện được 3 hồ sơ."
    assert any(
        m.startswith("Lê Văn Một — Cao cấp lý luận chính trị: Huyện ủy Bình Sơn đã dùng hết")
        for m in messages
    )
    Nomination.objects.filter(pk=approved.pk).update(status=S.WITHDRAWN)
    response = client.post(reverse("nomination_bulk"), {**data, "confirm": "1"})
    assert "Gửi duyệt: đã thực hiện 1 hồ sơ; không thực hiện được 2 hồ sơ." in messages_of(response)


def test_bulk_verify_and_approve_by_btc(client, btc_user, cao_cap):
    nominations = [NominationFactory(quota_line=cao_cap, status=S.SUBMITTED) for _ in range(3)]
    client_for(client, btc_user)
    ids = [n.pk for n in nominations]
    response = client.post(
        reverse("nomination_bulk"), {"action": "verify", "ids": ids, "confirm": "1"}
    )
    assert messages_of(response) == ["Thẩm định đạt: đã thực hiện 3 hồ sơ."]
    client.post(reverse("nomination_bulk"), {"action": "approve", "ids": ids, "confirm": "1"})
    assert set(Nomination.objects.values_list("status", flat=True)) == {S.APPROVED}


def test_unit_cannot_bulk_verify(client, unit_a_user, cao_cap):
    nomination = NominationFactory(quota_line=cao_cap, status=S.SUBMITTED)
    client_for(client, unit_a_user)
    response = client.post(
        reverse("nomination_bulk"),
        {
            "action": "verify",
            "ids": [nomination.pk],
            "confirm": "1",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("nomination_list")
    assert messages_of(response) == ["Thao tác hàng loạt không hợp lệ với tài khoản của bạn."]
    assert Nomination.objects.get(pk=nomination.pk).status == S.SUBMITTED


def test_nav_link(client, unit_a_user):
    response = client_for(client, unit_a_user).get(reverse("nomination_list"))
    assert (
        f'<a class="nav-link active" aria-current="page" href="{reverse("nomination_list")}">'
        "Cử đi đào tạo</a>" in response.content.decode()
    )
