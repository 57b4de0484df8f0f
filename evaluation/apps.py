from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluation"
    verbose_name = "Học viên đánh giá khóa học"

    def ready(self):
        from evaluation import rules  # noqa: F401  (registers the app's permissions)
