from django.apps import AppConfig


class BudgetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "budget"
    verbose_name = "Kinh phí"

    def ready(self):
        from budget import rules  # noqa: F401  (registers the app's permissions)
