"""Fictional data at province or national scale, for the benchmark (`seed_demo --scale`).

On top of the 2021 fixture: ≈60 units of both blocks, people, the plans 2022–2025 copied from
2021, allocations, nominations per year in realistic statuses with their transitions, classes
and budget lines. Everything comes from one seeded random generator, so two runs on empty
databases give the same rows. Rows are written with `bulk_create` in batches; `bulk_create`
skips `save()`, so the derived fields (`search_name`, `sort_key`) are computed here, and no
history rows are written for generated data.
"""

import datetime
import itertools
import math
import random
import time
from dataclasses import dataclass
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from budget.models import BudgetLine, CostNorm
from courses import eligibility
from courses.models import Course, EligibilityRule, ProgramInstitution, TrainingClass
from demo.year import OVERRIDE_REASON
from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from training_plan.models import Block, Organisation, Person, Plan
from training_plan.text import name_sort_key, normalise_search


@dataclass(frozen=True)
class Scale:
    people: int
    units: int
    nominations_per_year: int


SCALES = {
    "province": Scale(people=40_000, units=60, nominations_per_year=10_000),
    "national": Scale(people=2_000_000, units=3_000, nominations_per_year=500_000),
}
YEARS = [2021, 2022, 2023, 2024, 2025]
CURRENT_YEAR = 2025
SEED = 20210415
BATCH = 5_000
CODE_PREFIX = "qm-"  # codes of generated organisations (quy mô)


def scale_for(name, *, people=None):
    """The scale by name; `people` overrides the head count and scales the rest with it."""
    base = SCALES[name]
    if people is None:
        return base
    ratio = people / base.people
    return Scale(
        people=people,
        units=max(20, min(base.units, round(base.units * ratio)) if ratio < 1 else base.units),
        nominations_per_year=max(100, round(base.nominations_per_year * ratio)),
    )


# --- Names ----------------------------------------------------------------------------------

FAMILY = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Võ", 5),
    ("Phan", 4), ("Trương", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2),
    ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Đoàn", 1), ("Lâm", 1), ("Mai", 1), ("Tô", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Ngọc", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị Thu", "Ngọc", "Thanh", "Thị Kim", "Thu", "Thị Mỹ", "Hoài"]
GIVEN_MALE = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng", "Huy", "Khánh",
    "Khoa", "Long", "Minh", "Nam", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tâm", "Thắng",
    "Thành", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Toàn", "Lộc", "Nhân",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hương", "Lan", "Linh", "Loan",
    "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trang",
    "Trinh", "Tuyết", "Vân", "Yến", "Uyên", "Diễm", "Ánh", "Hồng", "Liên",
]  # fmt: skip

DEPARTMENTS = [
    "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Tư pháp", "Sở Công Thương", "Sở Xây dựng", "Sở Giao thông vận tải",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Tài nguyên và Môi trường",
    "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông", "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh", "Ban Quản lý Khu kinh tế Dung Quất",
    "Ban Dân tộc tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Sở Ngoại vụ",
]  # fmt: skip
PARTY_BODIES = [
    "Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
    "Ban Nội chính Tỉnh ủy", "Đảng ủy Khối các cơ quan tỉnh", "Đảng ủy Khối Doanh nghiệp tỉnh",
    "Đảng ủy Quân sự tỉnh", "Đảng ủy Công an tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Tỉnh đoàn Quảng Ngãi", "Hội Liên hiệp Phụ nữ tỉnh", "Hội Nông dân tỉnh",
    "Liên đoàn Lao động tỉnh", "Hội Cựu chiến binh tỉnh",
]  # fmt: skip
DISTRICTS = [
    "thành phố Quảng Ngãi", "thị xã Đức Phổ", "huyện Bình Sơn", "huyện Sơn Tịnh",
    "huyện Tư Nghĩa", "huyện Nghĩa Hành", "huyện Mộ Đức", "huyện Ba Tơ", "huyện Minh Long",
    "huyện Sơn Hà", "huyện Sơn Tây", "huyện Trà Bồng", "huyện Lý Sơn",
]  # fmt: skip

POSITIONS = {
    "": ["Chuyên viên", "Cán sự", "Giáo viên", "Nhân viên", "Chuyên viên chính"],
    "phong": ["Trưởng phòng", "Phó Trưởng phòng"],
    "huyen": ["Phó Chủ tịch UBND huyện", "Phó Bí thư Huyện ủy", "Trưởng ban"],
    "so": ["Giám đốc sở", "Phó Giám đốc sở"],
    "tinh": ["Phó Chủ tịch UBND tỉnh"],
}


@lru_cache(maxsize=200_000)
def name_fields(full_name):
    return normalise_search(full_name), name_sort_key(full_name)


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def person_name(rng, gender):
    family = weighted(rng, FAMILY)
    if gender == Person.Gender.MALE:
        return f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


# --- Steps ----------------------------------------------------------------------------------


def units_create(rng, count):
    """The fixture's district Party committees plus generated units of both blocks."""
    existing = list(Organisation.objects.filter(kind=Organisation.Kind.UNIT).order_by("code"))
    specs = []
    for district in DISTRICTS:
        specs.append((f"Ủy ban nhân dân {district}", Block.STATE, Organisation.Level.DISTRICT))
    for name in DEPARTMENTS:
        specs.append((name, Block.STATE, Organisation.Level.PROVINCE))
    for name in PARTY_BODIES:
        specs.append((name, Block.PARTY, Organisation.Level.PROVINCE))
    wanted = max(0, count - len(existing))
    rows = []
    for n in range(wanted):
        name, block, level = specs[n % len(specs)]
        if n >= len(specs):  # national scale: the same kinds of unit in other provinces
            name = f"{name} (đơn vị {n // len(specs) + 1})"
        rows.append(
            Organisation(
                code=f"{CODE_PREFIX}{n + 1:05d}",
                name=name,
                kind=Organisation.Kind.UNIT,
                level=level,
                block=block,
            )
        )
    created = Organisation.objects.bulk_create(rows, batch_size=BATCH)
    return existing + created


def unit_weights(units):
    """Head counts differ: district People's Committees employ the teachers."""
    weights = []
    for unit in units:
        if unit.name.startswith("Ủy ban nhân dân"):
            weights.append(8)
        elif unit.level == Organisation.Level.DISTRICT:
            weights.append(2)
        elif unit.name.startswith(("Sở Giáo dục", "Sở Y tế")):
            weights.append(6)
        else:
            weights.append(1)
    return weights


def people_create(rng, units, count, log):
    """People in batches; returns {unit id: [person ids]} and {person id: (manager, rank)}."""
    # Cumulative weights once: `choices(units, weights)` re-adds 3.000 weights for every person at
    # national scale; with `cum_weights` each draw is a bisection, and the same draw.
    cum_weights = list(itertools.accumulate(unit_weights(units)))
    by_unit = {unit.pk: [] for unit in units}
    traits = {}
    made = 0
    while made < count:
        batch = []
        for _ in range(min(BATCH, count - made)):
            unit = rng.choices(units, cum_weights=cum_weights)[0]
            gender = rng.choice([Person.Gender.MALE, Person.Gender.FEMALE])
            full_name = person_name(rng, gender)
            search_name, sort_key = name_fields(full_name)
            manager = weighted(rng, [("", 80), ("phong", 15), ("huyen", 3), ("so", 2)])
            if unit.name.startswith("Ủy ban nhân dân") and rng.random() < 0.5:
                category, rank = Person.Category.PUBLIC_EMPLOYEE, Person.Rank.TEACHER
            else:
                category = weighted(
                    rng,
                    [(Person.Category.CIVIL_SERVANT, 70), (Person.Category.CADRE, 20),
                     (Person.Category.PUBLIC_EMPLOYEE, 10)],
                )  # fmt: skip
                rank = weighted(
                    rng,
                    [(Person.Rank.EXPERT, 55), (Person.Rank.MAIN_EXPERT, 20),
                     (Person.Rank.OFFICER, 15), (Person.Rank.SENIOR_EXPERT, 3),
                     (Person.Rank.STAFF, 7)],
                )  # fmt: skip
            born = datetime.date(rng.randint(1966, 1999), rng.randint(1, 12), rng.randint(1, 28))
            batch.append(
                Person(
                    full_name=full_name,
                    search_name=search_name,
                    sort_key=sort_key,
                    date_of_birth=born,
                    gender=gender,
                    organisation_id=unit.pk,
                    position=rng.choice(POSITIONS[manager]),
                    manager_level=manager,
                    category=category,
                    rank=rank,
                    theory_level=weighted(
                        rng, [("", 20), ("so_cap", 30), ("trung_cap", 35), ("cao_cap", 15)]
                    ),
                    professional_level=rng.choice(["Đại học", "Đại học", "Thạc sĩ", "Cao đẳng"]),
                    foreign_language_level=rng.choice(["", "Tiếng Anh B1", "Tiếng Anh A2"]),
                    service_start_date=datetime.date(born.year + rng.randint(22, 30), 9, 1),
                    # Unique (one person, one record): the person's running number spread
                    # over 10^8 by a factor prime to it.
                    identity_number=(
                        f"0510{(made + len(batch)) * 7_919 % 10**8:08d}"
                        if rng.random() < 0.6
                        else ""
                    ),
                )
            )
        for person in Person.objects.bulk_create(batch, batch_size=BATCH):
            by_unit[person.organisation_id].append(person.pk)
            traits[person.pk] = (person.manager_level, person.rank)
        made += len(batch)
        log(f"  {made} cán bộ")
    return by_unit, traits


def plan_copy(plan, year):
    """The next year's plan, copied by the application's own service (as BTC would)."""
    from reports.lifecycle import plan_copy_to_year
    from training_plan.models import User

    # The seeding command acts as the system: an unsaved administrator passes the BTC check.
    return plan_copy_to_year(plan=plan, year=year, actor=User(is_superuser=True))


NORMS = [
    ("qm-giang-vien", "Thù lao giảng viên", "buổi", 1_200_000, BudgetLine.QuantityKind.SESSIONS),
    ("qm-ho-tro-hoc-vien", "Hỗ trợ tiền ăn học viên", "người/ngày", 100_000,
     BudgetLine.QuantityKind.LEARNER_DAYS),
    ("qm-tai-lieu", "Tài liệu học tập", "người", 150_000, BudgetLine.QuantityKind.LEARNERS),
    ("qm-hoi-truong", "Thuê hội trường, khai giảng, bế giảng", "lớp", 5_000_000,
     BudgetLine.QuantityKind.LUMP),
]  # fmt: skip

# Final statuses of nominations: past years are finished, the current year is under way.
PAST_STATUSES = [
    ("completed", 78), ("not_completed", 4), ("rejected", 6), ("withdrawn", 7), ("draft", 5),
]  # fmt: skip
CURRENT_STATUSES = [
    ("draft", 14), ("submitted", 20), ("returned", 5), ("verified", 14), ("approved", 14),
    ("enrolled", 16), ("rejected", 5), ("withdrawn", 5), ("reserve", 4), ("completed", 3),
]  # fmt: skip
PATHS = {
    "draft": [],
    "reserve": ["reserve"],
    "submitted": ["submitted"],
    "returned": ["submitted", "returned"],
    "rejected": ["submitted", "rejected"],
    "withdrawn": ["submitted", "withdrawn"],
    "verified": ["submitted", "verified"],
    "approved": ["submitted", "verified", "approved"],
    "enrolled": ["submitted", "verified", "approved", "enrolled"],
    "completed": ["submitted", "verified", "approved", "enrolled", "completed"],
    "not_completed": ["submitted", "verified", "approved", "enrolled", "not_completed"],
}
IN_CLASS = {"enrolled", "completed", "not_completed"}
CLASS_SIZE = 60
PERSON_FIELDS = [
    "date_of_birth",
    "manager_level",
    "rank",
    "theory_level",
    "service_start_date",
    "planned_positions",
]


def allocations_create(rng, plan, units_by_block):
    """Split every capped quota line among the units of its block; returns {line: {unit: n}}."""
    result, rows = {}, []
    for line in QuotaLine.objects.filter(
        course__program__section__plan=plan, planned_count__isnull=False
    ).select_related("course__program"):
        units = units_by_block[line.course.program.block]
        chosen = rng.sample(units, min(len(units), max(1, line.planned_count // 3)))
        shares = {unit.pk: 0 for unit in chosen}
        for _ in range(line.planned_count):
            shares[rng.choice(chosen).pk] += 1
        shares = {k: v for k, v in shares.items() if v}
        result[line.pk] = shares
        rows += [Allocation(quota_line=line, unit_id=k, count=v) for k, v in shares.items()]
    Allocation.objects.bulk_create(rows, batch_size=BATCH)
    return result


def nominations_create(rng, plan, scale, people_by_unit, units_by_block, traits, actor, log):
    """Nominations of one year: seat-holding ones within each unit's allocation."""
    current = plan.year == CURRENT_YEAR
    statuses = CURRENT_STATUSES if current else PAST_STATUSES
    allocations = allocations_create(rng, plan, units_by_block)
    courses = list(
        Course.objects.filter(program__section__plan=plan)
        .select_related("program")
        .prefetch_related("quota_lines")
    )
    institutions = {
        link.program_id: link.institution_id
        for link in ProgramInstitution.objects.filter(program__section__plan=plan)
    }
    taken = set()  # (person, course): one live nomination each
    planned = []  # (person, course, line, unit, status)

    def pick_person(unit_id, course):
        people = people_by_unit[unit_id]
        for _ in range(20):
            person = rng.choice(people)
            if (person, course.pk) not in taken:
                taken.add((person, course.pk))
                return person
        return None

    # Capped lines: the allocated seats, mostly used, plus some that do not hold a seat. A scale
    # smaller than a province (tests, --people) uses fewer of them.
    fill = min(1.0, scale.nominations_per_year / SCALES["province"].nominations_per_year)
    for course in courses:
        for line in course.quota_lines.all():
            for unit_id, seats in allocations.get(line.pk, {}).items():
                for _ in range(math.ceil(seats * fill)):
                    status = weighted(rng, statuses)
                    if status in Nomination.CLOSED or status in ("draft", "reserve", "returned"):
                        status = "completed" if not current else "submitted"
                    person = pick_person(unit_id, course)
                    if person is not None and rng.random() < 0.9:
                        planned.append((person, course, line, unit_id, status))
                for _ in range(math.ceil(seats * fill / 4)):
                    status = rng.choice(["rejected", "withdrawn", "draft"])
                    person = pick_person(unit_id, course)
                    if person is not None:
                        planned.append((person, course, line, unit_id, status))
    # Demand-driven courses take the rest.
    open_courses = [c for c in courses if c.quantity is None and c.program.quantity is None]
    open_courses = open_courses or courses
    all_units = units_by_block[Block.PARTY] + units_by_block[Block.STATE]
    while len(planned) < scale.nominations_per_year:
        course = rng.choice(open_courses)
        units = units_by_block[course.program.block] or all_units
        unit_id = rng.choice(units).pk
        person = pick_person(unit_id, course)
        if person is not None:
            line = next(iter(course.quota_lines.all()), None)
            if line is not None and line.planned_count is not None:
                line = None
            planned.append((person, course, line, unit_id, weighted(rng, statuses)))

    # Classes for the learners: per course and institution, up to CLASS_SIZE each.
    groups = {}
    for index, (_person, course, line, _unit, status) in enumerate(planned):
        if status in IN_CLASS:
            institution = line.institution_id if line else institutions.get(course.program_id)
            groups.setdefault((course.pk, institution), []).append(index)
    courses_by_pk = {c.pk: c for c in courses}
    classes, members = [], []
    for (course_pk, institution), indexes in sorted(groups.items(), key=lambda g: g[0]):
        if institution is None:
            continue
        for number in range(math.ceil(len(indexes) / CLASS_SIZE)):
            chunk = indexes[number * CLASS_SIZE : (number + 1) * CLASS_SIZE]
            start = datetime.date(plan.year, rng.randint(3, 9), rng.randint(1, 28))
            course = courses_by_pk[course_pk]
            classes.append(
                TrainingClass(
                    course_id=course_pk,
                    code=f"qm-{plan.year}-{course_pk}-{institution}-{number + 1}",
                    name=f"Lớp {course.name[:200]} — khóa {number + 1}/{plan.year}",
                    institution_id=institution,
                    venue="Trường Chính trị tỉnh Quảng Ngãi",
                    study_mode=rng.choice(["tap_trung", "khong_tap_trung"]),
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.choice([5, 10, 30, 90])),
                    capacity=CLASS_SIZE,
                    planned_learners=len(chunk),
                    status="finished" if not current else rng.choice(["open", "running"]),
                    funding_source="ngan_sach_tinh",
                )
            )
            members.append(chunk)
    classes = TrainingClass.objects.bulk_create(classes, batch_size=BATCH)
    class_of = {}
    for training_class, chunk in zip(classes, members, strict=True):
        for index in chunk:
            class_of[index] = training_class.pk
    budget_lines_create(plan, classes)

    now = timezone.now()
    rows = []
    for index, (person, course, line, unit_id, status) in enumerate(planned):
        rows.append(
            Nomination(
                person_id=person,
                course_id=course.pk,
                quota_line_id=line.pk if line else None,
                unit_id=unit_id,
                status=status,
                reserve_since=now if status == "reserve" else None,
                training_class_id=class_of.get(index) if status in IN_CLASS else None,
                created_by=actor,
            )
        )
    eligibility_set(plan, rows)
    nominations = Nomination.objects.bulk_create(rows, batch_size=BATCH)
    transitions = []
    for nomination in nominations:
        previous = "draft"
        for step in PATHS[nomination.status]:
            transitions.append(
                NominationTransition(
                    nomination_id=nomination.pk,
                    from_status=previous,
                    to_status=step,
                    actor=actor,
                )
            )
            previous = step
    NominationTransition.objects.bulk_create(transitions, batch_size=BATCH)
    log(f"  {plan.year}: {len(nominations)} hồ sơ cử, {len(classes)} lớp")
    return len(nominations)


def eligibility_set(plan, rows):
    """The verdicts of each generated nomination, as the workflow stores them: the course's rules
    checked against the person; warnings of nominations past verification accepted. People are
    drawn at random, not by the rules, so some rows carry a failed blocking rule.

    The people are read a batch at a time, and only for the courses that have rules.
    """
    rules = {}
    for rule in (
        EligibilityRule.objects.filter(course__program__section__plan=plan)
        .select_related("legal_document__issuer")
        .order_by("code")
    ):
        rules.setdefault(rule.course_id, []).append(rule)
    rules = {
        course_id: applying
        for course_id, course_rules in rules.items()
        if (applying := eligibility.applicable_rules(None, plan.year, course_rules))
    }
    checked = [row for row in rows if row.course_id in rules]
    for start in range(0, len(checked), BATCH):
        batch = checked[start : start + BATCH]
        people = Person.objects.only(*PERSON_FIELDS).in_bulk({row.person_id for row in batch})
        for row in batch:
            report = eligibility.check(
                None, people[row.person_id], plan.year, row, rules=rules[row.course_id]
            )
            if report.warnings and "verified" in PATHS[row.status]:
                report.override_warnings()
                row.override_reason = OVERRIDE_REASON
            row.eligibility_store(report)


def budget_lines_create(plan, classes):
    norms = {}
    for code, item, unit, rate, _kind in NORMS:
        norms[code], _ = CostNorm.objects.get_or_create(
            plan=plan, code=code, defaults={"item": item, "unit": unit, "rate": rate}
        )
    rows = []
    for training_class in classes:
        days = (training_class.end_date - training_class.start_date).days + 1
        learners = training_class.planned_learners
        quantities = {
            BudgetLine.QuantityKind.SESSIONS: (days * 2, 1),
            BudgetLine.QuantityKind.LEARNER_DAYS: (learners, days),
            BudgetLine.QuantityKind.LEARNERS: (learners, 1),
            BudgetLine.QuantityKind.LUMP: (1, 1),
        }
        for position, (code, item, _unit, rate, kind) in enumerate(NORMS, start=1):
            quantity, multiplier = quantities[kind]
            rows.append(
                BudgetLine(
                    training_class_id=training_class.pk,
                    position=position,
                    norm=norms[code],
                    description=item,
                    quantity_kind=kind,
                    quantity=quantity,
                    multiplier=multiplier,
                    rate=rate,
                )
            )
    BudgetLine.objects.bulk_create(rows, batch_size=BATCH)


def scale_seed(*, scale: Scale, seed: int = SEED, log=print):
    """Generate the scale data; the 2021 fixture and demo accounts must be loaded first."""
    from training_plan.models import User

    if Organisation.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise ValueError("Đã có dữ liệu quy mô lớn trong cơ sở dữ liệu này.")
    rng = random.Random(seed)
    started = time.monotonic()
    plan_2021 = Plan.objects.get(year=2021)
    actor = User.objects.filter(username="btc").first()
    with transaction.atomic():
        units = units_create(rng, scale.units)
        log(f"  {len(units)} đơn vị")
        people_by_unit, traits = people_create(rng, units, scale.people, log)
        units = [u for u in units if people_by_unit[u.pk]]
        units_by_block = {
            Block.PARTY: [u for u in units if u.block == Block.PARTY],
            Block.STATE: [u for u in units if u.block == Block.STATE],
        }
        plans = [plan_2021]
        for year in YEARS[1:]:
            if not Plan.objects.filter(year=year).exists():
                plans.append(plan_copy(plan_2021, year))
        Plan.objects.filter(year__lt=CURRENT_YEAR, year__in=YEARS).update(status=Plan.Status.CLOSED)
        Plan.objects.filter(year=CURRENT_YEAR).update(status=Plan.Status.ISSUED)
        total = 0
        for plan in plans:
            total += nominations_create(
                rng, plan, scale, people_by_unit, units_by_block, traits, actor, log
            )
    # Fresh planner statistics for the bulk-loaded tables: without them PostgreSQL plans every
    # query as if the tables were empty (seen: a 3 ms bitmap scan of 34.000 rows per class), and
    # autovacuum may be off or not have run yet.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    elapsed = time.monotonic() - started
    log(f"Xong sau {elapsed:.1f} giây: {scale.people} cán bộ, {total} hồ sơ cử.")
    return {"people": scale.people, "units": len(units), "nominations": total, "seconds": elapsed}
