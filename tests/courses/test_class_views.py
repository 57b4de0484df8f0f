"""Class pages for every role: reading, managing one's own block, scoping of learners."""

import datetime

import pytest
from django.urls import reverse

from courses.models import TrainingClass
from quotas.models import Nomination
from tests.factories import NominationFactory, TrainingClassFactory, enrol_directly
from tests.fixture_2021 import SON_TINH, party_course, state_course, unit
from tests.helpers import PERSONAS, client_for, count_queries, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def classes(plan_2021):
    state = TrainingClassFactory(course=state_course(plan_2021), capacity=10, name="Lớp QLNN thử")
    party = TrainingClassFactory(
        course=party_course(plan_2021), capacity=10, name="Lớp Trung cấp thử"
    )
    return {"state": state, "party": party}


def urls_of(training_class):
    return {
        "detail": reverse("class_detail", args=[training_class.pk]),
        "edit": reverse("class_edit", args=[training_class.pk]),
        "cancel": reverse("class_cancel", args=[training_class.pk]),
        "line_new": reverse("budget_line_create", args=[training_class.pk]),
    }


def test_anonymous_goes_to_login(client, classes):
    urls = [reverse("class_list", args=[2021]), reverse("class_create", args=[2021])]
    urls += list(urls_of(classes["state"]).values())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/"), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_the_class_list_and_every_class(client, classes, persona, request):
    client_for(client, request.getfixturevalue(persona))
    response = client.get(reverse("class_list", args=[2021]))
    assert response.status_code == 200
    text = page_text(response)
    assert "Lớp QLNN thử" in text and "Lớp Trung cấp thử" in text
    for training_class in classes.values():
        assert client.get(urls_of(training_class)["detail"]).status_code == 200


# Expected status of GET pages that change a class: (role, block) → status.
MANAGE = {
    ("btc_user", "party"): 200,
    ("btc_user", "state"): 403,
    ("snv_user", "state"): 200,
    ("snv_user", "party"): 403,
    ("leader_user", "party"): 403,
    ("leader_user", "state"): 403,
    ("unit_a_user", "party"): 403,
    ("unit_a_user", "state"): 403,
    ("unit_b_user", "state"): 403,
}


@pytest.mark.parametrize(("persona", "block"), list(MANAGE))
def test_manage_pages_only_for_the_block_owner(client, classes, persona, block, request):
    client_for(client, request.getfixturevalue(persona))
    urls = urls_of(classes[block])
    for name in ("edit", "cancel", "line_new"):
        assert client.get(urls[name]).status_code == MANAGE[(persona, block)], name


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 200), ("snv_user", 200), ("leader_user", 403), ("unit_a_user", 403)],
)
def test_open_class_page_for_staff_only(client, plan_2021, persona, status, request):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("class_create", args=[2021])).status_code == status


def test_unknown_class_is_404(client, btc_user):
    client_for(client, btc_user)
    assert client.get(reverse("class_detail", args=[999999])).status_code == 404


def test_btc_reads_snv_class_without_manage_actions(client, btc_user, classes):
    client_for(client, btc_user)
    text = page_text(client.get(urls_of(classes["state"])["detail"]))
    assert "Lớp QLNN thử" in text
    assert "Sửa thông tin lớp" not in text
    assert "Xếp học viên vào lớp" not in text
    assert "Hủy lớp" not in text


@pytest.mark.parametrize("persona", ["btc_user", "leader_user", "unit_a_user"])
def test_only_the_block_owner_may_post_changes(client, classes, persona, request):
    course = state_course(classes["state"].course.program.section.plan)
    nomination = NominationFactory(course=course, status="approved")
    client_for(client, request.getfixturevalue(persona))
    training_class = classes["state"]
    posts = [
        (reverse("class_enrol", args=[training_class.pk]), {"nominations": [nomination.pk]}),
        (reverse("class_cancel", args=[training_class.pk]), {"reason": "x"}),
        (reverse("class_edit", args=[training_class.pk]), {"name": "Đổi tên"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    nomination.refresh_from_db()
    training_class.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert training_class.status == TrainingClass.Status.PLANNED
    assert training_class.name == "Lớp QLNN thử"


def test_units_see_only_their_own_learners(client, classes, unit_a_user, unit_b_user, snv_user):
    training_class = classes["state"]
    course = training_class.course
    from_a = NominationFactory(
        course=course, status="approved", person__full_name="Nguyễn Thị Bình Sơn"
    )
    from_b = NominationFactory(
        course=course, status="approved", person__full_name="Lê Văn Sơn Tịnh", unit=unit(SON_TINH)
    )
    enrol_directly(training_class, [from_a, from_b])
    url = urls_of(training_class)["detail"]

    client_for(client, unit_b_user)
    text = page_text(client.get(url))
    assert "Lê Văn Sơn Tịnh" in text
    assert "Nguyễn Thị Bình Sơn" not in text

    client_for(client, unit_a_user)
    text = page_text(client.get(url))
    assert "Nguyễn Thị Bình Sơn" in text
    assert "Lê Văn Sơn Tịnh" not in text

    client_for(client, snv_user)
    text = page_text(client.get(url))
    assert "Nguyễn Thị Bình Sơn" in text and "Lê Văn Sơn Tịnh" in text


def test_learners_sorted_by_given_name(client, classes, snv_user):
    training_class = classes["state"]
    names = ["Trần Văn Ánh", "Nguyễn Thị Bình", "Lê An", "Đỗ Văn Đức", "Phạm Dũng"]
    enrol_directly(
        training_class,
        [
            NominationFactory(course=training_class.course, status="approved", person__full_name=n)
            for n in names
        ],
    )
    client_for(client, snv_user)
    text = page_text(client.get(urls_of(training_class)["detail"]))
    section = text[text.index("Danh sách học viên") :]
    order = sorted(names, key=section.index)
    assert order == ["Lê An", "Trần Văn Ánh", "Nguyễn Thị Bình", "Phạm Dũng", "Đỗ Văn Đức"]


def test_snv_opens_a_class_in_the_browser_form(client, plan_2021, snv_user):
    client_for(client, snv_user)
    course = state_course(plan_2021)
    data = {
        "course": course.pk,
        "name": "Lớp lãnh đạo cấp sở khóa 2",
        "institution": course.quota_lines.first().institution_id,
        "start_date": "2021-10-04",
        "end_date": "2021-10-29",
        "capacity": "45",
        "planned_learners": "40",
        "funding_source": "ngan_sach_tinh",
        "status": "planned",
    }
    response = client.post(reverse("class_create", args=[2021]), data, follow=True)
    assert "Đã mở lớp “Lớp lãnh đạo cấp sở khóa 2”" in page_text(response)
    assert TrainingClass.objects.filter(name="Lớp lãnh đạo cấp sở khóa 2", capacity=45).exists()


def test_open_class_bad_input_explains_and_saves_nothing(client, plan_2021, snv_user):
    client_for(client, snv_user)
    before = TrainingClass.objects.count()
    response = client.post(
        reverse("class_create", args=[2021]),
        {
            "course": party_course(plan_2021).pk,  # not SNV's block
            "name": "",
            "start_date": "2021-10-04",
            "end_date": "2021-09-01",
            "capacity": "0",
            "funding_source": "ngan_sach_tinh",
            "status": "planned",
        },
    )
    text = page_text(response)
    assert response.status_code == 200
    assert "Bạn không được mở lớp cho khóa này." in text
    assert "Ngày bế giảng phải bằng hoặc sau ngày khai giảng." in text
    assert "Trường này là bắt buộc." in text
    assert TrainingClass.objects.count() == before


def test_bulk_and_single_enrolment_in_the_page(client, classes, snv_user):
    training_class = classes["state"]
    first, second, third = NominationFactory.create_batch(
        3, course=training_class.course, status="approved"
    )
    client_for(client, snv_user)
    url = reverse("class_enrol", args=[training_class.pk])
    response = client.post(url, {"nominations": [first.pk, second.pk]}, follow=True)
    assert "Đã xếp 2 học viên vào lớp." in page_text(response)
    response = client.post(url, {"single": third.pk, "nominations": [first.pk]}, follow=True)
    assert "Đã xếp 1 học viên vào lớp." in page_text(response)
    assert Nomination.objects.filter(training_class=training_class, status="enrolled").count() == 3


def test_enrolment_over_capacity_says_so(client, plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021), capacity=1)
    nominations = NominationFactory.create_batch(2, course=training_class.course, status="approved")
    client_for(client, snv_user)
    response = client.post(
        reverse("class_enrol", args=[training_class.pk]),
        {"nominations": [n.pk for n in nominations]},
        follow=True,
    )
    assert "Lớp chỉ còn 1 chỗ trống, không xếp được 2 học viên." in page_text(response)
    assert not Nomination.objects.filter(training_class=training_class).exists()


def test_enrolment_without_selection_says_so(client, classes, snv_user):
    client_for(client, snv_user)
    response = client.post(reverse("class_enrol", args=[classes["state"].pk]), {}, follow=True)
    assert "Chưa chọn học viên nào để xếp lớp." in page_text(response)


def test_cancel_says_how_many_learners_went_back(client, classes, snv_user):
    training_class = classes["state"]
    client_for(client, snv_user)
    client.post(
        reverse("class_enrol", args=[training_class.pk]),
        {
            "nominations": [
                n.pk
                for n in NominationFactory.create_batch(
                    3, course=training_class.course, status="approved"
                )
            ]
        },
    )
    response = client.post(
        reverse("class_cancel", args=[training_class.pk]), {"reason": "Không đủ"}, follow=True
    )
    assert (
        f"Đã hủy lớp “{training_class.name}”. 3 học viên được trả về trạng thái “Đã duyệt”"
        in page_text(response)
    )
    assert Nomination.objects.filter(course=training_class.course, status="approved").count() == 3


def test_results_page_records_results(client, plan_2021, snv_user):
    training_class = TrainingClassFactory(
        course=state_course(plan_2021), capacity=5, status="running"
    )
    done, failed = NominationFactory.create_batch(
        2, course=training_class.course, status="approved"
    )
    enrol_directly(training_class, [done, failed])
    client_for(client, snv_user)
    url = reverse("class_results", args=[training_class.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {f"result_{done.pk}": "completed", f"result_{failed.pk}": "not_completed"}
    )
    assert "Cần ghi lý do không hoàn thành." in page_text(response)
    failed.refresh_from_db()
    assert failed.status == "enrolled"
    response = client.post(
        url,
        {
            f"result_{done.pk}": "completed",
            f"result_{failed.pk}": "not_completed",
            f"reason_{failed.pk}": "Nghỉ quá thời gian quy định",
        },
        follow=True,
    )
    text = page_text(response)
    assert "Đã ghi kết quả học tập (2 học viên thay đổi)." in text
    assert "Hoàn thành" in text and "Lý do: Nghỉ quá thời gian quy định" in text


def test_results_page_waits_for_the_class_to_start(client, classes, snv_user):
    client_for(client, snv_user)
    response = client.get(reverse("class_results", args=[classes["state"].pk]), follow=True)
    assert "Chỉ ghi kết quả khi lớp đang học hoặc đã kết thúc" in page_text(response)


def test_class_list_queries_do_not_grow(client, plan_2021, btc_user, django_assert_num_queries):
    client_for(client, btc_user)
    url = reverse("class_list", args=[2021])
    course = state_course(plan_2021)
    TrainingClassFactory(course=course)
    small = count_queries(client, url)
    for _ in range(15):
        training_class = TrainingClassFactory(course=course, capacity=5)
        enrol_directly(
            training_class, NominationFactory.create_batch(2, course=course, status="approved")
        )
    with django_assert_num_queries(small):
        client.get(url)


def test_class_page_queries_do_not_grow(client, plan_2021, snv_user, django_assert_num_queries):
    client_for(client, snv_user)
    training_class = TrainingClassFactory(course=state_course(plan_2021), capacity=40)
    enrol_directly(
        training_class,
        NominationFactory.create_batch(1, course=training_class.course, status="approved"),
    )
    NominationFactory.create_batch(1, course=training_class.course, status="approved")
    url = reverse("class_detail", args=[training_class.pk])
    small = count_queries(client, url)
    enrol_directly(
        training_class,
        NominationFactory.create_batch(20, course=training_class.course, status="approved"),
    )
    NominationFactory.create_batch(
        10, course=training_class.course, status="approved", unit=unit(SON_TINH)
    )
    with django_assert_num_queries(small):
        client.get(url)


def running_class(plan_2021, learners=3, **extra):
    training_class = TrainingClassFactory(
        course=state_course(plan_2021),
        capacity=40,
        status="running",
        start_date=datetime.date(2021, 6, 1),
        end_date=datetime.date(2021, 6, 30),
        **extra,
    )
    nominations = NominationFactory.create_batch(
        learners, course=training_class.course, status="approved"
    )
    enrol_directly(training_class, nominations)
    return training_class, nominations


def test_results_of_a_whole_class_with_certificates(client, plan_2021, snv_user):
    training_class, (a, b, c) = running_class(plan_2021)
    client_for(client, snv_user)
    url = reverse("class_results", args=[training_class.pk])
    data = {
        f"result_{a.pk}": "completed",
        f"certificate_number_{a.pk}": "CC-2021/001",
        f"certificate_date_{a.pk}": "30/06/2021",
        f"result_{b.pk}": "completed",
        f"certificate_number_{b.pk}": "CC-2021/002",
        f"certificate_date_{b.pk}": "31/06/2021",  # no such day
        f"result_{c.pk}": "not_completed",
        f"certificate_number_{c.pk}": "CC-2021/003",  # no certificate without completing
        f"reason_{c.pk}": "Nghỉ ốm",
    }
    response = client.post(url, data)
    text = page_text(response)
    assert "Chưa lưu kết quả nào: 2 dòng có lỗi." in text
    assert f"Dòng 2 — {b.person.full_name}: Ngày cấp phải theo dạng dd/mm/yyyy và có thật." in text
    assert "Chỉ ghi chứng chỉ cho học viên hoàn thành khóa học." in text
    assert 'value="CC-2021/001"' in response.content.decode()  # typed values kept
    a.refresh_from_db()
    assert (a.status, a.certificate_number) == ("enrolled", "")  # nothing saved
    data[f"certificate_date_{b.pk}"] = "30/06/2021"
    data[f"certificate_number_{c.pk}"] = ""
    response = client.post(url, data, follow=True)
    assert "Đã ghi kết quả học tập (3 học viên thay đổi)." in page_text(response)
    a.refresh_from_db()
    assert (a.status, a.certificate_number, a.certificate_date) == (
        "completed",
        "CC-2021/001",
        datetime.date(2021, 6, 30),
    )


def test_certificate_dated_before_the_class_is_refused(client, plan_2021, snv_user):
    training_class, (a,) = running_class(plan_2021, learners=1)
    client_for(client, snv_user)
    response = client.post(
        reverse("class_results", args=[training_class.pk]),
        {f"result_{a.pk}": "completed", f"certificate_date_{a.pk}": "01/01/2020"},
    )
    assert "ngày cấp chứng chỉ phải từ ngày khai giảng (01/06/2021) đến hôm nay" in page_text(
        response
    )
    a.refresh_from_db()
    assert a.status == "enrolled"


def test_results_page_queries_do_not_grow(client, plan_2021, snv_user, django_assert_num_queries):
    training_class, _ = running_class(plan_2021, learners=2)
    client_for(client, snv_user)
    url = reverse("class_results", args=[training_class.pk])
    small = count_queries(client, url)
    enrol_directly(
        training_class,
        NominationFactory.create_batch(20, course=training_class.course, status="approved"),
    )
    with django_assert_num_queries(small):
        client.get(url)
