from django.core.management.base import BaseCommand

from needs.services import remind_deadlines


class Command(BaseCommand):
    help = (
        "Nhắc các đơn vị chưa gửi nhu cầu đào tạo, bồi dưỡng khi sắp đến hạn "
        "(REMIND_DEADLINE_DAYS ngày); mỗi đợt nhắc một lần. Vòng nhắc hằng ngày của tiến trình "
        "xử lý nền đã gọi việc này; lệnh để chạy ngay."
    )

    def handle(self, *args, **options):
        count = remind_deadlines()
        self.stdout.write(f"Đã gửi {count} lời nhắc.")
