"""Slips found in use (issue 13, 2–3): verdicts follow the rules in force, and a learner of a
class that has not begun is not shown as “Đang học”."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import EligibilityRule, TrainingClass
from quotas import services
from quotas.models import Nomination
from tests.factories import NominationFactory, PersonFactory, TrainingClassFactory
from tests.fixture_2021 import course
from tests.helpers import client_for, page_text, run_worker
from training_plan.models import LegalDocument

pytestmark = pytest.mark.django_db
S = Nomination.Status


@pytest.fixture
def unruled(unit_a_user):
    """A submitted nomination to III.1.1, a course without eligibility rules."""
    person = PersonFactory(full_name="Võ Văn Lớn Tuổi", date_of_birth=datetime.date(1960, 5, 5))
    nomination = services.nomination_create(
        actor=unit_a_user, person=person, course=course("III.1.1")
    )
    return services.nomination_submit(actor=unit_a_user, nomination=nomination)


def add_age_rule(target_course):
    return EligibilityRule.objects.create(
        course=target_course,
        code="duoi-50",
        kind=EligibilityRule.Kind.MAX_AGE,
        params={"age": 50, "below": True},
        description="Dưới 50 tuổi",
        legal_document=LegalDocument.objects.first(),
    )


def test_a_new_rule_recomputes_the_stored_verdicts(unruled):
    assert unruled.eligibility_flag == "none"
    rule = add_age_rule(unruled.course)
    run_worker()
    unruled.refresh_from_db()
    assert unruled.eligibility_flag == "blocked"
    assert [v["code"] for v in unruled.eligibility_details] == ["duoi-50"]

    rule.delete()
    run_worker()
    unruled.refresh_from_db()
    assert unruled.eligibility_flag == "none"


def test_decided_files_keep_the_verdicts_they_were_decided_on(unruled):
    Nomination.objects.filter(pk=unruled.pk).update(status=S.APPROVED)
    add_age_rule(unruled.course)
    run_worker()
    unruled.refresh_from_db()
    assert unruled.eligibility_flag == "none"


def test_the_verifier_reads_the_rules_in_force_before_any_recomputation(client, btc_user, unruled):
    add_age_rule(unruled.course)  # the task has not run yet: the stored verdicts are stale
    text = page_text(client_for(client, btc_user).get(unruled.get_absolute_url()))
    assert "Dưới 50 tuổi" in text
    assert "không có điều kiện kiểm tra tự động" not in text


# Learners of a class that has not begun --------------------------------------------------------


def learner_in(training_class):
    return NominationFactory(
        course=training_class.course,
        quota_line=training_class.course.quota_lines.first(),
        status=S.ENROLLED,
        training_class=training_class,
    )


@pytest.mark.parametrize(
    ("status", "starts_in_days", "label"),
    [
        (TrainingClass.Status.PLANNED, -5, "Đã xếp lớp, chưa khai giảng"),
        (TrainingClass.Status.OPEN, 10, "Đã xếp lớp, chưa khai giảng"),
        (TrainingClass.Status.OPEN, 0, "Đang học"),
        (TrainingClass.Status.RUNNING, 10, "Đang học"),
    ],
)
def test_an_enrolled_learner_is_learning_only_once_the_class_began(
    client, btc_user, status, starts_in_days, label
):
    start = timezone.localdate() + datetime.timedelta(days=starts_in_days)
    training_class = TrainingClassFactory(
        status=status, start_date=start, end_date=start + datetime.timedelta(days=60)
    )
    learner = learner_in(training_class)
    assert learner.learner_label == label
    row = page_text(
        client_for(client, btc_user).get(reverse("class_detail", args=[training_class.pk]))
    )
    assert f"{learner.person.full_name}" in row
    assert label in row
    if label != "Đang học":
        assert "Đang học" not in row.split(learner.person.full_name, 1)[1][:200]
