"""Login throttling in front of Django's ModelBackend; the permission policy's backends."""

import rules
from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login over HTTP.

    `authenticate()` without a request comes from code, not from a visitor: Django's test client
    (`client.login`) and management commands. There is no client address to throttle, so this
    backend stands aside and lets ModelBackend answer, instead of raising as axes does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AdminPermissionBackend(ModelBackend):
    """Django's ModelBackend for the permissions the policy does not define.

    The policy's permissions (`training_plan.rules` and each app's `rules.py`) are answered by
    rules' ObjectPermissionBackend alone: asking ModelBackend too would cost two queries per
    request (the user's and the groups' permissions) for every permission a role lacks. Where a
    policy permission has the name of a Django model permission (`training_plan.change_person`)
    the policy's answer is the one that counts, as with rules' own model permissions; the admin
    is for administrators (superusers), who have every permission anyway.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if rules.perm_exists(perm):
            return False
        return super().has_perm(user_obj, perm, obj)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out visitor sees (AXES_LOCKOUT_CALLABLE): Vietnamese, HTTP 429."""
    from django.conf import settings
    from django.shortcuts import render

    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
