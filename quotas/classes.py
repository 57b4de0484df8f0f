"""Writes of classes: open and change a class, enrol learners, record results, cancel.

Who may write: BTC for classes of Party-block courses, SNV for State-block courses (the
permissions `courses.open_class` and `courses.manage_class`). Views check it first; the services
check it again so that no other caller can skip it. Every status change of a nomination goes through
`quotas.services.nomination_set_status`, which records the transition.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from courses.models import (
    CAPACITY_MESSAGE,
    EDITABLE_STATUSES,
    ENROLLING_STATUSES,
    MAX_LEARNERS,
    PLANNED_MESSAGE,
    RESULT_STATUSES,
    Course,
    StudyMode,
    TrainingClass,
)
from quotas import notices
from quotas.models import Nomination
from quotas.selectors import LEARNER_STATUSES
from quotas.services import nomination_set_status
from training_plan.locking import key_for, lock
from training_plan.models import Organisation
from training_plan.rules import check_perm
from training_plan.text import clean_text

RESULT_CHOICES = {
    "": Nomination.Status.ENROLLED,
    "completed": Nomination.Status.COMPLETED,
    "not_completed": Nomination.Status.NOT_COMPLETED,
}


def _require_manager(actor, training_class):
    check_perm(actor, "courses.manage_class", training_class)


# A class of the plan of year Y opens from Y - 1 (preparation) to Y + 1 (carried over) and lasts
# at most the longest training (a doctorate) with some slack.
MAX_CLASS_YEARS = 6


def _validate_class_fields(
    *, plan_year, start_date, end_date, capacity, planned_learners, study_mode
):
    errors = {}
    if start_date and not plan_year - 1 <= start_date.year <= plan_year + 1:
        errors["start_date"] = (
            f"Lớp của kế hoạch năm {plan_year} khai giảng trong các năm "
            f"{plan_year - 1}–{plan_year + 1}."
        )
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "Ngày bế giảng phải bằng hoặc sau ngày khai giảng."
    elif start_date and end_date and end_date.year > start_date.year + MAX_CLASS_YEARS:
        errors["end_date"] = f"Một lớp kéo dài không quá {MAX_CLASS_YEARS} năm."
    if capacity is None or capacity < 1:
        errors["capacity"] = "Sĩ số tối đa phải ít nhất là 1."
    elif capacity > MAX_LEARNERS:
        errors["capacity"] = CAPACITY_MESSAGE
    if planned_learners is not None and not 0 <= planned_learners <= MAX_LEARNERS:
        errors["planned_learners"] = PLANNED_MESSAGE
    elif planned_learners is not None and capacity and planned_learners > capacity:
        errors["planned_learners"] = "Số học viên dự kiến không được lớn hơn sĩ số tối đa."
    if study_mode and study_mode not in StudyMode.values:
        errors["study_mode"] = "Hệ học không hợp lệ."
    if errors:
        raise ValidationError(errors)


def _learner_count(training_class):
    return Nomination.objects.filter(
        training_class=training_class, status__in=LEARNER_STATUSES
    ).count()


def _next_code(course):
    codes = set(TrainingClass.objects.filter(course=course).values_list("code", flat=True))
    number = len(codes) + 1
    while f"lop-{number}" in codes:
        number += 1
    return f"lop-{number}"


@transaction.atomic
def training_class_create(
    *,
    course: Course,
    actor,
    name: str,
    institution: Organisation,
    start_date: datetime.date,
    end_date: datetime.date,
    capacity: int,
    venue: str = "",
    study_mode: str = "",
    planned_learners: int = 0,
    funding_source: str = TrainingClass.FundingSource.PROVINCE,
    status: str = TrainingClass.Status.PLANNED,
    note: str = "",
) -> TrainingClass:
    """Open a class of a course; the code is given automatically (lop-1, lop-2 …)."""
    check_perm(actor, "courses.open_class", course)
    _validate_class_fields(
        plan_year=course.program.section.plan.year,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        planned_learners=planned_learners,
        study_mode=study_mode,
    )
    if status not in EDITABLE_STATUSES:
        raise ValidationError({"status": "Trạng thái của lớp mới không hợp lệ."})
    # The course's lock: the next code is free, and a second click on “Mở lớp” finds the class
    # the first one opened.
    lock(key_for(course))
    same = (
        TrainingClass.objects.filter(course=course, name=clean_text(name).strip())
        .filter(start_date=start_date)
        .exclude(status=TrainingClass.Status.CANCELLED)
        .first()
    )
    if same is not None:
        raise ValidationError(
            f"Lớp “{same.name}” khai giảng ngày {same.start_date:%d/%m/%Y} đã được mở "
            f"(mã {same.code}): không mở thêm lớp trùng."
        )
    created = TrainingClass.objects.create(
        course=course,
        code=_next_code(course),
        name=name.strip(),
        institution=institution,
        venue=venue.strip(),
        study_mode=study_mode,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        planned_learners=planned_learners or 0,
        funding_source=funding_source,
        status=status,
        note=note.strip(),
    )
    if created.status == TrainingClass.Status.OPEN:
        notices.class_opened(training_class=created, actor=actor)
    return created


CLASS_FIELDS = (
    "name",
    "institution",
    "venue",
    "study_mode",
    "start_date",
    "end_date",
    "capacity",
    "planned_learners",
    "funding_source",
    "status",
    "note",
)


def training_class_update(*, training_class: TrainingClass, actor, **changes) -> TrainingClass:
    """Change a class; the capacity cannot drop below the learners already in it."""
    _require_manager(actor, training_class)
    unknown = set(changes) - set(CLASS_FIELDS)
    if unknown:
        raise TypeError(f"training_class_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        lock(key_for(training_class))
        current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if current.status == TrainingClass.Status.CANCELLED:
            raise ValidationError("Lớp đã hủy, không sửa được.")
        was = current.status
        for field, value in changes.items():
            setattr(current, field, value.strip() if isinstance(value, str) else value)
        if current.status not in EDITABLE_STATUSES:
            raise ValidationError(
                {"status": "Muốn hủy lớp, dùng chức năng “Hủy lớp” để trả học viên về danh sách."}
            )
        _validate_class_fields(
            plan_year=current.course.program.section.plan.year,
            start_date=current.start_date,
            end_date=current.end_date,
            capacity=current.capacity,
            planned_learners=current.planned_learners,
            study_mode=current.study_mode,
        )
        learners = _learner_count(current)
        if current.capacity < learners:
            raise ValidationError(
                {
                    "capacity": f"Lớp đã có {learners} học viên; sĩ số tối đa không được nhỏ hơn "
                    "số này."
                }
            )
        current.save()
        if current.status == TrainingClass.Status.OPEN and was != current.status:
            notices.class_opened(training_class=current, actor=actor)
    return current


def class_enrol(*, training_class: TrainingClass, nomination_ids, actor) -> int:
    """Enrol approved nominations of the class's course; all of them or none.

    The class's lock is taken first and the places are counted inside it, so concurrent
    enrolments never exceed the capacity."""
    _require_manager(actor, training_class)
    ids = sorted({int(pk) for pk in nomination_ids})
    if not ids:
        raise ValidationError("Chưa chọn học viên nào để xếp lớp.")
    with transaction.atomic():
        lock(key_for(training_class))
        # Read again inside the lock: status and capacity as they are now.
        current = TrainingClass.objects.get(pk=training_class.pk)
        if current.status not in ENROLLING_STATUSES:
            raise ValidationError(
                f"Lớp đang ở trạng thái “{current.get_status_display()}”, không xếp thêm học viên."
            )
        nominations = list(
            Nomination.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("person")
            .order_by("pk")
        )
        if len(nominations) != len(ids):
            raise ValidationError("Có hồ sơ cử đi học không còn tồn tại; vui lòng tải lại trang.")
        problems = []
        for nomination in nominations:
            if nomination.course_id != current.course_id:
                problems.append(f"{nomination.person.full_name}: được cử vào khóa khác.")
            elif nomination.training_class_id is not None:
                problems.append(f"{nomination.person.full_name}: đã được xếp vào một lớp.")
            elif nomination.status != Nomination.Status.APPROVED:
                problems.append(
                    f"{nomination.person.full_name}: hồ sơ ở trạng thái "
                    f"“{nomination.get_status_display()}”, chưa được duyệt."
                )
        if problems:
            raise ValidationError(["Không xếp lớp được:", *problems])
        free = current.capacity - _learner_count(current)
        if len(nominations) > free:
            raise ValidationError(
                f"Lớp chỉ còn {max(free, 0)} chỗ trống, không xếp được {len(nominations)} "
                "học viên. Không có học viên nào được xếp."
            )
        for nomination in nominations:
            nomination.training_class = current
            nomination_set_status(
                nomination=nomination,
                to_status=Nomination.Status.ENROLLED,
                actor=actor,
                reason=f"Xếp vào lớp {current.name}",
                update_fields=["training_class"],
            )
    return len(nominations)


@transaction.atomic
def class_unenrol(*, training_class: TrainingClass, nomination_id: int, actor) -> Nomination:
    """Take one learner out of a class (back to approved), before any result is recorded."""
    _require_manager(actor, training_class)
    lock(key_for(training_class))
    nomination = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk=nomination_id, training_class=training_class)
        .first()
    )
    if nomination is None:
        raise ValidationError("Học viên này không có trong lớp.")
    if nomination.status != Nomination.Status.ENROLLED:
        raise ValidationError(
            f"{nomination.person.full_name} đã có kết quả học tập; không rút khỏi lớp được."
        )
    nomination.training_class = None
    nomination_set_status(
        nomination=nomination,
        to_status=Nomination.Status.APPROVED,
        actor=actor,
        reason=f"Rút khỏi lớp {training_class.name}",
        update_fields=["training_class"],
    )
    return nomination


@transaction.atomic
def class_record_results(*, training_class: TrainingClass, results: dict, actor) -> int:
    """Record results of a whole class at once, all or nothing: {nomination id: (result,
    reason)} or (result, reason, certificate number, certificate date), with result
    "completed", "not_completed" or "" (no result yet). A learner who did not complete needs a
    reason; a certificate belongs to a learner who completed, dated from the class's start to
    today. Refused with every row's problems (a ValidationError whose `error_dict` maps the
    nomination id to its messages), changing nothing. Returns how many learners changed."""
    _require_manager(actor, training_class)
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if current.status not in RESULT_STATUSES:
        raise ValidationError(
            "Chỉ ghi kết quả khi lớp đang học hoặc đã kết thúc; hãy cập nhật trạng thái lớp trước."
        )
    learners = {
        nomination.pk: nomination
        for nomination in Nomination.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(training_class=current, status__in=LEARNER_STATUSES, pk__in=list(results))
    }
    if len(learners) != len(results):
        raise ValidationError("Có học viên không thuộc lớp này; vui lòng tải lại trang.")
    rows, problems = {}, {}
    today = datetime.date.today()
    for pk, value in results.items():
        result, reason, number, date = (*value, "", None)[:4] if len(value) == 2 else value
        reason = (reason or "").strip() if result == "not_completed" else ""
        number = clean_text(number or "").strip()
        rows[pk] = (result, reason, number, date)
        name = learners[pk].person.full_name
        mine = problems.setdefault(pk, [])
        if result not in RESULT_CHOICES:
            mine.append(f"{name}: kết quả không hợp lệ.")
        elif result == "not_completed" and not reason:
            mine.append(f"{name}: cần ghi lý do không hoàn thành khóa học.")
        if (number or date) and result != "completed":
            mine.append(f"{name}: chỉ ghi chứng chỉ cho học viên hoàn thành khóa học.")
        if len(number) > 50:
            mine.append(f"{name}: số chứng chỉ không quá 50 ký tự.")
        if date and not (current.start_date <= date <= today):
            mine.append(
                f"{name}: ngày cấp chứng chỉ phải từ ngày khai giảng "
                f"({current.start_date:%d/%m/%Y}) đến hôm nay."
            )
    problems = {pk: messages for pk, messages in problems.items() if messages}
    if problems:
        raise ValidationError(problems)
    changed = 0
    for pk, (result, reason, number, date) in rows.items():
        nomination = learners[pk]
        to_status = RESULT_CHOICES[result]
        fields = {"result_reason": reason, "certificate_number": number, "certificate_date": date}
        differ = [name for name, value in fields.items() if getattr(nomination, name) != value]
        if nomination.status == to_status and not differ:
            continue
        if differ:
            for name in differ:
                setattr(nomination, name, fields[name])
            nomination.save(update_fields=[*differ, "updated_at"])
        if nomination.status != to_status:
            nomination_set_status(
                nomination=nomination, to_status=to_status, actor=actor, reason=reason
            )
        changed += 1
    return changed


def class_cancel(*, training_class: TrainingClass, actor, reason: str = "") -> int:
    """Cancel a class: its learners go back to “approved” (no class) to be enrolled elsewhere.
    Refused once a learner has a result. Returns how many learners went back."""
    _require_manager(actor, training_class)
    with transaction.atomic():
        lock(key_for(training_class))
        current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        if current.status == TrainingClass.Status.CANCELLED:
            raise ValidationError("Lớp đã được hủy trước đó.")
        nominations = list(
            Nomination.objects.select_for_update(of=("self",)).filter(
                training_class=current, status__in=LEARNER_STATUSES
            )
        )
        if any(n.status != Nomination.Status.ENROLLED for n in nominations):
            raise ValidationError("Lớp đã có học viên có kết quả học tập, không hủy được.")
        note = f"Lớp {current.name} bị hủy" + (f": {reason.strip()}" if reason.strip() else "")
        unit_ids = {nomination.unit_id for nomination in nominations}
        for nomination in nominations:
            nomination.training_class = None
            nomination_set_status(
                nomination=nomination,
                to_status=Nomination.Status.APPROVED,
                actor=actor,
                reason=note,
                update_fields=["training_class"],
            )
        current.status = TrainingClass.Status.CANCELLED
        if reason.strip():
            current.note = (f"{current.note} — " if current.note else "") + f"Hủy: {reason.strip()}"
            current.note = current.note[:255]
        current.save(update_fields=["status", "note"])
        notices.class_cancelled(
            training_class=current, unit_ids=unit_ids, actor=actor, reason=reason.strip()
        )
    return len(nominations)
