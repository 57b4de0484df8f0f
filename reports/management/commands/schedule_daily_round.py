"""Queue the daily round (reminders, digests, expired files) unless one is already queued;
`--now` runs a round at once, here, as well."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.tasks import queued_round, run_round, schedule_next


class Command(BaseCommand):
    help = "Đặt lịch vòng xử lý hằng ngày (nhắc việc, thư tóm tắt, xóa tệp hết hạn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Chạy ngay một vòng xử lý (ngoài lịch hằng ngày)."
        )

    def handle(self, *args, **options):
        if options["now"]:
            done = run_round()
            self.stdout.write(f"Đã chạy vòng xử lý: {done}")
        queued = queued_round()
        if queued is not None:
            at = timezone.localtime(queued.run_after)
            self.stdout.write(f"Vòng xử lý hằng ngày đã có lịch lúc {at:%d/%m/%Y %H:%M}.")
            return
        result = schedule_next()
        at = timezone.localtime(result.task.run_after)
        self.stdout.write(f"Đã đặt lịch vòng xử lý hằng ngày lúc {at:%d/%m/%Y %H:%M}.")
