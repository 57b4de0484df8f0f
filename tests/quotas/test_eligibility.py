"""Eligibility rules as data: the evaluator, the 2021 rules, and later figures by data alone."""

import datetime

import pytest

from courses import eligibility
from courses.models import EligibilityRule, Program
from quotas.models import Nomination
from tests.factories import CourseFactory, PersonFactory
from tests.fixture_2021 import course, unit
from training_plan.models import LegalDocument, Person

pytestmark = pytest.mark.django_db


def rule_of(course_code, code):
    return EligibilityRule.objects.get(course=course(course_code), code=code)


def months(training, commitment):
    return Nomination(training_months=training, commitment_months=commitment)


def test_fixture_has_the_rules_of_the_2021_plan(plan_2021):
    codes = {
        (rule.course.program.number + f".{rule.course.position}", rule.code, rule.kind)
        for rule in EligibilityRule.objects.select_related("course__program__section")
    }
    assert ("III.3.7", "duoi-40-tuoi", "max_age") in codes
    assert ("III.3.5", "ngach-chuyen-vien", "rank") in codes
    for position in (1, 2, 3, 4):
        assert (f"III.3.{position}", "chuc-vu-lanh-dao", "manager") in codes
    for position in (1, 2, 3):
        assert (f"III.2.{position}", "chuc-vu-lanh-dao", "manager") in codes
    assert ("II.1.1", "chua-co-cao-cap", "not_holding_theory") in codes
    assert ("II.3.1", "chua-co-trung-cap", "not_holding_theory") in codes
    assert ("II.4.1", "nd101-tham-nien", "min_service") in codes
    assert ("II.4.1", "nd101-tuoi", "max_age") in codes
    assert ("II.4.1", "nd101-cam-ket", "service_commitment") in codes
    nd101 = rule_of("II.4.1", "nd101-cam-ket")
    assert nd101.legal_document.number == "101/2017/NĐ-CP"
    assert nd101.article == "Điều 6 khoản 2 điểm c"
    assert nd101.params == {"multiplier": 2}
    assert (nd101.valid_from, nd101.valid_to) == (
        datetime.date(2017, 11, 1),
        datetime.date(2025, 6, 30),
    )


def test_english_course_under_40_in_the_plan_year(plan_2021):
    rule = rule_of("III.3.7", "duoi-40-tuoi")
    young = PersonFactory.build(date_of_birth=datetime.date(1982, 12, 31))
    forty = PersonFactory.build(date_of_birth=datetime.date(1981, 1, 1))
    assert eligibility.evaluate(rule, young, 2021, None) == (
        True,
        "39 tuổi trong năm 2021; yêu cầu dưới 40 tuổi.",
    )
    assert eligibility.evaluate(rule, forty, 2021, None) == (
        False,
        "40 tuổi trong năm 2021; yêu cầu dưới 40 tuổi.",
    )


def test_postgraduate_age_is_not_over_40(plan_2021):
    rule = rule_of("II.4.1", "nd101-tuoi")
    assert eligibility.evaluate(
        rule, PersonFactory.build(date_of_birth=datetime.date(1981, 6, 1)), 2021, None
    )[0]
    ok, message = eligibility.evaluate(
        rule, PersonFactory.build(date_of_birth=datetime.date(1980, 6, 1)), 2021, None
    )
    assert not ok
    assert message == "41 tuổi trong năm 2021; yêu cầu không quá 40 tuổi."


@pytest.mark.parametrize(
    "rank, passes",
    [
        (Person.Rank.EXPERT, True),
        (Person.Rank.OFFICER, True),
        (Person.Rank.MAIN_EXPERT, False),
        (Person.Rank.STAFF, False),
        ("", False),
    ],
)
def test_chuyen_vien_course_needs_rank_chuyen_vien_or_can_su(plan_2021, rank, passes):
    ok, message = eligibility.evaluate(
        rule_of("III.3.5", "ngach-chuyen-vien"), PersonFactory.build(rank=rank), 2021, None
    )
    assert ok is passes
    assert "chuyên viên và tương đương hoặc cán sự và tương đương" in message


def test_leadership_course_needs_a_managerial_position_or_planning(plan_2021):
    rule = rule_of("III.3.3", "chuc-vu-lanh-dao")
    head = PersonFactory.build(manager_level=Person.ManagerLevel.DIVISION)
    planned = PersonFactory.build(planned_positions="Phó Trưởng phòng Nội vụ")
    neither = PersonFactory.build()
    assert eligibility.evaluate(rule, head, 2021, None)[0] is True
    assert eligibility.evaluate(rule, planned, 2021, None) == (
        True,
        "Chức vụ lãnh đạo, quản lý: chưa giữ; thuộc nguồn quy hoạch: Phó Trưởng phòng Nội vụ.",
    )
    assert eligibility.evaluate(rule, neither, 2021, None) == (
        False,
        "Chức vụ lãnh đạo, quản lý: chưa giữ; yêu cầu lãnh đạo cấp phòng và tương đương.",
    )
    # The English course counts only positions actually held.
    english = rule_of("III.3.7", "chuc-vu-lanh-dao")
    assert eligibility.evaluate(english, planned, 2021, None)[0] is False


@pytest.mark.parametrize(
    "course_code, rule_code, level, passes",
    [
        ("II.1.1", "chua-co-cao-cap", Person.TheoryLevel.ADVANCED, False),
        ("II.1.1", "chua-co-cao-cap", Person.TheoryLevel.BACHELOR, False),
        ("II.1.1", "chua-co-cao-cap", Person.TheoryLevel.INTERMEDIATE, True),
        ("II.3.1", "chua-co-trung-cap", Person.TheoryLevel.INTERMEDIATE, False),
        ("II.3.1", "chua-co-trung-cap", Person.TheoryLevel.ADVANCED, False),
        ("II.3.1", "chua-co-trung-cap", Person.TheoryLevel.ELEMENTARY, True),
        ("II.3.1", "chua-co-trung-cap", Person.TheoryLevel.NONE, True),
    ],
)
def test_theory_courses_are_for_people_who_do_not_hold_the_degree(
    plan_2021, course_code, rule_code, level, passes
):
    ok, message = eligibility.evaluate(
        rule_of(course_code, rule_code), PersonFactory.build(theory_level=level), 2021, None
    )
    assert ok is passes
    if not passes:
        assert message.startswith("Đã có trình độ lý luận chính trị")


def test_postgraduate_three_years_of_service_counted_to_the_end_of_a_past_plan_year(plan_2021):
    rule = rule_of("II.4.1", "nd101-tham-nien")
    short = PersonFactory.build(service_start_date=datetime.date(2019, 3, 1))
    enough = PersonFactory.build(service_start_date=datetime.date(2018, 12, 31))
    unknown = PersonFactory.build(service_start_date=None)
    assert eligibility.evaluate(rule, short, 2021, None) == (
        False,
        "Đã công tác 2 năm 9 tháng (từ 01/03/2019 đến 31/12/2021); yêu cầu từ đủ 3 năm.",
    )
    assert eligibility.evaluate(rule, enough, 2021, None)[0] is True
    assert eligibility.evaluate(rule, unknown, 2021, None) == (
        False,
        "Hồ sơ chưa ghi ngày vào công tác; yêu cầu công tác từ đủ 3 năm.",
    )


def test_postgraduate_commitment_at_least_twice_the_training_time(plan_2021):
    rule = rule_of("II.4.1", "nd101-cam-ket")
    person = PersonFactory.build()
    assert eligibility.evaluate(rule, person, 2021, months(24, 48)) == (
        True,
        "Cam kết phục vụ 48 tháng, thời gian đào tạo 24 tháng; yêu cầu ít nhất gấp hai lần "
        "(48 tháng).",
    )
    assert eligibility.evaluate(rule, person, 2021, months(24, 47))[0] is False
    ok, message = eligibility.evaluate(rule, person, 2021, months(None, None))
    assert not ok
    assert message.startswith("Chưa ghi thời gian đào tạo và thời gian cam kết phục vụ")


def test_bad_params_fail_with_a_message_rather_than_an_error(plan_2021):
    rule = EligibilityRule(kind=EligibilityRule.Kind.MAX_AGE, params={}, description="x")
    assert eligibility.evaluate(rule, PersonFactory.build(), 2021, None) == (
        False,
        "Tham số của điều kiện này không hợp lệ; báo quản trị hệ thống kiểm tra.",
    )


def test_report_flags_and_overrides(plan_2021):
    person = PersonFactory.build(
        date_of_birth=datetime.date(1975, 1, 1), service_start_date=datetime.date(2000, 1, 1)
    )
    report = eligibility.check(course("II.4.1"), person, 2021, months(24, 48))
    assert report.flag == eligibility.Flag.WARN
    assert [v.code for v in report.warnings] == ["nd101-tuoi"]
    assert report.blocking == []
    report.override_warnings()
    assert report.flag == eligibility.Flag.OVERRIDDEN
    restored = eligibility.EligibilityReport.from_details(report.to_details())
    assert restored.flag == eligibility.Flag.OVERRIDDEN
    assert restored.verdicts == report.verdicts
    # Accepted once, a warning stays accepted when the rules are checked again.
    again = eligibility.check(
        course("II.4.1"), person, 2021, months(24, 48), overridden={"nd101-tuoi"}
    )
    assert again.flag == eligibility.Flag.OVERRIDDEN
    blocked = eligibility.check(course("II.4.1"), person, 2021, months(24, 40))
    assert blocked.flag == eligibility.Flag.BLOCKED
    assert eligibility.check(course("II.2.1"), person, 2021).flag == eligibility.Flag.NONE


def _later_postgraduate_course(year):
    """A later plan's postgraduate course, built from data only (no code knows the year)."""
    return CourseFactory(
        program__section__plan__year=year,
        program__section__position=2,
        program__section__kind="training",
        program__section__title="Về công tác đào tạo",
        program__position=4,
        program__kind=Program.Kind.POSTGRADUATE,
        program__name="Đào tạo sau đại học",
        name="Đào tạo sau đại học",
    )


def test_a_later_plan_applies_decree_171_figures_by_data_alone(plan_2021):
    later = _later_postgraduate_course(2026)
    nd101 = LegalDocument.objects.get(number="101/2017/NĐ-CP")
    nd171 = LegalDocument.objects.create(
        number="171/2025/NĐ-CP",
        kind=LegalDocument.Kind.DECREE,
        date=datetime.date(2025, 6, 30),
        issuer=unit("chinh-phu"),
        subject="quy định về đào tạo, bồi dưỡng công chức",
    )
    # The 2021 rules copied to the later course keep their dates, so they must not apply.
    for rule in EligibilityRule.objects.filter(course=course("II.4.1")):
        rule.pk = None
        rule.course = later
        rule.save()
    common = {"course": later, "legal_document": nd171, "valid_from": datetime.date(2025, 7, 1)}
    EligibilityRule.objects.create(
        code="nd171-tham-nien",
        kind="min_service",
        params={"years": 3},
        description="Có thời gian công tác từ đủ 03 năm trở lên",
        **common,
    )
    EligibilityRule.objects.create(
        code="nd171-tuoi",
        kind="max_age",
        params={"age": 45, "below": False},
        severity="warn",
        description="Không quá 45 tuổi khi được cử đi đào tạo sau đại học lần đầu",
        **common,
    )
    EligibilityRule.objects.create(
        code="nd171-cam-ket",
        kind="service_commitment",
        params={"multiplier": 3},
        description="Cam kết phục vụ ít nhất gấp 03 lần thời gian đào tạo",
        **common,
    )
    person = PersonFactory.build(
        date_of_birth=datetime.date(1983, 3, 3), service_start_date=datetime.date(2010, 1, 1)
    )

    old = eligibility.check(course("II.4.1"), person, 2021, months(24, 60))
    assert {v.code: v.ok for v in old.verdicts} == {
        "nd101-cam-ket": True,
        "nd101-tham-nien": True,
        "nd101-tuoi": True,
    }
    new = eligibility.check(later, person, 2026, months(24, 60))
    verdicts = {v.code: v for v in new.verdicts}
    assert set(verdicts) == {"nd171-cam-ket", "nd171-tham-nien", "nd171-tuoi"}
    assert verdicts["nd171-tuoi"].ok
    assert verdicts["nd171-tuoi"].message == "43 tuổi trong năm 2026; yêu cầu không quá 45 tuổi."
    assert not verdicts["nd171-cam-ket"].ok
    assert verdicts["nd171-cam-ket"].message == (
        "Cam kết phục vụ 60 tháng, thời gian đào tạo 24 tháng; yêu cầu ít nhất gấp ba lần "
        "(72 tháng)."
    )
    assert verdicts["nd171-cam-ket"].basis.startswith(
        "Nghị định 171/2025/NĐ-CP ngày 30/06/2025 của Chính phủ"
    )
    assert nd101.eligibilityrule_set.filter(course=later).count() == 3  # present, not applied


@pytest.mark.parametrize(
    "valid_from, valid_to, applies",
    [
        (None, None, True),
        (datetime.date(2021, 7, 1), None, True),
        (None, datetime.date(2021, 1, 1), True),
        (datetime.date(2022, 1, 1), None, False),
        (None, datetime.date(2020, 12, 31), False),
        (datetime.date(2017, 11, 1), datetime.date(2025, 6, 30), True),
    ],
)
def test_a_rule_applies_only_between_its_dates(plan_2021, valid_from, valid_to, applies):
    english = course("III.3.7")
    EligibilityRule.objects.create(
        course=english,
        code="thu",
        kind="max_age",
        params={"age": 30, "below": True},
        description="Dưới 30 tuổi",
        valid_from=valid_from,
        valid_to=valid_to,
    )
    person = PersonFactory.build(
        date_of_birth=datetime.date(1985, 1, 1), manager_level=Person.ManagerLevel.DIVISION
    )
    report = eligibility.check(english, person, 2021)
    assert ("thu" in {v.code for v in report.verdicts}) is applies
    assert report.flag == (eligibility.Flag.BLOCKED if applies else eligibility.Flag.OK)
