"""Forms of the people screens."""

import calendar
import datetime
import re

from django import forms
from django.db.models import Q

from training_plan.models import IDENTITY_TAKEN, Organisation, Person
from training_plan.selectors import people_matching, units_for_picker
from training_plan.services import PERSON_FIELDS
from training_plan.widgets import QuickSelect

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
# Filter value meaning “the field is empty” (no theory level, no managerial position), distinct
# from the empty value meaning “any”.
NONE_VALUE = "-"


DAY_MONTH_YEAR = re.compile(r"\s*([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})\s*")


class DayMonthYearField(forms.DateField):
    """A date typed dd/mm/yyyy. A day that does not exist (“31/02/1985”) is refused as such,
    not as a wrong format."""

    def to_python(self, value):
        if isinstance(value, str) and (match := DAY_MONTH_YEAR.fullmatch(value)):
            day, month, year = (int(part) for part in match.groups())
            if not 1 <= month <= 12:
                raise forms.ValidationError(
                    f"Ngày {value.strip()} không tồn tại: tháng chỉ từ 1 đến 12.",
                    code="no_such_day",
                )
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise forms.ValidationError(
                    f"Ngày {value.strip()} không tồn tại: tháng {month} năm {year} chỉ có "
                    f"{last} ngày.",
                    code="no_such_day",
                )
        return super().to_python(value)


class PersonForm(forms.ModelForm):
    """Create or edit a person. A unit user has no organisation field: it is always their unit."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        field_classes = {
            "date_of_birth": DayMonthYearField,
            "service_start_date": DayMonthYearField,
        }
        widgets = {
            "date_of_birth": forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS),
            "service_start_date": forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS),
        }
        help_texts = {
            "date_of_birth": "Nhập theo dạng ngày/tháng/năm, ví dụ 05/03/1985.",
            "identity_number": "12 chữ số trên căn cước công dân; có thể để trống.",
            "planned_positions": "Chức danh được quy hoạch, nếu có.",
        }
        error_messages = {
            "full_name": {"required": "Vui lòng nhập họ và tên."},
            "date_of_birth": {
                "required": "Vui lòng nhập ngày sinh.",
                "invalid": (
                    "Ngày sinh không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/03/1985."
                ),
            },
            "service_start_date": {
                "invalid": "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/08/2008."
            },
            "gender": {"required": "Vui lòng chọn giới tính."},
            "category": {"required": "Vui lòng chọn loại cán bộ, công chức, viên chức."},
            "organisation": {"required": "Vui lòng chọn đơn vị."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, empty in [
            ("gender", "— Chọn giới tính —"),
            ("category", "— Chọn loại —"),
            ("rank", "— Chưa xác định —"),
        ]:
            real = [choice for choice in self.fields[name].choices if choice[0]]
            self.fields[name].choices = [("", empty), *real]
        if not user.has_perm("training_plan.change_person_unit"):
            del self.fields["organisation"]  # a unit's people stay in that unit
        else:
            # Units alive today; a person still recorded in an ended unit keeps it offered.
            self.fields["organisation"].queryset = units_for_picker(
                on=datetime.date.today(), keep=[self.instance.organisation_id]
            )
            self.fields["organisation"].empty_label = "— Chọn đơn vị —"

    def _post_clean(self):
        super()._post_clean()
        # “Already recorded” is the service's to say: it names the unit holding the record and
        # offers a transfer (training_plan.services._refuse_duplicate).
        errors = self._errors.get(forms.forms.NON_FIELD_ERRORS) if self._errors else None
        if errors:
            kept = [e for e in errors.as_data() if e.code != IDENTITY_TAKEN]
            if kept:
                self._errors[forms.forms.NON_FIELD_ERRORS] = self.error_class(
                    [m for e in kept for m in e.messages], error_class="nonfield"
                )
            else:
                del self._errors[forms.forms.NON_FIELD_ERRORS]

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise forms.ValidationError("Vui lòng nhập đầy đủ họ và tên (ít nhất hai từ).")
        return name

    def clean_identity_number(self):
        number = self.cleaned_data["identity_number"].strip().replace(" ", "")
        if number and not re.fullmatch(r"[0-9]{12}", number):
            raise forms.ValidationError("Số định danh cá nhân phải gồm đúng 12 chữ số.")
        return number

    def clean(self):
        data = super().clean()
        born, started = data.get("date_of_birth"), data.get("service_start_date")
        if born and started and started <= born:
            self.add_error("service_start_date", "Ngày vào công tác phải sau ngày sinh.")
        return data


def _with_none(choices, none_label):
    """Filter choices: “any” first, then “none” for blank values, then the real choices."""
    real = [(value, label) for value, label in choices if value]
    return [("", "Tất cả"), (NONE_VALUE, none_label), *real]


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        widget=QuickSelect,
        label="Đơn vị",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Tất cả",
    )
    category = forms.ChoiceField(
        widget=QuickSelect,
        label="Loại",
        choices=[("", "Tất cả"), *Person.Category.choices],
        required=False,
    )
    rank = forms.ChoiceField(
        widget=QuickSelect,
        label="Ngạch, chức danh",
        choices=_with_none(Person.Rank.choices, "Chưa xác định"),
        required=False,
    )
    theory_level = forms.ChoiceField(
        widget=QuickSelect,
        label="Lý luận chính trị",
        choices=_with_none(Person.TheoryLevel.choices, "Chưa có"),
        required=False,
    )
    manager_level = forms.ChoiceField(
        widget=QuickSelect,
        label="Cấp lãnh đạo, quản lý",
        choices=_with_none(Person.ManagerLevel.choices, "Không giữ chức vụ"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.has_perm("training_plan.view_every_unit"):
            # Units alive today, and ended ones whose people are not yet placed elsewhere.
            self.fields["organisation"].queryset = units_for_picker(
                on=datetime.date.today(), keep=Q(pk__in=Person.objects.values("organisation"))
            )
        else:
            del self.fields["organisation"]

    def filter(self, people):
        """Apply the valid filters to a queryset of people (invalid values are ignored)."""
        if not self.is_valid():
            return people
        data = self.cleaned_data
        if data.get("organisation"):
            people = people.filter(organisation=data["organisation"])
        if data["category"]:
            people = people.filter(category=data["category"])
        for name in ("rank", "theory_level", "manager_level"):
            value = data[name]
            if value:
                people = people.filter(**{name: "" if value == NONE_VALUE else value})
        if data["q"]:
            people = people_matching(people, data["q"])
        return people


class TreeDateForm(forms.Form):
    """The day `/organisations/` shows the tree as of (today when blank)."""

    date = DayMonthYearField(
        label="Cơ cấu tổ chức tại ngày",
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS),
        error_messages={"invalid": "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025."},
    )
