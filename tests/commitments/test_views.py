"""The commitment screens per role, the repayment page's figures, the decision files, the
person's training record, and flat query counts."""

import datetime

import pytest
from django.urls import reverse

from commitments.models import Commitment, RepaymentCase
from commitments.services import repayment_case_create
from tests import factories
from tests.fixture_2021 import SON_TINH, unit
from tests.training_plan.pdf_helpers import body, docx_text, pdf_text
from training_plan.models import DownloadLog

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def left_early(plan_2021, btc_user):
    """A civil servant of unit A sent 01/09/2021 for 24 months (T1 = 48), back 01/09/2023, who
    left on 01/09/2025 having served 24 months: S = 96.000.000 / 48 × 24 = 48.000.000."""
    commitment = factories.commitment(
        person=factories.PersonFactory(full_name="Trần Văn Rời"),
        cost=96_000_000,
        return_date=D(2023, 9, 1),
    )
    repayment_case_create(
        actor=btc_user,
        commitment=commitment,
        kind="left_early",
        event_date=D(2025, 9, 1),
        decision_number="15-QĐ/HU",
        decision_date=D(2025, 9, 15),
        signer_title="T/M BAN THƯỜNG VỤ",
        signer_name="Nguyễn Văn Ký",
    )
    return commitment


def test_list_by_state_for_btc(client, btc_user, left_early):
    factories.commitment(person=factories.PersonFactory(full_name="Lê Thị Học"))
    client.force_login(btc_user)
    page = client.get(reverse("commitment_list")).content.decode()
    assert "Trần Văn Rời" in page and "Lê Thị Học" in page
    only = client.get(reverse("commitment_list"), {"state": "must_repay"}).content.decode()
    assert "Trần Văn Rời" in only and "Lê Thị Học" not in only


def test_unit_sees_only_its_own_peoples_commitments(client, unit_b_user, left_early):
    other = factories.commitment(
        person=factories.PersonFactory(full_name="Phạm Thị Sơn", organisation=unit(SON_TINH))
    )
    client.force_login(unit_b_user)
    page = client.get(reverse("commitment_list")).content.decode()
    assert "Phạm Thị Sơn" in page and "Trần Văn Rời" not in page
    assert client.get(reverse("commitment_detail", args=[left_early.pk])).status_code == 404
    assert client.get(reverse("repayment_decision_pdf", args=[left_early.pk])).status_code == 404
    assert client.get(reverse("commitment_detail", args=[other.pk])).status_code == 200


def test_leadership_reads_but_does_not_decide(client, leader_user, left_early):
    client.force_login(leader_user)
    assert client.get(reverse("commitment_detail", args=[left_early.pk])).status_code == 200
    fresh = factories.commitment(cost=1_000_000)
    response = client.post(
        reverse("commitment_repayment", args=[fresh.pk]),
        {"kind": "dropout", "event_date": "01/03/2022"},
    )
    assert response.status_code == 403
    assert not RepaymentCase.objects.filter(commitment=fresh).exists()


def test_detail_shows_the_formula_with_its_values(client, btc_user, left_early):
    client.force_login(btc_user)
    page = client.get(reverse("commitment_detail", args=[left_early.pk])).content.decode()
    for text in (
        "F = 96.000.000 đồng",
        "T1 = 48 tháng",
        "T2 = 24 tháng",
        "S = 48.000.000 đồng",
        "Điều 7, Điều 8 Nghị định số 101/2017/NĐ-CP",
        "Phải đền bù",
    ):
        assert text in page, text


def test_repayment_preview_then_decision(client, unit_a_user, plan_2021):
    commitment = factories.commitment(cost=50_000_000)
    client.force_login(unit_a_user)
    url = reverse("commitment_repayment", args=[commitment.pk])
    data = {"kind": "no_degree", "event_date": "30/06/2023"}
    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "S = 50.000.000 đồng" in preview
    assert not RepaymentCase.objects.exists()
    response = client.post(url, {**data, "decide": "1"})
    assert response.status_code == 302
    assert RepaymentCase.objects.get().amount == 50_000_000


def test_repayment_refused_with_a_message_and_nothing_saved(client, btc_user, plan_2021):
    commitment = factories.commitment()  # no F entered, no class budget
    client.force_login(btc_user)
    page = client.post(
        reverse("commitment_repayment", args=[commitment.pk]),
        {"kind": "dropout", "event_date": "01/03/2022", "decide": "1"},
    ).content.decode()
    assert "Chưa xác định được chi phí đào tạo F" in page
    assert not RepaymentCase.objects.exists()


def test_decision_pdf_text(client, btc_user, left_early):
    client.force_login(btc_user)
    response = client.get(reverse("repayment_decision_pdf", args=[left_early.pk]))
    text = pdf_text(body(response))
    for part in (
        "HUYỆN ỦY BÌNH SƠN",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 15-QĐ/HU",
        "QUYẾT ĐỊNH",
        "Về việc đền bù chi phí đào tạo",
        "Trần Văn Rời",
        "48.000.000 đồng",
        "T1 = 48 tháng",
        "T2 = 24 tháng",
        "Nguyễn Văn Ký",
    ):
        assert part in text, part
    assert DownloadLog.objects.filter(user=btc_user).count() == 1


def test_decision_docx_text(client, btc_user, left_early):
    client.force_login(btc_user)
    response = client.get(reverse("repayment_decision_docx", args=[left_early.pk]))
    text = docx_text(body(response))
    for part in (
        "QUYẾT ĐỊNH",
        "Về việc đền bù chi phí đào tạo",
        "Bốn mươi tám triệu đồng",
        "Trần Văn Rời",
    ):
        assert part in text, part


def test_decision_without_a_case_is_404(client, btc_user, plan_2021):
    commitment = factories.commitment()
    client.force_login(btc_user)
    assert client.get(reverse("repayment_decision_pdf", args=[commitment.pk])).status_code == 404


def test_person_training_record_page_and_pdf(client, unit_a_user, left_early):
    person = left_early.person
    client.force_login(unit_a_user)
    page = client.get(reverse("person_training", args=[person.pk])).content.decode()
    assert "Trung cấp lý luận chính trị" in page and "Phải đền bù" in page
    response = client.get(reverse("person_training_pdf", args=[person.pk]))
    text = pdf_text(body(response))
    assert "QUÁ TRÌNH ĐÀO TẠO, BỒI DƯỠNG" in text and "Trần Văn Rời" in text
    assert "Phải đền bù" in text


def test_person_training_record_of_another_unit_is_404(client, unit_b_user, left_early):
    client.force_login(unit_b_user)
    url = reverse("person_training", args=[left_early.person.pk])
    assert client.get(url).status_code == 404


def test_commitment_create_from_a_nomination(client, unit_a_user, plan_2021):
    from commitments.seed import commitment_rules_seed

    commitment_rules_seed()
    nomination = factories.NominationFactory(
        course=factories.fixture_2021.course(factories.PARTY_COURSE),
        status="approved",
        quota_line=None,
    )
    client.force_login(unit_a_user)
    url = reverse("commitment_create") + f"?nomination={nomination.pk}"
    response = client.post(
        url,
        {
            "nomination": nomination.pk,
            "sent_date": "01/09/2025",
            "signed_date": "25/08/2025",
            "training_months": "18",
        },
    )
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.rule.code, commitment.required_months) == ("nd171-cong-chuc", 54)


# Session, user, inbox count, state counts, page count and rows, rules: the same at any size.
QUERIES_LIST = 8


@pytest.mark.parametrize("size", [1, 6])
def test_list_query_count_is_flat(client, btc_user, plan_2021, django_assert_num_queries, size):
    for _ in range(size):
        factories.commitment(cost=1_000_000, return_date=D(2023, 9, 1))
    client.force_login(btc_user)
    client.get(reverse("commitment_list"))  # session, permissions warmed
    with django_assert_num_queries(QUERIES_LIST):
        client.get(reverse("commitment_list"))


@pytest.mark.parametrize("size", [1, 3])
def test_training_record_query_count_is_flat(
    client, btc_user, plan_2021, django_assert_num_queries, size
):
    person = factories.PersonFactory(full_name="Đỗ Văn Hồ Sơ")
    for code in ["II.3.1", "III.1.1", "II.1.1"][:size]:
        course = factories.fixture_2021.course(code)
        factories.commitment(
            person=person,
            course=course,
            training_class=factories.class_with_estimate(course, 30_000_000),
            cost=1_000_000,
        )
    client.force_login(btc_user)
    url = reverse("person_training", args=[person.pk])
    client.get(url)
    with django_assert_num_queries(RECORD_QUERIES):
        client.get(url)


# Session, user, inbox count, the person, nominations, commitments with their state.
RECORD_QUERIES = 7
