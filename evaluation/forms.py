"""The anonymous evaluation form: one 1–5 choice per criterion (data), and a comment."""

from django import forms

from evaluation.models import SCALE, Criterion
from evaluation.services import MAX_COMMENT

SCORE_CHOICES = [(str(v), str(v)) for v in range(SCALE[0], SCALE[1] + 1)]


class AnswerForm(forms.Form):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            if criterion.kind == Criterion.Kind.SCORE:
                self.fields[criterion.code] = forms.TypedChoiceField(
                    label=criterion.text,
                    choices=SCORE_CHOICES,
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                    error_messages={
                        "required": "Vui lòng chấm điểm tiêu chí này.",
                        "invalid_choice": "Chọn một mức từ 1 đến 5.",
                    },
                )
        comment = next((c for c in criteria if c.kind == Criterion.Kind.COMMENT), None)
        self.fields["comment"] = forms.CharField(
            label=comment.text if comment else "Ý kiến khác",
            required=False,
            max_length=MAX_COMMENT,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"max_length": f"Ý kiến không quá {MAX_COMMENT} ký tự."},
        )

    def scores(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "comment"}
