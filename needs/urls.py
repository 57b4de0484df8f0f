from django.urls import path

from needs import views

urlpatterns = [
    path("needs/", views.needs_current, name="needs_current"),
    path("needs/<int:year>/", views.needs_round, name="needs_round"),
    path("needs/<int:year>/open/<str:block>/", views.needs_round_open, name="needs_round_open"),
    path("needs/<int:year>/start/<str:block>/", views.needs_start, name="needs_start"),
    path(
        "needs/<int:year>/consolidation/",
        views.needs_consolidation,
        name="needs_consolidation",
    ),
    path(
        "needs/<int:year>/consolidation.xlsx",
        views.needs_consolidation_xlsx,
        name="needs_consolidation_xlsx",
    ),
    path("needs/registers/<int:pk>/", views.needs_detail, name="needs_detail"),
    path("needs/registers/<int:pk>/counts/", views.needs_counts, name="needs_counts"),
    path("needs/registers/<int:pk>/people/", views.needs_person_add, name="needs_person_add"),
    path(
        "needs/registers/<int:pk>/people/<int:entry_pk>/remove/",
        views.needs_person_remove,
        name="needs_person_remove",
    ),
    path("needs/registers/<int:pk>/<str:action>/", views.needs_action, name="needs_action"),
]
