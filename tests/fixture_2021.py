"""Lookups into the 2021 plan fixture (fixtures/*_2021.json, loaded once per test session by
tests/conftest.py): the organisations, plan tree, quota lines and cost norms the tests name.

Courses, programs and quota lines are named by their number in the plan, as the import template
and the eligibility rules name them: program “II.1”, course “II.1.1” (section II, program 1,
course 1), quota line “II.1.1-2” (line 2 of that course). Each lookup takes the plan year, or the
plan itself, for the later plans some tests copy or build; it defaults to 2021.
"""

from budget.models import CostNorm
from courses.models import Course, Program
from quotas.models import QuotaLine
from training_plan.models import Organisation, Plan

YEAR = 2021

# Organisations (codes of fixtures/plan_2021.json).
BINH_SON = "huyen-uy-binh-son"  # unit A of the personas
SON_TINH = "huyen-uy-son-tinh"  # unit B of the personas
TU_NGHIA = "huyen-uy-tu-nghia"
BTC = "btc-tinh-uy"  # Ban Tổ chức Tỉnh ủy: reviews the Party block
SNV = "so-noi-vu"  # Sở Nội vụ: reviews the State block
LEADERSHIP = "thuong-truc-tinh-uy"  # Thường trực Tỉnh ủy
POLITICAL_SCHOOL = "truong-chinh-tri-tinh"  # Trường Chính trị tỉnh

# Courses and quota lines.
CAO_CAP = "II.1.1-2"  # Cao cấp LLCT, full-time at HVCT khu vực III: 56 seats, Party block
DEMAND_COURSE = "III.1.1"  # Bồi dưỡng kiến thức Quốc phòng - An ninh: no quota lines
PARTY_COURSE = "II.3.1"  # Trung cấp lý luận chính trị - hành chính (Khối Đảng)
STATE_COURSE = "III.3.1"  # Bồi dưỡng lãnh đạo, quản lý cấp sở (Khối Nhà nước, 50 seats)

NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}  # section 2 is “II” in the plan
_SECTIONS = {numeral: number for number, numeral in NUMERALS.items()}


def _year(plan_or_year):
    return getattr(plan_or_year, "year", plan_or_year)


def plan(year=YEAR):
    return Plan.objects.get(year=_year(year))


def unit(code):
    """Any organisation of the fixture by its code (units, institutions, bodies)."""
    return Organisation.objects.get(code=code)


def program(code, year=YEAR):
    """“II.1” → program 1 of section II of the year's plan."""
    section, position = code.split(".")
    return Program.objects.select_related("section__plan").get(
        section__plan__year=_year(year), section__position=_SECTIONS[section], position=position
    )


def course(code, year=YEAR):
    """“II.1.1” → course 1 of program II.1 of the year's plan."""
    section, program_position, position = code.split(".")
    return Course.objects.select_related("program__section__plan").get(
        program__section__plan__year=_year(year),
        program__section__position=_SECTIONS[section],
        program__position=int(program_position),
        position=int(position),
    )


def line(code, year=YEAR):
    """“II.1.1-2” → quota line 2 of course II.1.1."""
    course_code, position = code.split("-")
    return QuotaLine.objects.get(course=course(course_code, year), position=int(position))


def state_course(year=YEAR):
    """III.3.1 Bồi dưỡng lãnh đạo, quản lý cấp sở (Khối Nhà nước, capped at 50)."""
    return course(STATE_COURSE, year)


def party_course(year=YEAR):
    """II.3.1 Trung cấp lý luận chính trị - hành chính (Khối Đảng)."""
    return course(PARTY_COURSE, year)


def norm(plan_or_year, code):
    """The plan's cost norm with this code: `norm(plan_2021, "tai-lieu-hoc-tap")` (a norm belongs
    to one plan, so the plan comes first here)."""
    return CostNorm.objects.get(plan__year=_year(plan_or_year), code=code)


# --- A course by its place in the plan (section II or III, program, course).


def course_of(plan, section, program, position=1):
    return course(f"{NUMERALS[section]}.{program}.{position}", plan)
