"""Factories for the documents, exports and dashboard tests (classes, budget lines, people,
allocations, nominations on the 2021 plan)."""

import datetime

import factory

from budget.models import BudgetLine
from courses.models import Course, TrainingClass
from quotas.models import Allocation, Nomination, QuotaLine
from training_plan.models import Organisation, Person


def course_of(plan, section, program, position=1):
    return Course.objects.get(
        program__section__plan=plan,
        program__section__position=section,
        program__position=program,
        position=position,
    )


def org(code):
    return Organisation.objects.get(code=code)


class TrainingClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingClass

    code = factory.Sequence(lambda n: f"lop-{n}")
    name = factory.Sequence(lambda n: f"Lớp thử nghiệm {n}")
    institution = factory.LazyAttribute(lambda o: o.course.quota_lines.first().institution)
    start_date = datetime.date(2021, 3, 1)
    end_date = datetime.date(2021, 6, 30)
    capacity = 600
    planned_learners = 40


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    position = factory.Sequence(lambda n: n + 1)
    description = "Thù lao giảng viên"
    quantity_kind = BudgetLine.QuantityKind.LUMP
    quantity = 1
    multiplier = 1
    rate = 1_000_000


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    date_of_birth = datetime.date(1980, 5, 17)
    gender = Person.Gender.MALE
    category = Person.Category.CIVIL_SERVANT
    position = "Chuyên viên"


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    person = factory.SubFactory(PersonFactory, organisation=factory.SelfAttribute("..unit"))
    status = Nomination.Status.SUBMITTED
    quota_line = factory.LazyAttribute(lambda o: o.course.quota_lines.first())


def quota_line(plan, section, program, course=1, position=1):
    return QuotaLine.objects.get(
        course=course_of(plan, section, program, course), position=position
    )


def class_with_estimate(course, amount, **kwargs):
    """A class whose budget lines sum to `amount` đồng (one lump line)."""
    training_class = TrainingClassFactory(course=course, **kwargs)
    BudgetLineFactory(training_class=training_class, position=1, rate=amount)
    return training_class


def learners(training_class, unit, count, *, status=Nomination.Status.ENROLLED, names=None):
    """`count` people of `unit` enrolled in the class (bulk, for large lists)."""
    names = names or [f"Học Viên Thứ {index:04d}" for index in range(count)]
    people = [
        Person(
            full_name=name,
            date_of_birth=datetime.date(1985, 1, 1),
            gender=Person.Gender.FEMALE,
            organisation=unit,
            category=Person.Category.CIVIL_SERVANT,
            position="Phó Trưởng phòng",
        )
        for name in names
    ]
    for person in people:
        # bulk_create skips save(): fill the derived name fields as save() would.
        from training_plan.text import name_sort_key, normalise_search

        person.search_name = normalise_search(person.full_name)
        person.sort_key = name_sort_key(person.full_name)
    people = Person.objects.bulk_create(people)
    line = training_class.course.quota_lines.first()
    return Nomination.objects.bulk_create(
        [
            Nomination(
                person=person,
                course=training_class.course,
                quota_line=line,
                unit=unit,
                status=status,
                training_class=training_class,
            )
            for person in people
        ]
    )
