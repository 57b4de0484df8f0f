"""Every page of the foundation, for every role and for anonymous visitors."""

import pytest
from django.urls import reverse

from courses.models import Course, Program
from tests import fixture_2021
from tests.fixture_2021 import CAO_CAP
from tests.helpers import client_for, page_text

pytestmark = pytest.mark.django_db


def page_urls(plan):
    program = Program.objects.get(section__plan=plan, section__position=2, position=1)
    course = Course.objects.get(
        program__section__plan=plan, program__section__position=3, program__position=3, position=7
    )
    return [
        reverse("home"),
        reverse("plan_list"),
        reverse("plan_detail", args=[2021]),
        reverse("program_detail", args=[2021, program.pk]),
        reverse("course_detail", args=[2021, course.pk]),
    ]


def test_anonymous_is_sent_to_login_from_every_page(client, plan_2021):
    for url in page_urls(plan_2021) + ["/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(("/login/", "/admin/login/")), url


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
    assert 'lang="vi"' in response.content.decode()


def test_login_with_wrong_password_says_so_in_vietnamese(client, btc_user):
    response = client.post(reverse("login"), {"username": "btc_test", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_login_and_logout(client, btc_user):
    response = client.post(
        reverse("login"), {"username": "btc_test", "password": "secret-password-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("plan_detail", args=[2021])).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("plan_detail", args=[2021])).status_code == 302


def test_every_page_renders_for_every_role(client, any_user, plan_2021):
    client_for(client, any_user)
    for url in page_urls(plan_2021):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_home_is_the_dashboard_of_the_latest_plan(client, btc_user):
    # The home page is the dashboard (issue 5); it links to the plan it reports on.
    client_for(client, btc_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Tổng quan kế hoạch năm 2021" in page_text(response)
    assert f'href="{reverse("plan_detail", args=[2021])}"' in response.content.decode()


def test_unknown_plan_year_is_404(client, btc_user):
    client_for(client, btc_user)
    assert client.get(reverse("plan_detail", args=[1999])).status_code == 404


def test_program_of_another_year_is_404(client, btc_user, plan_2021):
    client_for(client, btc_user)
    program = Program.objects.filter(section__plan=plan_2021).first()
    assert client.get(reverse("program_detail", args=[2022, program.pk])).status_code == 404


SOURCE_TEXTS = [
    "KẾ HOẠCH",
    "đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2021",
    "1. Đào tạo Cao cấp lý luận chính trị và Hoàn chỉnh chương trình cao cấp lý luận chính trị",
    "Theo phân bổ của Học viện Chính trị Quốc gia Hồ Chí Minh cho tỉnh, dự kiến 145 chỉ tiêu",
    "Cao cấp lý luận chính trị, hệ tập trung tại Học viện Chính trị Quốc gia Hồ Chí Minh: "
    "Dự kiến 4 chỉ tiêu",
    "Cao cấp lý luận chính trị, hệ tập trung tại Học viện Chính trị khu vực III: "
    "Dự kiến 56 chỉ tiêu",
    "Cao cấp lý luận chính trị, hệ không tập trung tại Học viện Chính trị khu vực III: "
    "Dự kiến 10 chỉ tiêu",
    "Cao cấp lý luận chính trị, hệ không tập trung tại Trường Chính trị tỉnh: Dự kiến 60 chỉ tiêu",
    "Hoàn chỉnh chương trình cao cấp lý luận chính trị, hệ không tập trung tại Học viện Chính trị "
    "khu vực III: Dự kiến 15 chỉ tiêu",
    "Theo Công văn 4741-CV/BTCTW ngày 20/5/2013 của Ban Tổ chức Trung ương",
    "Chính trị học; Công tác tổ chức; Công tác kiểm tra; Công tác dân vận; Công tác tôn giáo",
    "Dự kiến 460 học viên và theo nhu cầu của địa phương",
    "Ban Thường vụ các huyện ủy, thị ủy, thành ủy và Đảng ủy trực thuộc Tỉnh ủy",
    "Thực hiện theo Điều 6, Nghị định 101/2017/NĐ-CP ngày 01/9/2017",
    "Học viện Chính trị Quốc gia Hồ Chí Minh, Học viện Chính trị khu vực III "
    "và các cơ sở giáo dục khác",
    "Hướng dẫn số 90/HD-HĐGDQPAN ngày 31/5/2016",
    "Học viện Quốc Phòng, Quân khu V, Trường Quân sự tỉnh",
    "Bồi dưỡng cập nhật kiến thức cho các chức danh là Bí thư, Phó Bí thư cấp huyện và tương đương",
    "Số lượng bồi dưỡng khoảng 50 đồng chí",
    "Số lượng bồi dưỡng khoảng 60 đồng chí",
    "Số lượng bồi dưỡng khoảng 240 đồng chí",
    "Số lượng bồi dưỡng khoảng 720 đồng chí",
    "Số lượng bồi dưỡng khoảng 100 đồng chí",
    "dưới 40 tuổi",
    "Ban Cán sự Đảng Ủy ban nhân dân tỉnh",
    "Các cơ sở đào tạo có liên quan",
    "11.147.406.000",
    "Khối Đảng, Mặt trận, đoàn thể: 7.237.406.000 đồng",
    "Khối Nhà nước: 3.910.000.000 đồng",
    "Mười một tỷ một trăm bốn mươi bảy triệu bốn trăm linh sáu nghìn đồng",
    "Nghị quyết số 04/2019/NQ-HĐND ngày 10/4/2019",
    "(Có phụ lục các lớp đào tạo, bồi dưỡng và nguồn kinh phí kèm theo)",
    "T/M BAN THƯỜNG VỤ",
    "PHÓ BÍ THƯ",
    "Đặng Ngọc Huy",
]


def test_plan_overview_shows_the_source(client, leader_user):
    client_for(client, leader_user)
    html = page_text(client.get(reverse("plan_detail", args=[2021])))
    for text in SOURCE_TEXTS:
        assert text in html, text
    # Section order of the source.
    positions = [
        html.index(h)
        for h in [
            "I. Mục đích",
            "II. Về công tác đào tạo",
            "III. Về công tác bồi dưỡng",
            "IV. Kinh phí",
            "V. Tổ chức thực hiện",
        ]
    ]
    assert positions == sorted(positions)


def test_plan_overview_follows_the_data(client, btc_user, plan_2021):
    line = fixture_2021.line(CAO_CAP)
    line.planned_count = 57
    line.save()
    client_for(client, btc_user)
    html = page_text(client.get(reverse("plan_detail", args=[2021])))
    assert "khu vực III: Dự kiến 57 chỉ tiêu" in html
    assert "khu vực III: Dự kiến 56 chỉ tiêu" not in html


def test_plan_overview_query_count_is_bounded(client, btc_user, django_assert_max_num_queries):
    client_for(client, btc_user)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("plan_detail", args=[2021])).status_code == 200


def test_admin_changelists_work(client, admin_user_2021):
    client_for(client, admin_user_2021)
    for name in [
        "training_plan_organisation",
        "training_plan_legaldocument",
        "training_plan_user",
        "training_plan_plan",
        "training_plan_person",
        "courses_program",
        "courses_course",
        "courses_eligibilityrule",
        "courses_trainingclass",
        "quotas_quotaline",
        "quotas_allocation",
        "quotas_nomination",
        "budget_budgetblock",
        "budget_costnorm",
        "budget_budgetline",
    ]:
        response = client.get(reverse(f"admin:{name}_changelist"), {"q": "Quảng"})
        assert response.status_code == 200, name
