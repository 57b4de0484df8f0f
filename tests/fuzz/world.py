"""The objects the fuzzers post to: built on the 2021 plan with tests/factories.py. Unit A
(Huyện ủy Bình Sơn) and unit B (Huyện ủy Sơn Tịnh) each have people,
seats and nominations on a Party-block line and a State-block line; each block has a running
class with one learner, one approved candidate, a line by norm and a line by rate."""

import datetime
from types import SimpleNamespace

from courses.models import TrainingClass
from quotas.models import Allocation, Nomination
from tests import factories
from tests import fixture_2021 as lookup
from training_plan.models import (
    EventSuccessor,
    LegalDocument,
    Organisation,
    ReorganisationEvent,
    User,
)

# Every role of the application, and the fixture (tests/conftest.py) of its user.
ROLE_FIXTURES = {
    "btc": "btc_user",
    "snv": "snv_user",
    "leadership": "leader_user",
    "unit_a": "unit_a_user",
    "unit_b": "unit_b_user",
    "admin": "admin_user_2021",
}
ROLES = list(ROLE_FIXTURES)
MISSING_PK = 987_654_321


def _nomination(person, course, line, status, **fields):
    return Nomination.objects.create(
        person=person,
        course=course,
        unit=person.organisation,
        quota_line=line,
        status=status,
        **fields,
    )


def build_world(plan):
    S = Nomination.Status
    unit_a = Organisation.objects.get(code=lookup.BINH_SON)
    unit_b = Organisation.objects.get(code=lookup.SON_TINH)
    party = lookup.party_course(plan)  # II.3, capped at 460 (Khối Đảng)
    state = lookup.state_course(plan)  # III.3.1, capped at 50 (Khối Nhà nước)
    party_line, state_line = party.quota_lines.get(), state.quota_lines.get()
    for line in (party_line, state_line):
        Allocation.objects.update_or_create(quota_line=line, unit=unit_a, defaults={"count": 6})
        Allocation.objects.update_or_create(quota_line=line, unit=unit_b, defaults={"count": 4})

    person_a = factories.PersonFactory(
        theory_level="",
        full_name="Lê Thị Bình",
        organisation=lookup.unit(lookup.BINH_SON),
        identity_number="051185000001",
    )
    person_a2 = factories.PersonFactory(
        theory_level="", full_name="Trần Văn Cường", organisation=lookup.unit(lookup.BINH_SON)
    )
    person_b = factories.PersonFactory(
        theory_level="",
        full_name="Phạm Văn Tịnh",
        organisation=lookup.unit(lookup.SON_TINH),
        identity_number="051185000002",
    )
    draft_a = _nomination(person_a, party, party_line, S.DRAFT, note="Dự thảo")
    submitted_a = _nomination(person_a2, party, party_line, S.SUBMITTED)
    verified_a = _nomination(person_a, state, state_line, S.VERIFIED)
    draft_b = _nomination(person_b, state, state_line, S.DRAFT)
    submitted_b = _nomination(person_b, party, party_line, S.SUBMITTED)

    classes, learners, candidates = {}, {}, {}
    for block, course in (("party", party), ("state", state)):
        training_class = factories.TrainingClassFactory(
            course=course, capacity=3, status=TrainingClass.Status.RUNNING
        )
        learner = factories.NominationFactory(
            course=course, unit=lookup.unit(lookup.SON_TINH), status=Nomination.Status.APPROVED
        )
        factories.enrol_directly(training_class, [learner])
        candidates[block] = factories.NominationFactory(
            course=course, unit=lookup.unit(lookup.BINH_SON), status=Nomination.Status.APPROVED
        )
        classes[block], learners[block] = training_class, learner
    norm = lookup.norm(plan, plan.cost_norms.order_by("code").first().code)
    extra_norm = factories.CostNormFactory(plan=plan, code="dinh-muc-fuzz", rate=250_000)
    lines = {
        "party_norm": factories.BudgetLineFactory(
            training_class=classes["party"], rate=norm.rate, quantity=3, norm=norm
        ),
        "party_rate": factories.BudgetLineFactory(
            training_class=classes["party"], rate=1_500_000, quantity=2
        ),
        "state_norm": factories.BudgetLineFactory(
            training_class=classes["state"], rate=extra_norm.rate, norm=extra_norm
        ),
        "state_rate": factories.BudgetLineFactory(
            training_class=classes["state"], rate=900_000, quantity=4
        ),
    }
    # A reorganisation of two units of the world's own (no people, no plan data): the fuzz
    # reads and posts to the real page; applying it moves nothing of the other units.
    old_unit = Organisation.objects.create(
        code="don-vi-fuzz-cu", name="Đơn vị thử sắp xếp (cũ)", kind="unit", level="commune"
    )
    new_unit = Organisation.objects.create(
        code="don-vi-fuzz-moi",
        name="Đơn vị thử sắp xếp (mới)",
        kind="unit",
        level="commune",
        valid_from=datetime.date(2025, 7, 1),
    )
    event = ReorganisationEvent.objects.create(
        kind=ReorganisationEvent.Kind.MERGE,
        title="Hợp nhất đơn vị thử",
        effective_date=datetime.date(2025, 7, 1),
        basis=LegalDocument.objects.order_by("pk").first(),
    )
    event.predecessors.add(old_unit)
    EventSuccessor.objects.create(event=event, organisation=new_unit, is_main=True)
    return SimpleNamespace(
        plan=plan,
        event=event,
        unit_a=unit_a,
        unit_b=unit_b,
        party=party,
        state=state,
        party_line=party_line,
        state_line=state_line,
        person_a=person_a,
        person_a2=person_a2,
        person_b=person_b,
        nominations=[draft_a, submitted_a, verified_a, draft_b, submitted_b],
        draft_a=draft_a,
        classes=classes,
        learners=learners,
        candidates=candidates,
        norms=[norm, extra_norm],
        lines=lines,
        admin=User.objects.filter(is_superuser=True).first(),
    )
