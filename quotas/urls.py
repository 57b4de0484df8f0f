from django.urls import path

from quotas import views

urlpatterns = [
    # --- Allocation (phân bổ chỉ tiêu) ---
    path("allocations/", views.allocation_home, name="allocation_home"),
    path(
        "plans/<int:year>/allocations/",
        views.allocation_overview_view,
        name="allocation_overview",
    ),
    path(
        "plans/<int:year>/courses/<int:pk>/allocations/",
        views.allocation_course,
        name="allocation_course",
    ),
    path(
        "plans/<int:year>/courses/<int:pk>/allocations/grid/",
        views.allocation_grid,
        name="allocation_grid",
    ),
    path(
        "plans/<int:year>/quota-lines/<int:pk>/allocate/",
        views.allocation_set_view,
        name="allocation_set",
    ),
    path(
        "plans/<int:year>/quota-lines/<int:pk>/move/",
        views.allocation_move_view,
        name="allocation_move",
    ),
    # Nominations
    path("nominations/", views.nomination_list, name="nomination_list"),
    path("nominations/new/", views.nomination_create, name="nomination_create"),
    path("nominations/people/", views.nomination_people, name="nomination_people"),
    path("nominations/bulk/", views.nomination_bulk, name="nomination_bulk"),
    path("nominations/import/", views.nomination_import, name="nomination_import"),
    path(
        "nominations/import/confirm/",
        views.nomination_import_confirm,
        name="nomination_import_confirm",
    ),
    path(
        "nominations/import/checks/<int:pk>/",
        views.nomination_import_checked,
        name="nomination_import_checked",
    ),
    path(
        "nominations/import/errors/<slug:token>.xlsx",
        views.nomination_import_errors,
        name="nomination_import_errors",
    ),
    path(
        "nominations/import/checks/<int:pk>/errors.xlsx",
        views.nomination_import_checked_errors,
        name="nomination_import_checked_errors",
    ),
    path(
        "nominations/import/template.xlsx",
        views.nomination_import_template,
        name="nomination_import_template",
    ),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/<slug:action>/", views.nomination_action, name="nomination_action"),
]
