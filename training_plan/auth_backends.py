"""Login throttling in front of Django's ModelBackend."""

from axes.backends import AxesStandaloneBackend


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
