"""Class lists (danh sách học viên) as Excel and PDF: learners in Vietnamese name order, unit,
position, result; a unit sees only its own people."""

from quotas.selectors import LEARNER_STATUSES, nominations_for_user
from reports.exports import DATE, INTEGER, Column, Exporter, write_xlsx
from training_plan.rules import EVERY_UNIT, unit_scope


def class_learners_for_user(user, training_class):
    """Learners of the class the user may see (a unit: only the people it sent), in Vietnamese
    name order."""
    return (
        nominations_for_user(user)
        .filter(training_class=training_class, status__in=LEARNER_STATUSES)
        .select_related("person", "unit", "training_class")
        .order_by("person__sort_key", "person_id")
    )


def result_label(nomination):
    return nomination.learner_label


class ClassListExporter(Exporter):
    """One row per learner of a class."""

    columns = [
        Column("STT", 6, INTEGER),
        Column("Họ và tên", 28),
        Column("Ngày sinh", 12, DATE),
        Column("Giới tính", 8),
        Column("Đơn vị", 30),
        Column("Chức vụ", 34),
        Column("Kết quả", 24),
    ]

    def __init__(self, training_class, learners):
        self.training_class = training_class
        self.learners = learners
        self.sheet_name = "Danh sách học viên"

    def rows(self):
        for index, nomination in enumerate(self.learners.iterator(chunk_size=2000), start=1):
            person = nomination.person
            yield [
                index,
                person.full_name,
                person.date_of_birth,
                person.get_gender_display(),
                nomination.unit.name,
                person.position,
                result_label(nomination),
            ]


class ClassInfoExporter(Exporter):
    """The header of the list: class, course, institution, dates, venue."""

    sheet_name = "Thông tin lớp"
    columns = [Column("Thông tin", 24), Column("Nội dung", 70)]

    def __init__(self, training_class, learner_count, scope):
        self.training_class = training_class
        self.learner_count = learner_count
        self.scope = scope

    def rows(self):
        c = self.training_class
        yield ["Lớp", c.name]
        yield ["Khóa, nội dung", c.course.name]
        yield ["Chương trình", f"{c.course.program.number}. {c.course.program.name}"]
        yield ["Cơ sở đào tạo", c.institution.name]
        yield ["Địa điểm", c.venue]
        yield ["Hệ", c.get_study_mode_display()]
        yield ["Khai giảng", c.start_date]
        yield ["Bế giảng", c.end_date]
        yield ["Số học viên trong danh sách", self.learner_count]
        yield ["Phạm vi", self.scope]


def class_list_scope(user):
    scope = unit_scope(user)
    if scope == EVERY_UNIT:
        return "Toàn bộ học viên của lớp"
    return f"Chỉ học viên do {user.organisation.name} cử" if scope is not None else "Không có"


def class_list_xlsx(user, training_class):
    learners = class_learners_for_user(user, training_class)
    return write_xlsx(
        [
            ClassListExporter(training_class, learners),
            ClassInfoExporter(training_class, learners.count(), class_list_scope(user)),
        ]
    )


def pdf_result(nomination, notes):
    """The result as the printed list's narrow column shows it: the status, and for a reason a
    numbered note under the table (“Không hoàn thành (1)”) instead of six wrapped lines."""
    if nomination.status == nomination.Status.NOT_COMPLETED and nomination.result_reason:
        notes.append(
            f"({len(notes) + 1}) {nomination.person.full_name}: {nomination.result_reason}"
        )
        return f"{nomination.get_status_display()} ({len(notes)})"
    return result_label(nomination)


def class_list_pdf(user, training_class):
    from reports.documents import render_pdf

    learners, notes = [], []
    for nomination in class_learners_for_user(user, training_class):
        learners.append({"nomination": nomination, "result": pdf_result(nomination, notes)})
    return render_pdf(
        "documents/class_list.html",
        {
            "training_class": training_class,
            "learners": learners,
            "notes": notes,
            "scope": class_list_scope(user),
            "plan": training_class.course.program.section.plan,
        },
    )
