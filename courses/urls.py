from django.urls import path

from courses import views

urlpatterns = [
    path("plans/<int:year>/programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("plans/<int:year>/courses/<int:pk>/", views.course_detail, name="course_detail"),
]
