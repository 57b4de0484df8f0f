from django import forms

from inbox.models import MailPreference


class MailPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="Nhận thông báo qua e-mail",
        choices=MailPreference.Delivery.choices,
        widget=forms.RadioSelect,
    )
