"""The record of downloads of files with personal data (Law 91/2025/QH15 on personal data)."""

from training_plan.models import DownloadLog


def download_log_record(
    *, user, filename: str, filters: dict | None = None, client_address=None, rows=None
) -> DownloadLog:
    """Record that `user` downloaded `filename` produced with `filters` (JSON-serialisable), from
    `client_address`, holding `rows` records of people."""
    return DownloadLog.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username(),
        filename=filename,
        filters=filters or {},
        client_address=client_address,
        rows=rows,
    )


def download_log_page_queryset():
    return DownloadLog.objects.select_related("user__organisation")
