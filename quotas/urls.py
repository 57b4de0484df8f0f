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
        "plans/<int:year>/quota-lines/<int:pk>/allocate/",
        views.allocation_set_view,
        name="allocation_set",
    ),
    path(
        "plans/<int:year>/quota-lines/<int:pk>/move/",
        views.allocation_move_view,
        name="allocation_move",
    ),
]
