"""The needs and versions objects the URL tables reach (tests/test_permissions.py,
tests/fuzz/test_forms.py): made on demand inside the caller's transaction, once per test.

- the Party-block and State-block rounds of 2022 on the 2021 plan;
- unit A's (Huyện ủy Bình Sơn) Party-block register, a draft with a count and a named person;
- two saved versions of the 2021 plan, an issued one and an amendment after it;
- for the admin's pages (tests/security/test_admin_pages.py): a move of the register, a build of
  a draft from the needs and a person it proposed."""

import datetime
import hashlib

from needs.models import (
    DraftBuild,
    DraftProposal,
    NeedsCount,
    NeedsPerson,
    NeedsRound,
    UnitNeeds,
    UnitNeedsTransition,
)
from tests import fixture_2021
from tests.factories import PersonFactory
from training_plan.models import Block, Plan
from versions.models import PlanVersion

YEAR = 2022


def rounds():
    plan = Plan.objects.get(year=2021)
    made = {}
    for block in Block.values:
        round_, created = NeedsRound.objects.get_or_create(
            year=YEAR,
            block=block,
            defaults={"source_plan": plan, "deadline": datetime.date(2021, 10, 31)},
        )
        if created:
            round_.courses.set(
                fixture_2021.course(code)
                for code in (("II.1.1", "III.1.1") if block == Block.PARTY else ("III.3.7",))
            )
        made[block] = round_
    return made


def register():
    """Unit A's Party-block register (a draft) with one count and one named person."""
    round_ = rounds()[Block.PARTY]
    unit = fixture_2021.unit(fixture_2021.BINH_SON)
    register, created = UnitNeeds.objects.get_or_create(round=round_, unit=unit)
    if created:
        NeedsCount.objects.create(register=register, course=fixture_2021.course("III.1.1"), count=3)
        NeedsPerson.objects.create(
            register=register,
            course=fixture_2021.course("II.1.1"),
            person=PersonFactory(organisation=unit, full_name="Đỗ Thị Nhu Cầu"),
        )
    return register


def entry():
    return register().people.first()


def admin_objects():
    """One object of each needs model that has an admin page of its own."""
    register_ = register()
    transition = register_.transitions.first() or UnitNeedsTransition.objects.create(
        register=register_, from_status="", to_status=UnitNeeds.Status.DRAFT
    )
    plan = Plan.objects.get(year=2021)
    build = DraftBuild.objects.filter(plan=plan).first() or DraftBuild.objects.create(
        plan=plan,
        figures=[{"code": "III.1.1", "name": "Trung cấp", "before": 5, "needs": 3, "after": 3}],
    )
    named = register_.people.first()
    proposal = DraftProposal.objects.filter(plan=plan).first() or DraftProposal.objects.create(
        plan=plan,
        course=named.course,
        person=named.person,
        unit=register_.unit,
        source=named,
    )
    return register_, transition, build, proposal


def _version(plan, number, step, **fields):
    pdf = f"%PDF-1.7 phiên bản {number}".encode()
    version = PlanVersion.objects.filter(plan=plan, number=number).first()
    if version is not None:
        return version
    return PlanVersion.objects.create(
        plan=plan,
        number=number,
        step=step,
        content=_content(plan, number),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        **fields,
    )


def _content(plan, number):
    return {
        "year": plan.year,
        "status": "Đã ban hành",
        "number": "25-KH/TU",
        "issue_date": "05/01/2021",
        "texts": {"Mục đích": f"Mục đích của phiên bản {number}."},
        "figures": {"II.1": {"label": "Cao cấp", "value": 145 + number, "block": "party"}},
        "quota_lines": {},
        "classes": {},
        "money": {},
        "blocks": {"party": {"label": "Khối Đảng", "planned": 7_237_406_000}},
    }


def versions():
    plan = Plan.objects.get(year=2021)
    issued = _version(plan, 1, PlanVersion.Step.ISSUED)
    amended = _version(plan, 2, PlanVersion.Step.AMENDED, amendment_number=1, note="Bổ sung")
    return issued, amended
