"""The demo's needs round of 2022 and the draft plan built from it.

Both rounds are open (BTC: Party block, SNV: State block) and the demo units stand in every state
of a register: Bình Sơn accepted (counts and named people, one of them with an eligibility
warning), Sơn Tịnh returned with a reason, Thành ủy Quảng Ngãi submitted, Tư Nghĩa a draft, the
others not started; on the State side Sở Giáo dục và Đào tạo accepted and Sở Y tế submitted.
Then BTC builds the 2022 draft from the accepted needs (version 1, “Dự thảo”), edits it (the
purpose, the teachers' course and its quota line) and saves version 2, so the comparison page
has real differences to show. Runs once: nothing is done when the 2022 round exists."""

import datetime

from courses.models import Course
from needs import services
from needs.models import NeedsRound
from training_plan.models import Block, Person, Plan, User
from versions import services as version_services

YEAR = 2022
DEADLINE = datetime.date(2021, 10, 29)
NOTE = (
    "Đề nghị các đơn vị rà soát quy hoạch, đăng ký nhu cầu đào tạo, bồi dưỡng năm 2022 và gửi "
    "Ban Tổ chức Tỉnh ủy (khối Nhà nước: Sở Nội vụ) đúng hạn."
)


def _course(code, year=2021):
    section, program, position = code.split(".")
    roman = {"II": 2, "III": 3}
    return Course.objects.get(
        program__section__plan__year=year,
        program__section__position=roman[section],
        program__position=program,
        position=position,
    )


def _people(code, count, **filters):
    return list(
        Person.objects.filter(organisation__code=code, **filters).order_by("sort_key")[:count]
    )


def _register(actor, round_, unit_code, *, counts=(), people=()):
    from training_plan.models import Organisation

    unit = Organisation.objects.get(code=unit_code)
    register = services.register_for(actor=actor, round_=round_, unit=unit)
    if counts:
        services.counts_save(
            actor=actor,
            register=register,
            entries={_course(code).pk: (n, reason) for code, n, reason in counts},
        )
    for person, code, major, institution, reason in people:
        services.person_add(
            actor=actor,
            register=register,
            person=person,
            course_id=_course(code).pk,
            major=major,
            institution=institution,
            reason=reason,
        )
    return register


def demo_needs_create():
    """The 2022 round, its registers, the draft and two versions; 0 when already there."""
    if NeedsRound.objects.filter(year=YEAR).exists() or not Plan.objects.filter(year=2021):
        return 0
    btc = User.objects.get(username="btc")
    snv = User.objects.get(username="snv")
    admin = User.objects.filter(is_superuser=True).first()
    accounts = {
        u.organisation.code: u for u in User.objects.filter(username__in=["binhson", "sontinh"])
    }
    if admin is None or len(accounts) < 2:
        return 0
    party = services.round_open(
        actor=btc, year=YEAR, block=Block.PARTY, deadline=DEADLINE, note=NOTE
    )
    state = services.round_open(
        actor=snv, year=YEAR, block=Block.STATE, deadline=DEADLINE, note=NOTE
    )

    binh_son = "huyen-uy-binh-son"
    named = _people(binh_son, 4, theory_level="")
    holder = _people(binh_son, 1, theory_level=Person.TheoryLevel.ADVANCED)
    accepted = _register(
        accounts[binh_son],
        party,
        binh_son,
        counts=[
            ("III.1.1", 6, "Cán bộ diện Ban Thường vụ quản lý chưa qua bồi dưỡng QP-AN"),
            ("III.2.3", 4, "Cán bộ các ban xây dựng Đảng mới bổ nhiệm"),
        ],
        people=[
            (named[0], "II.1.1", "", "", "Quy hoạch Ban Thường vụ Huyện ủy"),
            (named[1], "II.1.1", "", "", "Quy hoạch Ban Thường vụ Huyện ủy"),
            (named[2], "II.2.2", "Công tác tổ chức", "Học viện Chính trị khu vực III", ""),
            (named[3], "II.3.1", "", "", "Trưởng phòng chưa có trung cấp"),
            *[(person, "II.1.1", "", "", "Đã có cao cấp?") for person in holder],
        ],
    )
    services.register_submit(actor=accounts[binh_son], register=accepted)
    services.register_accept(actor=btc, register=accepted)

    son_tinh = "huyen-uy-son-tinh"
    returned = _register(
        accounts[son_tinh],
        party,
        son_tinh,
        counts=[("III.1.1", 25, "")],
        people=[(p, "II.3.1", "", "", "") for p in _people(son_tinh, 2, theory_level="")],
    )
    services.register_submit(actor=accounts[son_tinh], register=returned)
    services.register_return(
        actor=btc,
        register=returned,
        reason="Số đăng ký bồi dưỡng QP-AN vượt số cán bộ thuộc diện; đề nghị rà soát lại.",
    )

    submitted = _register(admin, party, "thanh-uy-quang-ngai", counts=[("III.1.1", 8, "")])
    services.register_submit(actor=admin, register=submitted)
    _register(admin, party, "huyen-uy-tu-nghia", counts=[("III.2.3", 3, "")])

    education = _register(
        admin,
        state,
        "so-giao-duc-dao-tao",
        counts=[("III.3.6", 180, "Giáo viên thăng hạng chức danh nghề nghiệp"),
                ("III.3.7", 30, "Giáo viên dưới 40 tuổi")],
    )  # fmt: skip
    services.register_submit(actor=admin, register=education)
    services.register_accept(actor=snv, register=education)
    health = _register(admin, state, "so-y-te", counts=[("III.3.3", 12, "")])
    services.register_submit(actor=admin, register=health)

    plan, _build, _version = version_services.build_draft(year=YEAR, actor=btc)
    plan.purpose += (
        " Chú trọng bồi dưỡng cán bộ cấp cơ sở sau sắp xếp đơn vị hành chính và đội ngũ giáo "
        "viên theo chương trình giáo dục phổ thông mới."
    )
    plan.save()
    teachers = _course("III.3.6", YEAR)
    teachers.quantity = 200
    teachers.save()
    line = teachers.quota_lines.first()
    if line is not None:
        line.planned_count = 200
        line.save()
    program = teachers.program
    program.quantity = sum(c.quantity or 0 for c in program.courses.all())
    program.save()
    version_services.save_version(
        plan=plan,
        actor=btc,
        note="Sau góp ý của Sở Nội vụ: tăng bồi dưỡng giáo viên, bổ sung mục đích",
    )
    return 1
