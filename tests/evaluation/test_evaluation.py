"""Learners' evaluation: opened by the class's manager once it ends, one-time anonymous links,
results per class, institution and program, and in the year-end results report."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import ClassEvaluation, Invitation, Response, Score
from evaluation.seed import criteria_seed
from evaluation.services import evaluation_open
from tests import factories
from tests.fixture_2021 import PARTY_COURSE, SON_TINH, course, unit

pytestmark = pytest.mark.django_db

SCORES = {
    "noi-dung": "5",
    "noi-dung-cap-nhat": "4",
    "giang-vien": "5",
    "giang-vien-phuong-phap": "4",
    "to-chuc": "3",
    "co-so-vat-chat": "4",
    "huu-ich": "5",
}


@pytest.fixture
def finished_class(plan_2021):
    """A finished Party-block class with two learners of unit A and one of unit B."""
    criteria_seed()
    training_class = factories.TrainingClassFactory(
        course=course(PARTY_COURSE), status="finished", name="Lớp Trung cấp K21"
    )
    for name, organisation in (
        ("Nguyễn Văn Một", None),
        ("Trần Thị Hai", None),
        ("Lê Văn Ba", unit(SON_TINH)),
    ):
        person = factories.PersonFactory(
            full_name=name, **({"organisation": organisation} if organisation else {})
        )
        factories.NominationFactory(
            person=person,
            course=training_class.course,
            status="completed",
            training_class=training_class,
            quota_line=None,
        )
    return training_class


def test_btc_opens_the_evaluation_of_its_finished_class(client, btc_user, finished_class):
    client.force_login(btc_user)
    response = client.post(reverse("class_evaluation", args=[finished_class.pk]))
    assert response.status_code == 302
    evaluation = ClassEvaluation.objects.get()
    assert evaluation.invitations.count() == 3
    tokens = set(evaluation.invitations.values_list("token", flat=True))
    assert len(tokens) == 3 and all(len(token) >= 32 for token in tokens)


def test_snv_cannot_open_a_party_class_evaluation(client, snv_user, finished_class):
    client.force_login(snv_user)
    response = client.post(reverse("class_evaluation", args=[finished_class.pk]))
    assert response.status_code == 403
    assert not ClassEvaluation.objects.exists()


def test_a_class_still_running_is_not_opened(client, btc_user, plan_2021):
    running = factories.TrainingClassFactory(
        course=course(PARTY_COURSE),
        status="running",
        end_date=timezone.localdate().replace(year=2099),
    )
    client.force_login(btc_user)
    client.post(reverse("class_evaluation", args=[running.pk]))
    assert not ClassEvaluation.objects.exists()


def test_a_unit_sees_only_its_own_learners_links(client, btc_user, unit_b_user, finished_class):
    evaluation_open(actor=btc_user, training_class=finished_class)
    client.force_login(unit_b_user)
    page = client.get(reverse("class_evaluation", args=[finished_class.pk])).content.decode()
    mine = Invitation.objects.get(nomination__person__full_name="Lê Văn Ba")
    others = Invitation.objects.exclude(pk=mine.pk)
    assert mine.token in page
    assert not any(other.token in page for other in others)
    assert "Nguyễn Văn Một" not in page


def test_the_link_works_once_without_login_and_stores_no_person(client, btc_user, finished_class):
    evaluation_open(actor=btc_user, training_class=finished_class)
    invitation = Invitation.objects.first()
    url = reverse("evaluation_answer", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200 and "Lớp Trung cấp K21" in page.content.decode()
    response = client.post(url, {**SCORES, "comment": "Nên thêm thời gian thảo luận."})
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    answer = Response.objects.get()
    assert answer.comment == "Nên thêm thời gian thảo luận."
    assert Score.objects.filter(response=answer).count() == 7
    # The answer knows its class only: no field reaches the learner or the link.
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "evaluation", "comment", "scores"}
    invitation.refresh_from_db()
    assert invitation.used
    again = client.post(url, SCORES)
    assert again.status_code == 410
    assert Response.objects.count() == 1


def test_an_expired_link_is_refused(client, btc_user, finished_class):
    evaluation = evaluation_open(actor=btc_user, training_class=finished_class)
    ClassEvaluation.objects.filter(pk=evaluation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    token = Invitation.objects.first().token
    response = client.post(reverse("evaluation_answer", args=[token]), SCORES)
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_a_missing_score_saves_nothing(client, btc_user, finished_class):
    evaluation_open(actor=btc_user, training_class=finished_class)
    token = Invitation.objects.first().token
    partial = {k: v for k, v in SCORES.items() if k != "huu-ich"}
    page = client.post(reverse("evaluation_answer", args=[token]), partial).content.decode()
    assert "Vui lòng chấm điểm tiêu chí này." in page
    assert not Response.objects.exists()
    assert not Invitation.objects.filter(used=True).exists()


def test_an_unknown_token_is_gone(client, plan_2021):
    response = client.get(reverse("evaluation_answer", args=["x" * 32]))
    assert response.status_code == 410


def test_results_per_class_institution_program_and_in_the_year_report(
    client, btc_user, leader_user, finished_class
):
    evaluation_open(actor=btc_user, training_class=finished_class)
    for token, useful in zip(
        Invitation.objects.values_list("token", flat=True)[:2], "54", strict=True
    ):
        client.post(reverse("evaluation_answer", args=[token]), {**SCORES, "huu-ich": useful})
    client.force_login(leader_user)
    page = client.get(reverse("evaluation_results"), {"year": 2021}).content.decode()
    assert "Lớp Trung cấp K21" in page
    assert "66,7 %" in page  # 2 answers of 3 links
    assert "4,5" in page  # usefulness: (5 + 4) / 2
    report = client.get(reverse("plan_results", args=[2021])).content.decode()
    assert "Học viên đánh giá khóa học" in report and "66,7 %" in report


@pytest.mark.parametrize("extra", [0, 5])
def test_evaluation_pages_query_count_is_flat(
    client, btc_user, finished_class, django_assert_num_queries, extra
):
    for _ in range(extra):
        factories.NominationFactory(
            course=finished_class.course,
            status="completed",
            training_class=finished_class,
            quota_line=None,
        )
    evaluation_open(actor=btc_user, training_class=finished_class)
    client.force_login(btc_user)
    url = reverse("class_evaluation", args=[finished_class.pk])
    client.get(url)
    with django_assert_num_queries(CLASS_PAGE_QUERIES):
        client.get(url)
    with django_assert_num_queries(RESULTS_PAGE_QUERIES):
        client.get(reverse("evaluation_results"), {"year": 2021})


# The same at any number of learners and classes (session, user, inbox count, the class, its
# evaluation, criteria, counts and averages, links, comments; results: three per grouping).
CLASS_PAGE_QUERIES = 16
RESULTS_PAGE_QUERIES = 18
