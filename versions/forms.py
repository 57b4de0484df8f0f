from django import forms

from versions.models import PlanVersion


class SaveVersionForm(forms.Form):
    step = forms.ChoiceField(label="Bước", error_messages={"invalid_choice": "Bước không hợp lệ."})
    note = forms.CharField(label="Ghi chú, nội dung điều chỉnh", required=False, max_length=500)

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s, PlanVersion.Step(s).label) for s in steps]
