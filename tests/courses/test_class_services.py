"""Class services: who may open and change classes, enrolment, results, cancelling."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses.models import TrainingClass
from quotas import classes as services
from quotas.models import Nomination, NominationTransition
from tests.factories import NominationFactory, TrainingClassFactory, enrol_directly
from tests.fixture_2021 import SON_TINH, party_course, state_course, unit

pytestmark = pytest.mark.django_db


def create_kwargs(**changes):
    kwargs = {
        "name": "Lớp bồi dưỡng lãnh đạo cấp sở khóa I",
        "institution": unit("co-so-dao-tao-lien-quan"),
        "start_date": datetime.date(2021, 9, 6),
        "end_date": datetime.date(2021, 9, 30),
        "capacity": 40,
        "venue": "Quảng Ngãi",
        "study_mode": "tap_trung",
        "planned_learners": 35,
    }
    kwargs.update(changes)
    return kwargs


def test_snv_opens_a_state_block_class(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = services.training_class_create(
        course=course, actor=snv_user, **create_kwargs()
    )
    assert training_class.course == course
    assert training_class.status == TrainingClass.Status.PLANNED
    assert training_class.code == "lop-2"  # the fixture's illustrative class is the first
    assert training_class.planned_learners == 35


def test_snv_cannot_open_or_change_a_party_block_class(plan_2021, snv_user, btc_user):
    course = party_course(plan_2021)
    with pytest.raises(PermissionDenied):
        services.training_class_create(course=course, actor=snv_user, **create_kwargs())
    training_class = services.training_class_create(
        course=course, actor=btc_user, **create_kwargs()
    )
    with pytest.raises(PermissionDenied):
        services.training_class_update(training_class=training_class, actor=snv_user, capacity=5)
    with pytest.raises(PermissionDenied):
        services.class_cancel(training_class=training_class, actor=snv_user)
    training_class.refresh_from_db()
    assert training_class.capacity == 40
    assert training_class.status == TrainingClass.Status.PLANNED


def test_btc_cannot_open_a_state_block_class(plan_2021, btc_user):
    with pytest.raises(PermissionDenied):
        services.training_class_create(
            course=state_course(plan_2021), actor=btc_user, **create_kwargs()
        )


@pytest.mark.parametrize("persona", ["leader_user", "unit_a_user"])
def test_read_only_roles_cannot_open_classes(plan_2021, persona, request):
    user = request.getfixturevalue(persona)
    for course in (state_course(plan_2021), party_course(plan_2021)):
        with pytest.raises(PermissionDenied):
            services.training_class_create(course=course, actor=user, **create_kwargs())


@pytest.mark.parametrize(
    "dates, field, message",
    [
        ({"start_date": datetime.date(9999, 1, 1), "end_date": datetime.date(9999, 2, 1)},
         "start_date", "Lớp của kế hoạch năm 2021 khai giảng trong các năm 2020–2022."),
        ({"start_date": datetime.date(1, 1, 1)},
         "start_date", "Lớp của kế hoạch năm 2021 khai giảng trong các năm 2020–2022."),
        ({"end_date": datetime.date(9999, 12, 31)}, "end_date", "Một lớp kéo dài không quá 6 năm."),
    ],
)  # fmt: skip
def test_class_dates_stay_near_the_plan_year(plan_2021, snv_user, dates, field, message):
    before = TrainingClass.objects.count()
    with pytest.raises(ValidationError) as error:
        services.training_class_create(
            course=state_course(plan_2021), actor=snv_user, **create_kwargs(**dates)
        )
    assert error.value.message_dict[field] == [message]
    assert TrainingClass.objects.count() == before


def test_class_dates_must_be_ordered(plan_2021, snv_user):
    with pytest.raises(ValidationError) as error:
        services.training_class_create(
            course=state_course(plan_2021),
            actor=snv_user,
            **create_kwargs(end_date=datetime.date(2021, 9, 1)),
        )
    assert error.value.message_dict["end_date"] == [
        "Ngày bế giảng phải bằng hoặc sau ngày khai giảng."
    ]


def test_enrol_moves_approved_nominations_into_the_class_and_records_it(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=3)
    first, second = NominationFactory.create_batch(2, course=course, status="approved")
    assert (
        services.class_enrol(
            training_class=training_class, nomination_ids=[first.pk, second.pk], actor=snv_user
        )
        == 2
    )
    for nomination in (first, second):
        nomination.refresh_from_db()
        assert nomination.status == Nomination.Status.ENROLLED
        assert nomination.training_class == training_class
        transition = NominationTransition.objects.get(nomination=nomination)
        assert (transition.from_status, transition.to_status) == ("approved", "enrolled")
        assert transition.actor == snv_user


def test_enrol_over_capacity_enrols_nobody(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=3)
    enrol_directly(
        training_class, NominationFactory.create_batch(2, course=course, status="approved")
    )
    waiting = NominationFactory.create_batch(2, course=course, status="approved")
    with pytest.raises(ValidationError) as error:
        services.class_enrol(
            training_class=training_class,
            nomination_ids=[n.pk for n in waiting],
            actor=snv_user,
        )
    assert "Lớp chỉ còn 1 chỗ trống, không xếp được 2 học viên" in error.value.messages[0]
    assert Nomination.objects.filter(pk__in=[n.pk for n in waiting], status="approved").count() == 2
    assert not Nomination.objects.filter(
        pk__in=[n.pk for n in waiting], training_class__isnull=False
    )


def test_enrol_refuses_nominations_not_approved_or_of_another_course(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=10)
    submitted = NominationFactory(
        course=course, status="approved", person__full_name="Trần Văn Gửi"
    )
    submitted.status = Nomination.Status.SUBMITTED
    submitted.save()
    other_course = NominationFactory(
        course=state_course(plan_2021).program.courses.get(position=2), status="approved"
    )
    fine = NominationFactory(course=course, status="approved")
    for bad in (submitted, other_course):
        with pytest.raises(ValidationError):
            services.class_enrol(
                training_class=training_class, nomination_ids=[fine.pk, bad.pk], actor=snv_user
            )
    fine.refresh_from_db()
    assert fine.status == Nomination.Status.APPROVED  # all or nothing


def test_enrol_refuses_a_nomination_already_in_a_class(plan_2021, snv_user):
    course = state_course(plan_2021)
    first_class, second_class = (
        TrainingClassFactory(course=course),
        TrainingClassFactory(course=course),
    )
    nomination = NominationFactory(course=course, status="approved")
    services.class_enrol(training_class=first_class, nomination_ids=[nomination.pk], actor=snv_user)
    with pytest.raises(ValidationError) as error:
        services.class_enrol(
            training_class=second_class, nomination_ids=[nomination.pk], actor=snv_user
        )
    assert "đã được xếp vào một lớp" in " ".join(error.value.messages)


@pytest.mark.parametrize("status", ["finished", "cancelled"])
def test_no_enrolment_into_a_finished_or_cancelled_class(plan_2021, snv_user, status):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, status=status)
    nomination = NominationFactory(course=course, status="approved")
    with pytest.raises(ValidationError):
        services.class_enrol(
            training_class=training_class, nomination_ids=[nomination.pk], actor=snv_user
        )


def test_capacity_cannot_drop_below_the_learners(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=5)
    enrol_directly(
        training_class, NominationFactory.create_batch(3, course=course, status="approved")
    )
    with pytest.raises(ValidationError) as error:
        services.training_class_update(training_class=training_class, actor=snv_user, capacity=2)
    assert "Lớp đã có 3 học viên" in error.value.message_dict["capacity"][0]
    services.training_class_update(training_class=training_class, actor=snv_user, capacity=3)
    training_class.refresh_from_db()
    assert training_class.capacity == 3


def test_results_need_a_started_class_and_a_reason_for_not_completed(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=5)
    done, failed = NominationFactory.create_batch(2, course=course, status="approved")
    enrol_directly(training_class, [done, failed])
    results = {done.pk: ("completed", ""), failed.pk: ("not_completed", "Ốm dài ngày")}
    with pytest.raises(ValidationError):  # still “planned”
        services.class_record_results(
            training_class=training_class, results=results, actor=snv_user
        )
    services.training_class_update(training_class=training_class, actor=snv_user, status="running")
    with pytest.raises(ValidationError) as error:
        services.class_record_results(
            training_class=training_class,
            results={done.pk: ("completed", ""), failed.pk: ("not_completed", "  ")},
            actor=snv_user,
        )
    assert "cần ghi lý do không hoàn thành" in error.value.messages[0]
    done.refresh_from_db()
    assert done.status == Nomination.Status.ENROLLED  # nothing written

    assert (
        services.class_record_results(
            training_class=training_class, results=results, actor=snv_user
        )
        == 2
    )
    done.refresh_from_db()
    failed.refresh_from_db()
    assert done.status == Nomination.Status.COMPLETED
    assert failed.status == Nomination.Status.NOT_COMPLETED
    assert failed.result_reason == "Ốm dài ngày"
    assert failed.transitions.last().reason == "Ốm dài ngày"


def test_cancel_returns_learners_to_approved(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=5)
    services.class_enrol(
        training_class=training_class,
        nomination_ids=[
            n.pk for n in NominationFactory.create_batch(2, course=course, status="approved")
        ],
        actor=snv_user,
    )
    assert services.class_cancel(training_class=training_class, actor=snv_user, reason="Thiếu") == 2
    training_class.refresh_from_db()
    assert training_class.status == TrainingClass.Status.CANCELLED
    back = Nomination.objects.filter(course=course, status=Nomination.Status.APPROVED)
    assert back.count() == 2
    assert not back.filter(training_class__isnull=False).exists()
    assert back.first().transitions.last().reason.startswith(f"Lớp {training_class.name} bị hủy")


def test_cancel_refused_once_a_learner_has_a_result(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course, capacity=5, status="running")
    nomination = NominationFactory(course=course, status="approved")
    enrol_directly(training_class, [nomination])
    services.class_record_results(
        training_class=training_class, results={nomination.pk: ("completed", "")}, actor=snv_user
    )
    with pytest.raises(ValidationError):
        services.class_cancel(training_class=training_class, actor=snv_user)
    training_class.refresh_from_db()
    assert training_class.status == "running"


def test_unenrol_returns_one_learner(plan_2021, snv_user):
    course = state_course(plan_2021)
    training_class = TrainingClassFactory(course=course)
    nomination = NominationFactory(course=course, status="approved", unit=unit(SON_TINH))
    services.class_enrol(
        training_class=training_class, nomination_ids=[nomination.pk], actor=snv_user
    )
    services.class_unenrol(
        training_class=training_class, nomination_id=nomination.pk, actor=snv_user
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED
    assert nomination.training_class is None


# Counts within the domain: 2^31 learners overflowed the integer column (DataError on PostgreSQL).


def test_class_counts_are_bounded_in_the_form_and_the_service(plan_2021, snv_user):
    from courses.forms import TrainingClassForm

    form = TrainingClassForm({"capacity": 2**31, "planned_learners": 2**31})
    assert not form.is_valid()
    assert form.errors["capacity"] == ["Sĩ số tối đa không quá 100.000 người."]
    assert form.errors["planned_learners"] == ["Số học viên dự kiến không quá 100.000 người."]
    course = state_course(plan_2021)
    before = TrainingClass.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.training_class_create(
            course=course, actor=snv_user, **create_kwargs(capacity=2**31, planned_learners=0)
        )
    assert refusal.value.message_dict == {"capacity": ["Sĩ số tối đa không quá 100.000 người."]}
    assert TrainingClass.objects.count() == before
    training_class = services.training_class_create(
        course=course, actor=snv_user, **create_kwargs(capacity=100_000, planned_learners=0)
    )
    with pytest.raises(ValidationError) as refusal:
        services.training_class_update(
            training_class=training_class, actor=snv_user, planned_learners=2**31
        )
    assert refusal.value.message_dict == {
        "planned_learners": ["Số học viên dự kiến không quá 100.000 người."]
    }
    training_class.refresh_from_db()
    assert training_class.planned_learners == 0
