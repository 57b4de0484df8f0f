from django.apps import AppConfig


class QuotasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quotas"
    verbose_name = "Chỉ tiêu và cử đi học"

    def ready(self):
        from quotas import rules, signals  # noqa: F401  (registers the app's permissions)

        signals.connect()
