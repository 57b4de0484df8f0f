"""The plan check finds each kind of inconsistency; the 2021 fixture has none."""

import datetime

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from budget.models import BudgetBlock, CostNorm
from courses.models import EligibilityRule, Program, ProgramInstitution
from quotas.models import Allocation, QuotaLine
from reports.plan_check import check_plan
from tests import fixture_2021
from tests.factories import BudgetLineFactory, TrainingClassFactory
from tests.fixture_2021 import BINH_SON, CAO_CAP, SON_TINH
from tests.helpers import client_for, page_text
from training_plan.models import LegalDocument, Organisation

pytestmark = pytest.mark.django_db


def kinds(plan):
    return [issue.kind for issue in check_plan(plan)]


def future_document(number="99/2022/NQ-HĐND", date=datetime.date(2022, 3, 1)):
    return LegalDocument.objects.create(
        number=number,
        kind=LegalDocument.Kind.RESOLUTION,
        date=date,
        issuer=Organisation.objects.filter(kind=Organisation.Kind.ISSUER).first()
        or Organisation.objects.first(),
        subject="Văn bản ban hành sau năm kế hoạch",
    )


def test_2021_fixture_is_consistent(plan_2021):
    assert check_plan(plan_2021) == []


def test_quota_lines_not_summing_to_course_and_program(plan_2021):
    line = fixture_2021.line(CAO_CAP)
    line.planned_count = 57
    line.save()
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["quota_course", "quota_program"]
    assert issues[0].message == (
        "Mục II.1, khóa “Cao cấp lý luận chính trị”: các dòng chỉ tiêu cộng lại 131, khác số "
        "lượng của khóa là 130."
    )
    assert "cộng lại 146, khác số lượng của chương trình là 145" in issues[1].message
    assert issues[0].url == reverse("admin:courses_course_change", args=[line.course_id])


def test_course_quantities_not_summing_to_the_program(plan_2021):
    course = fixture_2021.course("III.3.7")
    course.quantity = 90
    course.save()
    QuotaLine.objects.filter(course=course).update(planned_count=90)
    issues = check_plan(plan_2021)
    # The course's class still plans its 100 learners: an over-run of the course's new figure.
    assert [i.kind for i in issues] == ["quota_program", "course_quantities", "class_learners"]
    assert "số lượng các khóa cộng lại 1400, khác số lượng của chương trình là 1410" in (
        issues[1].message
    )


def test_allocations_over_a_line(plan_2021):
    line = fixture_2021.line("II.1.1-1")  # 4 seats
    Allocation.objects.create(quota_line=line, unit=fixture_2021.unit(BINH_SON), count=3)
    assert kinds(plan_2021) == []
    Allocation.objects.create(quota_line=line, unit=fixture_2021.unit(SON_TINH), count=2)
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["allocation_over"]
    assert "đã phân bổ 5 chỉ tiêu, vượt 4 của dòng" in issues[0].message
    assert issues[0].url.endswith(f"?quota_line__id__exact={line.pk}")


def test_budget_classes_not_summing_to_the_block(plan_2021):
    BudgetLineFactory(training_class__course=fixture_2021.state_course(plan_2021), rate=1_000_000)
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["budget_block"]
    assert issues[0].message == (
        "Khối Nhà nước: dự toán các lớp cộng lại 3.911.000.000 đồng, vượt 1.000.000 đồng so với "
        "kinh phí dự kiến 3.910.000.000 đồng."
    )
    assert issues[0].url == reverse("budget_overview", args=[2021])


def test_a_block_missing_from_the_total(plan_2021):
    BudgetBlock.objects.filter(plan=plan_2021, block="state").delete()
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["budget_block_missing"]
    assert issues[0].message.startswith("Khối Nhà nước có chương trình nhưng chưa có kinh phí")


def test_programs_without_bodies_or_institution(plan_2021):
    ii2, ii4, iii1 = (
        fixture_2021.program("II.2"),
        fixture_2021.program("II.4"),
        fixture_2021.program("III.1"),
    )
    Program.objects.filter(pk=ii2.pk).update(directing_body=None)
    Program.objects.filter(pk=ii4.pk).update(implementing_body=None)
    ProgramInstitution.objects.filter(program=iii1).delete()
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["program_bodies"] * 3
    assert issues[0].message.startswith("Mục II.2 ")
    assert issues[0].message.endswith("chưa có cơ quan chỉ đạo thực hiện.")
    assert issues[1].message.endswith("chưa có cơ quan tổ chức thực hiện.")
    assert issues[2].message.endswith("chưa có đơn vị đào tạo, bồi dưỡng.")
    assert issues[2].url == reverse("admin:courses_program_change", args=[iii1.pk])


def test_legal_documents_dated_after_the_plan(plan_2021):
    document = future_document()
    fixture_2021.program("II.1").legal_documents.add(document)
    plan_2021.budget_legal_basis = document
    plan_2021.save()
    CostNorm.objects.filter(plan=plan_2021, code="tai-lieu-hoc-tap").update(legal_document=document)
    course = fixture_2021.course("III.3.7")
    EligibilityRule.objects.create(
        course=course,
        code="thu",
        kind="max_age",
        description="Dưới 45 tuổi",
        legal_document=document,
    )
    # A rule that applies only from 2025 is not cited by the 2021 plan.
    later = future_document("171/2025/NĐ-CP", datetime.date(2025, 6, 30))
    EligibilityRule.objects.create(
        course=course,
        code="sau-2025",
        kind="max_age",
        description="Dưới 45 tuổi (từ 1/7/2025)",
        legal_document=later,
        valid_from=datetime.date(2025, 7, 1),
    )
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["legal_document_date"] * 4
    messages = [i.message for i in issues]
    assert messages[0] == (
        "Căn cứ kinh phí của kế hoạch viện dẫn Nghị quyết 99/2022/NQ-HĐND ngày 01/03/2022, "
        "sau năm kế hoạch 2021."
    )
    assert messages[1].startswith("Mục II.1 viện dẫn Nghị quyết 99/2022/NQ-HĐND")
    assert messages[2].startswith("Định mức “Tài liệu học tập” viện dẫn")
    assert messages[3].startswith("Điều kiện “Dưới 45 tuổi” của khóa")
    assert not any("171/2025" in m for m in messages)


def test_legal_document_after_the_issue_date(plan_2021):
    document = future_document("12/2021/NQ-HĐND", datetime.date(2021, 6, 1))
    fixture_2021.program("II.1").legal_documents.add(document)
    assert kinds(plan_2021) == []
    plan_2021.issue_date = datetime.date(2021, 1, 15)
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["legal_document_date"]
    assert issues[0].message.endswith("sau ngày ban hành kế hoạch (15/01/2021).")


def test_class_outside_the_plan_year(plan_2021):
    late = TrainingClassFactory(
        course=fixture_2021.state_course(plan_2021),
        name="Lớp năm sau",
        start_date=datetime.date(2022, 1, 10),
        end_date=datetime.date(2022, 2, 10),
    )
    TrainingClassFactory(
        course=fixture_2021.state_course(plan_2021),
        name="Lớp năm sau đã hủy",
        status="cancelled",
        start_date=datetime.date(2022, 1, 10),
        end_date=datetime.date(2022, 2, 10),
    )
    issues = check_plan(plan_2021)
    assert [i.kind for i in issues] == ["class_year"]
    assert issues[0].message == (
        "Lớp “Lớp năm sau” (Bồi dưỡng lãnh đạo, quản lý cấp sở và tương đương) khai giảng ngày "
        "10/01/2022, ngoài năm kế hoạch 2021."
    )
    assert issues[0].url == reverse("class_edit", args=[late.pk])


def test_every_issue_links_to_a_page_that_opens(client, plan_2021, admin_user_2021):
    QuotaLine.objects.filter(planned_count=56).update(planned_count=57)
    Program.objects.filter(section__plan=plan_2021, position=2, section__position=2).update(
        directing_body=None
    )
    BudgetLineFactory(
        training_class__course=fixture_2021.state_course(plan_2021),
        training_class__start_date=datetime.date(2020, 12, 1),
        rate=5,
    )
    issues = check_plan(plan_2021)
    assert len({i.kind for i in issues}) == 5
    client_for(client, admin_user_2021)
    for issue in issues:
        resolve(issue.url.split("?")[0])
        assert client.get(issue.url).status_code == 200, issue.url


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 200), ("snv_user", 200), ("leader_user", 200), ("unit_a_user", 403)],
)
def test_check_page_roles(client, persona, status, request):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("plan_check", args=[2021])).status_code == status


def test_check_page_lists_issues_with_links(client, plan_2021, leader_user):
    client_for(client, leader_user)
    assert "Không phát hiện lỗi" in page_text(client.get(reverse("plan_check", args=[2021])))
    BudgetLineFactory(training_class__course=fixture_2021.state_course(plan_2021), rate=7_000)
    response = client.get(reverse("plan_check", args=[2021]))
    text = page_text(response)
    assert "Kế hoạch còn 1 lỗi cần sửa trước khi ban hành." in text
    assert "Khối Nhà nước: dự toán các lớp cộng lại 3.910.007.000 đồng" in text
    assert f'href="{reverse("budget_overview", args=[2021])}"' in response.content.decode()


def test_check_plan_command(plan_2021, capsys):
    call_command("check_plan", "2021")
    assert "Kế hoạch năm 2021: không phát hiện lỗi." in capsys.readouterr().out
    BudgetLineFactory(training_class__course=fixture_2021.state_course(plan_2021), rate=7_000)
    with pytest.raises(CommandError, match="Kế hoạch năm 2021 có 1 lỗi."):
        call_command("check_plan", "2021")
    assert "1. Khối Nhà nước: dự toán các lớp" in capsys.readouterr().out


def test_check_plan_command_exit_code(plan_2021, monkeypatch):
    # manage.py closes the database connections when a command ends; inside a test that would
    # close the test's transaction (PostgreSQL).
    monkeypatch.setattr(connections, "close_all", lambda: None)
    BudgetLineFactory(training_class__course=fixture_2021.state_course(plan_2021), rate=7_000)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "check_plan", "2021"]).execute()
    assert exit_info.value.code == 1
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "check_plan", "1999"]).execute()
    assert exit_info.value.code == 1


def test_check_queries_do_not_grow(plan_2021, django_assert_num_queries):
    with CaptureQueriesContext(connection) as small:
        check_plan(plan_2021)
    course = fixture_2021.state_course(plan_2021)
    for year in (2021, 2021, 2022, 2022, 2020):
        start, end = datetime.date(year, 3, 1), datetime.date(year, 4, 1)
        BudgetLineFactory(
            training_class__course=course,
            training_class__start_date=start,
            training_class__end_date=end,
            rate=1,
        )
    QuotaLine.objects.filter(course__program__section__plan=plan_2021).update(planned_count=1)
    Program.objects.filter(section__plan=plan_2021).update(directing_body=None)
    with django_assert_num_queries(len(small.captured_queries)):
        issues = check_plan(plan_2021)
    assert len(issues) > 10


def test_classes_planning_more_learners_than_the_program(plan_2021):
    """The fixture's four Trung cấp classes plan the 460 learners of II.3; one more class of 8
    (the demo's kind of class) would print 468 in the appendix: the check names the over-run,
    of the program and of the course, and a cancelled class does not count."""
    course = fixture_2021.course("II.3.1")
    extra = TrainingClassFactory(course=course, name="Lớp thêm", planned_learners=8)
    TrainingClassFactory(course=course, name="Lớp đã hủy", planned_learners=50, status="cancelled")
    issues = [issue for issue in check_plan(plan_2021) if issue.kind == "class_learners"]
    messages = [issue.message for issue in issues]
    assert (
        "Mục II.3 “Đào tạo Trung cấp lý luận chính trị - hành chính”: các lớp dự kiến 468 học "
        "viên, vượt số lượng của chương trình là 460."
    ) in messages
    assert all(issue.url.startswith(reverse("class_list", args=[2021])) for issue in issues)
    # A State course “khoảng 50 đồng chí” with a second class of 1: the course's figure.
    TrainingClassFactory(course=fixture_2021.state_course(), name="Lớp sở", planned_learners=1)
    messages = [issue.message for issue in check_plan(plan_2021) if issue.kind == "class_learners"]
    assert any("vượt số lượng của khóa là 50." in message for message in messages)
    extra.planned_learners = 0
    extra.save()
    messages = [issue.message for issue in check_plan(plan_2021) if issue.kind == "class_learners"]
    assert not any("Mục II.3" in message for message in messages)
