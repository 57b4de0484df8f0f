"""Forms of the commitment screens (validation of figures and dates is in the services)."""

from django import forms

from commitments.models import MAX_COST, Commitment, RepaymentKind, State
from quotas.models import MAX_MONTHS

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "autocomplete": "off"}
DATE_ERRORS = {"invalid": "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 01/09/2023."}


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs=DATE_ATTRS),
        error_messages={**DATE_ERRORS, "required": f"Vui lòng nhập {label.lower()}."},
        help_text=help_text,
    )


def months_field(label, *, required=True, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=help_text,
        error_messages={
            "min_value": f"{label} phải từ 1 tháng trở lên.",
            "max_value": f"{label} không quá {MAX_MONTHS} tháng.",
            "invalid": f"{label}: nhập số tháng.",
        },
    )


def money_field(label, *, required=False, help_text=""):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_COST,
        help_text=help_text,
        error_messages={
            "min_value": "Số tiền không được âm.",
            "max_value": "Số tiền vượt giới hạn cho phép.",
            "invalid": "Nhập số tiền bằng chữ số, không có dấu chấm.",
        },
    )


class StateFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *State.choices]
    )
    q = forms.CharField(label="Tìm theo tên", required=False, max_length=100)


class CommitmentForm(forms.Form):
    sent_date = date_field(
        "Ngày cử đi đào tạo", help_text="Quy định áp dụng là quy định có hiệu lực vào ngày này."
    )
    signed_date = date_field("Ngày ký cam kết")
    training_months = months_field("Thời gian đào tạo (tháng)")
    required_months = months_field(
        "Thời gian phục vụ cam kết T1 (tháng)",
        required=False,
        help_text="Để trống: lấy mức tối thiểu theo quy định (số lần × thời gian đào tạo).",
    )
    return_date = date_field("Ngày trở về công tác", required=False)
    cost = money_field(
        "Chi phí đào tạo F (đồng)",
        help_text="Học phí và chi phí khóa học cơ quan đã chi cho người này, không gồm lương, "
        "phụ cấp. Để trống: tính từ dự toán của lớp.",
    )
    cost_source = forms.CharField(label="Nguồn số liệu F", required=False, max_length=255)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommitmentEditForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["return_date", "required_months", "cost", "cost_source", "note"]

    return_date = date_field("Ngày trở về công tác", required=False)
    required_months = months_field("Thời gian phục vụ cam kết T1 (tháng)")
    cost = money_field(
        "Chi phí đào tạo F (đồng)", help_text=CommitmentForm.base_fields["cost"].help_text
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterruptionForm(forms.Form):
    start_date = date_field("Từ ngày")
    end_date = date_field("Đến ngày")
    reason = forms.CharField(label="Lý do", max_length=255)


class RepaymentForm(forms.Form):
    kind = forms.ChoiceField(label="Trường hợp", choices=RepaymentKind.choices)
    event_date = date_field("Ngày phát sinh", help_text="Ngày bỏ học, thôi việc hoặc bị kỷ luật.")
    decision_number = forms.CharField(label="Số quyết định", required=False, max_length=60)
    decision_date = date_field("Ngày quyết định", required=False)
    signer_title = forms.CharField(label="Chức vụ người ký", required=False, max_length=120)
    signer_name = forms.CharField(label="Người ký", required=False, max_length=120)


class PaymentForm(forms.Form):
    paid_on = date_field("Ngày nộp")
    amount = money_field("Số tiền (đồng)", required=True)
    note = forms.CharField(label="Chứng từ, ghi chú", required=False, max_length=255)
