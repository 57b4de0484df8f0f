from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import needs as demo_needs
from demo import reform as demo_reform
from demo import year as demo
from demo.after import demo_after_training_create


class Command(BaseCommand):
    help = (
        "Nạp kế hoạch năm 2021 và tạo tài khoản demo (chỉ cho cơ sở dữ liệu demo); "
        "--scale province|national thêm dữ liệu giả lập quy mô tỉnh hoặc toàn quốc."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (chỉ dùng cho máy thử nghiệm).",
        )
        parser.add_argument(
            "--scale",
            choices=["province", "national"],
            help="Thêm dữ liệu giả lập: province ≈ 40.000 cán bộ, national ≈ 2.000.000 "
            "(chỉ PostgreSQL).",
        )
        parser.add_argument(
            "--people", type=int, help="Số cán bộ thay cho số mặc định của quy mô (thử nhanh)."
        )
        parser.add_argument("--seed", type=int, help="Hạt giống ngẫu nhiên (mặc định cố định).")

    def handle(self, *args, **options):
        # The demo database: DEBUG on (`make dev`), or the local demo of `make run` (DEMO_MODE,
        # refused by the settings anywhere but 127.0.0.1).
        demo_database = settings.DEBUG or getattr(settings, "DEMO_MODE", False)
        if not demo_database and not options["allow_production"]:
            raise CommandError(
                "Tài khoản demo chỉ được tạo trên cơ sở dữ liệu demo (DEBUG hoặc DEMO_MODE bật). "
                "Môi trường thật chỉ nạp kế hoạch: manage.py loaddata fixtures/plan_2021.json."
            )
        scale_name = options["scale"]
        if scale_name == "national" and connection.vendor != "postgresql":
            raise CommandError("Quy mô toàn quốc chỉ chạy trên PostgreSQL (đặt DATABASE_URL).")
        if options["people"] is not None and not scale_name:
            raise CommandError("--people chỉ dùng cùng --scale.")
        demo.load_plan_fixtures(verbosity=0)
        names = demo.demo_accounts_create()
        self.stdout.write(f"Đã nạp kế hoạch năm 2021 và tài khoản demo: {', '.join(names)}.")
        if not scale_name:
            people = demo.demo_year_create()
            if people:
                self.stdout.write(
                    f"Đã tạo dữ liệu demo: {people} cán bộ, phân bổ chỉ tiêu và hồ sơ cử đi học."
                )
            else:
                self.stdout.write(
                    "Dữ liệu demo (cán bộ, phân bổ, hồ sơ cử đi học) đã có, giữ nguyên."
                )
            if demo_needs.demo_needs_create():
                self.stdout.write(
                    "Đã tạo đợt đăng ký nhu cầu năm 2022, dự thảo kế hoạch năm 2022 và hai "
                    "phiên bản của dự thảo."
                )
            if demo_after_training_create():
                self.stdout.write(
                    "Đã tạo dữ liệu sau đào tạo: cam kết phục vụ, đền bù, đánh giá khóa học."
                )
            if demo_reform.demo_plan_2026_create():
                self.stdout.write(
                    "Đã ghi sắp xếp tổ chức từ ngày 01/07/2025 và tạo dự thảo kế hoạch năm 2026 "
                    "của tỉnh mới với các đơn vị minh họa."
                )
            return
        from demo import scale

        chosen = scale.scale_for(scale_name, people=options["people"])
        self.stdout.write(
            f"Tạo dữ liệu giả lập: {chosen.people} cán bộ, {chosen.units} đơn vị, "
            f"{chosen.nominations_per_year} hồ sơ cử mỗi năm, các năm {scale.YEARS[0]}–"
            f"{scale.YEARS[-1]}."
        )
        try:
            scale.scale_seed(
                scale=chosen, seed=options["seed"] or scale.SEED, log=self.stdout.write
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
