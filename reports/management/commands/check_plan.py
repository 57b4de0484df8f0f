from django.core.management.base import BaseCommand, CommandError

from reports.plan_check import check_plan
from training_plan.models import Plan


class Command(BaseCommand):
    help = "Kiểm tra tính nhất quán của kế hoạch một năm; mã thoát khác 0 khi có lỗi."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="Năm của kế hoạch, ví dụ 2021.")
        parser.add_argument("--province", default=None, help="Tỉnh (khi có nhiều tỉnh).")

    def handle(self, *args, year, province, **options):
        plans = Plan.objects.filter(year=year)
        if province:
            plans = plans.filter(province=province)
        plan = plans.first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch năm {year}.")
        issues = check_plan(plan)
        if not issues:
            self.stdout.write(f"Kế hoạch năm {year}: không phát hiện lỗi.")
            return
        for number, issue in enumerate(issues, start=1):
            self.stdout.write(f"{number}. {issue.message}\n   Sửa tại: {issue.url}")
        raise CommandError(f"Kế hoạch năm {year} có {len(issues)} lỗi.")
