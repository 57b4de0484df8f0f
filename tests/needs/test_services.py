"""The needs round as the services run it: opening, a unit's entries with eligibility warnings,
submit, accept and return with their records and notices, reminders, the consolidation, and the
draft plan built from the accepted needs (figures follow the needs; people become proposals,
then draft nominations when the plan is issued)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inbox.models import Notice
from needs import selectors, services
from needs.draft import apply_needs, share
from needs.models import DraftProposal, NeedsPerson, UnitNeeds, UnitNeedsTransition
from quotas.models import Nomination, NominationTransition
from reports.lifecycle import plan_copy_to_year
from tests import fixture_2021
from tests.factories import NominationFactory
from tests.needs.helpers import (
    CAO_CAP_COURSE,
    DEFENCE,
    SECOND_DEGREE,
    STATE_ENGLISH,
    YEAR,
    course,
    open_round,
    person_of,
    submitted_register,
)
from training_plan.models import Block, Person, Plan

pytestmark = pytest.mark.django_db


def test_btc_opens_the_party_round_and_every_unit_is_told(btc_user, unit_a_user, unit_b_user):
    round_ = open_round(btc_user)
    assert round_.source_plan.year == 2021
    codes = {c.code for c in round_.courses.all()}
    assert CAO_CAP_COURSE in codes and DEFENCE in codes
    assert STATE_ENGLISH not in codes  # the State block's courses are SNV's round
    for user in (unit_a_user, unit_b_user):
        notice = Notice.objects.get(recipient=user, kind=Notice.Kind.NEEDS_ROUND)
        assert "năm 2022" in notice.title and "31/10/2021" in notice.title


def test_each_office_opens_only_its_block(btc_user, snv_user):
    with pytest.raises(PermissionDenied):
        open_round(snv_user, Block.PARTY)
    with pytest.raises(PermissionDenied):
        open_round(btc_user, Block.STATE)
    state = open_round(snv_user, Block.STATE)
    assert {c.program.block for c in state.courses.all()} == {Block.STATE}


def test_a_round_takes_only_its_blocks_courses(btc_user):
    with pytest.raises(ValidationError, match="khối Đảng|Khối Đảng"):
        open_round(btc_user, courses=[course(STATE_ENGLISH)])


def test_the_round_can_be_narrowed(btc_user):
    round_ = open_round(btc_user, courses=[course(CAO_CAP_COURSE), course(DEFENCE)])
    assert sorted(c.code for c in round_.courses.all()) == [CAO_CAP_COURSE, DEFENCE]
    round_ = open_round(btc_user, courses=[course(DEFENCE)])  # adjusted, not a second round
    assert [c.code for c in round_.courses.all()] == [DEFENCE]


def test_unit_entries_with_eligibility_warnings_and_legal_basis(btc_user, unit_a_user):
    round_ = open_round(btc_user)
    register = services.register_for(
        actor=unit_a_user, round_=round_, unit=unit_a_user.organisation
    )
    holder = person_of(unit_a_user, theory_level=Person.TheoryLevel.ADVANCED)
    entry = services.person_add(
        actor=unit_a_user, register=register, person=holder, course_id=course(CAO_CAP_COURSE).pk
    )
    # A blocking rule of the course is shown as a warning with its legal basis; entry kept.
    assert entry.eligibility_flag == "blocked"
    sentence = entry.eligibility_report.sentences[0]
    assert sentence.startswith("Không đạt") and "cao cấp" in sentence
    fine = person_of(unit_a_user)
    ok = services.person_add(
        actor=unit_a_user, register=register, person=fine, course_id=course(CAO_CAP_COURSE).pk
    )
    assert ok.eligibility_flag == "ok"


def test_second_degree_asks_major_and_institution(btc_user, unit_a_user):
    round_ = open_round(btc_user)
    register = services.register_for(
        actor=unit_a_user, round_=round_, unit=unit_a_user.organisation
    )
    person = person_of(unit_a_user)
    with pytest.raises(ValidationError, match="chuyên ngành và cơ sở đào tạo"):
        services.person_add(
            actor=unit_a_user, register=register, person=person, course_id=course(SECOND_DEGREE).pk
        )
    assert not NeedsPerson.objects.exists()
    services.person_add(
        actor=unit_a_user,
        register=register,
        person=person,
        course_id=course(SECOND_DEGREE).pk,
        major="Công tác tổ chức",
        institution="Học viện Chính trị khu vực III",
    )
    with pytest.raises(ValidationError, match="đã có trong danh sách"):
        services.person_add(
            actor=unit_a_user,
            register=register,
            person=person,
            course_id=course(SECOND_DEGREE).pk,
            major="x",
            institution="y",
        )


def test_a_unit_names_only_its_own_people_and_counts_only_bồi_dưỡng(
    btc_user, unit_a_user, unit_b_user
):
    round_ = open_round(btc_user)
    register = services.register_for(
        actor=unit_a_user, round_=round_, unit=unit_a_user.organisation
    )
    other = person_of(unit_b_user)
    with pytest.raises(ValidationError, match="của đơn vị mình"):
        services.person_add(
            actor=unit_a_user, register=register, person=other, course_id=course(CAO_CAP_COURSE).pk
        )
    with pytest.raises(ValidationError, match="theo danh sách"):
        services.counts_save(
            actor=unit_a_user, register=register, entries={course(CAO_CAP_COURSE).pk: (3, "")}
        )
    # Another unit may not write into this register.
    with pytest.raises(PermissionDenied):
        services.counts_save(
            actor=unit_b_user, register=register, entries={course(DEFENCE).pk: (3, "")}
        )


def test_counts_all_or_nothing(btc_user, unit_a_user):
    round_ = open_round(btc_user)
    register = services.register_for(
        actor=unit_a_user, round_=round_, unit=unit_a_user.organisation
    )
    party_2 = course("III.2.1")
    with pytest.raises(ValidationError):
        services.counts_save(
            actor=unit_a_user,
            register=register,
            entries={course(DEFENCE).pk: (4, "QP-AN"), party_2.pk: (10**9, "")},
        )
    assert not register.counts.exists()


def test_submit_accept_return_with_records_and_notices(btc_user, snv_user, unit_a_user):
    round_ = open_round(btc_user)
    register = services.register_for(
        actor=unit_a_user, round_=round_, unit=unit_a_user.organisation
    )
    with pytest.raises(ValidationError, match="Chưa có nhu cầu"):
        services.register_submit(actor=unit_a_user, register=register)
    register = submitted_register(unit_a_user, round_, counts={DEFENCE: 5})
    assert Notice.objects.filter(recipient=btc_user, kind=Notice.Kind.SUBMITTED).exists()
    assert not Notice.objects.filter(recipient=snv_user, kind=Notice.Kind.SUBMITTED).exists()
    # Submitted: the unit no longer edits; SNV does not review the Party round.
    with pytest.raises(ValidationError, match="chỉ sửa được"):
        services.counts_save(
            actor=unit_a_user, register=register, entries={course(DEFENCE).pk: (6, "")}
        )
    with pytest.raises(PermissionDenied):
        services.register_accept(actor=snv_user, register=register)
    with pytest.raises(ValidationError, match="lý do"):
        services.register_return(actor=btc_user, register=register, reason="  ")
    services.register_return(actor=btc_user, register=register, reason="Thiếu lý do từng khóa")
    register.refresh_from_db()
    assert register.status == UnitNeeds.Status.RETURNED
    notice = Notice.objects.get(recipient=unit_a_user, kind=Notice.Kind.RETURNED)
    assert notice.detail == "Thiếu lý do từng khóa"
    services.counts_save(
        actor=unit_a_user, register=register, entries={course(DEFENCE).pk: (6, "Bổ sung")}
    )
    services.register_submit(actor=unit_a_user, register=register)
    services.register_accept(actor=btc_user, register=register)
    register.refresh_from_db()
    assert register.status == UnitNeeds.Status.ACCEPTED
    moves = list(
        UnitNeedsTransition.objects.filter(register=register).values_list(
            "from_status", "to_status", "reason"
        )
    )
    assert moves == [
        ("", "draft", ""),
        ("draft", "submitted", ""),
        ("submitted", "returned", "Thiếu lý do từng khóa"),
        ("returned", "submitted", ""),
        ("submitted", "accepted", ""),
    ]
    assert Notice.objects.filter(recipient=unit_a_user, kind=Notice.Kind.APPROVED).exists()
    # The count's own history: 5 then 6.
    counts = register.counts.get()
    assert [h.count for h in counts.history.order_by("history_date")] == [5, 6]


def test_reminders_go_once_to_units_that_have_not_submitted(btc_user, unit_a_user, unit_b_user):
    round_ = open_round(btc_user)
    submitted_register(unit_a_user, round_, counts={DEFENCE: 1})
    today = round_.deadline - datetime.timedelta(days=3)
    assert services.remind_deadlines(today) >= 1
    reminded = Notice.objects.filter(kind=Notice.Kind.DEADLINE)
    assert reminded.filter(recipient=unit_b_user).count() == 1
    assert not reminded.filter(recipient=unit_a_user).exists()
    services.remind_deadlines(today)
    assert reminded.filter(recipient=unit_b_user).count() == 1


def test_consolidation_counts_submitted_and_accepted_and_lists_the_rest(
    btc_user, unit_a_user, unit_b_user
):
    round_ = open_round(btc_user)
    people = [(person_of(unit_a_user), CAO_CAP_COURSE, "", "") for _ in range(2)]
    a = submitted_register(unit_a_user, round_, counts={DEFENCE: 7}, people=people)
    services.register_accept(actor=btc_user, register=a)
    b = services.register_for(actor=unit_b_user, round_=round_, unit=unit_b_user.organisation)
    services.counts_save(actor=unit_b_user, register=b, entries={course(DEFENCE).pk: (50, "")})
    # Last year's actual enrolment of the Cao cấp course.
    NominationFactory(
        status=Nomination.Status.ENROLLED, quota_line=course(CAO_CAP_COURSE).quota_lines.first()
    )
    [table] = selectors.consolidation(YEAR)
    rows = {row.course.code: row for row in table.rows}
    assert rows[DEFENCE].total == 7  # Sơn Tịnh's draft is not counted
    assert rows[DEFENCE].accepted == 7
    assert rows[CAO_CAP_COURSE].total == 2
    assert rows[CAO_CAP_COURSE].last_plan == 130
    assert rows[CAO_CAP_COURSE].last_enrolled == 1
    assert [u.code for u in table.units] == [fixture_2021.BINH_SON]
    waiting = dict((unit.code, status) for unit, status in table.waiting)
    assert waiting[fixture_2021.SON_TINH] == "Đang soạn"
    assert fixture_2021.BINH_SON not in waiting
    assert table.total == 9


def test_share_keeps_the_total():
    assert share(90, [4, 56, 10, 60]) == [3, 39, 7, 41]
    assert sum(share(7, [1, 1, 1])) == 7
    assert share(5, [0, 0]) == [3, 2]


def test_draft_figures_follow_accepted_needs_and_people_wait_as_proposals(
    btc_user, snv_user, unit_a_user, unit_b_user
):
    party = open_round(btc_user)
    state = open_round(snv_user, Block.STATE)
    people = [(person_of(unit_a_user), CAO_CAP_COURSE, "", "") for _ in range(3)]
    a = submitted_register(unit_a_user, party, counts={DEFENCE: 7}, people=people)
    services.register_accept(actor=btc_user, register=a)
    b = submitted_register(
        unit_b_user, party, people=[(person_of(unit_b_user), CAO_CAP_COURSE, "", "")]
    )
    # Sơn Tịnh's register is only submitted: not in the draft.
    s = submitted_register(unit_a_user, state, counts={STATE_ENGLISH: 12})
    services.register_accept(actor=snv_user, register=s)

    plan = plan_copy_to_year(plan=fixture_2021.plan(), actor=btc_user, year=YEAR)
    build = apply_needs(plan=plan, actor=btc_user)
    cao_cap = fixture_2021.course(CAO_CAP_COURSE, YEAR)
    assert cao_cap.quantity == 3
    lines = [line.planned_count for line in cao_cap.quota_lines.order_by("position")]
    assert sum(lines) == 3
    english = fixture_2021.course(STATE_ENGLISH, YEAR)
    assert english.quantity == 12
    assert english.quota_lines.get().planned_count == 12
    assert fixture_2021.program("III.3", YEAR).quantity == 1410 - 100 + 12
    assert fixture_2021.program("II.1", YEAR).quantity == 3 + 15
    # Untouched: last year's figure.
    assert fixture_2021.course("III.3.1", YEAR).quantity == 50
    figures = {row["code"]: row for row in build.figures}
    assert figures[CAO_CAP_COURSE] | {} == {
        "code": CAO_CAP_COURSE,
        "name": cao_cap.name,
        "block": "party",
        "before": 130,
        "needs": 3,
        "after": 3,
    }
    proposals = DraftProposal.objects.filter(plan=plan)
    assert proposals.count() == 3
    assert set(proposals.values_list("unit__code", flat=True)) == {fixture_2021.BINH_SON}
    # Built again: the same.
    apply_needs(plan=plan, actor=btc_user)
    assert DraftProposal.objects.filter(plan=plan).count() == 3
    assert fixture_2021.course(CAO_CAP_COURSE, YEAR).quantity == 3
    # Sơn Tịnh accepted later: rebuilt, its person joins and the figure follows.
    services.register_accept(actor=btc_user, register=b)
    apply_needs(plan=plan, actor=btc_user)
    assert fixture_2021.course(CAO_CAP_COURSE, YEAR).quantity == 4
    assert DraftProposal.objects.filter(plan=plan).count() == 4


def test_only_btc_builds_the_draft(snv_user, btc_user):
    open_round(btc_user)
    plan = plan_copy_to_year(plan=fixture_2021.plan(), actor=btc_user, year=YEAR)
    with pytest.raises(PermissionDenied):
        apply_needs(plan=plan, actor=snv_user)


def test_issuing_turns_proposals_into_draft_nominations(btc_user, unit_a_user):
    from needs.draft import proposals_to_nominations

    party = open_round(btc_user)
    person = person_of(unit_a_user)
    a = submitted_register(unit_a_user, party, people=[(person, "II.3.1", "", "")])
    services.register_accept(actor=btc_user, register=a)
    plan = plan_copy_to_year(plan=fixture_2021.plan(), actor=btc_user, year=YEAR)
    apply_needs(plan=plan, actor=btc_user)
    plan.status = Plan.Status.ISSUED
    plan.save(update_fields=["status"])
    assert proposals_to_nominations(plan=plan, actor=btc_user) == 1
    nomination = Nomination.objects.get(person=person)
    assert nomination.status == Nomination.Status.DRAFT
    assert nomination.unit_id == unit_a_user.organisation_id
    assert nomination.course == fixture_2021.course("II.3.1", YEAR)
    assert nomination.quota_line == nomination.course.quota_lines.get()  # the only line
    assert NominationTransition.objects.filter(nomination=nomination, to_status="draft").exists()
    proposal = DraftProposal.objects.get(plan=plan)
    assert proposal.nomination == nomination
    assert proposals_to_nominations(plan=plan, actor=btc_user) == 0  # not twice
