"""The needs round and the versions through their pages, per role: a unit enters and submits its
own needs (another unit's register is a 404), BTC accepts or returns, the consolidation and its
workbook, the draft built from the page, versions compared; query counts that stay flat."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from needs import services
from needs.models import UnitNeeds
from tests import fixture_2021
from tests.helpers import client_for, count_queries, page_text
from tests.needs.helpers import (
    CAO_CAP_COURSE,
    DEFENCE,
    YEAR,
    course,
    fake_pdf,
    open_round,
    person_of,
    submitted_register,
)
from training_plan.models import Person, Plan
from versions import services as version_services
from versions.models import PlanVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    monkeypatch.setattr("reports.documents.render_pdf", fake_pdf)


def test_unit_enters_needs_and_submits(client, btc_user, unit_a_user):
    open_round(btc_user)
    client_for(client, unit_a_user)
    page = page_text(client.get(reverse("needs_round", args=[YEAR])))
    assert "Hạn gửi 31/10/2021" in page and "Nhập nhu cầu của đơn vị" in page
    response = client.post(reverse("needs_start", args=[YEAR, "party"]))
    register = UnitNeeds.objects.get(unit=unit_a_user.organisation)
    assert response["Location"] == register.get_absolute_url()
    defence = course(DEFENCE)
    response = client.post(
        reverse("needs_counts", args=[register.pk]),
        {f"count_{defence.pk}": "4", f"reason_{defence.pk}": "Cán bộ mới bổ nhiệm"},
    )
    assert register.counts.get().count == 4
    holder = person_of(
        unit_a_user, full_name="Trần Thị Cao Cấp", theory_level=Person.TheoryLevel.ADVANCED
    )
    response = client.post(
        reverse("needs_person_add", args=[register.pk]),
        {"person": holder.pk, "course": course(CAO_CAP_COURSE).pk, "reason": "Quy hoạch"},
        follow=True,
    )
    text = page_text(response)
    assert "Đã thêm Trần Thị Cao Cấp" in text
    assert "Không đạt" in text and "Căn cứ" in text  # the warning, with its legal basis
    client.post(reverse("needs_action", args=[register.pk, "submit"]))
    register.refresh_from_db()
    assert register.status == UnitNeeds.Status.SUBMITTED
    page = page_text(client.get(register.get_absolute_url()))
    assert "Đã gửi" in page and "Gửi nhu cầu" not in page  # no longer editable


def test_bad_count_is_refused_with_a_message_and_nothing_saved(client, btc_user, unit_a_user):
    round_ = open_round(btc_user)
    register = services.register_for(
        actor=unit_a_user, round_=round_, unit=unit_a_user.organisation
    )
    client_for(client, unit_a_user)
    defence = course(DEFENCE)
    response = client.post(
        reverse("needs_counts", args=[register.pk]), {f"count_{defence.pk}": "-3"}, follow=True
    )
    assert "Chưa lưu: Số người không được âm." in page_text(response)
    assert not register.counts.exists()


def test_another_unit_gets_404(client, btc_user, unit_a_user, unit_b_user):
    round_ = open_round(btc_user)
    register = submitted_register(unit_a_user, round_, counts={DEFENCE: 2})
    client_for(client, unit_b_user)
    for url in (
        reverse("needs_detail", args=[register.pk]),
        reverse("needs_action", args=[register.pk, "return"]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("needs_counts", args=[register.pk])).status_code == 404
    assert client.post(reverse("needs_action", args=[register.pk, "submit"])).status_code == 404
    assert client.get(reverse("needs_consolidation", args=[YEAR])).status_code == 403


def test_btc_returns_then_accepts(client, btc_user, snv_user, unit_a_user):
    round_ = open_round(btc_user)
    register = submitted_register(unit_a_user, round_, counts={DEFENCE: 2})
    snv = client_for(Client(), snv_user)
    assert snv.post(reverse("needs_action", args=[register.pk, "accept"])).status_code == 403
    client_for(client, btc_user)
    response = client.post(
        reverse("needs_action", args=[register.pk, "return"]),
        {"reason": "Ghi rõ lý do"},
        follow=True,
    )
    assert "Đã trả lại nhu cầu của Huyện ủy Bình Sơn" in page_text(response)
    register.refresh_from_db()
    assert (register.status, register.return_reason) == ("returned", "Ghi rõ lý do")
    unit = client_for(Client(), unit_a_user)
    assert "Lý do trả lại: Ghi rõ lý do" in page_text(unit.get(register.get_absolute_url()))
    unit.post(reverse("needs_action", args=[register.pk, "submit"]))
    client.post(reverse("needs_action", args=[register.pk, "accept"]))
    register.refresh_from_db()
    assert register.status == "accepted"
    page = page_text(client.get(register.get_absolute_url()))
    assert "Trả lại để bổ sung → Đã gửi" in page and "Đã gửi → Đã tiếp nhận" in page


def test_consolidation_page_and_workbook(client, btc_user, leader_user, unit_a_user):
    round_ = open_round(btc_user)
    register = submitted_register(
        unit_a_user,
        round_,
        counts={DEFENCE: 7},
        people=[(person_of(unit_a_user), CAO_CAP_COURSE, "", "")],
    )
    services.register_accept(actor=btc_user, register=register)
    client_for(client, leader_user)
    page = page_text(client.get(reverse("needs_consolidation", args=[YEAR])))
    assert "Cộng Khối Đảng, Mặt trận, đoàn thể" in page
    assert "Huyện ủy Sơn Tịnh — Chưa đăng ký" in page  # not submitted: listed apart
    response = client.get(reverse("needs_consolidation_xlsx", args=[YEAR]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook["Khối Đảng"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    binh_son = header.index("Huyện ủy Bình Sơn")
    assert rows[DEFENCE][binh_son] == 7
    assert rows[CAO_CAP_COURSE][2] == 130 and rows[CAO_CAP_COURSE][binh_son] == 1
    assert rows[CAO_CAP_COURSE][-2:] == (1, 1)


def test_query_counts_stay_flat(client, btc_user, unit_a_user, unit_b_user):
    round_ = open_round(btc_user)
    a = submitted_register(
        unit_a_user, round_, people=[(person_of(unit_a_user), CAO_CAP_COURSE, "", "")]
    )
    client_for(client, btc_user)
    detail = count_queries(client, a.get_absolute_url())
    consolidation = count_queries(client, reverse("needs_consolidation", args=[YEAR]))
    services.register_return(actor=btc_user, register=a, reason="bổ sung")
    for _ in range(4):
        services.person_add(
            actor=unit_a_user,
            register=a,
            person=person_of(unit_a_user),
            course_id=course(CAO_CAP_COURSE).pk,
        )
    services.counts_save(actor=unit_a_user, register=a, entries={course(DEFENCE).pk: (3, "")})
    services.register_submit(actor=unit_a_user, register=a)
    submitted_register(unit_b_user, round_, counts={DEFENCE: 5})
    assert count_queries(client, a.get_absolute_url()) == detail
    assert count_queries(client, reverse("needs_consolidation", args=[YEAR])) == consolidation


def test_btc_builds_the_draft_from_the_page(client, btc_user, unit_a_user):
    round_ = open_round(btc_user)
    register = submitted_register(
        unit_a_user, round_, people=[(person_of(unit_a_user), CAO_CAP_COURSE, "", "")]
    )
    services.register_accept(actor=btc_user, register=register)
    client_for(client, btc_user)
    response = client.post(reverse("needs_draft", args=[YEAR]), follow=True)
    text = page_text(response)
    assert "Đã lập dự thảo kế hoạch năm 2022" in text
    plan = Plan.objects.get(year=YEAR)
    assert plan.status == Plan.Status.DRAFT
    assert fixture_2021.course(CAO_CAP_COURSE, YEAR).quantity == 1
    version = PlanVersion.objects.get(plan=plan)
    assert version.step == PlanVersion.Step.DRAFT
    assert "Chờ ban hành kế hoạch" in text  # the proposal


def test_versions_pages(client, btc_user, leader_user, unit_a_user):
    plan = fixture_2021.plan()
    first = version_services.save_version(plan=plan, actor=btc_user)
    plan.purpose = "Mục đích mới của kế hoạch."
    plan.save()
    second = version_services.save_version(plan=plan, actor=btc_user, note="Sửa mục đích")
    client_for(client, leader_user)
    page = page_text(client.get(reverse("plan_versions", args=[2021])))
    assert second.pdf_sha256[:16] in page and "Lưu phiên bản" in page
    assert 'name="step"' not in client.get(reverse("plan_versions", args=[2021])).content.decode()
    url = reverse("plan_versions_compare", args=[2021]) + f"?a={first.pk}&b={second.pk}"
    content = client.get(url).content.decode()
    assert "<ins>Mục đích mới</ins>" in content  # “của” is a word of both texts
    assert "<del>Nhằm nâng cao trình độ lý luận chính trị" in content
    response = client.get(reverse("plan_version_pdf", args=[2021, first.pk]))
    assert b"".join(response.streaming_content) == bytes(first.pdf)
    response = client.get(
        reverse("plan_versions_compare_pdf", args=[2021]) + f"?a={first.pk}&b={second.pk}"
    )
    assert response.status_code == 200
    unit = client_for(Client(), unit_a_user)
    assert unit.get(url).status_code == 403
    # Query count of the comparison: the same with more versions saved.
    queries = count_queries(client, url)
    version_services.save_version(plan=plan, actor=btc_user)
    assert count_queries(client, url) == queries
