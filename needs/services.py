"""The needs round's workflow: open a round, a unit's entries, submit, accept, return, remind.

Every write checks its permission again (`needs.rules`), runs in one transaction and records
what moved (`UnitNeedsTransition`, and the simple-history records of each entry). The users who
must act are told through the inbox (and so by e-mail)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from courses import eligibility
from courses.models import Course
from inbox.models import Notice
from inbox.services import close, notify, subject_key
from needs.models import (
    MAX_COUNT,
    NeedsCount,
    NeedsPerson,
    NeedsRound,
    UnitNeeds,
    UnitNeedsTransition,
    asks_major,
    collects_people,
)
from training_plan import selectors as core_selectors
from training_plan.models import Block, Plan
from training_plan.rules import (
    accounts_managing_block,
    accounts_of_unit,
    block_manager_name,
    check_perm,
)
from training_plan.text import format_number

S = UnitNeeds.Status

TRANSITIONS = {
    "": {S.DRAFT},
    S.DRAFT: {S.SUBMITTED},
    S.RETURNED: {S.SUBMITTED},
    S.SUBMITTED: {S.ACCEPTED, S.RETURNED},
    S.ACCEPTED: {S.RETURNED},
}


class NeedsRefused(ValidationError):
    """A needs action that is not allowed; the message says why, in Vietnamese."""

    def __str__(self):
        return self.message


def _label(status):
    return dict(S.choices).get(status, "—") if status else "—"


def source_plan_for(year):
    """The plan a round of `year` takes its structure from: the plan of the year before."""
    plan = Plan.objects.filter(year=year - 1).first()
    if plan is None:
        raise NeedsRefused(f"Chưa có kế hoạch năm {year - 1} để làm khung đăng ký năm {year}.")
    return plan


def round_courses_queryset(plan, block):
    """The courses of a plan's block a round may collect, in the plan's order."""
    return (
        Course.objects.filter(program__section__plan=plan, program__block=block)
        .select_related("program__section")
        .order_by("program__section__position", "program__position", "position")
    )


def round_courses(plan, block):
    return list(round_courses_queryset(plan, block))


# ---- Opening a round ------------------------------------------------------------------------


@transaction.atomic
def round_open(*, actor, year, block, deadline, note="", courses=None):
    """Open (or adjust) the round of a block for a year; the units are told on opening."""
    check_perm(actor, "needs.open_round", block)
    if block not in Block.values:
        raise NeedsRefused("Khối không hợp lệ.")
    if deadline is None:
        raise NeedsRefused("Cần nhập hạn gửi nhu cầu.")
    existing = NeedsRound.objects.select_for_update().filter(year=year, block=block).first()
    source = existing.source_plan if existing else source_plan_for(year)
    allowed = {course.pk: course for course in round_courses(source, block)}
    chosen = list(allowed.values()) if courses is None else list(courses)
    if not chosen:
        raise NeedsRefused("Cần chọn ít nhất một chương trình, khóa để đăng ký.")
    if any(course.pk not in allowed for course in chosen):
        raise NeedsRefused(
            f"Chỉ đăng ký được các khóa của {Block(block).label} trong kế hoạch năm {source.year}."
        )
    created = existing is None
    if created:
        round_ = NeedsRound(year=year, block=block, source_plan=source, opened_by=actor)
    else:
        round_ = existing
    round_.deadline = deadline
    round_.note = note or ""
    round_.save()
    round_.courses.set(chosen)
    if created:
        notify(
            _unit_accounts(year),
            kind=Notice.Kind.NEEDS_ROUND,
            title=(
                f"{block_manager_name(block)} mở đợt đăng ký nhu cầu đào tạo, bồi dưỡng năm "
                f"{year} ({Block(block).label}); hạn gửi {deadline:%d/%m/%Y}"
            ),
            detail=round_.note,
            url=reverse("needs_round", args=[year]),
            subject=subject_key(round_),
        )
    return round_


def _unit_accounts(year):
    """The accounts of the units alive during the round's plan year (a unit that ended before it
    enters no needs for it)."""
    from training_plan.models import User

    return User.objects.filter(
        is_active=True, role=User.Role.UNIT, organisation__in=core_selectors.units(year=year)
    )


# ---- A unit's register ----------------------------------------------------------------------


def set_status(*, register, to_status, actor, reason="", update_fields=()):
    """Move a register to a status and record who, when and why."""
    adding = register._state.adding
    from_status = "" if adding else register.status
    if to_status not in TRANSITIONS.get(from_status, ()):
        raise NeedsRefused(
            f"Không thể chuyển nhu cầu đăng ký từ trạng thái “{_label(from_status)}” sang "
            f"“{_label(to_status)}”."
        )
    register.status = to_status
    if adding:
        register.save()
    else:
        register.save(update_fields=["status", "updated_at", *update_fields])
    UnitNeedsTransition.objects.create(
        register=register, from_status=from_status, to_status=to_status, actor=actor, reason=reason
    )
    return register


@transaction.atomic
def register_for(*, actor, round_, unit):
    """The unit's register of the round, created as a draft the first time it saves."""
    register = UnitNeeds.objects.filter(round=round_, unit=unit).first()
    if register is not None:
        return register
    register = UnitNeeds(round=round_, unit=unit)
    check_perm(actor, "needs.change_register", register)
    try:
        with transaction.atomic():
            set_status(register=register, to_status=S.DRAFT, actor=actor)
    except IntegrityError:
        # A double click: the other request made it.
        return UnitNeeds.objects.get(round=round_, unit=unit)
    return register


def _editable(actor, register):
    check_perm(actor, "needs.change_register", register)
    if not register.is_editable:
        raise NeedsRefused(
            f"Nhu cầu đăng ký đang ở trạng thái “{register.get_status_display()}”; chỉ sửa được "
            "khi đang soạn hoặc được trả lại để bổ sung."
        )


def _round_course(register, course_id):
    course = register.round.courses.select_related("program__section").filter(pk=course_id).first()
    if course is None:
        raise NeedsRefused("Khóa này không thuộc đợt đăng ký.")
    return course


@transaction.atomic
def counts_save(*, actor, register, entries):
    """Save a unit's counts: `entries` maps a bồi dưỡng course id to (count, reason); a count of
    0 or none removes the course's entry. All or nothing."""
    register = UnitNeeds.objects.select_for_update().get(pk=register.pk)
    _editable(actor, register)
    errors = []
    for course_id, (count, reason) in entries.items():
        course = _round_course(register, course_id)
        if collects_people(course):
            raise NeedsRefused(f"Khóa “{course.name}” đăng ký theo danh sách cán bộ.")
        if count is not None and not 0 <= count <= MAX_COUNT:
            errors.append(f"{course.code}: số người phải từ 0 đến {format_number(MAX_COUNT)}.")
            continue
        existing = NeedsCount.objects.filter(register=register, course=course).first()
        if not count:
            if existing is not None:
                existing.delete()
            continue
        if existing is None:
            NeedsCount.objects.create(
                register=register, course=course, count=count, reason=reason or ""
            )
        elif existing.count != count or existing.reason != (reason or ""):
            existing.count = count
            existing.reason = reason or ""
            existing.save()
    if errors:
        raise NeedsRefused(" ".join(errors))
    return register


def person_report(course, person, year):
    """The eligibility rules of the course in force for the year, on the person: warnings only
    (the round collects wishes; the nomination will check again)."""
    return eligibility.check(course, person, year)


@transaction.atomic
def person_add(*, actor, register, person, course_id, major="", institution="", reason=""):
    """Name a person of the unit for an đào tạo course of the round; the eligibility rules in
    force for the round's year are checked and kept as warnings with their legal basis."""
    register = UnitNeeds.objects.select_for_update().select_related("round").get(pk=register.pk)
    _editable(actor, register)
    course = _round_course(register, course_id)
    if not collects_people(course):
        raise NeedsRefused(f"Khóa “{course.name}” đăng ký theo số lượng, không theo danh sách.")
    if person.organisation_id != register.unit_id:
        raise NeedsRefused("Chỉ đăng ký được cán bộ của đơn vị mình.")
    major, institution = (major or "").strip(), (institution or "").strip()
    if asks_major(course):
        missing = []
        if not major:
            missing.append("chuyên ngành")
        if not institution:
            missing.append("cơ sở đào tạo")
        if missing:
            raise NeedsRefused(
                f"Chương trình “{course.program.name}” cần ghi {' và '.join(missing)} mong muốn."
            )
    if NeedsPerson.objects.filter(register=register, course=course, person=person).exists():
        raise NeedsRefused(f"{person.full_name} đã có trong danh sách đăng ký khóa này.")
    report = person_report(course, person, register.round.year)
    entry = NeedsPerson(
        register=register,
        course=course,
        person=person,
        major=major,
        institution=institution,
        reason=reason or "",
        eligibility_flag=report.flag,
        eligibility_details=report.to_details(),
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise NeedsRefused(f"{person.full_name} đã có trong danh sách đăng ký khóa này.") from error
    return entry


@transaction.atomic
def person_remove(*, actor, register, entry_id):
    register = UnitNeeds.objects.select_for_update().get(pk=register.pk)
    _editable(actor, register)
    entry = NeedsPerson.objects.filter(register=register, pk=entry_id).first()
    if entry is None:
        raise NeedsRefused("Không tìm thấy cán bộ trong danh sách đăng ký.")
    entry.delete()


# ---- Submit, accept, return -----------------------------------------------------------------


def _managers_url(register):
    return reverse("needs_detail", args=[register.pk])


@transaction.atomic
def register_submit(*, actor, register):
    register = (
        UnitNeeds.objects.select_for_update().select_related("round", "unit").get(pk=register.pk)
    )
    _editable(actor, register)
    if not register.counts.exists() and not register.people.exists():
        raise NeedsRefused("Chưa có nhu cầu nào: nhập số người hoặc cán bộ đăng ký trước khi gửi.")
    register.submitted_at = timezone.now()
    register.return_reason = ""
    set_status(
        register=register,
        to_status=S.SUBMITTED,
        actor=actor,
        update_fields=("submitted_at", "return_reason"),
    )
    subject = subject_key(register)
    close(subject)
    round_ = register.round
    notify(
        accounts_managing_block(round_.block),
        kind=Notice.Kind.SUBMITTED,
        title=f"{register.unit.name} gửi nhu cầu đào tạo, bồi dưỡng năm {round_.year}",
        url=_managers_url(register),
        subject=subject,
    )
    return register


def _review(actor, register):
    check_perm(actor, "needs.review_register", register.round)


@transaction.atomic
def register_accept(*, actor, register):
    register = (
        UnitNeeds.objects.select_for_update().select_related("round", "unit").get(pk=register.pk)
    )
    _review(actor, register)
    set_status(register=register, to_status=S.ACCEPTED, actor=actor)
    subject = subject_key(register)
    close(subject)
    notify(
        accounts_of_unit(register.unit_id),
        kind=Notice.Kind.APPROVED,
        title=(
            f"{block_manager_name(register.round.block)} đã tiếp nhận nhu cầu đào tạo, bồi dưỡng "
            f"năm {register.round.year} của đơn vị"
        ),
        url=_managers_url(register),
        subject=subject,
    )
    return register


@transaction.atomic
def register_return(*, actor, register, reason):
    reason = (reason or "").strip()
    if not reason:
        raise NeedsRefused("Cần ghi lý do trả lại để đơn vị bổ sung.")
    register = (
        UnitNeeds.objects.select_for_update().select_related("round", "unit").get(pk=register.pk)
    )
    _review(actor, register)
    register.return_reason = reason
    set_status(
        register=register,
        to_status=S.RETURNED,
        actor=actor,
        reason=reason,
        update_fields=("return_reason",),
    )
    subject = subject_key(register)
    close(subject)
    notify(
        accounts_of_unit(register.unit_id),
        kind=Notice.Kind.RETURNED,
        title=f"Nhu cầu đào tạo, bồi dưỡng năm {register.round.year} bị trả lại để bổ sung",
        detail=reason,
        url=_managers_url(register),
        subject=subject,
    )
    return register


# ---- Reminders ------------------------------------------------------------------------------


def remind_deadlines(today=None):
    """Tell the units that have not submitted, once per round, when its deadline is near
    (`REMIND_DEADLINE_DAYS`); returns how many items were created."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.REMIND_DEADLINE_DAYS)
    created = 0
    for round_ in NeedsRound.objects.filter(deadline__gte=today, deadline__lte=horizon):
        done = UnitNeeds.objects.filter(
            round=round_, status__in=(S.SUBMITTED, S.ACCEPTED)
        ).values_list("unit_id", flat=True)
        accounts = _unit_accounts(round_.year).exclude(organisation_id__in=done)
        created += len(
            notify(
                accounts,
                kind=Notice.Kind.DEADLINE,
                title=(
                    f"Hạn gửi nhu cầu đào tạo, bồi dưỡng năm {round_.year} "
                    f"({round_.get_block_display()}) là {round_.deadline:%d/%m/%Y}"
                ),
                url=reverse("needs_round", args=[round_.year]),
                subject=f"needs-deadline:{round_.pk}",
                unique=True,
            )
        )
    return created
