from django.urls import path

from budget import views

urlpatterns = [
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
    path("plans/<int:year>/check/", views.plan_check_view, name="plan_check"),
    path("plans/<int:year>/issue/", views.plan_issue_view, name="plan_issue"),
    path("plans/<int:year>/copy/", views.plan_copy_view, name="plan_copy"),
]
