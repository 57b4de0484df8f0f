from django.apps import AppConfig


class TrainingPlanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "training_plan"
    verbose_name = "Kế hoạch"

    def ready(self):
        # The login signal that asks for the second step (accounts.ask_for_second_step).
        from training_plan import (
            accounts,  # noqa: F401
            rules,  # noqa: F401  (registers the app's permissions)
        )
