from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from training_plan import demo


class Command(BaseCommand):
    help = "Nạp kế hoạch năm 2021 và tạo tài khoản demo (chỉ cho cơ sở dữ liệu demo)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (chỉ dùng cho máy thử nghiệm).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Tài khoản demo chỉ được tạo trên cơ sở dữ liệu demo (DEBUG bật). "
                "Môi trường thật chỉ nạp kế hoạch: manage.py loaddata fixtures/plan_2021.json."
            )
        demo.load_plan_fixtures(verbosity=0)
        names = demo.demo_accounts_create()
        self.stdout.write(f"Đã nạp kế hoạch năm 2021 và tài khoản demo: {', '.join(names)}.")
        people = demo.demo_year_create()
        if people:
            self.stdout.write(
                f"Đã tạo dữ liệu demo: {people} cán bộ, phân bổ chỉ tiêu và hồ sơ cử đi học."
            )
        else:
            self.stdout.write("Dữ liệu demo (cán bộ, phân bổ, hồ sơ cử đi học) đã có, giữ nguyên.")
