from django.urls import path

from commitments import views

urlpatterns = [
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/new/", views.commitment_create_view, name="commitment_create"),
    path("commitments/<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/edit/", views.commitment_edit_view, name="commitment_edit"),
    path(
        "commitments/<int:pk>/interruptions/",
        views.interruption_add_view,
        name="commitment_interruption_add",
    ),
    path("commitments/<int:pk>/repayment/", views.repayment_view, name="commitment_repayment"),
    path("commitments/<int:pk>/payments/", views.payment_add_view, name="commitment_payment_add"),
]
