from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Việc cần xử lý"

    def ready(self):
        from inbox import rules  # noqa: F401  (registers the permissions)
