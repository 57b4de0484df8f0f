from django.apps import AppConfig


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = "Chương trình, khóa, lớp"

    def ready(self):
        from courses import rules  # noqa: F401  (registers the app's permissions)
