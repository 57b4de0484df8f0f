"""The background worker: first puts back (or fails) the tasks of workers that died, then runs
django-tasks-db's worker with an id that names this machine and process."""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from inbox.recovery import recover_abandoned, worker_id


class Command(DBWorkerCommand):
    help = "Chạy tiến trình xử lý nền (e-mail, xuất tệp lớn, kiểm tra tệp nhập)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id(), reload=False)

    def handle(self, *args, **options):
        requeued, failed = recover_abandoned()
        if requeued or failed:
            self.stderr.write(
                f"Tiến trình trước bị dừng: {requeued} việc được chạy lại, "
                f"{failed} việc đánh dấu lỗi."
            )
        super().handle(*args, **options)
