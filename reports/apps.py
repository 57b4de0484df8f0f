from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo và văn bản"

    def ready(self):
        from reports import jobs, rules  # noqa: F401  (registers the permissions, job builders)
