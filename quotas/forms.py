"""Forms of the quota screens."""

import re

from django import forms

from courses.eligibility import Flag
from courses.models import Course, Program
from quotas.models import MAX_SEATS, SEATS_MESSAGE, Nomination
from training_plan.models import Organisation
from training_plan.selectors import units
from training_plan.web import parse_id
from training_plan.widgets import QuickSelect, SearchPicker

# --- Allocation (phân bổ chỉ tiêu) -------------------------------------------------------------
# The allocation page renders these forms' inputs inline in its tables (one small form per row);
# the forms validate what comes back.


class AllocationSetForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=units(),
        error_messages={
            "required": "Vui lòng chọn đơn vị.",
            "invalid_choice": "Đơn vị đã chọn không hợp lệ.",
        },
    )
    count = forms.IntegerField(
        label="Số chỉ tiêu",
        min_value=0,
        max_value=MAX_SEATS,
        error_messages={
            "required": "Vui lòng nhập số chỉ tiêu.",
            "invalid": "Số chỉ tiêu phải là số nguyên.",
            "min_value": "Số chỉ tiêu không được âm.",
            "max_value": SEATS_MESSAGE,
        },
    )


class AllocationMoveForm(forms.Form):
    from_unit = forms.ModelChoiceField(
        label="Rút từ đơn vị",
        queryset=units(),
        error_messages={
            "required": "Vui lòng chọn đơn vị rút chỉ tiêu.",
            "invalid_choice": "Đơn vị rút chỉ tiêu không hợp lệ.",
        },
    )
    to_unit = forms.ModelChoiceField(
        label="Chuyển cho đơn vị",
        queryset=units(),
        error_messages={
            "required": "Vui lòng chọn đơn vị nhận chỉ tiêu.",
            "invalid_choice": "Đơn vị nhận chỉ tiêu không hợp lệ.",
        },
    )
    count = forms.IntegerField(
        label="Số chỉ tiêu",
        min_value=1,
        max_value=MAX_SEATS,
        error_messages={
            "required": "Vui lòng nhập số chỉ tiêu điều chuyển.",
            "invalid": "Số chỉ tiêu phải là số nguyên.",
            "min_value": "Số chỉ tiêu điều chuyển phải lớn hơn 0.",
            "max_value": SEATS_MESSAGE,
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("from_unit") and data.get("from_unit") == data.get("to_unit"):
            raise forms.ValidationError("Đơn vị nhận phải khác đơn vị điều chuyển.")
        return data


GRID_NUMBER = re.compile(r"-?[0-9]{1,12}")


def grid_field(line, unit):
    """The name of a cell of the allocation grid."""
    return f"c-{line.pk}-{unit.pk}"


def parse_allocation_grid(data, lines, units, current):
    """Read the cells of the allocation grid from a POST.

    Returns (typed, counts, errors): the text typed in each cell posted, keyed (line pk, unit
    pk); the new count of each cell that parsed, keyed (line, unit); and the message of each
    cell that did not. A blank cell is 0; a cell not posted keeps its value (`current`).
    """
    typed, counts, errors = {}, {}, {}
    for line in lines:
        for unit in units:
            key = (line.pk, unit.pk)
            if grid_field(line, unit) not in data:
                continue
            text = data[grid_field(line, unit)].strip().replace(".", "")
            typed[key] = data[grid_field(line, unit)][:20]
            if text == "":
                text = "0"
            if not GRID_NUMBER.fullmatch(text):
                errors[key] = "Số chỉ tiêu phải là số nguyên."
            elif int(text) < 0:
                errors[key] = "Số chỉ tiêu không được âm."
            elif int(text) > MAX_SEATS:
                errors[key] = SEATS_MESSAGE
            elif int(text) != current.get(key, 0):
                counts[(line, unit)] = int(text)
    return typed, counts, errors


def form_errors_text(form):
    """All errors of a form as one Vietnamese sentence for a message."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# ---------------------------------------------------------------------------------------------
# Nominations
# ---------------------------------------------------------------------------------------------


def _line_choice_label(line, seats=None):
    """The choice of a quota line; with `seats` (what the nominating unit has left, from
    selectors.unit_seats) instead of the line's province-wide count."""
    count = f"{line.planned_count} chỉ tiêu" if line.is_capped else "theo nhu cầu"
    count = (seats or {}).get(f"line-{line.pk}", count)
    mode = f", {line.get_study_mode_display().lower()}" if line.study_mode else ""
    return (
        f"{line.course.code}-{line.position} {line.course.name} — "
        f"{line.institution.name}{mode} ({count})"
    )


def target_choices(courses, seats=None):
    """Grouped choices: one per quota line, or one per course without lines."""
    groups, current, items, label = [], None, [], ""
    for course in courses:
        if course.program_id != current:
            if items:
                groups.append((label, items))
            current, items = course.program_id, []
            label = f"{course.program.number}. {course.program.name}"
        lines = list(course.quota_lines.all())
        if lines:
            items += [(f"line-{line.pk}", _line_choice_label(line, seats)) for line in lines]
        else:
            items.append(
                (
                    f"course-{course.pk}",
                    f"{course.code} {course.name} (theo nhu cầu đăng ký)",
                )
            )
    if items:
        groups.append((label, items))
    return groups


def resolve_target(value, courses):
    """“line-12” or “course-3” → (course, quota line or None), only among `courses`."""
    kind, _, pk = (value or "").partition("-")
    for course in courses:
        if kind == "course" and str(course.pk) == pk and not course.quota_lines.all():
            return course, None
        if kind == "line":
            for line in course.quota_lines.all():
                if str(line.pk) == pk:
                    return course, line
    raise forms.ValidationError("Hãy chọn một khóa (và dòng chỉ tiêu) trong danh sách.")


def person_choice_label(person):
    """“Nguyễn Văn Thành — sinh 05/03/1985 — Phó Chánh Văn phòng — Huyện ủy Bình Sơn”"""
    parts = [person.full_name, f"sinh {person.date_of_birth:%d/%m/%Y}"]
    if person.position:
        parts.append(person.position)
    parts.append(person.organisation.short_name or person.organisation.name)
    return " — ".join(parts)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person_choice_label(person)


MONTHS_HELP = (
    "Dùng cho điều kiện cam kết phục vụ (đào tạo sau đại học): thời gian cam kết phải ít nhất "
    "gấp số lần thời gian đào tạo mà văn bản căn cứ quy định."
)


class NominationForm(forms.Form):
    person = PersonChoiceField(queryset=None, label="Cán bộ được cử")
    target = forms.ChoiceField(label="Khóa, dòng chỉ tiêu")
    training_months = forms.IntegerField(
        label="Thời gian đào tạo (tháng)", required=False, min_value=1, max_value=120
    )
    commitment_months = forms.IntegerField(
        label="Cam kết phục vụ sau đào tạo (tháng)",
        required=False,
        min_value=0,
        max_value=600,
        help_text=MONTHS_HELP,
    )
    note = forms.CharField(
        label="Ghi chú", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people, courses, picker_url="", seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = courses
        field = self.fields["person"]
        field.queryset = people
        field.widget = SearchPicker(
            url=picker_url,
            placeholder="Gõ một phần họ tên, không cần dấu: nguyen van th",
            label_for=lambda pk: self._person_label(people, pk),
        )
        field.help_text = "Kết quả hiện đơn vị, ngày sinh và chức vụ để phân biệt người trùng tên."
        self.fields["target"].choices = [("", "— Chọn khóa —"), *target_choices(courses, seats)]

    @staticmethod
    def _person_label(people, pk):
        pk = parse_id(str(pk))
        person = people.filter(pk=pk).first() if pk is not None else None
        return person_choice_label(person) if person else ""

    def clean_target(self):
        return resolve_target(self.cleaned_data["target"], self.courses)


class NominationEditForm(forms.Form):
    target = forms.ChoiceField(label="Dòng chỉ tiêu")
    training_months = NominationForm.base_fields["training_months"]
    commitment_months = NominationForm.base_fields["commitment_months"]
    note = NominationForm.base_fields["note"]

    def __init__(self, *args, nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = nomination.course
        self.lines = list(
            self.course.quota_lines.select_related("institution", "course__program__section")
        )
        if self.lines:
            self.fields["target"].choices = [(str(line.pk), line.label) for line in self.lines]
        else:
            del self.fields["target"]

    def clean_target(self):
        for line in self.lines:
            if str(line.pk) == self.cleaned_data["target"]:
                return line
        raise forms.ValidationError("Hãy chọn một dòng chỉ tiêu của khóa.")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].label = "Lý do (không bắt buộc)"


FLAG_CHOICES = [
    ("", "Tất cả"),
    (Flag.OK, "Đạt điều kiện"),
    (Flag.WARN, Flag.WARN.label),
    (Flag.OVERRIDDEN, Flag.OVERRIDDEN.label),
]


class NominationFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        widget=QuickSelect, label="Năm kế hoạch", coerce=int, required=False
    )
    program = forms.ModelChoiceField(
        widget=QuickSelect,
        label="Chương trình",
        queryset=Program.objects.none(),
        required=False,
        empty_label="Tất cả",
    )
    course = forms.ModelChoiceField(
        widget=QuickSelect,
        label="Khóa",
        queryset=Course.objects.none(),
        required=False,
        empty_label="Tất cả",
    )
    unit = forms.ModelChoiceField(
        widget=QuickSelect,
        label="Đơn vị",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Tất cả",
    )
    status = forms.ChoiceField(
        widget=QuickSelect,
        label="Trạng thái",
        choices=[("", "Tất cả"), *Nomination.Status.choices],
        required=False,
    )
    flag = forms.ChoiceField(
        widget=QuickSelect, label="Điều kiện", choices=FLAG_CHOICES, required=False
    )
    q = forms.CharField(label="Họ tên", required=False, max_length=100)

    def __init__(self, *args, plans, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(p.year, str(p.year)) for p in plans]
        self.fields["program"].queryset = (
            Program.objects.filter(section__plan=plan)
            .select_related("section")
            .order_by("section__position", "position")
        )
        self.fields["program"].label_from_instance = lambda p: f"{p.number}. {p.name}"
        self.fields["course"].queryset = (
            Course.objects.filter(program__section__plan=plan)
            .select_related("program__section")
            .order_by("program__section__position", "program__position", "position")
        )
        self.fields["course"].label_from_instance = lambda c: f"{c.code} {c.name}"
        if user.has_perm("training_plan.view_every_unit"):
            self.fields["unit"].queryset = units(year=plan.year)  # the plan's units
        else:
            del self.fields["unit"]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx) theo mẫu",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    submit_now = forms.BooleanField(
        label="Gửi duyệt ngay các hồ sơ sau khi nhập (giữ chỉ tiêu)", required=False
    )
