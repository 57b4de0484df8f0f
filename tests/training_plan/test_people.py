"""People (cán bộ, công chức, viên chức): services, forms, pages for every role, search, order,
identity masking and query counts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotas.models import Nomination
from tests.factories import CourseFactory, PersonFactory
from tests.fixture_2021 import BINH_SON, SON_TINH, party_course, unit
from tests.helpers import client_for, page_text
from training_plan.forms import PersonForm
from training_plan.models import Person
from training_plan.services import person_create, person_update

pytestmark = pytest.mark.django_db


def person_data(**overrides):
    data = {
        "full_name": "Trần Thị Thu Hà",
        "date_of_birth": dt.date(1988, 5, 17),
        "gender": Person.Gender.FEMALE,
        "organisation": unit(BINH_SON),
        "position": "Chuyên viên Ban Tổ chức Huyện ủy",
        "manager_level": "",
        "category": Person.Category.CIVIL_SERVANT,
        "rank": Person.Rank.EXPERT,
        "theory_level": Person.TheoryLevel.INTERMEDIATE,
        "professional_level": "Cử nhân Luật",
        "foreign_language_level": "Tiếng Anh bậc 2",
        "planned_positions": "",
        "service_start_date": dt.date(2011, 8, 1),
        "identity_number": "051188001234",
    }
    return data | overrides


def form_post(**overrides):
    """What a browser posts for person_data()."""
    data = person_data(**overrides)
    post = {}
    for name, value in data.items():
        if isinstance(value, dt.date):
            value = value.strftime("%d/%m/%Y")
        elif hasattr(value, "pk"):
            value = value.pk
        post[name] = value
    return post


# --- services ------------------------------------------------------------------------------


def test_person_create_by_unit_forces_its_own_unit(unit_a_user):
    person = person_create(actor=unit_a_user, data=person_data(organisation=unit(SON_TINH)))
    assert person.organisation.code == BINH_SON
    assert person.search_name == "tran thi thu ha"
    assert person.history.get().history_user == unit_a_user


def test_person_create_refused_to_leadership(leader_user):
    with pytest.raises(PermissionDenied):
        person_create(actor=leader_user, data=person_data())
    assert not Person.objects.exists()


def test_person_update_refuses_another_units_person(unit_b_user):
    person = PersonFactory(organisation=unit(BINH_SON), position="")
    with pytest.raises(PermissionDenied):
        person_update(actor=unit_b_user, person=person, data={"position": "X"})
    person.refresh_from_db()
    assert person.position == ""


def test_person_update_by_unit_cannot_move_person_away(unit_a_user):
    person = PersonFactory(organisation=unit(BINH_SON))
    changed = person_update(
        actor=unit_a_user,
        person=person,
        data={"organisation": unit(SON_TINH), "position": "Phó Chánh Văn phòng"},
    )
    person.refresh_from_db()
    assert changed == ["position"]
    assert person.organisation.code == BINH_SON


def test_person_update_without_change_writes_nothing(btc_user):
    person = PersonFactory(position="Chuyên viên")
    assert person_update(actor=btc_user, person=person, data={"position": "Chuyên viên"}) == []
    assert person.history.count() == 1


def test_person_update_by_btc_moves_person_and_records_who(btc_user):
    person = PersonFactory(organisation=unit(BINH_SON))
    changed = person_update(actor=btc_user, person=person, data={"organisation": unit(SON_TINH)})
    assert changed == ["organisation"]
    latest = person.history.first()
    assert latest.history_user == btc_user
    assert latest.organisation_id == unit(SON_TINH).pk


# --- forms ---------------------------------------------------------------------------------


def test_form_of_unit_user_has_no_organisation(unit_a_user, btc_user):
    assert "organisation" not in PersonForm(user=unit_a_user).fields
    choices = PersonForm(user=btc_user).fields["organisation"].queryset
    assert set(choices.values_list("kind", flat=True)) == {"unit"}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("identity_number", "12345", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ("identity_number", "05118800123a", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ("full_name", "Hà", "Vui lòng nhập đầy đủ họ và tên (ít nhất hai từ)."),
        ("full_name", "", "Vui lòng nhập họ và tên."),
        (
            "date_of_birth",
            "31/02/1985",
            "Ngày 31/02/1985 không tồn tại: tháng 2 năm 1985 chỉ có 28 ngày.",
        ),
        ("date_of_birth", "30/02/1988", "tháng 2 năm 1988 chỉ có 29 ngày."),
        ("service_start_date", "31/04/2008", "Ngày 31/04/2008 không tồn tại"),
        ("date_of_birth", "5 tháng 3", "Ngày sinh không hợp lệ: nhập theo dạng ngày/tháng/năm"),
        ("date_of_birth", "", "Vui lòng nhập ngày sinh."),
        ("service_start_date", "01/01/1980", "Ngày vào công tác phải sau ngày sinh."),
        ("date_of_birth", "01/01/0001", "Ngày sinh phải từ 01/01/1900 đến hôm nay."),
        ("date_of_birth", "31/12/9999", "Ngày sinh phải từ 01/01/1900 đến hôm nay."),
        ("service_start_date", "01/01/9999", "Ngày vào công tác phải từ 01/01/1900 đến hôm nay."),
    ],
)
def test_form_refuses_bad_input_in_vietnamese(btc_user, field, value, message):
    form = PersonForm(data=form_post() | {field: value}, user=btc_user)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field])


def test_form_reads_vietnamese_dates(btc_user):
    form = PersonForm(
        data=form_post() | {"date_of_birth": "05/03/1985", "identity_number": "051185001234"},
        user=btc_user,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == dt.date(1985, 3, 5)


# --- pages, per role -----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, plan_2021):
    person = PersonFactory()
    for url in [
        reverse("person_list"),
        reverse("person_create"),
        reverse("person_detail", args=[person.pk]),
        reverse("person_edit", args=[person.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# Who sees whose people: BTC, SNV and leadership every unit's, a unit its own.
SEES = {
    "btc_user": {BINH_SON, SON_TINH},
    "snv_user": {BINH_SON, SON_TINH},
    "leader_user": {BINH_SON, SON_TINH},
    "unit_a_user": {BINH_SON},
    "unit_b_user": {SON_TINH},
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_list_shows_each_user_the_people_it_may_see(client, request, persona):
    PersonFactory(full_name="Lê Văn Bình Sơn", organisation=unit(BINH_SON))
    PersonFactory(full_name="Lê Văn Sơn Tịnh", organisation=unit(SON_TINH))
    response = client_for(client, request.getfixturevalue(persona)).get(reverse("person_list"))
    text = page_text(response)
    assert ("Lê Văn Bình Sơn" in text) == (BINH_SON in SEES[persona])
    assert ("Lê Văn Sơn Tịnh" in text) == (SON_TINH in SEES[persona])


@pytest.mark.parametrize(
    "persona, detail, edit, create",
    [
        ("btc_user", 200, 200, 200),
        ("snv_user", 200, 200, 200),
        ("leader_user", 200, 403, 403),  # reads, never writes
        ("unit_a_user", 200, 200, 200),
        ("unit_b_user", 404, 404, 200),
        ("admin_user_2021", 200, 200, 200),
    ],
)
def test_person_pages_answer_by_role(client, request, persona, detail, edit, create):
    user = request.getfixturevalue(persona)
    person = PersonFactory(organisation=unit(BINH_SON))
    client_for(client, user)
    assert client.get(reverse("person_detail", args=[person.pk])).status_code == detail
    assert client.get(reverse("person_edit", args=[person.pk])).status_code == edit
    assert client.get(reverse("person_create")).status_code == create
    response = client.post(reverse("person_edit", args=[person.pk]), form_post(position="Mới"))
    assert response.status_code == (302 if edit == 200 else edit)


def test_leadership_cannot_create_by_post(client, leader_user):
    response = client_for(client, leader_user).post(reverse("person_create"), form_post())
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_unit_b_cannot_post_to_unit_a_person(client, unit_b_user):
    person = PersonFactory(organisation=unit(BINH_SON), position="Cũ")
    response = client_for(client, unit_b_user).post(
        reverse("person_edit", args=[person.pk]), form_post(position="Mới")
    )
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.position == "Cũ"


def test_unit_creates_person_in_its_own_unit(client, unit_a_user):
    client_for(client, unit_a_user)
    response = client.post(
        reverse("person_create"), form_post(organisation=unit(SON_TINH)), follow=True
    )
    person = Person.objects.get()
    assert person.organisation.code == BINH_SON
    assert response.redirect_chain[-1][0] == reverse("person_detail", args=[person.pk])
    assert "Đã thêm cán bộ Trần Thị Thu Hà." in page_text(response)


def test_btc_creates_person_for_any_unit(client, btc_user):
    client_for(client, btc_user).post(
        reverse("person_create"), form_post(organisation=unit(SON_TINH))
    )
    assert Person.objects.get().organisation.code == SON_TINH


def test_bad_input_changes_nothing_and_says_why(client, btc_user):
    response = client_for(client, btc_user).post(
        reverse("person_create"), form_post(identity_number="123", date_of_birth="32/13/1990")
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Chưa lưu được" in text
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in text
    assert "Ngày 32/13/1990 không tồn tại: tháng chỉ từ 1 đến 12." in text
    assert not Person.objects.exists()


def test_edit_is_kept_in_history_with_old_and_new(client, snv_user):
    person = PersonFactory(position="Chuyên viên", theory_level="")
    client_for(client, snv_user).post(
        reverse("person_edit", args=[person.pk]),
        form_post(
            full_name=person.full_name,
            position="Phó Trưởng phòng",
            theory_level=Person.TheoryLevel.ADVANCED,
        ),
    )
    text = page_text(client.get(reverse("person_detail", args=[person.pk])))
    assert "Chức vụ: Chuyên viên → Phó Trưởng phòng" in text
    assert "Trình độ lý luận chính trị: — → Cao cấp" in text
    assert "snv_test" in text


def test_detail_lists_nominations_of_every_plan_year(client, btc_user, plan_2021):
    person = PersonFactory()
    course_2021 = party_course(plan_2021)
    course_2022 = CourseFactory(
        program__section__plan__year=2022,
        program__kind="qp_an",
        program__name="Quốc phòng",
        name="Khóa QP-AN 2022",
    )
    for course, status in [(course_2021, "completed"), (course_2022, "submitted")]:
        Nomination.objects.create(
            person=person, course=course, unit=person.organisation, status=status
        )
    response = client_for(client, btc_user).get(reverse("person_detail", args=[person.pk]))
    text = page_text(response)
    assert text.index("2022 Khóa QP-AN 2022") < text.index("2021 Trung cấp lý luận chính trị")
    assert "Hoàn thành" in text and "Đã gửi" in text


# --- search, order, filters, pagination ----------------------------------------------------


def listed_names(response):
    return [person.full_name for person in response.context["page"]]


@pytest.mark.parametrize(
    "query", ["nguyen van a", "NGUYEN VAN A", "Nguyễn Văn A", "nguyễn  VĂN a", "van a"]
)
def test_search_ignores_diacritics_and_case(client, btc_user, query):
    PersonFactory(full_name="Nguyễn Văn A")
    PersonFactory(full_name="Nguyễn Thị Bích")
    response = client_for(client, btc_user).get(reverse("person_list"), {"q": query})
    assert listed_names(response) == ["Nguyễn Văn A"]


@pytest.mark.parametrize("query", ["đức", "ĐỨC", "duc", "DUC", "Đinh Đức"])
def test_search_matches_d_and_dj(client, btc_user, query):
    PersonFactory(full_name="Đinh Văn Đức")
    PersonFactory(full_name="Lê Văn Dũng")
    response = client_for(client, btc_user).get(reverse("person_list"), {"q": query})
    assert listed_names(response) == ["Đinh Văn Đức"]


def test_search_of_unit_user_stays_in_its_unit(client, unit_b_user):
    PersonFactory(full_name="Nguyễn Văn A", organisation=unit(BINH_SON))
    response = client_for(client, unit_b_user).get(reverse("person_list"), {"q": "nguyen van a"})
    assert listed_names(response) == []


def test_list_sorts_names_the_vietnamese_way(client, btc_user):
    # Letters of the given name first (a < ă < â < b … d < đ), then of the family and middle
    # names; tones decide only between names whose letters are all equal.
    for name in [
        "Đinh Văn Đạt",
        "Trần Văn An",
        "Lê Thị Ân",
        "Bùi Văn An",
        "Đỗ Văn Dũng",
        "Phạm Văn Bình",
        "Hồ Thị Ăn",
        "Ngô Thị Án",
    ]:
        PersonFactory(full_name=name)
    response = client_for(client, btc_user).get(reverse("person_list"))
    assert listed_names(response) == [
        "Bùi Văn An",
        "Ngô Thị Án",
        "Trần Văn An",
        "Hồ Thị Ăn",
        "Lê Thị Ân",
        "Phạm Văn Bình",
        "Đỗ Văn Dũng",
        "Đinh Văn Đạt",
    ]


def test_filters_by_unit_category_rank_theory_and_manager_level(client, btc_user):
    PersonFactory(
        full_name="Võ Văn Một",
        organisation=unit(BINH_SON),
        category="can_bo",
        rank="chuyen_vien_chinh",
        theory_level="cao_cap",
        manager_level="huyen",
    )
    PersonFactory(
        full_name="Võ Văn Hai",
        organisation=unit(SON_TINH),
        category="cong_chuc",
        rank="chuyen_vien",
        theory_level="",
        manager_level="",
    )
    client_for(client, btc_user)
    url = reverse("person_list")
    cases = [
        ({"organisation": unit(SON_TINH).pk}, ["Võ Văn Hai"]),
        ({"category": "can_bo"}, ["Võ Văn Một"]),
        ({"rank": "chuyen_vien"}, ["Võ Văn Hai"]),
        ({"theory_level": "cao_cap"}, ["Võ Văn Một"]),
        ({"theory_level": "-"}, ["Võ Văn Hai"]),
        ({"manager_level": "huyen"}, ["Võ Văn Một"]),
        ({"manager_level": "-"}, ["Võ Văn Hai"]),
        ({"manager_level": "-", "category": "can_bo"}, []),
        ({}, ["Võ Văn Hai", "Võ Văn Một"]),
    ]
    for params, expected in cases:
        assert listed_names(client.get(url, params)) == expected, params


def test_list_paginates_by_fifty(client, btc_user):
    PersonFactory.create_batch(120)
    client_for(client, btc_user)
    first = client.get(reverse("person_list"))
    last = client.get(reverse("person_list"), {"page": 3})
    assert len(listed_names(first)) == 50
    assert len(listed_names(last)) == 20
    assert "Tìm thấy 120 người · trang 1/3." in page_text(first)
    assert set(listed_names(first)).isdisjoint(listed_names(last))


def test_pagination_keeps_the_filters(client, btc_user):
    PersonFactory.create_batch(60, category="vien_chuc")
    response = client_for(client, btc_user).get(reverse("person_list"), {"category": "vien_chuc"})
    assert "?category=vien_chuc&amp;page=2" in response.content.decode()


# --- identity numbers ----------------------------------------------------------------------

FULL, MASKED = "051188001234", "•••••••••234"


@pytest.mark.parametrize(
    "persona, in_list, on_page",
    [
        ("btc_user", FULL, FULL),
        ("snv_user", FULL, FULL),
        ("admin_user_2021", FULL, FULL),
        ("unit_a_user", MASKED, FULL),  # its own person: full on the page, masked in lists
        ("leader_user", MASKED, MASKED),  # reads the record, never the full number
    ],
)
def test_identity_number_is_masked_per_role(client, request, persona, in_list, on_page):
    user = request.getfixturevalue(persona)
    person = PersonFactory(identity_number=FULL, organisation=unit(BINH_SON))
    client_for(client, user)
    listed = page_text(client.get(reverse("person_list")))
    shown = page_text(client.get(reverse("person_detail", args=[person.pk])))
    assert in_list in listed
    assert on_page in shown
    if in_list == MASKED:
        assert FULL not in listed
    if on_page == MASKED:
        assert FULL not in shown


def test_leadership_reads_people_with_masked_identity_and_history(client, btc_user, leader_user):
    """Leadership decides who is sent: it reads the people (list, record, history) read-only,
    without the full identity number anywhere, and without the create and edit buttons."""
    person = PersonFactory(
        identity_number="",
        full_name="Võ Thị Kín",
        gender=Person.Gender.FEMALE,
        date_of_birth=dt.date(1988, 2, 1),
    )
    person_update(actor=btc_user, person=person, data={"identity_number": FULL})
    client_for(client, leader_user)
    for url in [person.get_absolute_url(), reverse("person_list")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Võ Thị Kín" in page_text(response)
        assert FULL not in page_text(response)
        assert MASKED in page_text(response)
        assert "Sửa hồ sơ" not in page_text(response)
        assert "Thêm cán bộ" not in page_text(response)


def test_leadership_cannot_change_a_person(client, leader_user):
    person = PersonFactory(full_name="Võ Thị Kín", position="Chuyên viên")
    client_for(client, leader_user)
    response = client.post(reverse("person_edit", args=[person.pk]), form_post(position="Mới"))
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.position == "Chuyên viên"
    with pytest.raises(PermissionDenied):
        person_update(actor=leader_user, person=person, data={"position": "Mới"})


# --- query counts --------------------------------------------------------------------------


LIST_PARAMS = {"q": "nguyen", "category": "cong_chuc"}


@pytest.mark.parametrize("persona", ["btc_user", "unit_a_user"])
def test_list_queries_do_not_grow_with_rows(client, request, django_assert_num_queries, persona):
    client_for(client, request.getfixturevalue(persona))
    PersonFactory.create_batch(10, organisation=unit(BINH_SON))
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("person_list"), LIST_PARAMS)
    assert len(listed_names(response)) == 10
    PersonFactory.create_batch(190, organisation=unit(BINH_SON))
    with django_assert_num_queries(len(small)):
        response = client.get(reverse("person_list"), LIST_PARAMS)
    assert len(listed_names(response)) == 50
    assert response.context["page"].paginator.count == 200


# --- PostgreSQL trigram index --------------------------------------------------------------


def test_search_name_has_a_trigram_index_that_serves_contains(postgres_only, btc_user):
    PersonFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'training_plan_person_search_name_trgm'"
        )
        (definition,) = cursor.fetchone()
        assert "gin_trgm_ops" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Person.objects.filter(search_name__contains="van thu").order_by().explain()
    assert "training_plan_person_search_name_trgm" in plan


def test_refusals_are_explained_in_vietnamese(client, leader_user, unit_b_user):
    person = PersonFactory(organisation=unit(BINH_SON))
    forbidden = client_for(client, leader_user).get(reverse("person_create"))
    assert "Tài khoản của bạn chỉ được xem, không được sửa hồ sơ cán bộ." in page_text(forbidden)
    missing = client_for(client, unit_b_user).get(person.get_absolute_url())
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in page_text(missing)
    assert person.full_name not in page_text(missing)


def test_invalid_edit_keeps_the_stored_record(client, btc_user):
    person = PersonFactory(full_name="Lê Văn Cũ", position="Chuyên viên")
    response = client_for(client, btc_user).post(
        reverse("person_edit", args=[person.pk]),
        form_post(full_name="Cũ", position="Trưởng phòng"),
    )
    assert response.status_code == 200
    assert "Sửa hồ sơ Lê Văn Cũ" in page_text(response)
    assert "Vui lòng nhập đầy đủ họ và tên (ít nhất hai từ)." in page_text(response)
    person.refresh_from_db()
    assert (person.full_name, person.position) == ("Lê Văn Cũ", "Chuyên viên")


def test_names_with_invisible_and_control_characters_are_stored_clean(unit_a_user):
    person = person_create(
        actor=unit_a_user,
        data=person_data(
            full_name="\u202eNguye\u0302\u0303n\u200b Văn\x00 Thành", position="Chuyên\u2066 viên"
        ),
    )
    person.refresh_from_db()
    assert person.full_name == "Nguyễn Văn Thành"
    assert person.position == "Chuyên viên"
    assert person.search_name == "nguyen van thanh"
