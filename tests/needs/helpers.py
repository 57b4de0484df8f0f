"""Builders of the needs tests: rounds of 2022 on the 2021 plan, a unit's register with entries."""

import datetime
import hashlib

from django.template.loader import render_to_string

from needs import services
from needs.models import UnitNeeds
from tests import fixture_2021
from tests.factories import PersonFactory
from training_plan.models import Block

YEAR = 2022
DEADLINE = datetime.date(2021, 10, 31)
CAO_CAP_COURSE = "II.1.1"  # đào tạo: named people; rule “not holding cao cấp” (blocks)
SECOND_DEGREE = "II.2.2"  # văn bằng hai, Công tác tổ chức: major and institution required
DEFENCE = "III.1.1"  # bồi dưỡng QP-AN: a count
STATE_ENGLISH = "III.3.7"  # State block: a count, 100 in 2021


def open_round(actor, block=Block.PARTY, **kwargs):
    return services.round_open(
        actor=actor, year=YEAR, block=block, deadline=DEADLINE, note="Gửi trước hạn.", **kwargs
    )


def course(code):
    return fixture_2021.course(code)


def fake_pdf(template_name, context, **options):
    """The plan PDF without WeasyPrint: bytes that follow the HTML the template renders, so that
    a change of the plan changes the “PDF” as it would change the real one."""
    html = render_to_string(template_name, context)
    return b"%PDF-1.7 " + hashlib.sha256(html.encode()).hexdigest().encode()


def submitted_register(unit_user, round_, *, counts=None, people=()):
    """A unit's register of the round with counts {course code: n} and people [(person, code,
    major, institution)], submitted."""
    register = services.register_for(actor=unit_user, round_=round_, unit=unit_user.organisation)
    if counts:
        services.counts_save(
            actor=unit_user,
            register=register,
            entries={course(code).pk: (n, "Cần cho đơn vị") for code, n in counts.items()},
        )
    for person, code, major, institution in people:
        services.person_add(
            actor=unit_user,
            register=register,
            person=person,
            course_id=course(code).pk,
            major=major,
            institution=institution,
        )
    services.register_submit(actor=unit_user, register=register)
    register.refresh_from_db()
    assert register.status == UnitNeeds.Status.SUBMITTED
    return register


def person_of(user, **fields):
    return PersonFactory(organisation=user.organisation, **fields)
