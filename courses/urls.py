from django.urls import path

from courses import views

urlpatterns = [
    path("plans/<int:year>/programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("plans/<int:year>/courses/<int:pk>/", views.course_detail, name="course_detail"),
    # Classes
    path("classes/", views.class_list_current, name="class_list_current"),
    path("plans/<int:year>/classes/", views.class_list, name="class_list"),
    path("plans/<int:year>/classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/enrol/", views.class_enrol, name="class_enrol"),
    path(
        "classes/<int:pk>/learners/<int:nomination_pk>/remove/",
        views.class_unenrol,
        name="class_unenrol",
    ),
    path("classes/<int:pk>/results/", views.class_results, name="class_results"),
    path("classes/<int:pk>/cancel/", views.class_cancel, name="class_cancel"),
]
