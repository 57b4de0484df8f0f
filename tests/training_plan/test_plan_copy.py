"""Copying a plan into the next year: same structure, no people or money, texts in the new year."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from budget.models import BudgetBlock, BudgetLine, CostNorm
from courses.models import Course, EligibilityRule, Program, ProgramInstitution, TrainingClass
from quotas.models import Nomination, QuotaLine
from reports.lifecycle import plan_copy_to_year, replace_plan_year
from tests.factories import NominationFactory
from tests.fixture_2021 import state_course
from tests.helpers import client_for, page_text
from training_plan.models import Plan, Recipient, Responsibility, Section

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trong năm 2021", "Trong năm 2022"),
        ("viên chức năm 2021.", "viên chức năm 2022."),
        ("Năm 2021, Ban Thường vụ", "Năm 2022, Ban Thường vụ"),
        ("ngày 10/4/2021 của HĐND", "ngày 10/4/2021 của HĐND"),
        ("Nghị quyết 04/2021/NQ-HĐND", "Nghị quyết 04/2021/NQ-HĐND"),
        ("giai đoạn năm 2021-2025", "giai đoạn năm 2021-2025"),
        ("năm 20210", "năm 20210"),
        ("sinh năm 1981", "sinh năm 1981"),
        ("", ""),
    ],
)
def test_replace_plan_year(text, expected):
    assert replace_plan_year(text, 2021, 2022) == expected


def structure_counts(plan):
    return {
        "sections": Section.objects.filter(plan=plan).count(),
        "programs": Program.objects.filter(section__plan=plan).count(),
        "institutions": ProgramInstitution.objects.filter(program__section__plan=plan).count(),
        "courses": Course.objects.filter(program__section__plan=plan).count(),
        "quota lines": list(
            QuotaLine.objects.filter(course__program__section__plan=plan)
            .order_by("course__program__section__position", "course__program__position")
            .values_list(
                "course__position", "position", "institution", "study_mode", "planned_count"
            )
        ),
        "rules": EligibilityRule.objects.filter(course__program__section__plan=plan).count(),
        "norms": list(CostNorm.objects.filter(plan=plan).values_list("code", "rate")),
        "recipients": list(Recipient.objects.filter(plan=plan).values_list("position", "text")),
        "responsibilities": Responsibility.objects.filter(plan=plan).count(),
        "blocks": list(BudgetBlock.objects.filter(plan=plan).values_list("block", "planned_total")),
    }


def test_copy_to_2022_keeps_the_structure_without_people_or_money(plan_2021, btc_user):
    EligibilityRule.objects.create(
        course=state_course(plan_2021), code="tuoi", kind="max_age", description="Dưới 40 tuổi"
    )
    NominationFactory(course=state_course(plan_2021), status="approved")
    plan_2022 = plan_copy_to_year(plan=plan_2021, actor=btc_user)

    assert (plan_2022.year, plan_2022.status, plan_2022.number) == (2022, "draft", "")
    assert plan_2022.issue_date is None
    assert structure_counts(plan_2022) == structure_counts(plan_2021)
    assert EligibilityRule.objects.filter(
        course__program__section__plan=plan_2022, code="tuoi"
    ).exists()
    assert not TrainingClass.objects.filter(course__program__section__plan=plan_2022).exists()
    assert not BudgetLine.objects.filter(
        training_class__course__program__section__plan=plan_2022
    ).exists()
    assert not Nomination.objects.filter(course__program__section__plan=plan_2022).exists()
    # The source plan is untouched.
    assert TrainingClass.objects.filter(course__program__section__plan=plan_2021).count() == 20
    assert Nomination.objects.filter(course__program__section__plan=plan_2021).count() == 1


def test_copy_keeps_bodies_institutions_and_legal_documents(plan_2021, btc_user):
    plan_2022 = plan_copy_to_year(plan=plan_2021, actor=btc_user)
    for old in Program.objects.filter(section__plan=plan_2021):
        new = Program.objects.get(
            section__plan=plan_2022, section__position=old.section.position, position=old.position
        )
        assert (new.directing_body_id, new.implementing_body_id) == (
            old.directing_body_id,
            old.implementing_body_id,
        )
        assert list(new.institution_links.values_list("position", "institution")) == list(
            old.institution_links.values_list("position", "institution")
        )
        assert set(new.legal_documents.all()) == set(old.legal_documents.all())
        assert (new.quantity, new.block, new.conditions) == (
            old.quantity,
            old.block,
            old.conditions,
        )
    assert plan_2022.budget_legal_basis == plan_2021.budget_legal_basis


def test_copy_moves_the_plan_year_in_texts(plan_2021, btc_user):
    plan_2022 = plan_copy_to_year(plan=plan_2021, actor=btc_user)
    assert plan_2022.title == "đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2022"
    assert "viên chức năm 2022, Ban Thường vụ Tỉnh ủy ban hành" in plan_2022.preamble
    periods = set(Program.objects.filter(section__plan=plan_2022).values_list("period", flat=True))
    assert "Trong năm 2022" in periods
    assert all("2021" not in period for period in periods)
    tasks = Responsibility.objects.get(plan=plan_2022, position=1).tasks
    assert "kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2022." in tasks
    # Dates of the documents the plan cites are not plan years.
    assert "Nghị quyết số 04/2019/NQ-HĐND ngày 10/4/2019" in plan_2022.budget_basis_text
    conditions = Program.objects.get(section__plan=plan_2022, section__position=2, position=1)
    assert "ngày 20/5/2013" in conditions.conditions


def test_copy_refused_when_the_year_exists(plan_2021, btc_user):
    plan_copy_to_year(plan=plan_2021, actor=btc_user)
    with pytest.raises(ValidationError) as error:
        plan_copy_to_year(plan=plan_2021, actor=btc_user)
    assert error.value.messages == [
        "Đã có kế hoạch năm 2022 của tỉnh Quảng Ngãi; không sao chép đè lên."
    ]
    assert Plan.objects.filter(year=2022).count() == 1


@pytest.mark.parametrize("persona", ["snv_user", "leader_user", "unit_a_user"])
def test_only_btc_copies(plan_2021, persona, request):
    with pytest.raises(PermissionDenied):
        plan_copy_to_year(plan=plan_2021, actor=request.getfixturevalue(persona))
    assert not Plan.objects.filter(year=2022).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("btc_user", 200), ("snv_user", 403), ("leader_user", 403), ("unit_b_user", 403)],
)
def test_copy_page_roles(client, persona, status, request):
    client_for(client, request.getfixturevalue(persona))
    assert client.get(reverse("plan_copy", args=[2021])).status_code == status
    if status == 403:
        assert client.post(reverse("plan_copy", args=[2021])).status_code == 403
        assert not Plan.objects.filter(year=2022).exists()


def test_copy_in_the_page(client, plan_2021, btc_user):
    client_for(client, btc_user)
    assert "Sao chép sang năm 2022" in page_text(client.get(reverse("plan_detail", args=[2021])))
    response = client.post(reverse("plan_copy", args=[2021]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("plan_detail", args=[2022])
    text = page_text(response)
    assert "Đã tạo dự thảo kế hoạch năm 2022 từ kế hoạch năm 2021" in text
    assert "đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2022" in text
    assert "Khối Nhà nước: 3.910.000.000 đồng" in text
    response = client.post(reverse("plan_copy", args=[2021]), follow=True)
    assert "Đã có kế hoạch năm 2022" in page_text(response)
    assert "Đã có kế hoạch năm 2022" in page_text(client.get(reverse("plan_copy", args=[2021])))
