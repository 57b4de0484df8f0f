"""factory_boy factories of the tests: one per model, on top of the 2021 plan fixture.

What a test does not pass is taken from the fixture (tests/fixture_2021.py): a user or a person
belongs to Huyện ủy Bình Sơn, an allocation gives it seats of the Cao cấp line II.1.1-2, a
nomination is a draft of one of its people on the first quota line of its course, a class is
held at the institution of that line. Names are fictional. Pass whatever the test is about.

The few builders at the end make several objects at once (a class with its estimate, a list of
learners in bulk) or change existing ones (enrol without the service).
"""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from budget.models import BudgetBlock, BudgetLine, CostNorm
from courses.models import Course, Program, TrainingClass
from quotas.models import Allocation, Nomination, QuotaLine
from tests import fixture_2021
from tests.fixture_2021 import BINH_SON, CAO_CAP, DEMAND_COURSE, PARTY_COURSE, POLITICAL_SCHOOL
from training_plan.models import Block, Person, Plan, Section, User
from training_plan.text import name_sort_key, normalise_search

PASSWORD = "secret-password-123"  # of every user made here (the login and browser tests type it)


def _unit_a():
    return fixture_2021.unit(BINH_SON)


# --- Users ----------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """A unit user of Huyện ủy Bình Sơn; `btc=True`, `snv=True` or `leadership=True` for the
    other roles (each in its organisation of the fixture), `admin=True` for a superuser."""

    class Meta:
        model = User

    class Params:
        btc = factory.Trait(
            role=User.Role.BTC,
            organisation=factory.LazyFunction(lambda: fixture_2021.unit(fixture_2021.BTC)),
        )
        snv = factory.Trait(
            role=User.Role.SNV,
            organisation=factory.LazyFunction(lambda: fixture_2021.unit(fixture_2021.SNV)),
        )
        leadership = factory.Trait(
            role=User.Role.LEADERSHIP,
            organisation=factory.LazyFunction(lambda: fixture_2021.unit(fixture_2021.LEADERSHIP)),
        )
        admin = factory.Trait(role="", organisation=None, is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"nguoi_dung_{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = Password(PASSWORD)
    role = User.Role.UNIT
    organisation = factory.LazyFunction(_unit_a)


# --- The plan tree, for plans other than the fixture's ----------------------------------------


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["province", "year"]

    province = "Quảng Ngãi"
    year = fixture_2021.YEAR
    title = factory.LazyAttribute(
        lambda o: f"Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm {o.year}"
    )
    issuing_body = factory.LazyFunction(lambda: fixture_2021.unit("btv-tinh-uy"))
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
    position = 1
    name = factory.Sequence(lambda n: f"Khóa thử nghiệm {n}")


class QuotaLineFactory(DjangoModelFactory):
    class Meta:
        model = QuotaLine

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: 1 + n)
    institution = factory.LazyFunction(lambda: fixture_2021.unit(POLITICAL_SCHOOL))
    planned_count = 20


# --- People, allocations, nominations ---------------------------------------------------------


class PersonFactory(DjangoModelFactory):
    """A civil servant (chuyên viên) of Huyện ủy Bình Sơn, born 1985, in service since 2010,
    with intermediate political theory: eligible for most courses of the 2021 plan."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    date_of_birth = datetime.date(1985, 5, 20)
    gender = Person.Gender.MALE
    organisation = factory.LazyFunction(_unit_a)
    position = "Chuyên viên"
    category = Person.Category.CIVIL_SERVANT
    rank = Person.Rank.EXPERT
    theory_level = Person.TheoryLevel.INTERMEDIATE
    service_start_date = datetime.date(2010, 1, 1)


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    quota_line = factory.LazyFunction(lambda: fixture_2021.line(CAO_CAP))
    unit = factory.LazyFunction(_unit_a)
    count = 3


_FIRST_LINE = object()  # NominationFactory's default quota line: the course's first


class NominationFactory(DjangoModelFactory):
    """A nomination written directly (no workflow: that has its own tests), a draft unless a
    status is given.

    Give any of person, unit, course and quota line; what is not given follows from what is:
    - unit: the person's unit; a new person is made in the given unit (Bình Sơn by default);
    - course: the quota line's course; without a line, III.1.1 (a course without quota lines);
    - quota line: the first line of the course (none for III.1.1); `quota_line=None` for none.
    The unit and course cannot be resolved by declarations alone (each may come from the other
    side), so `_adjust_kwargs` fills them once the given values are known.
    """

    class Meta:
        model = Nomination

    person = factory.SubFactory(
        PersonFactory,
        organisation=factory.LazyAttribute(lambda o: o.factory_parent.unit or _unit_a()),
    )
    unit = None
    course = None
    quota_line = _FIRST_LINE
    status = Nomination.Status.DRAFT
    reserve_since = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == Nomination.Status.RESERVE else None
    )

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        quota_line = kwargs["quota_line"]
        if kwargs["unit"] is None:
            kwargs["unit"] = kwargs["person"].organisation
        if kwargs["course"] is None:
            given = quota_line not in (None, _FIRST_LINE)
            kwargs["course"] = quota_line.course if given else fixture_2021.course(DEMAND_COURSE)
        if quota_line is _FIRST_LINE:
            kwargs["quota_line"] = kwargs["course"].quota_lines.first()
        return kwargs


# --- Classes and budget -----------------------------------------------------------------------


class TrainingClassFactory(DjangoModelFactory):
    """A class of the State-block course III.3.1 unless a course is given, at the institution
    of the course's first quota line, from March to June 2021, for up to 30 learners."""

    class Meta:
        model = TrainingClass

    course = factory.LazyFunction(fixture_2021.state_course)
    code = factory.Sequence(lambda n: f"lop-thu-{n}")
    name = factory.Sequence(lambda n: f"Lớp thử nghiệm {n}")
    institution = factory.LazyAttribute(
        lambda o: (
            getattr(o.course.quota_lines.first(), "institution", None)
            or fixture_2021.unit(POLITICAL_SCHOOL)
        )
    )
    start_date = datetime.date(2021, 3, 1)
    end_date = datetime.date(2021, 6, 30)
    capacity = 30


class BudgetBlockFactory(DjangoModelFactory):
    class Meta:
        model = BudgetBlock
        django_get_or_create = ["plan", "block"]

    plan = factory.LazyFunction(fixture_2021.plan)
    block = Block.PARTY
    position = 1
    planned_total = 1_000_000_000


class CostNormFactory(DjangoModelFactory):
    class Meta:
        model = CostNorm

    plan = factory.LazyFunction(fixture_2021.plan)
    code = factory.Sequence(lambda n: f"dinh-muc-thu-{n}")
    item = "Thù lao giảng viên"
    unit = "buổi"
    rate = 1_000_000


class BudgetLineFactory(DjangoModelFactory):
    """The next line of the class's estimate: one lump sum of 1.000.000 đồng unless told, named
    after its norm when it has one."""

    class Meta:
        model = BudgetLine

    training_class = factory.SubFactory(TrainingClassFactory)
    position = factory.LazyAttribute(lambda o: o.training_class.budget_lines.count() + 1)
    norm = None
    description = factory.LazyAttribute(
        lambda o: o.norm.item if o.norm else f"Khoản chi {o.position}"
    )
    quantity_kind = BudgetLine.QuantityKind.LUMP
    quantity = 1
    multiplier = 1
    rate = 1_000_000


# --- Builders ---------------------------------------------------------------------------------


def class_with_estimate(course, amount, **fields):
    """A class whose budget lines sum to `amount` đồng (one lump line)."""
    training_class = TrainingClassFactory(course=course, **fields)
    BudgetLineFactory(training_class=training_class, rate=amount)
    return training_class


def enrol_directly(training_class, nominations):
    """Put nominations into a class without the service (set-up for read tests)."""
    for nomination in nominations:
        nomination.training_class = training_class
        nomination.status = Nomination.Status.ENROLLED
        nomination.save()


def learners(training_class, unit, count, *, status=Nomination.Status.ENROLLED, names=None):
    """`count` people of `unit` in the class, written in bulk (for large lists)."""
    names = names or [f"Học Viên Thứ {index:04d}" for index in range(count)]
    people = [
        Person(
            full_name=name,
            # bulk_create skips save(): fill the derived name fields as save() would.
            search_name=normalise_search(name),
            sort_key=name_sort_key(name),
            date_of_birth=datetime.date(1985, 1, 1),
            gender=Person.Gender.FEMALE,
            organisation=unit,
            category=Person.Category.CIVIL_SERVANT,
            position="Phó Trưởng phòng",
        )
        for name in names
    ]
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


# --- Commitments and evaluation (issue 16) -----------------------------------------------------


def commitment(
    *,
    person=None,
    sent_date=datetime.date(2021, 9, 1),
    training_months=24,
    required_months=None,
    return_date=None,
    cost=None,
    training_class=None,
    course=None,
    status=Nomination.Status.ENROLLED,
):
    """A commitment written directly under the rule in force on `sent_date` (T1 the rule's
    least unless given), with its nomination (Party-block course II.3.1 unless told)."""
    from commitments.models import Commitment
    from commitments.seed import commitment_rules_seed
    from commitments.services import rule_in_force

    commitment_rules_seed()
    person = person or PersonFactory()
    course = course or (training_class.course if training_class else None)
    nomination = NominationFactory(
        person=person,
        course=course or fixture_2021.course(PARTY_COURSE),
        status=status,
        training_class=training_class,
        quota_line=None,
    )
    rule = rule_in_force(category=person.category, sent_date=sent_date)
    record = Commitment(
        nomination=nomination,
        person=person,
        rule=rule,
        sent_date=sent_date,
        signed_date=sent_date,
        training_months=training_months,
        required_months=required_months or rule.multiple * training_months,
        return_date=return_date,
        cost=cost,
        cost_source="Chứng từ thanh toán học phí" if cost is not None else "",
    )
    record.service_end_date = record.compute_service_end()
    record.save()
    return record


def decided_commitment(*, kind="dropout", event_date=datetime.date(2022, 3, 1), **fields):
    """A commitment with its repayment decided (figures from the service's calculation)."""
    from commitments.models import RepaymentCase
    from commitments.services import repayment_calculate

    fields.setdefault("cost", 10_000_000)
    record = commitment(**fields)
    calculation = repayment_calculate(commitment=record, kind=kind, event_date=event_date)
    RepaymentCase.objects.create(
        commitment=record,
        kind=kind,
        event_date=event_date,
        share=calculation.share,
        cost=calculation.cost,
        cost_source=calculation.cost_source,
        required_months=calculation.required_months,
        served_months=calculation.served_months,
        amount=calculation.amount,
        legal_citation=calculation.citation,
    )
    return record
