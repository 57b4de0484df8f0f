from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = "Cam kết phục vụ và đền bù chi phí đào tạo"

    def ready(self):
        from commitments import rules  # noqa: F401  (registers the app's permissions)
