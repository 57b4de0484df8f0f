"""Middleware of the project: the Content-Security-Policy header, private pages, request size.

Content-Security-Policy: Django 5.2 has none built in; 6.0 will.

The policy lives in `settings.CONTENT_SECURITY_POLICY`: scripts and styles only from our own
static files, so an injected `<script>` or `style=""` does nothing. A view may set its own header.
"""

from django.conf import settings
from django.http import HttpResponse


class ContentSecurityPolicyMiddleware:
    header = "Content-Security-Policy"

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        # Django's technical error pages (DEBUG only) are built from inline styles and scripts.
        if settings.DEBUG and response.status_code >= 400:
            return response
        if self.policy and self.header not in response:
            response[self.header] = self.policy
        return response


class PrivatePagesMiddleware:
    """Every page a signed-in user sees may hold personal data (names, birth dates, positions):
    no browser or proxy keeps a copy. Downloads already say so themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than `MAX_REQUEST_BYTES` before anything reads it — the
    same limit as nginx's `client_max_body_size`, for a server run without nginx. (Django's own
    DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files.)"""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_REQUEST_BYTES

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            megabytes = self.limit // (1024 * 1024)
            return HttpResponse(
                f"Yêu cầu gửi lên lớn hơn {megabytes} MB nên không được nhận. "
                "Hãy chia tệp thành nhiều tệp nhỏ hơn.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
