"""The demo database: the 2021 plan fixtures, one account per role and a living demo year
(people, allocations, nominations in every status). Never in production."""

import datetime as dt
import os
import random
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from courses.models import Course, TrainingClass
from demo.reform import reform_units_create
from quotas.allocations import allocation_set
from quotas.models import Nomination, QuotaLine
from quotas.services import eligibility_check, nomination_set_status
from training_plan.models import Block, Organisation, Person, Plan, User
from training_plan.selectors import units as units_alive
from training_plan.services import person_create

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# Loaded in this order: the plan, then data that refers to it.
FIXTURES = ["plan_2021.json", "eligibility_2021.json", "appendix_2021.json"]

DEMO_MAIL_DOMAIN = "example.org"
DEMO_ACCOUNTS = [
    # username, full name, role, organisation code, superuser
    ("btc", "Cán bộ Ban Tổ chức Tỉnh ủy", User.Role.BTC, "btc-tinh-uy", False),
    ("snv", "Cán bộ Sở Nội vụ", User.Role.SNV, "so-noi-vu", False),
    ("lanhdao", "Lãnh đạo Tỉnh ủy", User.Role.LEADERSHIP, "thuong-truc-tinh-uy", False),
    ("binhson", "Cán bộ Huyện ủy Bình Sơn", User.Role.UNIT, "huyen-uy-binh-son", False),
    ("sontinh", "Cán bộ Huyện ủy Sơn Tịnh", User.Role.UNIT, "huyen-uy-son-tinh", False),
    # The province since 01/07/2025 (demo/reform.py): an illustrative commune committee and an
    # illustrative provincial body of the new structure.
    (
        "xaminhhoa",
        "Cán bộ Đảng ủy xã minh họa 1",
        User.Role.UNIT,
        "dang-uy-xa-minh-hoa-binh-son-1",
        False,
    ),
    (
        "coquantinh",
        "Cán bộ Đảng ủy các cơ quan Đảng tỉnh",
        User.Role.UNIT,
        "dang-uy-cac-co-quan-dang-tinh-minh-hoa",
        False,
    ),
    ("admin", "Quản trị hệ thống", "", None, True),
]


def load_plan_fixtures(*, verbosity=0):
    """Load the 2021 plan; natural keys make a second load update rather than duplicate."""
    for name in FIXTURES:
        path = FIXTURES_DIR / name
        if path.exists():
            call_command("loaddata", str(path), verbosity=verbosity)


@transaction.atomic
def demo_accounts_create(*, password=None):
    """Create or reset the demo accounts; returns their usernames."""
    password = password or os.environ.get("DEMO_PASSWORD") or "demo"
    # The units of the new structure that two accounts belong to.
    reform_units_create()
    names = []
    for username, full_name, role, org_code, superuser in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        # Vietnamese names read family name first; keep the whole name in one field.
        user.first_name, user.last_name = full_name, ""
        # A reserved domain (RFC 2606): without EMAIL_HOST the mails are files under var/mail/; with
        # a test server (EMAIL_HOST) they arrive there and reach no real mailbox.
        user.email = f"{username}@{DEMO_MAIL_DOMAIN}"
        user.role = role
        user.organisation = Organisation.objects.get(code=org_code) if org_code else None
        user.is_superuser = user.is_staff = superuser
        user.set_password(password)
        user.save()
        names.append(username)
    return names


# --- A living demo year: people, allocations, nominations in every status ---------------------
# Everything below is invented: names are random combinations of common Vietnamese family,
# middle and given names drawn with a fixed seed, identity numbers random digits. It runs only
# from `seed_demo` (demo database, DEBUG on) and only once: a second run finds the people and
# leaves everything as it is.

DEMO_SEED = 2021
DEMO_YEAR = 2021

# State-side units that nominate public employees; demo data only, not in the plan fixture.
DEMO_STATE_UNITS = [
    ("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", "education"),
    ("so-y-te", "Sở Y tế", "Sở Y tế", "health"),
]
# Unit code → how many people and which kind of staff.
DEMO_PEOPLE = {
    "huyen-uy-binh-son": (30, "district"),
    "huyen-uy-son-tinh": (30, "district"),
    "thanh-uy-quang-ngai": (12, "district"),
    "huyen-uy-tu-nghia": (10, "district"),
    "so-giao-duc-dao-tao": (15, "education"),
    "so-y-te": (12, "health"),
}
# Units whose demo account acts for them; BTC (or SNV for State-side units) acts for the others.
DEMO_UNIT_ACCOUNTS = {"huyen-uy-binh-son": "binhson", "huyen-uy-son-tinh": "sontinh"}

FAMILY_NAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
    "Ngô", "Dương", "Lý", "Đinh", "Trương", "Đoàn", "Lương", "Tạ", "Châu", "Cao", "Mai", "Kiều",
]  # fmt: skip
MIDDLE_NAMES = {
    "male": ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Công", "Đình", "Ngọc", "Xuân", "Tấn"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Thúy", "Hồng", "Bích", "Phương"],
}
GIVEN_NAMES = {
    "male": [
        "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Lộc",
        "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thịnh", "Toàn",
        "Trung", "Tuấn", "Việt", "Vinh", "Ân", "Ý",
    ],
    "female": [
        "Anh", "Ánh", "Châu", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương",
        "Lan", "Linh", "Loan", "Mai", "Ngân", "Nhung", "Oanh", "Phượng", "Quyên", "Thảo",
        "Trang", "Uyên", "Vân", "Yến", "Ái",
    ],
}  # fmt: skip

P = Person
# (position, manager level, category, rank, theory levels to draw from, weight)
STAFF_PROFILES = {
    "district": [
        ("Bí thư Huyện ủy", P.ManagerLevel.DISTRICT, P.Category.CADRE,
         P.Rank.MAIN_EXPERT, ["cao_cap", "cu_nhan"], 1),
        ("Phó Bí thư Thường trực Huyện ủy", P.ManagerLevel.DISTRICT, P.Category.CADRE,
         P.Rank.MAIN_EXPERT, ["cao_cap", "trung_cap"], 1),
        ("Phó Chủ tịch Ủy ban nhân dân huyện", P.ManagerLevel.DISTRICT, P.Category.CADRE,
         P.Rank.MAIN_EXPERT, ["cao_cap", "trung_cap"], 1),
        ("Trưởng Ban Tổ chức Huyện ủy", P.ManagerLevel.DIVISION, P.Category.CADRE,
         P.Rank.MAIN_EXPERT, ["trung_cap", "cao_cap"], 1),
        ("Phó Trưởng Ban Tuyên giáo Huyện ủy", P.ManagerLevel.DIVISION, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["trung_cap"], 2),
        ("Chánh Văn phòng Huyện ủy", P.ManagerLevel.DIVISION, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["trung_cap", "cao_cap"], 1),
        ("Phó Chủ nhiệm Ủy ban Kiểm tra Huyện ủy", P.ManagerLevel.DIVISION,
         P.Category.CIVIL_SERVANT, P.Rank.EXPERT, ["trung_cap"], 1),
        ("Trưởng phòng Nội vụ huyện", P.ManagerLevel.DIVISION, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["trung_cap"], 2),
        ("Chuyên viên Ban Tổ chức Huyện ủy", P.ManagerLevel.NONE, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["", "so_cap", "trung_cap"], 4),
        ("Chuyên viên Ban Tuyên giáo Huyện ủy", P.ManagerLevel.NONE, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["", "so_cap"], 3),
        ("Chuyên viên Văn phòng Huyện ủy", P.ManagerLevel.NONE, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["", "so_cap"], 3),
        ("Cán sự Văn phòng Huyện ủy", P.ManagerLevel.NONE, P.Category.CIVIL_SERVANT,
         P.Rank.OFFICER, ["", "so_cap"], 2),
        ("Bí thư Đảng ủy xã", P.ManagerLevel.NONE, P.Category.CADRE,
         P.Rank.OTHER, ["so_cap", "trung_cap"], 3),
        ("Chủ tịch Ủy ban Mặt trận Tổ quốc xã", P.ManagerLevel.NONE, P.Category.CADRE,
         P.Rank.OTHER, ["", "so_cap"], 2),
    ],
    "education": [
        ("Phó Giám đốc Sở Giáo dục và Đào tạo", P.ManagerLevel.DEPARTMENT,
         P.Category.CIVIL_SERVANT, P.Rank.MAIN_EXPERT, ["cao_cap"], 1),
        ("Trưởng phòng Tổ chức cán bộ", P.ManagerLevel.DIVISION, P.Category.CIVIL_SERVANT,
         P.Rank.MAIN_EXPERT, ["trung_cap", "cao_cap"], 1),
        ("Phó Trưởng phòng Giáo dục Trung học", P.ManagerLevel.DIVISION,
         P.Category.CIVIL_SERVANT, P.Rank.EXPERT, ["trung_cap"], 1),
        ("Chuyên viên Phòng Kế hoạch - Tài chính", P.ManagerLevel.NONE,
         P.Category.CIVIL_SERVANT, P.Rank.EXPERT, ["", "so_cap"], 2),
        ("Hiệu trưởng Trường Trung học phổ thông", P.ManagerLevel.DIVISION,
         P.Category.PUBLIC_EMPLOYEE, P.Rank.TEACHER, ["trung_cap"], 2),
        ("Giáo viên Trường Trung học phổ thông", P.ManagerLevel.NONE,
         P.Category.PUBLIC_EMPLOYEE, P.Rank.TEACHER, ["", "so_cap"], 6),
    ],
    "health": [
        ("Phó Giám đốc Sở Y tế", P.ManagerLevel.DEPARTMENT, P.Category.CIVIL_SERVANT,
         P.Rank.MAIN_EXPERT, ["cao_cap"], 1),
        ("Trưởng phòng Nghiệp vụ Y", P.ManagerLevel.DIVISION, P.Category.CIVIL_SERVANT,
         P.Rank.MAIN_EXPERT, ["trung_cap"], 1),
        ("Chuyên viên Phòng Tổ chức cán bộ", P.ManagerLevel.NONE, P.Category.CIVIL_SERVANT,
         P.Rank.EXPERT, ["", "so_cap"], 2),
        ("Giám đốc Trung tâm Y tế huyện", P.ManagerLevel.DIVISION, P.Category.PUBLIC_EMPLOYEE,
         P.Rank.OTHER, ["trung_cap"], 2),
        ("Bác sĩ Bệnh viện Đa khoa tỉnh", P.ManagerLevel.NONE, P.Category.PUBLIC_EMPLOYEE,
         P.Rank.OTHER, ["", "so_cap"], 4),
        ("Điều dưỡng Bệnh viện Đa khoa tỉnh", P.ManagerLevel.NONE, P.Category.PUBLIC_EMPLOYEE,
         P.Rank.OTHER, [""], 2),
    ],
}  # fmt: skip
PROFESSIONAL_LEVELS = {
    "district": ["Cử nhân Luật", "Cử nhân Kinh tế", "Cử nhân Hành chính", "Thạc sĩ Quản lý công",
                 "Kỹ sư Nông nghiệp", "Cử nhân Xây dựng Đảng và chính quyền nhà nước"],
    "education": ["Cử nhân Sư phạm Toán", "Cử nhân Sư phạm Ngữ văn", "Thạc sĩ Quản lý giáo dục",
                  "Cử nhân Sư phạm Tiếng Anh"],
    "health": ["Bác sĩ đa khoa", "Bác sĩ chuyên khoa I", "Thạc sĩ Y học", "Cử nhân Điều dưỡng"],
}  # fmt: skip
LANGUAGE_LEVELS = ["", "Tiếng Anh bậc 2", "Tiếng Anh bậc 3", "Tiếng Anh B1", "Tiếng Anh B"]


def demo_state_units_create():
    """The State-side demo units (kind unit, block state), created once."""
    parent = Organisation.objects.filter(code="ubnd-tinh").first()
    for code, name, short_name, _kind in DEMO_STATE_UNITS:
        Organisation.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "kind": Organisation.Kind.UNIT,
                "level": Organisation.Level.PROVINCE,
                "block": Block.STATE,
                "parent": parent,
            },
        )


def _random_date(rng, start, end):
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _demo_name(rng, gender, taken):
    while True:
        name = " ".join(
            [
                rng.choice(FAMILY_NAMES),
                rng.choice(MIDDLE_NAMES[gender]),
                rng.choice(GIVEN_NAMES[gender]),
            ]
        )
        if name not in taken:
            taken.add(name)
            return name


def demo_person_data(rng, staff_kind, taken):
    """One invented person's record (a dict for `person_create`)."""
    profiles = STAFF_PROFILES[staff_kind]
    position, manager, category, rank, theory, _w = rng.choices(
        profiles, weights=[p[-1] for p in profiles]
    )[0]
    gender = rng.choice(["male", "female"])
    leader = manager in (P.ManagerLevel.DISTRICT, P.ManagerLevel.DEPARTMENT)
    born = _random_date(
        rng, dt.date(1966 if leader else 1972, 1, 1), dt.date(1978 if leader else 1997, 12, 31)
    )
    started = min(
        _random_date(rng, born.replace(year=born.year + 21), born.replace(year=born.year + 27)),
        dt.date(2020, 12, 1),
    )
    identity = ""
    if rng.random() < 0.7:  # Quảng Ngãi's code 051, gender-century digit, year, six digits
        identity = f"051{0 if gender == 'male' else 1}{born:%y}{rng.randrange(10**6):06d}"
    return {
        "full_name": _demo_name(rng, gender, taken),
        "date_of_birth": born,
        "gender": gender,
        "position": position,
        "manager_level": manager,
        "category": category,
        "rank": rank,
        "theory_level": rng.choice(theory),
        "professional_level": rng.choice(PROFESSIONAL_LEVELS[staff_kind]),
        "foreign_language_level": rng.choice(LANGUAGE_LEVELS),
        "planned_positions": "",
        "service_start_date": started,
        "identity_number": identity,
    }


def _accounts():
    return {user.username: user for user in User.objects.filter(username__in=["btc", "snv"])} | {
        user.organisation.code: user
        for user in User.objects.filter(username__in=DEMO_UNIT_ACCOUNTS.values()).select_related(
            "organisation"
        )
    }


def _unit_actor(accounts, unit):
    """Who enters and submits for a unit: its demo account, or BTC/SNV on its behalf."""
    return accounts.get(unit.code) or accounts["snv" if unit.block == Block.STATE else "btc"]


def demo_people_create(rng, accounts):
    units = Organisation.objects.in_bulk(list(DEMO_PEOPLE), field_name="code")
    taken = set(Person.objects.values_list("full_name", flat=True)) | {"Đặng Ngọc Huy"}
    people = []
    for code, (count, staff_kind) in DEMO_PEOPLE.items():
        unit = units[code]
        for _ in range(count):
            data = demo_person_data(rng, staff_kind, taken) | {"organisation": unit}
            people.append(person_create(actor=_unit_actor(accounts, unit), data=data))
    return people


# Status → the transitions that reach it from a draft, and who makes each one.
STATUS_PATHS = {
    "draft": [],
    "reserve": ["reserve"],
    "submitted": ["submitted"],
    "returned": ["submitted", "returned"],
    "rejected": ["submitted", "rejected"],
    "verified": ["submitted", "verified"],
    "approved": ["submitted", "verified", "approved"],
    "enrolled": ["submitted", "verified", "approved", "enrolled"],
    "completed": ["submitted", "verified", "approved", "enrolled", "completed"],
    "not_completed": ["submitted", "verified", "approved", "enrolled", "not_completed"],
    "withdrawn": ["submitted", "withdrawn"],
}
UNIT_STEPS = {"reserve", "submitted", "withdrawn"}
# The reviewer's reason on demo nominations whose eligibility warnings were accepted.
OVERRIDE_REASON = "Cấp ủy nơi công tác đề nghị cử; người thẩm định chấp nhận cảnh báo."
STEP_REASONS = {
    "returned": "Đề nghị bổ sung bản nhận xét, đánh giá của cấp ủy nơi công tác.",
    "rejected": "Đơn vị đã cử đủ số lượng cho đối tượng này; đề nghị cử vào kế hoạch năm sau.",
    "withdrawn": "Đơn vị rút hồ sơ do cán bộ được điều động nhận nhiệm vụ khác.",
    "not_completed": "Không đủ điều kiện dự thi cuối khóa do nghỉ quá thời gian quy định.",
}


def _course(year, section, program, position):
    return Course.objects.get(
        program__section__plan__year=year,
        program__section__position=section,
        program__position=program,
        position=position,
    )


def demo_course(key):
    """The course of the demo year named by its key in DEMO_COURSES."""
    return _course(DEMO_YEAR, *DEMO_COURSES[key])


def _eligible(course_key, person):
    """Plain checks that keep the demo consistent with the 2021 plan's conditions."""
    age = person.age_in_year(DEMO_YEAR)
    manager = person.manager_level
    return {
        "cao_cap": person.theory_level == "trung_cap" and manager != "",
        "trung_cap": person.theory_level in ("", "so_cap"),
        "sau_dai_hoc": age <= 40
        and person.service_start_date is not None
        and person.service_start_date.year <= DEMO_YEAR - 3,
        "qp_an": manager in ("phong", "huyen", "so"),
        "qlnn_so": manager == "so",
        "qlnn_huyen": manager == "huyen",
        "qlnn_phong_hc": manager == "phong" and person.category != "vien_chuc",
        "qlnn_phong_sn": manager == "phong" and person.category == "vien_chuc",
        "qlnn_chuyen_vien": person.rank in ("chuyen_vien", "can_su") and manager == "",
        "qlnn_cdnn": person.rank == "giao_vien" and manager == "",
        "tieng_anh": age < 40 and manager in ("phong", "huyen", "so", "tinh"),
    }[course_key]


# Courses by key: (section, program, course position); lines by quota line position.
DEMO_COURSES = {
    "cao_cap": (2, 1, 1),
    "trung_cap": (2, 3, 1),
    "sau_dai_hoc": (2, 4, 1),
    "qp_an": (3, 1, 1),
    "qlnn_so": (3, 3, 1),
    "qlnn_huyen": (3, 3, 2),
    "qlnn_phong_hc": (3, 3, 3),
    "qlnn_phong_sn": (3, 3, 4),
    "qlnn_chuyen_vien": (3, 3, 5),
    "qlnn_cdnn": (3, 3, 6),
    "tieng_anh": (3, 3, 7),
}
# Courses tried, in order, for a nomination that should reach a status.
COURSES_FOR_STATUS = {
    "enrolled": ["trung_cap", "qlnn_cdnn"],
    "completed": ["qlnn_chuyen_vien", "qlnn_phong_hc", "qlnn_phong_sn"],
    "not_completed": ["qlnn_chuyen_vien", "qlnn_cdnn"],
}
OTHER_COURSES = [
    "cao_cap", "trung_cap", "qlnn_chuyen_vien", "tieng_anh", "qp_an", "qlnn_huyen",
    "qlnn_phong_hc", "qlnn_cdnn", "sau_dai_hoc", "qlnn_so", "qlnn_phong_sn",
]  # fmt: skip
# The courses whose nominations reach a class, and the class made if the appendix has none.
DEMO_CLASSES = {
    "trung_cap": ("demo-tc-llct-2021", "Lớp Trung cấp lý luận chính trị - hành chính khóa 2021",
                  "truong-chinh-tri-tinh", "Trường Chính trị tỉnh", "khong_tap_trung",
                  dt.date(2021, 3, 15), dt.date(2021, 12, 24), 120, "running"),
    "qlnn_cdnn": ("demo-cdnn-2021", "Lớp bồi dưỡng chức danh nghề nghiệp viên chức năm 2021",
                  "co-so-dao-tao-lien-quan", "Trường Chính trị tỉnh", "tap_trung",
                  dt.date(2021, 4, 5), dt.date(2021, 10, 29), 80, "running"),
    "qlnn_chuyen_vien": ("demo-qlnn-cv-2021",
                         "Lớp bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên",
                         "co-so-dao-tao-lien-quan", "Trường Chính trị tỉnh", "tap_trung",
                         dt.date(2021, 5, 10), dt.date(2021, 7, 16), 60, "finished"),
    "qlnn_phong_hc": ("demo-lanh-dao-phong-hc-2021",
                      "Lớp bồi dưỡng lãnh đạo, quản lý cấp phòng (cơ quan hành chính)",
                      "co-so-dao-tao-lien-quan", "Trường Chính trị tỉnh", "tap_trung",
                      dt.date(2021, 6, 7), dt.date(2021, 7, 30), 60, "finished"),
    "qlnn_phong_sn": ("demo-lanh-dao-phong-sn-2021",
                      "Lớp bồi dưỡng lãnh đạo, quản lý cấp phòng (đơn vị sự nghiệp)",
                      "co-so-dao-tao-lien-quan", "Trường Chính trị tỉnh", "tap_trung",
                      dt.date(2021, 6, 14), dt.date(2021, 8, 6), 60, "finished"),
}  # fmt: skip


def demo_classes_create(courses):
    """The class each demo course's learners join: the first class the plan's appendix already
    has for the course (the fixture's illustrative classes), moved to the demo status. The
    demo adds no class of its own, so the appendix keeps the plan's figures (605 and 1.410
    learners, the block totals in đồng). Without an appendix (a plan loaded without it) the
    class is created, marked illustrative and with no planned learners for the same reason."""
    classes = {}
    for key, (
        code,
        name,
        institution,
        venue,
        mode,
        start,
        end,
        cap,
        status,
    ) in DEMO_CLASSES.items():
        training_class = (
            TrainingClass.objects.filter(course=courses[key])
            .exclude(status=TrainingClass.Status.CANCELLED)
            .order_by("start_date", "code")
            .first()
        )
        if training_class is None:
            training_class, _ = TrainingClass.objects.get_or_create(
                course=courses[key],
                code=code,
                defaults={
                    "name": name,
                    "institution": Organisation.objects.get(code=institution),
                    "venue": venue,
                    "study_mode": mode,
                    "start_date": start,
                    "end_date": end,
                    "capacity": cap,
                    "planned_learners": 0,
                    "is_illustrative": True,
                    "funding_source": TrainingClass.FundingSource.PROVINCE,
                    "note": "Lớp minh họa của dữ liệu demo.",
                },
            )
        if training_class.status != status:
            training_class.status = status
            training_class.save(update_fields=["status"])
        classes[key] = training_class
    return classes


def _pick_line(course_key, lines, person):
    """The quota line of a nomination: None for demand-driven courses."""
    capped = [line for line in lines if line.is_capped]
    if not capped:
        return None
    if course_key == "cao_cap":  # district leaders study full-time at the regional academy
        by_position = {line.position: line for line in capped}
        if person.manager_level in ("huyen", "so"):
            return by_position.get(2, capped[0])
        return by_position.get(4, capped[-1])
    return capped[0]


def demo_nomination_plan(rng, people, lines_by_course):
    """Which person goes to which course and line, ending in which status (no writes)."""
    by_unit = {}
    for person in people:
        by_unit.setdefault(person.organisation, []).append(person)
    plan, used = [], set()
    for unit, unit_people in by_unit.items():
        rounds = 2 if unit.code in DEMO_UNIT_ACCOUNTS else 1
        for round_index in range(rounds):
            for status_index, status in enumerate(STATUS_PATHS):
                keys = COURSES_FOR_STATUS.get(status)
                if keys is None:
                    shift = (status_index + round_index * 3) % len(OTHER_COURSES)
                    keys = OTHER_COURSES[shift:] + OTHER_COURSES[:shift]
                candidates = unit_people[:]
                rng.shuffle(candidates)
                chosen = next(
                    (
                        (key, person)
                        for key in keys
                        for person in candidates
                        if (person.pk, key) not in used and _eligible(key, person)
                    ),
                    None,
                )
                if chosen is None:
                    continue
                key, person = chosen
                used.add((person.pk, key))
                line = _pick_line(key, lines_by_course[key], person)
                plan.append((person, unit, key, line, status))
    return plan


def demo_allocations_create(rng, accounts, plan_year, needed):
    """Allocate every capped line of the year over the units: each unit at least the seats its
    demo nominations will hold, the demo units a little more, about 85 % of the line in all."""
    units = [unit for unit in units_alive(year=DEMO_YEAR).order_by("code")]
    lines = QuotaLine.objects.filter(
        course__program__section__plan__year=plan_year, planned_count__isnull=False
    ).select_related("course__program__section__plan", "institution")
    for line in lines:
        block = line.course.program.block
        receivers = [
            u
            for u in units
            if block == Block.STATE or u.block != Block.STATE or (line.pk, u.pk) in needed
        ]
        counts = {u.pk: needed.get((line.pk, u.pk), 0) for u in receivers}
        for unit in receivers:
            if unit.code in DEMO_UNIT_ACCOUNTS and line.planned_count >= 10:
                counts[unit.pk] += 2  # room for the unit's own new nominations
        target = max(sum(counts.values()), line.planned_count * 85 // 100)
        weights = {u.pk: rng.random() + 0.2 for u in receivers}
        pool = [u.pk for u in receivers]
        while sum(counts.values()) < target:
            unit_pk = rng.choices(pool, weights=[weights[pk] for pk in pool])[0]
            counts[unit_pk] += 1
        actor = accounts["snv" if block == Block.STATE else "btc"]
        for unit in receivers:
            if counts[unit.pk]:
                allocation_set(actor=actor, quota_line=line, unit=unit, count=counts[unit.pk])


def demo_nominations_create(accounts, plan, courses, classes):
    """Create the planned nominations as drafts and walk each through its transitions, recorded
    by `nomination_set_status` with the demo accounts as actors."""
    now = timezone.now()
    created = []
    for person, unit, key, line, status in plan:
        course = courses[key]
        unit_actor = _unit_actor(accounts, unit)
        reviewer = accounts["snv" if course.program.block == Block.STATE else "btc"]
        nomination = Nomination(
            person=person,
            course=course,
            quota_line=line,
            unit=unit,
            status=Nomination.Status.DRAFT,
            created_by=unit_actor,
        )
        if key == "sau_dai_hoc":
            nomination.training_months, nomination.commitment_months = 24, 48
        report = eligibility_check(nomination)
        if report.warnings and "verified" in STATUS_PATHS[status]:
            report.override_warnings()  # the workflow verifies only after the reviewer accepts
            nomination.override_reason = OVERRIDE_REASON
        nomination.eligibility_store(report)
        nomination._history_user = unit_actor
        nomination.save()
        for step in STATUS_PATHS[status]:
            actor = unit_actor if step in UNIT_STEPS else reviewer
            extra = []
            if step == "reserve":
                nomination.reserve_since, extra = now, ["reserve_since"]
            elif step == "enrolled":
                nomination.training_class, extra = classes[key], ["training_class"]
            elif step == "not_completed":
                nomination.result_reason, extra = STEP_REASONS[step], ["result_reason"]
            if extra:
                nomination._history_user = actor
                nomination.save(update_fields=[*extra, "updated_at"])
            nomination._history_user = actor
            nomination_set_status(
                nomination=nomination,
                to_status=step,
                actor=actor,
                reason=STEP_REASONS.get(step, ""),
            )
        created.append(nomination)
    return created


@transaction.atomic
def demo_year_create(*, seed=DEMO_SEED):
    """People, allocations and nominations of the demo year; does nothing when already there.

    Returns the number of people created (0 on a second run).
    """
    if Person.objects.filter(organisation__code__in=list(DEMO_PEOPLE)).exists():
        return 0
    if not Plan.objects.filter(year=DEMO_YEAR).exists():
        return 0
    rng = random.Random(seed)
    demo_state_units_create()
    accounts = _accounts()
    people = demo_people_create(rng, accounts)
    courses = {key: _course(DEMO_YEAR, *where) for key, where in DEMO_COURSES.items()}
    lines_by_course = {
        key: list(course.quota_lines.order_by("position")) for key, course in courses.items()
    }
    plan = demo_nomination_plan(rng, people, lines_by_course)
    needed = {}
    for _person, unit, _key, line, status in plan:
        if line is not None and status in Nomination.SEAT_HOLDING:
            needed[(line.pk, unit.pk)] = needed.get((line.pk, unit.pk), 0) + 1
    demo_allocations_create(rng, accounts, DEMO_YEAR, needed)
    classes = demo_classes_create(courses)
    demo_nominations_create(accounts, plan, courses, classes)
    return len(people)
