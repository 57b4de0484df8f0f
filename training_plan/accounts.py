"""A user's own account: two-step login with time-based one-time codes (django-otp) and recovery
codes. Password change and reset are Django's own views (urls.py, registration/ templates).

With a confirmed authenticator a user is asked for a code after the password, on every login.
With `REQUIRE_2FA` on (deploy/env.example), administrators and BTC/SNV accounts must set one up
before anything else; the demo of `make run` leaves it off so the demo logins stay one step.
"""

import base64
import io

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã dự phòng"


def needs_two_factor(user):
    """Whether this account must use a second step (with REQUIRE_2FA on): administrators and the
    two offices that act on the whole province."""
    return (
        settings.REQUIRE_2FA
        and user.is_authenticated
        and user.has_perm("training_plan.needs_two_factor")
    )


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=16,
        help_text="6 chữ số trên ứng dụng xác thực, hoặc một mã dự phòng.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


def _pending_device(user):
    """The authenticator being set up (unconfirmed), made once per setup."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def _secret(device):
    return base64.b32encode(device.bin_key).decode()


def two_factor(request):
    """The account's second step: set up an authenticator, see and renew recovery codes."""
    user = request.user
    confirmed = has_authenticator(user)
    form = CodeForm(request.POST or None)
    device = None if confirmed else _pending_device(user)
    if request.method == "POST" and device is not None and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                codes = _new_recovery_codes(user)
            django_otp.login(request, device)
            _second_step_done(request)
            messages.success(request, "Đã bật đăng nhập hai bước.")
            return render(request, "registration/recovery_codes.html", {"codes": codes})
        form.add_error(
            "code", "Mã không đúng hoặc đã hết hạn: hãy nhập mã đang hiện trên ứng dụng."
        )
    return render(
        request,
        "registration/two_factor.html",
        {
            "form": form,
            "confirmed": confirmed,
            "secret": _secret(device) if device else "",
            "required": needs_two_factor(user),
            "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        },
    )


def two_factor_qr(request):
    """The QR code of the authenticator being set up (an SVG image, from our own origin)."""
    if has_authenticator(request.user):
        raise Http404("Đăng nhập hai bước đã bật.")
    device = _pending_device(request.user)
    # A whole SVG document (svg_inline leaves out the namespace an <img> needs).
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(buffer, kind="svg", scale=4)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _new_recovery_codes(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@require_POST
def recovery_codes(request):
    """New recovery codes (the old ones stop working), shown once."""
    if not has_authenticator(request.user):
        return redirect("two_factor")
    codes = _new_recovery_codes(request.user)
    return render(request, "registration/recovery_codes.html", {"codes": codes})


@require_POST
def two_factor_disable(request):
    """Turn the second step off — not for accounts that must use it."""
    if needs_two_factor(request.user):
        messages.error(request, "Tài khoản này bắt buộc đăng nhập hai bước, không tắt được.")
        return redirect("two_factor")
    for device in django_otp.devices_for_user(request.user, confirmed=None):
        device.delete()
    messages.success(request, "Đã tắt đăng nhập hai bước.")
    return redirect("two_factor")


@login_not_required
def two_factor_verify(request):
    """After the password: the code of the authenticator (or a recovery code)."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.session.get(SESSION_KEY) != "verify":
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            _second_step_done(request)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(request, f"Đã dùng một mã dự phòng; còn {left} mã.")
            return redirect(next_url or reverse("home"))
        form.add_error("code", "Mã không đúng hoặc đã hết hạn.")
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


# What a session still owes after the password, decided once at login (no query per page):
# "verify" (the account has an authenticator), "setup" (it must have one), or nothing.
SESSION_KEY = "two_factor_pending"


@receiver(user_logged_in)
def ask_for_second_step(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if has_authenticator(user):
        request.session[SESSION_KEY] = "verify"
    elif needs_two_factor(user):
        request.session[SESSION_KEY] = "setup"
    else:
        request.session.pop(SESSION_KEY, None)


def _second_step_done(request):
    request.session.pop(SESSION_KEY, None)


class TwoFactorMiddleware:
    """Ask for the second step before any page: the code, for a user with an authenticator whose
    session is not verified yet; the setup, for an account that must have one (REQUIRE_2FA)."""

    # Pages reachable before the second step: the step itself and logging out.
    OPEN = {
        "verify": ("two_factor_verify", "logout"),
        "setup": ("two_factor", "two_factor_qr", "logout"),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        pending = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if not pending or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in self.OPEN[pending]:
            return None
        if pending == "verify":
            return redirect(
                f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        messages.warning(
            request, "Tài khoản của bạn phải bật đăng nhập hai bước trước khi làm việc."
        )
        return redirect("two_factor")
