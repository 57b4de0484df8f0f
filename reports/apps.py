from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo và văn bản"

    def ready(self):
        # Registers the permissions and the job builders; a change of the plan re-renders its PDFs.
        from reports import jobs, rendering, rules  # noqa: F401

        rendering.connect()
