from django.apps import AppConfig


class NeedsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "needs"
    verbose_name = "Đăng ký nhu cầu đào tạo, bồi dưỡng"

    def ready(self):
        from needs import rules  # noqa: F401  (registers the app's permissions)
