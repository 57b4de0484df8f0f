"""Builders for the classes and budget tests: people with approved nominations, classes, lines.

Nominations are created directly as “approved” (the nomination workflow has its own tests)."""

import datetime
import itertools

from budget.models import BudgetLine, CostNorm
from courses.models import Course, TrainingClass
from quotas.models import Nomination
from training_plan.models import Organisation, Person

BINH_SON = "huyen-uy-binh-son"
SON_TINH = "huyen-uy-son-tinh"

_counter = itertools.count(1)


def course_at(plan, section, program, position=1):
    return Course.objects.select_related("program").get(
        program__section__plan=plan,
        program__section__position=section,
        program__position=program,
        position=position,
    )


def state_course(plan):
    """III.3.1 Bồi dưỡng lãnh đạo, quản lý cấp sở (Khối Nhà nước, capped at 50)."""
    return course_at(plan, 3, 3, 1)


def party_course(plan):
    """II.3 Trung cấp lý luận chính trị - hành chính (Khối Đảng)."""
    return course_at(plan, 2, 3, 1)


def make_person(full_name, org_code=BINH_SON, **fields):
    fields.setdefault("date_of_birth", datetime.date(1985, 6, 1))
    fields.setdefault("gender", Person.Gender.MALE)
    fields.setdefault("category", Person.Category.CIVIL_SERVANT)
    fields.setdefault("position", "Chuyên viên")
    return Person.objects.create(
        full_name=full_name, organisation=Organisation.objects.get(code=org_code), **fields
    )


def approved_nomination(course, full_name=None, org_code=BINH_SON, **fields):
    person = make_person(full_name or f"Nguyễn Văn Học Viên {next(_counter)}", org_code, **fields)
    return Nomination.objects.create(
        person=person,
        course=course,
        unit=person.organisation,
        quota_line=course.quota_lines.first(),
        status=Nomination.Status.APPROVED,
    )


def approved_nominations(course, count, org_code=BINH_SON):
    return [approved_nomination(course, org_code=org_code) for _ in range(count)]


def make_class(course, *, capacity=30, code=None, **fields):
    fields.setdefault("name", f"Lớp thử {next(_counter)}")
    fields.setdefault("institution", Organisation.objects.get(code="truong-chinh-tri-tinh"))
    fields.setdefault("start_date", datetime.date(2021, 6, 1))
    fields.setdefault("end_date", datetime.date(2021, 6, 30))
    return TrainingClass.objects.create(
        course=course, code=code or f"thu-{next(_counter)}", capacity=capacity, **fields
    )


def enrol_directly(training_class, nominations):
    """Put nominations into a class without the service (fixtures for read tests)."""
    for nomination in nominations:
        nomination.training_class = training_class
        nomination.status = Nomination.Status.ENROLLED
        nomination.save()


def add_line(training_class, *, rate, quantity=1, multiplier=1, kind="lump", norm=None):
    position = training_class.budget_lines.count() + 1
    return BudgetLine.objects.create(
        training_class=training_class,
        position=position,
        norm=norm,
        description=norm.item if norm else f"Khoản chi {position}",
        quantity_kind=kind,
        quantity=quantity,
        multiplier=multiplier,
        rate=rate,
    )


def norm(plan, code):
    return CostNorm.objects.get(plan=plan, code=code)
