from django.urls import path

from reports import document_views, reorganisation_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "reorganisations/<int:pk>/",
        reorganisation_views.reorganisation_detail,
        name="reorganisation_detail",
    ),
    path("plans/<int:year>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:year>/programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("plans/<int:year>/courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("plans/<int:year>/check/", views.plan_check_view, name="plan_check"),
    path("plans/<int:year>/issue/", views.plan_issue_view, name="plan_issue"),
    path("plans/<int:year>/copy/", views.plan_copy_view, name="plan_copy"),
    path("plans/<int:year>/deadline/", views.plan_deadline_view, name="plan_deadline"),
    path("plans/<int:year>/document.pdf", views.plan_document_pdf, name="plan_document_pdf"),
    path("plans/<int:year>/appendix.pdf", views.plan_appendix_pdf, name="plan_appendix_pdf"),
    path("plans/<int:year>/document.docx", views.plan_document_docx, name="plan_document_docx"),
    path("plans/<int:year>/workbook.xlsx", views.plan_workbook_xlsx, name="plan_workbook_xlsx"),
    path(
        "plans/<int:year>/nominations.xlsx",
        views.plan_nominations_xlsx,
        name="plan_nominations_xlsx",
    ),
    path(
        "nominations/all-years.xlsx",
        views.nominations_all_years_xlsx,
        name="nominations_all_years_xlsx",
    ),
    path("plans/<int:year>/results/", views.results_page, name="plan_results"),
    path("plans/<int:year>/results.pdf", views.results_pdf, name="plan_results_pdf"),
    path("plans/<int:year>/results.xlsx", views.results_xlsx, name="plan_results_xlsx"),
    path("classes/<int:pk>/learners.pdf", views.class_learners_pdf, name="class_learners_pdf"),
    path("classes/<int:pk>/learners.xlsx", views.class_learners_xlsx, name="class_learners_xlsx"),
    path(
        "plans/<int:year>/courses/<int:pk>/units/<int:unit_pk>/letter/",
        document_views.course_letter,
        name="course_letter",
    ),
    path(
        "plans/<int:year>/courses/<int:pk>/decision/",
        document_views.course_decision,
        name="course_decision",
    ),
    path("documents/<int:pk>.pdf", document_views.issued_document_pdf, name="issued_document_pdf"),
    path(
        "documents/<int:pk>.docx",
        document_views.issued_document_docx,
        name="issued_document_docx",
    ),
    path("downloads/log/", views.download_log, name="download_log"),
]
