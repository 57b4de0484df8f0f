"""Who is told what when a nomination moves, and when seats come free on a line.

`nomination_moved` is called by `quotas.services.nomination_set_status`, the one place every move
goes through, inside its transaction: the items of the inbox are written (and their e-mails
queued) with the move, or not at all. The object's open items are done first (they waited on the
state it just left), then the people the new state waits on, or concerns, are told — never the
actor of the move about their own action.
"""

from urllib.parse import urlencode

from django.urls import reverse

from inbox.models import Notice
from inbox.services import close, notify, subject_key
from quotas.models import Nomination, NominationTransition
from quotas.rules import acts_as_own_unit
from quotas.selectors import LEARNER_STATUSES
from training_plan.rules import accounts_managing_block, accounts_of_unit, accounts_of_units
from training_plan.text import format_number

S = Nomination.Status
K = Notice.Kind

# What the unit is told when a reviewer moves its nomination to these statuses.
UNIT_TOLD = {
    S.RETURNED: K.RETURNED,
    S.VERIFIED: K.VERIFIED,
    S.APPROVED: K.APPROVED,
    S.REJECTED: K.REJECTED,
    S.WITHDRAWN: K.WITHDRAWN,
    S.ENROLLED: K.ENROLLED,
}


def _others(users, actor):
    """The recipients but the actor (nobody is told of their own action)."""
    if actor is not None and actor.pk is not None:
        users = users.exclude(pk=actor.pk)
    return users


def _what(nomination):
    return f"{nomination.person.full_name} — {nomination.course.name}"


def _reason(reason):
    return f"Lý do: {reason}" if reason else ""


def _class_detail(training_class):
    parts = [f"Lớp {training_class.name}"]
    if training_class.start_date:
        parts.append(
            f"từ {training_class.start_date:%d/%m/%Y} đến {training_class.end_date:%d/%m/%Y}"
        )
    if training_class.venue:
        parts.append(f"tại {training_class.venue}")
    return ", ".join(parts) + "."


def nomination_moved(*, nomination, from_status, to_status, actor, reason=""):
    """Close the nomination's open items and tell whom the move concerns (in the move's
    transaction). Returns the items created."""
    if to_status == from_status or not from_status:
        return []  # a note on the same status, or a new draft: nothing waits on anyone new
    subject = subject_key(nomination)
    close(subject)
    url = nomination.get_absolute_url()
    unit = _others(accounts_of_unit(nomination.unit_id), actor)
    told = []
    if to_status == S.SUBMITTED:
        block = nomination.course.program.block
        promoted = (
            from_status == S.RESERVE and reason == NominationTransition.RESERVE_PROMOTION_REASON
        )
        told += notify(
            _others(accounts_managing_block(block), actor),
            kind=K.SUBMITTED,
            title=f"{K.SUBMITTED.label}: {_what(nomination)} ({nomination.unit.name})",
            detail=(
                "Chuyển từ danh sách dự bị khi có chỉ tiêu trống."
                if promoted
                else f"Đơn vị cử: {nomination.unit.name}."
            ),
            url=url,
            subject=subject,
        )
        if promoted:
            line = nomination.quota_line
            told += notify(
                unit,
                kind=K.PROMOTED,
                title=f"{K.PROMOTED.label}: {_what(nomination)}",
                detail=f"Dòng chỉ tiêu: {line.label}." if line else "",
                url=url,
                subject=subject,
            )
        return told
    kind = UNIT_TOLD.get(to_status)
    if kind is None or (to_status == S.APPROVED and from_status != S.VERIFIED):
        return told  # taken out of a class (back to approved) is told with the class's news
    if to_status == S.WITHDRAWN and actor is not None and acts_as_own_unit(actor, nomination):
        return told  # the unit withdrew its own file: the reviewers' items are closed, that is all
    if to_status == S.ENROLLED and nomination.training_class_id:
        detail = _class_detail(nomination.training_class)
        title = f"{kind.label}: {nomination.person.full_name} — {nomination.training_class.name}"
    else:
        detail = _reason(reason)
        title = f"{kind.label}: {_what(nomination)}"
    return notify(unit, kind=kind, title=title, detail=detail, url=url, subject=subject)


def seats_left_free(*, quota_line, unit, free, waiting):
    """A unit got seats on a line where it has reserve nominations and none could take them
    (the line is full): tell it, with the figures, so that it can ask for them or act."""
    return notify(
        accounts_of_unit(unit.pk),
        kind=K.SEAT_FREED,
        title=f"{K.SEAT_FREED.label}: {format_number(free)} chỉ tiêu trên dòng {quota_line.label}",
        detail=(
            f"{unit.name} còn {format_number(free)} chỉ tiêu được phân bổ chưa dùng và "
            f"{format_number(waiting)} hồ sơ dự bị chưa được tự động gửi duyệt "
            "(dòng chỉ tiêu đã đủ số)."
        ),
        url=reverse("nomination_list")
        + "?"
        + urlencode(
            {
                "year": quota_line.course.program.section.plan.year,
                "course": quota_line.course_id,
                "status": S.RESERVE,
            }
        ),
        subject=f"allocation:{quota_line.pk}:{unit.pk}",
    )


# Classes ---------------------------------------------------------------------------------------


def _class_units(training_class, *, waiting=True):
    """Units with learners in the class, and (`waiting`) with approved files of its course still
    waiting for a class."""
    learners = Nomination.objects.filter(training_class=training_class, status__in=LEARNER_STATUSES)
    units = set(learners.values_list("unit_id", flat=True).distinct())
    if waiting:
        units |= set(
            Nomination.objects.filter(
                course_id=training_class.course_id, status=S.APPROVED, training_class=None
            )
            .values_list("unit_id", flat=True)
            .distinct()
        )
    return units


def _when_where(training_class):
    place = training_class.venue or training_class.institution.name
    return (
        f"Khóa {training_class.course.name}; từ {training_class.start_date:%d/%m/%Y} đến "
        f"{training_class.end_date:%d/%m/%Y}; tại {place}."
    )


def class_opened(*, training_class, actor):
    """A class starts taking learners: the units with learners in it or approved files of its
    course waiting for a class are told."""
    subject = subject_key(training_class)
    close(subject)
    return notify(
        _others(accounts_of_units(_class_units(training_class)), actor),
        kind=K.CLASS_OPENED,
        title=f"{K.CLASS_OPENED.label}: {training_class.name}",
        detail=_when_where(training_class),
        url=reverse("class_detail", args=[training_class.pk]),
        subject=subject,
    )


def class_cancelled(*, training_class, unit_ids, actor, reason=""):
    """A class is cancelled: the units whose learners were in it (`unit_ids`, read before they
    went back to “approved”) and those waiting for a class of the course are told."""
    subject = subject_key(training_class)
    close(subject)
    units = set(unit_ids) | _class_units(training_class)
    detail = _when_where(training_class)
    if reason:
        detail += f" Lý do hủy: {reason}"
    return notify(
        _others(accounts_of_units(units), actor),
        kind=K.CLASS_CANCELLED,
        title=f"{K.CLASS_CANCELLED.label}: {training_class.name}",
        detail=detail,
        url=reverse("class_detail", args=[training_class.pk]),
        subject=subject,
    )
