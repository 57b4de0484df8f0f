"""Budget pages for every role: the budget page, the appendix, norms, lines, the block review."""

import re

import pytest
from django.urls import reverse

from budget.models import BudgetLine, CostNorm
from quotas.models import Nomination
from tests.factories import (
    BudgetLineFactory,
    NominationFactory,
    TrainingClassFactory,
    enrol_directly,
)
from tests.fixture_2021 import norm, party_course, state_course
from tests.helpers import PERSONAS, client_for, count_queries, page_text

pytestmark = pytest.mark.django_db


def read_urls():
    return [
        reverse("budget_overview", args=[2021]),
        reverse("budget_appendix", args=[2021]),
        reverse("cost_norm_list", args=[2021]),
    ]


def test_anonymous_goes_to_login(client, plan_2021):
    urls = read_urls() + [
        reverse("block_review", args=[2021, "state"]),
        reverse("budget_current"),
        reverse("appendix_current"),
        reverse("class_list_current"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_reads_budget_appendix_and_norms(client, persona, request):
    client_for(client, request.getfixturevalue(persona))
    for url in read_urls():
        assert client.get(url).status_code == 200, url


def test_short_links_lead_to_the_latest_plan(client, btc_user):
    client_for(client, btc_user)
    assert client.get(reverse("budget_current"))["Location"] == "/plans/2021/budget/"
    assert client.get(reverse("appendix_current"))["Location"] == "/plans/2021/budget/appendix/"
    assert client.get(reverse("class_list_current"))["Location"] == "/plans/2021/classes/"


def test_nav_links(client, leader_user):
    client_for(client, leader_user)
    html = client.get(reverse("plan_detail", args=[2021])).content.decode()
    assert ">Lớp</a></li>" in html
    for label in ("Kinh phí các khối", "Phụ lục kinh phí"):  # the budget menu's entries
        assert 'class="dropdown-item" href="' in html and f">{label}</a></li>" in html


def block_row(html, block):
    return re.search(rf'<tr data-block="{block}">(.*?)</tr>', html, re.S).group(1)


def test_budget_page_shows_blocks_and_total_in_words(client, leader_user):
    client_for(client, leader_user)
    response = client.get(reverse("budget_overview", args=[2021]))
    text = page_text(response)
    assert "Khối Đảng, Mặt trận, đoàn thể 7.237.406.000 7.237.406.000 0" in text
    assert "Khối Nhà nước 3.910.000.000 3.910.000.000 0" in text
    assert "Tổng cộng 11.147.406.000 11.147.406.000 0" in text
    assert "Mười một tỷ một trăm bốn mươi bảy triệu bốn trăm linh sáu nghìn đồng" in text
    assert "diff-nonzero" not in response.content.decode()


def test_budget_page_flags_a_block_that_does_not_reconcile(client, plan_2021, snv_user):
    BudgetLineFactory(training_class__course=state_course(plan_2021), rate=12_500_000)
    client_for(client, snv_user)
    html = client.get(reverse("budget_overview", args=[2021])).content.decode()
    state = block_row(html, "state")
    assert 'class="num diff-nonzero"' in state
    assert "+12.500.000" in state
    assert "3.922.500.000" in state
    assert "diff-nonzero" not in block_row(html, "party")


def test_appendix_page_groups_blocks_with_subtotals(client, unit_a_user):
    client_for(client, unit_a_user)
    text = page_text(client.get(reverse("budget_appendix", args=[2021])))
    assert "PHỤ LỤC CÁC LỚP ĐÀO TẠO, BỒI DƯỠNG VÀ NGUỒN KINH PHÍ" in text
    assert "Cộng Khối Đảng, Mặt trận, đoàn thể 605 7.237.406.000" in text
    assert "Cộng Khối Nhà nước 1.410 3.910.000.000" in text
    assert "Tổng cộng 11.147.406.000" in text
    assert "Mười một tỷ một trăm bốn mươi bảy triệu bốn trăm linh sáu nghìn đồng" in text
    assert text.count("Minh họa (*)") == 20
    assert "(*) Dòng minh họa" in text
    assert text.index("Khối Đảng") < text.index("Khối Nhà nước")


@pytest.mark.parametrize("name", ["budget_overview", "budget_appendix"])
def test_budget_pages_queries_do_not_grow(
    client, plan_2021, btc_user, name, django_assert_num_queries
):
    client_for(client, btc_user)
    url = reverse(name, args=[2021])
    small = count_queries(client, url)
    for course in (state_course(plan_2021), party_course(plan_2021)):
        for _ in range(8):
            training_class = TrainingClassFactory(course=course, capacity=3)
            BudgetLineFactory(training_class=training_class, rate=1_000)
            enrol_directly(
                training_class, NominationFactory.create_batch(2, course=course, status="approved")
            )
    with django_assert_num_queries(small):
        client.get(url)


def test_block_review_counts_learners_by_status(client, plan_2021, snv_user):
    training_class = TrainingClassFactory(
        course=state_course(plan_2021), capacity=10, name="Lớp rà soát"
    )
    enrolled, completed, failed = NominationFactory.create_batch(
        3, course=training_class.course, status="approved"
    )
    enrol_directly(training_class, [enrolled, completed, failed])
    Nomination.objects.filter(pk=completed.pk).update(status="completed")
    Nomination.objects.filter(pk=failed.pk).update(status="not_completed")
    # Two more approved, waiting for a class.
    NominationFactory.create_batch(2, course=training_class.course, status="approved")
    BudgetLineFactory(training_class=training_class, rate=4_000_000)
    client_for(client, snv_user)
    text = page_text(client.get(reverse("block_review", args=[2021, "state"])))
    assert "Lớp rà soát" in text
    assert "Lớp rà soát III.3. Bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương" in text
    assert "Dự kiến 10 1 1 1 4.000.000" in text
    # III.3.1: 5 seat-holding nominations, 2 approved waiting for a class.
    assert "III.3. Bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương 50 5 2" in text
    assert "chênh lệch: +4.000.000 đồng" in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 200), ("snv_user", 200), ("leader_user", 200), ("unit_a_user", 403)],
)
def test_block_review_roles(client, persona, status, request):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("block_review", args=[2021, "state"])).status_code == status


def test_block_review_unknown_block_is_404(client, snv_user):
    client_for(client, snv_user)
    assert client.get(reverse("block_review", args=[2021, "army"])).status_code == 404


def test_block_review_queries_do_not_grow(client, plan_2021, snv_user, django_assert_num_queries):
    client_for(client, snv_user)
    url = reverse("block_review", args=[2021, "state"])
    small = count_queries(client, url)
    course = state_course(plan_2021)
    for _ in range(6):
        training_class = TrainingClassFactory(course=course, capacity=5)
        enrol_directly(
            training_class, NominationFactory.create_batch(3, course=course, status="approved")
        )
    with django_assert_num_queries(small):
        client.get(url)


# Norms ----------------------------------------------------------------------------------------


def norm_data(**changes):
    data = {"item": "Thuê hội trường", "unit": "ngày", "rate": "3.000.000", "legal_document": ""}
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["btc_user", "snv_user"])
def test_btc_and_snv_add_a_norm(client, plan_2021, persona, request):
    client_for(client, request.getfixturevalue(persona))
    response = client.post(reverse("cost_norm_list", args=[2021]), norm_data(), follow=True)
    assert "Đã thêm định mức “Thuê hội trường”." in page_text(response)
    assert CostNorm.objects.get(plan=plan_2021, item="Thuê hội trường").rate == 3_000_000


@pytest.mark.parametrize("persona", ["leader_user", "unit_a_user"])
def test_others_cannot_change_norms(client, plan_2021, persona, request):
    client_for(client, request.getfixturevalue(persona))
    books = norm(plan_2021, "tai-lieu-hoc-tap")
    assert client.post(reverse("cost_norm_list", args=[2021]), norm_data()).status_code == 403
    assert client.get(reverse("cost_norm_edit", args=[books.pk])).status_code == 403
    assert client.post(reverse("cost_norm_delete", args=[books.pk])).status_code == 403
    assert "Thêm định mức" not in page_text(client.get(reverse("cost_norm_list", args=[2021])))
    assert CostNorm.objects.filter(pk=books.pk, rate=200_000).exists()


def test_norm_with_a_fraction_is_refused(client, plan_2021, btc_user):
    client_for(client, btc_user)
    response = client.post(reverse("cost_norm_list", args=[2021]), norm_data(rate="1,5"))
    assert "Nhập số tiền là số nguyên đồng, ví dụ 1.500.000." in page_text(response)
    assert not CostNorm.objects.filter(item="Thuê hội trường").exists()


def test_norm_edit_reprices_and_says_so(client, plan_2021, snv_user):
    books = norm(plan_2021, "tai-lieu-hoc-tap")
    used = BudgetLine.objects.filter(norm=books).count()
    client_for(client, snv_user)
    data = norm_data(item=books.item, unit=books.unit, rate="220.000")
    data["legal_document"] = books.legal_document_id
    response = client.post(reverse("cost_norm_edit", args=[books.pk]), data, follow=True)
    assert f"{used} dòng dự toán của các lớp chưa kết thúc được tính lại." in page_text(response)
    assert set(BudgetLine.objects.filter(norm=books).values_list("rate", flat=True)) == {220_000}


def test_norm_in_use_delete_refused_in_the_page(client, plan_2021, btc_user):
    books = norm(plan_2021, "tai-lieu-hoc-tap")
    client_for(client, btc_user)
    response = client.post(reverse("cost_norm_delete", args=[books.pk]), follow=True)
    assert "không xóa được" in page_text(response)
    assert CostNorm.objects.filter(pk=books.pk).exists()


# Budget lines in the class page ---------------------------------------------------------------


def test_snv_adds_a_norm_line_and_a_free_line(client, plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021), capacity=40)
    client_for(client, snv_user)
    url = reverse("budget_line_create", args=[training_class.pk])
    food = norm(plan_2021, "tien-an-hoc-vien-trong-tinh")
    response = client.post(
        url,
        {"norm": food.pk, "quantity_kind": "learner_days", "quantity": "40", "multiplier": "5"},
        follow=True,
    )
    assert f"Đã thêm khoản “{food.item}”: 10.000.000 đồng." in page_text(response)
    response = client.post(
        url,
        {
            "description": "Thuê xe",
            "quantity_kind": "lump",
            "quantity": "1",
            "rate": "2.345.000",
        },
        follow=True,
    )
    text = page_text(response)
    assert "Cộng 12.345.000" in text
    assert "Dự toán 12.345.000 đồng" in text


def test_a_line_that_takes_the_block_over_warns(client, plan_2021, snv_user):
    from budget import notices
    from budget.models import BudgetBlock

    training_class = TrainingClassFactory(course=state_course(plan_2021), capacity=40)
    # Section IV now plans exactly what the State block's classes cost.
    block = BudgetBlock.objects.get(plan=plan_2021, block="state")
    block.planned_total += notices.overrun(plan_2021, "state")
    block.save()
    client_for(client, snv_user)
    url = reverse("budget_line_create", args=[training_class.pk])
    line = {"description": "Thuê xe", "quantity_kind": "lump", "quantity": "1"}
    text = page_text(client.post(url, {**line, "rate": "0"}, follow=True))
    assert "vượt kinh phí dự kiến" not in text
    text = page_text(client.post(url, {**line, "rate": "3.000.000"}, follow=True))
    assert (
        "Lưu ý: dự toán các lớp của Khối Nhà nước nay vượt kinh phí dự kiến của khối (mục IV) "
        "+3.000.000 đồng." in text
    )


def test_line_bad_input_changes_nothing(client, plan_2021, snv_user):
    training_class = TrainingClassFactory(course=state_course(plan_2021))
    client_for(client, snv_user)
    response = client.post(
        reverse("budget_line_create", args=[training_class.pk]),
        {"quantity_kind": "learners", "quantity": "0", "multiplier": "3", "rate": "1.5"},
    )
    text = page_text(response)
    assert "Số ngày chỉ dùng khi tính theo học viên × ngày." in text
    assert "Nhập số tiền là số nguyên đồng" in text
    assert "Khoản chi không theo định mức cần có nội dung." in text
    assert not training_class.budget_lines.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 200), ("snv_user", 403), ("leader_user", 403), ("unit_b_user", 403)],
)
def test_party_line_pages_for_btc_only(client, plan_2021, persona, status, request):
    line = BudgetLineFactory(training_class__course=party_course(plan_2021), rate=1000)
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("budget_line_edit", args=[line.pk])).status_code == status
    expected_delete = 302 if status == 200 else 403
    assert client.post(reverse("budget_line_delete", args=[line.pk])).status_code == expected_delete
    assert BudgetLine.objects.filter(pk=line.pk).exists() == (status != 200)


def test_edit_line(client, plan_2021, snv_user):
    line = BudgetLineFactory(training_class__course=state_course(plan_2021), rate=1000)
    client_for(client, snv_user)
    response = client.post(
        reverse("budget_line_edit", args=[line.pk]),
        {
            "description": "Văn phòng phẩm",
            "quantity_kind": "learners",
            "quantity": "30",
            "rate": "25.000",
        },
        follow=True,
    )
    assert "Đã cập nhật khoản “Văn phòng phẩm”." in page_text(response)
    line.refresh_from_db()
    assert line.amount == 750_000
