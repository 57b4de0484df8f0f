"""factory_boy factories for tests that need objects beyond the 2021 fixture.

They build on the fixture when it is loaded (courses, quota lines and institutions of the 2021
plan) and create what they need otherwise, so each works alone: `NominationFactory()` makes a
person, a unit and a course. Names are fictional.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from budget.models import BudgetBlock, BudgetLine, CostNorm
from courses.models import Course, Program, StudyMode, TrainingClass
from quotas.models import Allocation, Nomination, QuotaLine
from training_plan.models import Block, Organisation, Person, Plan, Section, User


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"don-vi-thu-{n}")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    kind = Organisation.Kind.UNIT
    level = Organisation.Level.DISTRICT
    block = Block.PARTY


class InstitutionFactory(OrganisationFactory):
    code = factory.Sequence(lambda n: f"co-so-thu-{n}")
    name = factory.Sequence(lambda n: f"Cơ sở đào tạo thử nghiệm {n}")
    kind = Organisation.Kind.INSTITUTION
    level = Organisation.Level.PROVINCE
    block = ""


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoi_dung_{n}")
    role = User.Role.UNIT
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", "secret-password-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    date_of_birth = factory.Sequence(lambda n: datetime.date(1975 + n % 25, 1 + n % 12, 1))
    gender = Person.Gender.MALE
    organisation = factory.SubFactory(OrganisationFactory)
    category = Person.Category.CIVIL_SERVANT
    rank = Person.Rank.EXPERT


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["province", "year"]

    year = 2021
    title = factory.LazyAttribute(
        lambda o: f"Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {o.year}"
    )
    issuing_body = factory.SubFactory(
        OrganisationFactory,
        code="btv-tinh-uy",
        name="Ban Thường vụ Tỉnh ủy",
        kind=Organisation.Kind.DIRECTING,
        level=Organisation.Level.PROVINCE,
    )
    preamble = "Lời mở đầu."
    purpose = "Mục đích."
    requirements = "Yêu cầu."
    signer_name = "Người ký"


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["plan", "position"]

    plan = factory.SubFactory(PlanFactory)
    position = 3
    kind = Section.Kind.FOSTERING
    title = "Về công tác bồi dưỡng"


class ProgramFactory(DjangoModelFactory):
    class Meta:
        model = Program

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: 50 + n)
    kind = Program.Kind.OTHER
    name = factory.Sequence(lambda n: f"Chương trình thử nghiệm {n}")
    period = "Trong năm"
    block = Block.PARTY


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(lambda n: 1 + n)
    name = factory.Sequence(lambda n: f"Khóa thử nghiệm {n}")


class QuotaLineFactory(DjangoModelFactory):
    class Meta:
        model = QuotaLine

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: 1 + n)
    institution = factory.SubFactory(InstitutionFactory)
    study_mode = StudyMode.FULL_TIME
    planned_count = 20


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    quota_line = factory.SubFactory(QuotaLineFactory)
    unit = factory.SubFactory(OrganisationFactory)
    count = 5


class TrainingClassFactory(DjangoModelFactory):
    class Meta:
        model = TrainingClass

    course = factory.SubFactory(CourseFactory)
    code = factory.Sequence(lambda n: f"lop-thu-{n}")
    name = factory.Sequence(lambda n: f"Lớp thử nghiệm {n}")
    institution = factory.SubFactory(InstitutionFactory)
    study_mode = StudyMode.FULL_TIME
    start_date = datetime.date(2021, 6, 1)
    end_date = datetime.date(2021, 6, 30)
    capacity = 40
    planned_learners = 30


class NominationFactory(DjangoModelFactory):
    class Meta:
        model = Nomination

    person = factory.SubFactory(PersonFactory)
    unit = factory.SelfAttribute("person.organisation")
    course = factory.SubFactory(CourseFactory)
    quota_line = None
    status = Nomination.Status.DRAFT


class BudgetBlockFactory(DjangoModelFactory):
    class Meta:
        model = BudgetBlock
        django_get_or_create = ["plan", "block"]

    plan = factory.SubFactory(PlanFactory)
    block = Block.PARTY
    position = 1
    planned_total = 1_000_000_000


class CostNormFactory(DjangoModelFactory):
    class Meta:
        model = CostNorm

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"dinh-muc-thu-{n}")
    item = "Thù lao giảng viên"
    unit = "buổi"
    rate = 1_000_000


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    training_class = factory.SubFactory(TrainingClassFactory)
    position = factory.Sequence(lambda n: 1 + n)
    description = "Thù lao giảng viên"
    quantity_kind = BudgetLine.QuantityKind.SESSIONS
    quantity = 10
    multiplier = 1
    rate = 1_000_000
