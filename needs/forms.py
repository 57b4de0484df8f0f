"""Forms of the needs round."""

from django import forms

from courses.forms import IdsField
from needs.models import MAX_COUNT, collects_people
from training_plan.text import format_number
from training_plan.widgets import DateInput


class RoundForm(forms.Form):
    deadline = forms.DateField(
        label="Hạn gửi nhu cầu",
        widget=DateInput(),
        error_messages={
            "required": "Vui lòng nhập hạn gửi nhu cầu.",
            "invalid": "Ngày không hợp lệ (dd/mm/yyyy).",
        },
    )
    note = forms.CharField(
        label="Ghi chú gửi các đơn vị",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    courses = IdsField(
        label="Các chương trình, khóa đăng ký",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cần chọn ít nhất một chương trình, khóa.",
            "invalid_choice": "Khóa đã chọn không thuộc kế hoạch làm khung.",
            "invalid_pk_value": "Khóa đã chọn không hợp lệ.",
        },
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["courses"]
        field.queryset = courses
        field.label_from_instance = lambda course: f"{course.code} {course.name}"


class CountsForm(forms.Form):
    """One number and one reason per bồi dưỡng course of the round."""

    def __init__(self, *args, courses, counts, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = [course for course in courses if not collects_people(course)]
        for course in self.courses:
            existing = counts.get(course.pk)
            self.fields[f"count_{course.pk}"] = forms.IntegerField(
                label=f"{course.code} {course.name}",
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
                initial=existing.count if existing else None,
                error_messages={
                    "invalid": "Số người phải là số nguyên.",
                    "min_value": "Số người không được âm.",
                    "max_value": f"Số người không quá {format_number(MAX_COUNT)}.",
                },
            )
            self.fields[f"reason_{course.pk}"] = forms.CharField(
                label="Lý do",
                required=False,
                max_length=500,
                initial=existing.reason if existing else "",
            )

    @property
    def rows(self):
        return [
            (course, self[f"count_{course.pk}"], self[f"reason_{course.pk}"])
            for course in self.courses
        ]

    def entries(self):
        return {
            course.pk: (
                self.cleaned_data.get(f"count_{course.pk}"),
                self.cleaned_data.get(f"reason_{course.pk}", ""),
            )
            for course in self.courses
        }


class PersonEntryForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Cán bộ",
        queryset=None,
        error_messages={
            "required": "Vui lòng chọn cán bộ.",
            "invalid_choice": "Cán bộ đã chọn không thuộc đơn vị.",
        },
    )
    course = forms.TypedChoiceField(
        label="Chương trình đào tạo",
        coerce=int,
        error_messages={
            "required": "Vui lòng chọn chương trình đào tạo.",
            "invalid_choice": "Chương trình đã chọn không thuộc đợt đăng ký.",
        },
    )
    major = forms.CharField(
        label="Chuyên ngành mong muốn",
        required=False,
        max_length=255,
        help_text="Bắt buộc với đại học văn bằng hai và sau đại học.",
    )
    institution = forms.CharField(
        label="Cơ sở đào tạo mong muốn",
        required=False,
        max_length=255,
        help_text="Bắt buộc với đại học văn bằng hai và sau đại học.",
    )
    reason = forms.CharField(label="Lý do", required=False, max_length=500)

    def __init__(self, *args, people, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["course"].choices = [("", "— Chọn —")] + [
            (course.pk, f"{course.code} {course.name}")
            for course in courses
            if collects_people(course)
        ]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần ghi lý do trả lại để đơn vị bổ sung."},
    )
