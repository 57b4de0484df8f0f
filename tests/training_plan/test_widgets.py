"""QuickSelect writes the same HTML as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from training_plan.models import Organisation
from training_plan.widgets import QuickSelect

CHOICES = [
    ("", "Tất cả"),
    ("a", 'Khóa <script>alert("x")</script>'),
    ("Nhóm “Đảng”", [("b", "Huyện ủy Bình Sơn"), ("c", 'Sở "Nội vụ" & Tư pháp')]),
]


def normalised(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", ["", "a", "c", None])
def test_same_html_as_django_select(value):
    attrs = {"class": "form-select", "id": "id_course", "required": True, "disabled": False}
    django_html = forms.Select(choices=CHOICES).render("course", value, attrs=attrs)
    ours = QuickSelect(choices=CHOICES).render("course", value, attrs=attrs)
    assert normalised(ours) == normalised(django_html)
    assert "<script>" not in ours and "&lt;script&gt;" in ours


@pytest.mark.django_db
def test_model_choice_field_selects_the_bound_value(plan_2021):
    class Filter(forms.Form):
        unit = forms.ModelChoiceField(
            queryset=Organisation.objects.order_by("name"), widget=QuickSelect, required=False
        )

    unit = Organisation.objects.filter(kind=Organisation.Kind.UNIT).first()
    html = str(Filter({"unit": unit.pk})["unit"])
    assert f'<option value="{unit.pk}" selected>' in html
    assert html.count("<option") == Organisation.objects.count() + 1  # with the empty choice
    assert normalised(html) == normalised(
        forms.Select(choices=Filter.base_fields["unit"].choices).render(
            "unit", unit.pk, attrs={"id": "id_unit"}
        )
    )
