from django.apps import AppConfig


class TrainingPlanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training_plan"
    verbose_name = "Kế hoạch"

    def ready(self):
        from training_plan import rules  # noqa: F401  (registers the app's permissions)
