"""Issuing a plan: refused with errors, allowed without; afterwards its structure is read-only
(services and Django admin) while classes, budget lines, enrolments and results go on."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from budget import services as budget_services
from budget.models import BudgetBlock, CostNorm
from courses.models import Course, EligibilityRule, Program, ProgramInstitution, TrainingClass
from quotas import classes as class_services
from quotas.models import Nomination, QuotaLine
from reports.lifecycle import PlanCheckFailed, plan_issue
from tests.factories import BudgetLineFactory, NominationFactory
from tests.fixture_2021 import norm, state_course
from tests.helpers import client_for, page_text
from training_plan.models import Plan, Recipient, Responsibility, Section
from training_plan.services import ensure_structure_editable

pytestmark = pytest.mark.django_db

ISSUE_DATE = datetime.date(2021, 1, 20)


def issued(plan, actor):
    return plan_issue(plan=plan, actor=actor, number="25-KH/TU", issue_date=ISSUE_DATE)


def test_issue_refused_while_the_check_finds_errors(plan_2021, btc_user):
    BudgetLineFactory(training_class__course=state_course(plan_2021), rate=1_000)
    with pytest.raises(PlanCheckFailed) as error:
        issued(plan_2021, btc_user)
    assert [issue.kind for issue in error.value.issues] == ["budget_block"]
    assert error.value.messages == [
        "Không ban hành được: kế hoạch còn 1 lỗi cần sửa trước khi ban hành."
    ]
    plan_2021.refresh_from_db()
    assert (plan_2021.status, plan_2021.number, plan_2021.issue_date) == ("draft", "", None)


def test_issue_allowed_without_errors(plan_2021, btc_user):
    plan = issued(plan_2021, btc_user)
    plan.refresh_from_db()
    assert (plan.status, plan.number, plan.issue_date) == ("issued", "25-KH/TU", ISSUE_DATE)
    with pytest.raises(ValidationError):  # only a draft is issued
        issued(plan, btc_user)


@pytest.mark.parametrize("persona", ["snv_user", "leader_user", "unit_a_user"])
def test_only_btc_issues(plan_2021, persona, request):
    with pytest.raises(PermissionDenied):
        issued(plan_2021, request.getfixturevalue(persona))


def test_issue_needs_number_and_date(plan_2021, btc_user):
    with pytest.raises(ValidationError) as error:
        plan_issue(plan=plan_2021, actor=btc_user, number=" ", issue_date=None)
    assert set(error.value.message_dict) == {"number", "issue_date"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 200), ("snv_user", 403), ("leader_user", 403), ("unit_a_user", 403)],
)
def test_issue_page_roles(client, persona, status, request):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("plan_issue", args=[2021])).status_code == status


def test_issue_page_lists_the_errors(client, plan_2021, btc_user):
    BudgetLineFactory(
        training_class__course=state_course(plan_2021),
        training_class__start_date=datetime.date(2020, 5, 1),
        rate=9,
    )
    client_for(client, btc_user)
    response = client.post(
        reverse("plan_issue", args=[2021]), {"number": "25-KH/TU", "issue_date": "2021-01-20"}
    )
    text = page_text(response)
    assert "Không ban hành được: kế hoạch còn 2 lỗi cần sửa trước khi ban hành." in text
    assert "Khối Nhà nước: dự toán các lớp cộng lại" in text
    assert "ngoài năm kế hoạch 2021" in text
    plan_2021.refresh_from_db()
    assert plan_2021.status == "draft"


def test_issue_page_issues(client, plan_2021, btc_user):
    client_for(client, btc_user)
    response = client.post(
        reverse("plan_issue", args=[2021]),
        {"number": "25-KH/TU", "issue_date": "20/01/2021"},
        follow=True,
    )
    assert "Đã ban hành kế hoạch năm 2021, số 25-KH/TU." in page_text(response)
    assert "Đã ban hành" in page_text(response)
    plan_2021.refresh_from_db()
    assert plan_2021.status == "issued"
    # The action disappears once issued.
    assert reverse("plan_issue", args=[2021]) not in response.content.decode()


def test_issued_structure_is_read_only_in_the_services(plan_2021, btc_user):
    issued(plan_2021, btc_user)
    plan_2021.refresh_from_db()
    books = norm(plan_2021, "tai-lieu-hoc-tap")
    with pytest.raises(ValidationError, match="Kế hoạch năm 2021 đã ban hành"):
        ensure_structure_editable(plan_2021)
    with pytest.raises(ValidationError):
        budget_services.cost_norm_create(
            plan=plan_2021, actor=btc_user, item="Mới", unit="buổi", rate=1
        )
    with pytest.raises(ValidationError):
        budget_services.cost_norm_update(norm=books, actor=btc_user, rate=1)
    with pytest.raises(ValidationError):
        budget_services.cost_norm_delete(norm=books, actor=btc_user)
    books.refresh_from_db()
    assert books.rate == 200_000


def test_classes_lines_enrolment_and_results_go_on_after_issue(plan_2021, btc_user, snv_user):
    issued(plan_2021, btc_user)
    course = state_course(plan_2021)
    training_class = class_services.training_class_create(
        course=course,
        actor=snv_user,
        name="Lớp mở sau khi ban hành",
        institution=course.quota_lines.first().institution,
        start_date=datetime.date(2021, 10, 4),
        end_date=datetime.date(2021, 10, 29),
        capacity=10,
    )
    budget_services.budget_line_create(
        training_class=training_class,
        actor=snv_user,
        norm=norm(plan_2021, "tai-lieu-hoc-tap"),
        quantity_kind="learners",
        quantity=10,
    )
    nomination = NominationFactory(course=course, status="approved")
    class_services.class_enrol(
        training_class=training_class, nomination_ids=[nomination.pk], actor=snv_user
    )
    class_services.training_class_update(
        training_class=training_class, actor=snv_user, status="running"
    )
    class_services.class_record_results(
        training_class=training_class, results={nomination.pk: ("completed", "")}, actor=snv_user
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.COMPLETED


def test_norm_page_is_read_only_after_issue(client, plan_2021, btc_user):
    issued(plan_2021, btc_user)
    client_for(client, btc_user)
    text = page_text(client.get(reverse("cost_norm_list", args=[2021])))
    assert "Kế hoạch đã ban hành: định mức chi chỉ để xem." in text
    assert "Thêm định mức" not in text
    response = client.post(
        reverse("cost_norm_list", args=[2021]),
        {"item": "Mới", "unit": "buổi", "rate": "1.000"},
        follow=True,
    )
    assert "Kế hoạch năm 2021 đã ban hành: định mức chỉ để xem." in page_text(response)
    assert not CostNorm.objects.filter(item="Mới").exists()
    response = client.post(
        reverse("cost_norm_edit", args=[norm(plan_2021, "tai-lieu-hoc-tap").pk]),
        {"item": "Tài liệu", "unit": "học viên", "rate": "1.000"},
    )
    assert "Kế hoạch năm 2021 đã ban hành" in page_text(response)


def structure_objects(plan):
    return [
        plan,
        Section.objects.filter(plan=plan).first(),
        Recipient.objects.filter(plan=plan).first(),
        Responsibility.objects.filter(plan=plan).first(),
        Program.objects.filter(section__plan=plan).first(),
        Course.objects.filter(program__section__plan=plan).first(),
        QuotaLine.objects.filter(course__program__section__plan=plan).first(),
        BudgetBlock.objects.filter(plan=plan).first(),
        CostNorm.objects.filter(plan=plan).first(),
    ]


def test_admin_permissions_follow_the_plan_status(plan_2021, btc_user, admin_user_2021):
    EligibilityRule.objects.create(
        course=state_course(plan_2021), code="thu", kind="max_age", description="Dưới 40 tuổi"
    )
    request = RequestFactory().get("/admin/")
    request.user = admin_user_2021
    objects = structure_objects(plan_2021) + [EligibilityRule.objects.get(code="thu")]
    for obj in objects:
        model_admin = admin.site._registry[type(obj)]
        assert model_admin.has_change_permission(request, obj), type(obj)
        assert model_admin.has_delete_permission(request, obj), type(obj)
    issued(plan_2021, btc_user)
    for obj in objects:
        obj = type(obj).objects.get(pk=obj.pk)
        model_admin = admin.site._registry[type(obj)]
        assert not model_admin.has_change_permission(request, obj), type(obj)
        assert not model_admin.has_delete_permission(request, obj), type(obj)
        assert model_admin.has_view_permission(request, obj), type(obj)
    # Inlines of the plan and of a program cannot add, change or delete either.
    program = Program.objects.filter(section__plan=plan_2021).first()
    for parent in (Plan.objects.get(pk=plan_2021.pk), program):
        for inline in admin.site._registry[type(parent)].get_inline_instances(request, parent):
            assert not inline.has_add_permission(request, parent)
            assert not inline.has_change_permission(request, parent)
            assert not inline.has_delete_permission(request, parent)
    # Classes and budget lines of an issued plan stay editable in the admin.
    training_class = TrainingClass.objects.filter(course__program__section__plan=plan_2021).first()
    assert admin.site._registry[TrainingClass].has_change_permission(request, training_class)


def test_admin_refuses_changes_to_an_issued_plan(client, plan_2021, btc_user, admin_user_2021):
    issued(plan_2021, btc_user)
    program = Program.objects.get(section__plan=plan_2021, section__position=2, position=1)
    client_for(client, admin_user_2021)
    url = reverse("admin:courses_program_change", args=[program.pk])
    assert client.get(url).status_code == 200  # view only
    assert client.post(url, {"name": "Đổi tên"}).status_code == 403
    section = Section.objects.get(plan=plan_2021, position=3)
    response = client.post(
        reverse("admin:courses_program_add"),
        {
            "section": section.pk,
            "position": 9,
            "kind": "khac",
            "name": "Chương trình thêm sau khi ban hành",
            "period": "Trong năm 2021",
            "block": "party",
            "institution_label": "Đơn vị đào tạo",
            "institution_links-TOTAL_FORMS": "0",
            "institution_links-INITIAL_FORMS": "0",
            "courses-TOTAL_FORMS": "0",
            "courses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Kế hoạch năm 2021 đã ban hành" in page_text(response)
    assert not Program.objects.filter(name="Chương trình thêm sau khi ban hành").exists()
    program.refresh_from_db()
    assert program.name.startswith("Đào tạo Cao cấp")
    assert ProgramInstitution.objects.filter(program=program).count() == 2
