"""The dashboard (home page) per role, its figures and query counts, and the results report."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget.models import BudgetBlock
from quotas.models import Nomination
from reports import progress
from tests import fixture_2021
from tests.factories import AllocationFactory, NominationFactory, class_with_estimate, learners
from tests.fixture_2021 import BINH_SON, SON_TINH
from tests.helpers import client_for, download_via_job, page_text
from tests.training_plan.pdf_helpers import body, pdf_text
from training_plan.models import Block, Organisation, User

pytestmark = pytest.mark.django_db

DOWNLOAD_NAMES = [
    "plan_document_pdf",
    "plan_appendix_pdf",
    "plan_document_docx",
    "plan_workbook_xlsx",
]


def add_activity(plan, units, *, per_unit=2, classes=1):
    """Allocations of II.3 to `units` and nominations in every stage; classes with budgets."""
    line = fixture_2021.line("II.3.1-1", plan)
    k45 = class_with_estimate(fixture_2021.course("II.3.1", plan), 5_000_000, name="Lớp K45")
    for index in range(classes - 1):
        class_with_estimate(
            fixture_2021.course("III.3.1", plan), 1_000_000, name=f"Lớp QLNN {index}"
        )
    statuses = ["submitted", "approved", "enrolled", "completed", "not_completed", "draft"]
    for unit in units:
        AllocationFactory(quota_line=line, unit=unit, count=10)
        for status in statuses * per_unit:
            NominationFactory(
                unit=unit,
                course=line.course,
                status=status,
                training_class=k45
                if status in ("enrolled", "completed", "not_completed")
                else None,
            )
    return k45


@pytest.fixture
def activity(plan_2021):
    return add_activity(plan_2021, [fixture_2021.unit(BINH_SON), fixture_2021.unit(SON_TINH)])


def test_progress_counts_are_cumulative_per_program(plan_2021, activity):
    rows = {row.number: row for row in progress.program_progress(plan_2021)}
    ii3 = rows["II.3"]
    # Two units × two of each status; draft holds no seat and is not counted.
    assert (ii3.planned, ii3.allocated) == (460, 20)
    assert (ii3.nominated, ii3.approved, ii3.enrolled, ii3.completed) == (20, 16, 12, 4)
    assert ii3.not_completed == 4
    assert rows["II.2"].planned is None and rows["II.2"].planned_display == "Theo nhu cầu"
    party, state = progress.block_rows(list(rows.values()))
    assert party.planned == 145 + 460 and party.demand_driven
    assert party.planned_display == "605 + theo nhu cầu"
    assert state.planned == 1410 and state.nominated == 0
    units = progress.unit_progress(plan_2021)
    assert [(u.label, u.allocated, u.nominated, u.behind) for u in units] == [
        ("Huyện ủy Bình Sơn", 10, 10, 0),
        ("Huyện ủy Sơn Tịnh", 10, 10, 0),
    ]


def test_units_behind_schedule_are_listed_most_first(client, btc_user, plan_2021):
    line = fixture_2021.line("II.3.1-1")
    AllocationFactory(quota_line=line, unit=fixture_2021.unit("huyen-uy-ba-to"), count=12)
    AllocationFactory(quota_line=line, unit=fixture_2021.unit("huyen-uy-ly-son"), count=5)
    NominationFactory(
        unit=fixture_2021.unit("huyen-uy-ly-son"), course=line.course, status="submitted"
    )
    response = client_for(client, btc_user).get(reverse("home"))
    behind = response.context["behind"]
    assert [(row.label, row.behind) for row in behind] == [
        ("Huyện ủy Ba Tơ", 12),
        ("Huyện ủy Lý Sơn", 4),
    ]
    assert "Đơn vị chậm tiến độ" in page_text(response)


@pytest.mark.parametrize("persona", ["leader_user", "btc_user"])
def test_leadership_and_btc_see_the_whole_plan(client, request, persona, activity):
    user = request.getfixturevalue(persona)
    response = client_for(client, user).get(reverse("home"))
    assert response.status_code == 200
    text = page_text(response)
    content = response.content.decode()
    for heading in [
        "Tổng quan kế hoạch năm 2021",
        "Tiến độ theo khối",
        "Tiến độ theo chương trình",
        "Kinh phí: dự kiến và dự toán các lớp",
        "Đơn vị chậm tiến độ",
    ]:
        assert heading in text
    assert "Đào tạo Trung cấp lý luận chính trị - hành chính" in text
    assert "Các lớp bồi dưỡng quản lý Nhà nước" in text
    assert "7.237.406.000" in text and "3.910.000.000" in text
    for name in DOWNLOAD_NAMES:
        assert reverse(name, args=[2021]) in content
    # Charts are SVG drawn on the server, with the figures as text.
    assert content.count("<svg") >= 4 and "<rect" in content
    assert ">460</text>" in content and ">20</text>" in content
    assert "<script>" not in content and 'style="' not in content
    assert (reverse("download_log") in content) == (persona == "btc_user")


def test_snv_sees_the_state_block(client, snv_user, activity):
    response = client_for(client, snv_user).get(reverse("home"))
    text = page_text(response)
    assert "Tổng quan kế hoạch năm 2021 — Khối Nhà nước" in text
    programs = [row.number for row in response.context["progress"].programs]
    assert programs == ["III.3"]
    assert [row.block for row in response.context["progress"].budget] == [Block.STATE]
    assert "Đào tạo Trung cấp lý luận chính trị - hành chính" not in text
    assert "3.910.000.000" in text and "7.237.406.000" not in text


def test_unit_sees_its_own_quotas_and_nominations(client, unit_a_user, activity):
    AllocationFactory(
        quota_line=fixture_2021.line("II.1.1-4", activity.course.program.section.plan),
        unit=fixture_2021.unit(SON_TINH),
        count=3,
    )
    response = client_for(client, unit_a_user).get(reverse("home"))
    assert response.status_code == 200
    text = page_text(response)
    content = response.content.decode()
    assert "Huyện ủy Bình Sơn: chỉ tiêu và cử cán bộ năm 2021" in text
    usage = response.context["usage"]
    assert [(u["number"], u["allocated"], u["nominated"], u["remaining"]) for u in usage] == [
        ("II.3", 10, 10, 0)
    ]
    counts = {label: count for _, label, count in response.context["status_rows"]}
    assert counts["Đã gửi"] == 2 and counts["Dự thảo"] == 2 and counts["Đã rút"] == 0
    assert [c.name for c in response.context["classes"]] == ["Lớp K45"]
    assert response.context["classes"][0].learners == 6  # Bình Sơn's own learners only
    assert reverse("class_learners_pdf", args=[activity.pk]) in content
    assert reverse("plan_nominations_xlsx", args=[2021]) in content
    assert reverse("plan_document_pdf", args=[2021]) not in content
    assert "Huyện ủy Sơn Tịnh" not in text


def test_user_without_role_gets_a_plain_page(client, plan_2021):
    user = User.objects.create_user("norole", password="x" * 12)
    response = client_for(client, user).get(reverse("home"))
    assert response.status_code == 200
    assert "chưa được gán vai trò" in page_text(response)


def test_no_plan_page_when_there_is_none(client, empty_database):
    user = User.objects.create_user("btc_empty", password="x" * 12, role=User.Role.BTC)
    response = client_for(client, user).get(reverse("home"))
    assert response.status_code == 200
    assert "Chưa có kế hoạch" in page_text(response)


@pytest.mark.parametrize("persona", ["leader_user", "btc_user", "snv_user", "unit_a_user"])
def test_dashboard_query_count_does_not_grow(
    client, request, persona, plan_2021, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    units = list(Organisation.objects.filter(kind="unit").order_by("code"))
    binh_son = fixture_2021.unit(BINH_SON)
    add_activity(plan_2021, [binh_son], per_unit=1, classes=1)
    client_for(client, user)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("home"))
    others = [unit for unit in units if unit != binh_son]
    line = fixture_2021.line("II.1.1-4")
    for unit in others:
        AllocationFactory(quota_line=line, unit=unit, count=2)
        NominationFactory(unit=unit, course=line.course, status="approved", quota_line=line)
    k46 = class_with_estimate(fixture_2021.course("III.3.2"), 2_000_000, name="Lớp K46")
    learners(k46, binh_son, 30, status=Nomination.Status.COMPLETED)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("home"))


def test_results_page_pdf_and_excel(client, leader_user, without_appendix_classes, activity):
    client_for(client, leader_user)
    response = client.get(reverse("plan_results", args=[2021]))
    assert response.status_code == 200
    text = page_text(response)
    for heading in [
        "Báo cáo kết quả thực hiện kế hoạch năm 2021",
        "1. Kết quả theo khối",
        "2. Kết quả theo chương trình",
        "3. Kết quả theo đơn vị",
        "4. Kinh phí",
        "5. Kết quả theo lớp",
    ]:
        assert heading in text
    assert "Huyện ủy Bình Sơn" in text and "Lớp K45" in text
    assert "0,9 %" in text

    pdf = pdf_text(body(download_via_job(client, reverse("plan_results_pdf", args=[2021]))))
    assert "BÁO CÁO" in pdf and "SỐ LIỆU KẾT QUẢ THỰC HIỆN KẾ HOẠCH" in pdf
    assert "Huyện ủy Sơn Tịnh" in pdf and "Lớp K45" in pdf
    assert "605 + theo nhu cầu" in pdf

    response = download_via_job(client, reverse("plan_results_xlsx", args=[2021]))
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    assert workbook.sheetnames == [
        "Theo chương trình",
        "Theo đơn vị",
        "Theo khối",
        "Kinh phí theo khối",
        "Theo lớp",
    ]
    programs = list(workbook["Theo chương trình"].iter_rows(min_row=2, values_only=True))
    ii3 = next(row for row in programs if row[0] == "II.3")
    # Mục, Chương trình, Kế hoạch, Theo nhu cầu, Đã phân bổ, Đã cử, Đã duyệt, Đã xếp lớp,
    # Hoàn thành, Không hoàn thành, Tỉ lệ
    # A rate with one decimal: 4 of 460 is 0,9 % (not "1 %", nor "0 %").
    assert ii3[2:] == (460, None, 20, 20, 16, 12, 4, 4, 0.9)
    assert programs[-1][1] == "Toàn tỉnh" and programs[-1][8] == 4
    units = list(workbook["Theo đơn vị"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[8]) for row in units] == [
        ("Huyện ủy Bình Sơn", 2),
        ("Huyện ủy Sơn Tịnh", 2),
    ]
    budget = list(workbook["Kinh phí theo khối"].iter_rows(min_row=2, values_only=True))
    assert budget[0][:4] == ("Khối Đảng, Mặt trận, đoàn thể", 7_237_406_000, 5_000_000, 1)


def test_results_page_query_count_does_not_grow(
    client, btc_user, plan_2021, django_assert_num_queries
):
    add_activity(plan_2021, [fixture_2021.unit(BINH_SON)], per_unit=1, classes=1)
    client_for(client, btc_user)
    url = reverse("plan_results", args=[2021])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for unit in Organisation.objects.filter(kind="unit").exclude(code="huyen-uy-binh-son"):
        AllocationFactory(quota_line=fixture_2021.line("II.1.1-4"), unit=unit, count=1)
    for index in range(4):
        class_with_estimate(fixture_2021.course("III.3.3"), 1_000, name=f"Lớp thêm {index}")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_dashboard_signs_a_budget_difference_as_the_budget_page_does(
    client, btc_user, plan_2021
):
    """An over-run reads "+3.000.000" on the dashboard as on the budget page, in red."""
    state = BudgetBlock.objects.get(plan=plan_2021, block=Block.STATE)
    (now,) = progress.budget_progress(plan_2021, block=Block.STATE)
    # Section IV now says 3.000.000 đồng less than the classes cost.
    state.planned_total = now.classes_total - 3_000_000
    state.save()
    client = client_for(client, btc_user)
    dashboard = page_text(client.get(reverse("home")))
    budget_page = page_text(client.get(reverse("budget_overview", args=[2021])))
    assert "+3.000.000" in dashboard
    assert "+3.000.000" in budget_page


def test_a_draft_of_next_year_does_not_replace_the_current_plan(client, btc_user, plan_2021):
    """The needs round builds next year's draft; the dashboard and the "current" pages stay on
    the plan being worked on until the draft is issued."""
    from reports.lifecycle import plan_copy_to_year

    plan_copy_to_year(plan=plan_2021, year=2022, actor=btc_user)
    client = client_for(client, btc_user)
    assert "Tổng quan kế hoạch năm 2021" in page_text(client.get(reverse("home")))
    assert client.get(reverse("budget_current"))["Location"].endswith("/plans/2021/budget/")
    plan_2021.status = plan_2021.Status.ISSUED
    plan_2021.save()
    assert client.get(reverse("allocation_home"))["Location"].endswith("/plans/2021/allocations/")
