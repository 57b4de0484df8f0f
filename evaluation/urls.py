from django.urls import path

from evaluation import views

urlpatterns = [
    path("classes/<int:pk>/evaluation/", views.class_evaluation, name="class_evaluation"),
    path("evaluations/", views.evaluation_results, name="evaluation_results"),
    path("evaluation/<str:token>/", views.evaluation_answer, name="evaluation_answer"),
]
