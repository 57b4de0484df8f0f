"""Factories of the nomination tests: people (invented names), allocations, nominations.

Look up the 2021 plan's courses and quota lines by their codes (“II.1.1”, “II.1.1-2”).
"""

import datetime

import factory
from django.utils import timezone

from courses.models import Course
from quotas.models import Allocation, Nomination, QuotaLine
from training_plan.models import Organisation, Person

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đức", "Hà", "Hòa", "Lan", "Long", "Mai", "Nam", "Phúc"]


def course(code, year=2021):
    """“II.1.1” → the course (section II, program 1, course 1) of the year's plan."""
    roman, program, position = code.split(".")
    section = {"II": 2, "III": 3}[roman]
    return Course.objects.select_related("program__section__plan").get(
        program__section__plan__year=year,
        program__section__position=section,
        program__position=int(program),
        position=int(position),
    )


def line(code, year=2021):
    """“II.1.1-2” → quota line 2 of course II.1.1."""
    course_code, position = code.split("-")
    return QuotaLine.objects.get(course=course(course_code, year), position=int(position))


def unit(code):
    return Organisation.objects.get(code=code)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(
        lambda n: f"{FAMILY[n % 10]} {MIDDLE[n // 10 % 6]} {GIVEN[n // 60 % 12]} {n}"
    )
    date_of_birth = datetime.date(1985, 5, 20)
    gender = Person.Gender.MALE
    organisation = factory.LazyFunction(lambda: unit("huyen-uy-binh-son"))
    position = "Chuyên viên"
    manager_level = ""
    category = Person.Category.CIVIL_SERVANT
    rank = Person.Rank.EXPERT
    theory_level = Person.TheoryLevel.INTERMEDIATE
    service_start_date = datetime.date(2010, 1, 1)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    quota_line = factory.LazyFunction(lambda: line("II.1.1-2"))
    unit = factory.LazyFunction(lambda: unit("huyen-uy-binh-son"))
    count = 3


class NominationFactory(factory.django.DjangoModelFactory):
    """A nomination written directly (no workflow), for setting up seats and lists."""

    class Meta:
        model = Nomination

    person = factory.SubFactory(PersonFactory)
    course = factory.LazyAttribute(
        lambda o: o.quota_line.course if o.quota_line else course("III.1.1")
    )
    quota_line = None
    unit = factory.LazyAttribute(lambda o: o.person.organisation)
    status = Nomination.Status.DRAFT
    reserve_since = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Nomination.Status.RESERVE else None
    )
