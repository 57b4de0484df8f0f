"""The URL conf: the one place that composes the apps (import-linter allows it alone)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from training_plan import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", views.plan_list, name="plan_list"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create_view, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit_view, name="person_edit"),
    path("", include("quotas.urls")),
    path("", include("budget.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
]
