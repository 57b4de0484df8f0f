from django.urls import path

from inbox import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox_open"),
    path("account/notifications/", views.mail_preferences, name="mail_preferences"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
