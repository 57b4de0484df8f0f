from django.urls import path

from reports import after_views

urlpatterns = [
    path("people/<int:pk>/training/", after_views.person_training, name="person_training"),
    path(
        "people/<int:pk>/training.pdf", after_views.person_training_pdf, name="person_training_pdf"
    ),
    path(
        "commitments/<int:pk>/decision.pdf",
        after_views.repayment_decision_pdf,
        name="repayment_decision_pdf",
    ),
    path(
        "commitments/<int:pk>/decision.docx",
        after_views.repayment_decision_docx,
        name="repayment_decision_docx",
    ),
]
