"""The URL conf: the one place that composes the apps (import-linter allows it alone)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from training_plan import accounts, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The user's own account: password, forgotten password by e-mail, two-step login.
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/2fa/", accounts.two_factor, name="two_factor"),
    path("account/2fa/qr.svg", accounts.two_factor_qr, name="two_factor_qr"),
    path("account/2fa/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path("account/2fa/recovery-codes/", accounts.recovery_codes, name="recovery_codes"),
    path("account/2fa/disable/", accounts.two_factor_disable, name="two_factor_disable"),
    path("plans/", views.plan_list, name="plan_list"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/<slug:code>/", views.organisation_detail, name="organisation_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create_view, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("people/transfers/", views.person_transfers, name="person_transfers"),
    path(
        "people/transfers/request/",
        views.person_transfer_request_view,
        name="person_transfer_request",
    ),
    path(
        "people/transfers/<int:pk>/<str:action>/",
        views.person_transfer_decide_view,
        name="person_transfer_decide",
    ),
    path("", include("inbox.urls")),
    path("", include("quotas.urls")),
    path("", include("budget.urls")),
    path("", include("needs.urls")),
    path("", include("commitments.urls")),
    path("", include("evaluation.urls")),
    path("", include("reports.after_urls")),
    path("", include("reports.urls")),
    path("", include("versions.urls")),
    path("admin/", admin.site.urls),
]
