"""factory_boy factories shared by the tests (the 2021 plan fixture provides organisations)."""

import datetime as dt

import factory

from quotas.models import Allocation, Nomination
from training_plan.models import Organisation, Person


def unit(code):
    return Organisation.objects.get(code=code)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    date_of_birth = dt.date(1985, 3, 1)
    gender = Person.Gender.MALE
    organisation = factory.LazyFunction(lambda: unit("huyen-uy-binh-son"))
    category = Person.Category.CIVIL_SERVANT
    rank = Person.Rank.EXPERT


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    count = 1


class NominationFactory(factory.django.DjangoModelFactory):
    """A nomination written directly (no workflow): for setting up seats held."""

    class Meta:
        model = Nomination

    person = factory.SubFactory(PersonFactory)
    course = factory.LazyAttribute(lambda o: o.quota_line.course)
    unit = factory.LazyAttribute(lambda o: o.person.organisation)
    status = Nomination.Status.SUBMITTED
