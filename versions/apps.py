from django.apps import AppConfig


class VersionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "versions"
    verbose_name = "Phiên bản kế hoạch"

    def ready(self):
        from versions import rules, signals  # noqa: F401  (registers permissions)

        signals.connect()
