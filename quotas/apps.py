from django.apps import AppConfig


class QuotasConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "quotas"
    verbose_name = "Chỉ tiêu và cử đi học"

    def ready(self):
        # Registers the app's permissions and the builder of the big import's check.
        from quotas import jobs, rules, signals  # noqa: F401

        signals.connect()
