"""A double click or twelve identical requests create one record: the natural key of each create
form (a person, a class, a cost norm, a budget line) is checked inside its lock, with a clear
Vietnamese message for the second request."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from budget import services as budget_services
from budget.models import BudgetLine, CostNorm
from courses.models import TrainingClass
from quotas import classes
from tests.factories import TrainingClassFactory
from tests.fixture_2021 import norm, state_course, unit
from training_plan.models import Organisation, Person
from training_plan.services import person_create

BINH_SON = "huyen-uy-binh-son"


def person_data(**overrides):
    return {
        "full_name": "Trần Thị Thu Hà",
        "date_of_birth": datetime.date(1988, 5, 17),
        "gender": Person.Gender.FEMALE,
        "organisation": unit(BINH_SON),
        "position": "Chuyên viên",
        "category": Person.Category.CIVIL_SERVANT,
        "rank": Person.Rank.EXPERT,
        "identity_number": "051188001234",
    } | overrides


def class_data(**overrides):
    return {
        "name": "Lớp bồi dưỡng lãnh đạo cấp sở khóa I",
        "institution": Organisation.objects.get(code="co-so-dao-tao-lien-quan"),
        "start_date": datetime.date(2021, 9, 6),
        "end_date": datetime.date(2021, 9, 30),
        "capacity": 40,
    } | overrides


@pytest.mark.django_db
class TestOneRecordPerNaturalKey:
    def test_a_person_twice(self, unit_a_user):
        person_create(actor=unit_a_user, data=person_data())
        with pytest.raises(ValidationError) as second:
            person_create(actor=unit_a_user, data=person_data())
        assert second.value.messages == [
            "Trần Thị Thu Hà (sinh 17/05/1988) đã có hồ sơ tại Huyện ủy Bình Sơn: "
            "không tạo thêm hồ sơ thứ hai."
        ]
        assert Person.objects.filter(full_name="Trần Thị Thu Hà").count() == 1

    def test_the_same_identity_number_in_another_unit(self, btc_user):
        person_create(actor=btc_user, data=person_data())
        with pytest.raises(ValidationError, match="đã có hồ sơ tại Huyện ủy Bình Sơn"):
            person_create(
                actor=btc_user,
                data=person_data(full_name="Lê Văn Tám", organisation=unit("huyen-uy-son-tinh")),
            )

    def test_the_same_name_without_identity_number(self, unit_a_user):
        person_create(actor=unit_a_user, data=person_data(identity_number=""))
        with pytest.raises(ValidationError, match="đã có hồ sơ tại Huyện ủy Bình Sơn"):
            person_create(
                actor=unit_a_user, data=person_data(identity_number="", full_name="TRẦN THỊ THU HÀ")
            )

    def test_a_class_twice(self, plan_2021, snv_user):
        course = state_course(plan_2021)
        before = TrainingClass.objects.filter(course=course).count()
        first = classes.training_class_create(course=course, actor=snv_user, **class_data())
        with pytest.raises(ValidationError) as second:
            classes.training_class_create(course=course, actor=snv_user, **class_data())
        assert f"(mã {first.code}): không mở thêm lớp trùng." in second.value.messages[0]
        assert TrainingClass.objects.filter(course=course).count() == before + 1

    def test_a_cost_norm_twice(self, plan_2021, snv_user):
        data = {"item": "Nước uống giữa giờ", "unit": "học viên/ngày", "rate": 20_000}
        budget_services.cost_norm_create(plan=plan_2021, actor=snv_user, **data)
        with pytest.raises(ValidationError, match="Định mức “Nước uống giữa giờ”"):
            budget_services.cost_norm_create(plan=plan_2021, actor=snv_user, **data)
        assert CostNorm.objects.filter(plan=plan_2021, item="Nước uống giữa giờ").count() == 1

    def test_a_budget_line_twice(self, plan_2021, snv_user):
        training_class = TrainingClassFactory(course=state_course(plan_2021))
        data = {
            "norm": norm(plan_2021, "tai-lieu-hoc-tap"),
            "quantity_kind": "learners",
            "quantity": 40,
        }
        budget_services.budget_line_create(training_class=training_class, actor=snv_user, **data)
        with pytest.raises(ValidationError, match="đã có trong dự toán của lớp"):
            budget_services.budget_line_create(
                training_class=training_class, actor=snv_user, **data
            )
        assert BudgetLine.objects.filter(training_class=training_class).count() == 1


def at_once(count, work):
    """`work()` from `count` threads and connections released together; the outcomes."""
    barrier = threading.Barrier(count)
    outcomes = []

    def worker():
        try:
            barrier.wait(timeout=30)
            work()
            outcomes.append("created")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestTwelveAtOnce:
    def test_twelve_identical_person_creates_make_one_person(
        self, postgres_only, plan_2021, unit_a_user
    ):
        outcomes = at_once(12, lambda: person_create(actor=unit_a_user, data=person_data()))
        assert outcomes.count("created") == 1, outcomes
        assert Person.objects.filter(identity_number="051188001234").count() == 1

    def test_twelve_identical_class_creates_make_one_class(
        self, postgres_only, plan_2021, snv_user
    ):
        course = state_course(plan_2021)
        before = TrainingClass.objects.filter(course=course).count()
        outcomes = at_once(
            12,
            lambda: classes.training_class_create(course=course, actor=snv_user, **class_data()),
        )
        assert outcomes.count("created") == 1, outcomes
        assert TrainingClass.objects.filter(course=course).count() == before + 1

    def test_twelve_identical_norm_creates_make_one_norm(self, postgres_only, plan_2021, snv_user):
        data = {"item": "Nước uống giữa giờ", "unit": "học viên/ngày", "rate": 20_000}
        outcomes = at_once(
            12, lambda: budget_services.cost_norm_create(plan=plan_2021, actor=snv_user, **data)
        )
        assert outcomes.count("created") == 1, outcomes
        assert CostNorm.objects.filter(plan=plan_2021, item="Nước uống giữa giờ").count() == 1
