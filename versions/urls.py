from django.urls import path

from versions import views

urlpatterns = [
    path("needs/<int:year>/draft/", views.needs_draft, name="needs_draft"),
    path("plans/<int:year>/versions/", views.plan_versions, name="plan_versions"),
    path("plans/<int:year>/versions/save/", views.plan_version_save, name="plan_version_save"),
    path(
        "plans/<int:year>/versions/<int:pk>/document.pdf",
        views.plan_version_pdf,
        name="plan_version_pdf",
    ),
    path(
        "plans/<int:year>/versions/<int:pk>/amendment.pdf",
        views.plan_version_amendment_pdf,
        name="plan_version_amendment_pdf",
    ),
    path(
        "plans/<int:year>/versions/compare/",
        views.plan_versions_compare,
        name="plan_versions_compare",
    ),
    path(
        "plans/<int:year>/versions/compare.pdf",
        views.plan_versions_compare_pdf,
        name="plan_versions_compare_pdf",
    ),
]
