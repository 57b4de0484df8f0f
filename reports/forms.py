from django import forms

from training_plan.widgets import DateInput


class PlanIssueForm(forms.Form):
    number = forms.CharField(label="Số, ký hiệu", max_length=60, help_text="Ví dụ “25-KH/TU”.")
    issue_date = forms.DateField(label="Ngày ban hành", widget=DateInput())


class NominationDeadlineForm(forms.Form):
    nomination_deadline = forms.DateField(
        label="Hạn gửi danh sách cử đi học",
        widget=DateInput(),
        required=False,
        help_text=(
            "Để trống nếu không đặt hạn. Các đơn vị còn chỉ tiêu chưa cử được nhắc trước hạn."
        ),
    )


class SignerForm(forms.Form):
    """Who signs a document about to be issued (the number is given when it is issued)."""

    signer_on_behalf = forms.CharField(
        label="Thẩm quyền ký",
        max_length=100,
        required=False,
        help_text="Ví dụ “T/M BAN THƯỜNG VỤ”, “K/T TRƯỞNG BAN”; để trống khi ký trực tiếp.",
    )
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=100)
    signer_name = forms.CharField(label="Họ và tên người ký", max_length=100)
