"""Forms of the quota screens."""

from django import forms

from training_plan.models import Organisation

# --- Allocation (phân bổ chỉ tiêu) -------------------------------------------------------------
# The allocation page renders these forms' inputs inline in its tables (one small form per row);
# the forms validate what comes back.


def _units():
    return Organisation.objects.filter(kind=Organisation.Kind.UNIT)


class AllocationSetForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=_units(),
        error_messages={
            "required": "Vui lòng chọn đơn vị.",
            "invalid_choice": "Đơn vị đã chọn không hợp lệ.",
        },
    )
    count = forms.IntegerField(
        label="Số chỉ tiêu",
        min_value=0,
        error_messages={
            "required": "Vui lòng nhập số chỉ tiêu.",
            "invalid": "Số chỉ tiêu phải là số nguyên.",
            "min_value": "Số chỉ tiêu không được âm.",
        },
    )


class AllocationMoveForm(forms.Form):
    from_unit = forms.ModelChoiceField(
        label="Rút từ đơn vị",
        queryset=_units(),
        error_messages={
            "required": "Vui lòng chọn đơn vị rút chỉ tiêu.",
            "invalid_choice": "Đơn vị rút chỉ tiêu không hợp lệ.",
        },
    )
    to_unit = forms.ModelChoiceField(
        label="Chuyển cho đơn vị",
        queryset=_units(),
        error_messages={
            "required": "Vui lòng chọn đơn vị nhận chỉ tiêu.",
            "invalid_choice": "Đơn vị nhận chỉ tiêu không hợp lệ.",
        },
    )
    count = forms.IntegerField(
        label="Số chỉ tiêu",
        min_value=1,
        error_messages={
            "required": "Vui lòng nhập số chỉ tiêu điều chuyển.",
            "invalid": "Số chỉ tiêu phải là số nguyên.",
            "min_value": "Số chỉ tiêu điều chuyển phải lớn hơn 0.",
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("from_unit") and data.get("from_unit") == data.get("to_unit"):
            raise forms.ValidationError("Đơn vị nhận phải khác đơn vị điều chuyển.")
        return data


def form_errors_text(form):
    """All errors of a form as one Vietnamese sentence for a message."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
