"""Forms of the class screens; the services do the writing and hold the rules."""

from django import forms

from courses.models import (
    CAPACITY_MESSAGE,
    EDITABLE_STATUSES,
    MAX_LEARNERS,
    PLANNED_MESSAGE,
    StudyMode,
    TrainingClass,
)
from training_plan.models import Organisation
from training_plan.web import parse_id
from training_plan.widgets import DateInput


def institution_queryset():
    return Organisation.objects.filter(kind=Organisation.Kind.INSTITUTION).order_by("sort_key")


class TrainingClassForm(forms.Form):
    name = forms.CharField(label="Tên lớp", max_length=255)
    institution = forms.ModelChoiceField(
        label="Cơ sở đào tạo",
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": "Cơ sở đào tạo không hợp lệ."},
    )
    venue = forms.CharField(label="Địa điểm", max_length=255, required=False)
    study_mode = forms.ChoiceField(
        label="Hệ", choices=[("", "—")] + list(StudyMode.choices), required=False
    )
    start_date = forms.DateField(label="Ngày khai giảng", widget=DateInput())
    end_date = forms.DateField(label="Ngày bế giảng", widget=DateInput())
    capacity = forms.IntegerField(
        label="Sĩ số tối đa",
        min_value=1,
        max_value=MAX_LEARNERS,
        error_messages={"max_value": CAPACITY_MESSAGE},
    )
    planned_learners = forms.IntegerField(
        label="Số học viên dự kiến",
        min_value=0,
        max_value=MAX_LEARNERS,
        required=False,
        help_text="Dùng cho phụ lục kinh phí khi lớp chưa có học viên.",
        error_messages={"max_value": PLANNED_MESSAGE},
    )
    funding_source = forms.ChoiceField(
        label="Nguồn kinh phí", choices=TrainingClass.FundingSource.choices
    )
    status = forms.ChoiceField(
        label="Trạng thái",
        choices=[(s.value, s.label) for s in EDITABLE_STATUSES],
        initial=TrainingClass.Status.PLANNED,
    )
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_queryset()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Ngày bế giảng phải bằng hoặc sau ngày khai giảng.")
        capacity, planned = data.get("capacity"), data.get("planned_learners")
        if capacity and planned and planned > capacity:
            self.add_error(
                "planned_learners", "Số học viên dự kiến không được lớn hơn sĩ số tối đa."
            )
        if planned is None:
            data["planned_learners"] = 0
        return data

    @classmethod
    def initial_for(cls, training_class):
        return {field: getattr(training_class, field) for field in cls.base_fields}


class TrainingClassCreateForm(TrainingClassForm):
    course = forms.ModelChoiceField(
        label="Khóa, nội dung",
        queryset=None,
        error_messages={"invalid_choice": "Bạn không được mở lớp cho khóa này."},
    )
    field_order = ["course"]

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: f"{c.program.number}. {c.name}"


class IdsField(forms.ModelMultipleChoiceField):
    """Ids as ASCII digits that fit a bigint (`parse_id`), refused before the query: the
    database cannot compare -9223372036854775809 (SQLite: OverflowError, a 500)."""

    def _check_values(self, value):
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class EnrolForm(forms.Form):
    nominations = IdsField(
        queryset=None,
        error_messages={
            "required": "Chưa chọn học viên nào để xếp lớp.",
            "invalid_choice": "Có hồ sơ không còn chờ xếp lớp; vui lòng tải lại trang.",
            "invalid_pk_value": "Mã hồ sơ không hợp lệ.",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates


class CancelClassForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy lớp", max_length=200, required=False)


RESULT_FORM_CHOICES = [
    ("", "Chưa có kết quả"),
    ("completed", "Hoàn thành"),
    ("not_completed", "Không hoàn thành"),
]


class ClassResultsForm(forms.Form):
    """One result and one reason per learner, named after the nomination id."""

    def __init__(self, *args, learners, **kwargs):
        super().__init__(*args, **kwargs)
        self.learners = list(learners)
        for learner in self.learners:
            current = {"completed": "completed", "not_completed": "not_completed"}.get(
                learner.status, ""
            )
            self.fields[f"result_{learner.pk}"] = forms.ChoiceField(
                label=f"Kết quả của {learner.person.full_name}",
                choices=RESULT_FORM_CHOICES,
                required=False,
                initial=current,
                widget=forms.Select(
                    attrs={
                        "class": "form-select form-select-sm result-cell result-choice",
                        "aria-label": f"Kết quả của {learner.person.full_name}",
                    }
                ),
            )
            self.fields[f"reason_{learner.pk}"] = forms.CharField(
                label=f"Lý do không hoàn thành của {learner.person.full_name}",
                required=False,
                max_length=500,
                initial=learner.result_reason,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm result-cell",
                        "aria-label": f"Lý do không hoàn thành của {learner.person.full_name}",
                    }
                ),
            )

            name = learner.person.full_name
            self.fields[f"certificate_number_{learner.pk}"] = forms.CharField(
                label=f"Số chứng chỉ của {name}",
                required=False,
                max_length=50,
                initial=learner.certificate_number,
                error_messages={"max_length": "Số chứng chỉ không quá 50 ký tự."},
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm result-cell",
                        "aria-label": f"Số chứng chỉ của {name}",
                    }
                ),
            )
            self.fields[f"certificate_date_{learner.pk}"] = forms.DateField(
                label=f"Ngày cấp chứng chỉ của {name}",
                required=False,
                input_formats=["%d/%m/%Y"],
                initial=learner.certificate_date,
                error_messages={"invalid": "Ngày cấp phải theo dạng dd/mm/yyyy và có thật."},
                widget=forms.DateInput(
                    format="%d/%m/%Y",
                    attrs={
                        "class": "form-control form-control-sm result-cell",
                        "placeholder": "dd/mm/yyyy",
                        "inputmode": "numeric",
                        "aria-label": f"Ngày cấp chứng chỉ của {name}",
                    },
                ),
            )

    def clean(self):
        data = super().clean()
        for learner in self.learners:
            result = data.get(f"result_{learner.pk}")
            reason = (data.get(f"reason_{learner.pk}") or "").strip()
            if result == "not_completed" and not reason:
                self.add_error(f"reason_{learner.pk}", "Cần ghi lý do không hoàn thành.")
            number = data.get(f"certificate_number_{learner.pk}")
            if (number or data.get(f"certificate_date_{learner.pk}")) and result != "completed":
                self.add_error(
                    f"certificate_number_{learner.pk}",
                    "Chỉ ghi chứng chỉ cho học viên hoàn thành khóa học.",
                )
        return data

    def add_row_errors(self, error):
        """A refusal of the service (messages per nomination id) shown beside each row."""
        for pk, messages in error.message_dict.items():
            self.add_error(f"result_{pk}", messages)

    def rows(self):
        for number, learner in enumerate(self.learners, 1):
            fields = [
                self[f"{name}_{learner.pk}"]
                for name in ("result", "reason", "certificate_number", "certificate_date")
            ]
            errors = [error for field in fields for error in field.errors]
            yield {"number": number, "learner": learner, "fields": fields, "errors": errors}

    def error_rows(self):
        """The rows with an error, for the summary at the top of the page."""
        return [row for row in self.rows() if row["errors"]]

    def results(self):
        return {
            learner.pk: (
                self.cleaned_data.get(f"result_{learner.pk}") or "",
                self.cleaned_data.get(f"reason_{learner.pk}") or "",
                self.cleaned_data.get(f"certificate_number_{learner.pk}") or "",
                self.cleaned_data.get(f"certificate_date_{learner.pk}"),
            )
            for learner in self.learners
        }
