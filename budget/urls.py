from django.urls import path

from budget import class_views, views

urlpatterns = [
    # Classes
    path("classes/", class_views.class_list_current, name="class_list_current"),
    path("plans/<int:year>/classes/", class_views.class_list, name="class_list"),
    path("plans/<int:year>/classes/new/", class_views.class_create, name="class_create"),
    path("classes/<int:pk>/", class_views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", class_views.class_edit, name="class_edit"),
    path("classes/<int:pk>/enrol/", class_views.class_enrol, name="class_enrol"),
    path(
        "classes/<int:pk>/learners/<int:nomination_pk>/remove/",
        class_views.class_unenrol,
        name="class_unenrol",
    ),
    path("classes/<int:pk>/results/", class_views.class_results, name="class_results"),
    path("classes/<int:pk>/cancel/", class_views.class_cancel, name="class_cancel"),
    # Budget
    path("budget/", views.budget_current, name="budget_current"),
    path("budget/appendix/", views.appendix_current, name="appendix_current"),
    path("plans/<int:year>/budget/", views.budget_overview, name="budget_overview"),
    path("plans/<int:year>/budget/appendix/", views.budget_appendix, name="budget_appendix"),
    path("plans/<int:year>/budget/blocks/<str:block>/", views.block_review, name="block_review"),
    path("plans/<int:year>/norms/", views.cost_norm_list, name="cost_norm_list"),
    path("norms/<int:pk>/edit/", views.cost_norm_edit, name="cost_norm_edit"),
    path("norms/<int:pk>/delete/", views.cost_norm_delete, name="cost_norm_delete"),
    path("classes/<int:pk>/budget-lines/new/", views.budget_line_create, name="budget_line_create"),
    path("budget-lines/<int:pk>/edit/", views.budget_line_edit, name="budget_line_edit"),
    path("budget-lines/<int:pk>/delete/", views.budget_line_delete, name="budget_line_delete"),
]
