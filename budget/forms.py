"""Forms of the budget screens. Amounts are whole đồng, typed as Vietnamese write them."""

import re

from django import forms

from budget.models import (
    DAYS_MESSAGE,
    LINE_AMOUNT_MESSAGE,
    MAX_DAYS,
    MAX_LINE_AMOUNT,
    MAX_QUANTITY,
    MAX_RATE,
    QUANTITY_MESSAGE,
    RATE_MESSAGE,
    BudgetLine,
    CostNorm,
)
from training_plan.models import LegalDocument
from training_plan.text import format_number

MONEY_PATTERN = re.compile(r"^([0-9]{1,3}(\.[0-9]{3})+|[0-9]{1,3}( [0-9]{3})+|[0-9]+)$")


class MoneyField(forms.CharField):
    """Whole đồng: “1.500.000”, “1 500 000” or “1500000”; never a fraction; a rate at most
    MAX_RATE."""

    default_error_messages = {
        "invalid": "Nhập số tiền là số nguyên đồng, ví dụ 1.500.000.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        text = value.strip().removesuffix("đồng").removesuffix("đ").strip()
        text = text.replace("\u00a0", " ")
        if len(text) > 30 or not MONEY_PATTERN.match(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(text.replace(".", "").replace(" ", ""))
        if amount > MAX_RATE:
            raise forms.ValidationError(RATE_MESSAGE, code="too_large")
        return amount

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "numeric"
        attrs["maxlength"] = "30"
        return attrs


class CostNormForm(forms.Form):
    item = forms.CharField(label="Nội dung chi", max_length=255)
    unit = forms.CharField(
        label="Đơn vị tính", max_length=60, help_text="Ví dụ “buổi”, “học viên/ngày”."
    )
    rate = MoneyField(label="Mức chi (đồng)")
    legal_document = forms.ModelChoiceField(
        label="Căn cứ",
        queryset=LegalDocument.objects.all(),
        required=False,
        empty_label="(không có)",
    )
    article = forms.CharField(label="Điều, khoản", max_length=100, required=False)
    is_illustrative = forms.BooleanField(
        label="Mức minh họa (chưa đối chiếu với văn bản căn cứ)", required=False
    )

    @classmethod
    def initial_for(cls, norm: CostNorm):
        return {field: getattr(norm, field) for field in cls.base_fields}


class BudgetLineForm(forms.Form):
    norm = forms.ModelChoiceField(
        label="Định mức",
        queryset=CostNorm.objects.none(),
        required=False,
        empty_label="(khoản chi không theo định mức)",
        error_messages={"invalid_choice": "Định mức không thuộc kế hoạch của lớp này."},
    )
    description = forms.CharField(
        label="Nội dung",
        max_length=255,
        required=False,
        help_text="Để trống khi theo định mức: lấy tên định mức.",
    )
    quantity_kind = forms.ChoiceField(label="Tính theo", choices=BudgetLine.QuantityKind.choices)
    quantity = forms.IntegerField(
        label="Số lượng",
        min_value=1,
        max_value=MAX_QUANTITY,
        error_messages={"max_value": QUANTITY_MESSAGE},
    )
    multiplier = forms.IntegerField(
        label="Số ngày",
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text="Chỉ khi tính theo học viên × ngày.",
        error_messages={"max_value": DAYS_MESSAGE},
    )
    rate = MoneyField(
        label="Đơn giá (đồng)",
        required=False,
        help_text="Chỉ cho khoản chi không theo định mức; theo định mức thì lấy mức của định mức.",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["norm"].queryset = CostNorm.objects.filter(plan=plan).order_by("code")
        self.fields["norm"].label_from_instance = lambda n: (
            f"{n.item} — {format_number(n.rate)} đồng/{n.unit}"
        )

    def clean(self):
        data = super().clean()
        kind = data.get("quantity_kind")
        multiplier = data.get("multiplier")
        if kind == BudgetLine.QuantityKind.LEARNER_DAYS:
            if not multiplier and "multiplier" not in self.errors:
                self.add_error("multiplier", "Tính theo học viên × ngày cần nhập số ngày.")
        elif multiplier not in (None, 1):
            self.add_error("multiplier", "Số ngày chỉ dùng khi tính theo học viên × ngày.")
        else:
            data["multiplier"] = 1
        if data.get("norm") is None:
            if not (data.get("description") or "").strip() and "description" not in self.errors:
                self.add_error("description", "Khoản chi không theo định mức cần có nội dung.")
            if data.get("rate") is None and "rate" not in self.errors:
                self.add_error("rate", "Khoản chi không theo định mức cần có đơn giá.")
        rate = data["norm"].rate if data.get("norm") else data.get("rate")
        quantity, days = data.get("quantity"), data.get("multiplier") or 1
        if rate and quantity and rate * quantity * days > MAX_LINE_AMOUNT:
            self.add_error("quantity", LINE_AMOUNT_MESSAGE)
        return data

    @classmethod
    def initial_for(cls, line: BudgetLine):
        initial = {field: getattr(line, field) for field in cls.base_fields}
        if line.norm_id:
            initial["rate"] = None
        return initial
