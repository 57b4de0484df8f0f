"""Content-Security-Policy header (Django 5.2 has none built in; 6.0 will).

The policy lives in `settings.CONTENT_SECURITY_POLICY`: scripts and styles only from our own
static files, so an injected `<script>` or `style=""` does nothing. A view may set its own header.
"""

from django.conf import settings


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
