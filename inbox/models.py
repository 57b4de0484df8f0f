"""What waits on each user (notices), how each wants to be told by e-mail, and the long work
done in the background for a user (jobs) with its progress and its file."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone


class Notice(models.Model):
    """One item of a user's inbox: what happened or what waits, a link to the object, and the
    reason or figure that matters. It stays open until it is read or done (the object moved on)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Hồ sơ chờ thẩm định"
        RETURNED = "returned", "Hồ sơ bị trả lại để bổ sung"
        VERIFIED = "verified", "Hồ sơ đã thẩm định đạt"
        APPROVED = "approved", "Hồ sơ được duyệt"
        REJECTED = "rejected", "Hồ sơ không được chấp thuận"
        WITHDRAWN = "withdrawn", "Hồ sơ bị rút"
        PROMOTED = "promoted", "Hồ sơ dự bị được gửi duyệt"
        SEAT_FREED = "seat_freed", "Có chỉ tiêu trống"
        ENROLLED = "enrolled", "Học viên được xếp lớp"
        CLASS_OPENED = "class_opened", "Lớp khai giảng"
        CLASS_CANCELLED = "class_cancelled", "Lớp bị hủy"
        DEADLINE = "deadline", "Sắp đến hạn"
        WAITING = "waiting", "Hồ sơ chờ thẩm định quá hạn"
        RESULTS_MISSING = "results_missing", "Lớp đã kết thúc, chưa ghi kết quả"
        BUDGET_OVER = "budget_over", "Kinh phí vượt dự toán"
        IMPORT_CHECKED = "import_checked", "Tệp nhập danh sách đã kiểm tra xong"
        PLAN_ISSUED = "plan_issued", "Kế hoạch được ban hành"
        FILE_READY = "file_ready", "Tệp đã sẵn sàng"
        JOB_FAILED = "job_failed", "Việc chạy nền không thành công"
        NEEDS_ROUND = "needs_round", "Đăng ký nhu cầu đào tạo, bồi dưỡng"
        COMMITMENT_ENDING = "commitment_ending", "Sắp hết thời gian cam kết phục vụ"
        REORGANISED = "reorganised", "Sắp xếp tổ chức"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    title = models.CharField("nội dung", max_length=300)
    # The reason (a return, a rejection) or the figure (seats, days, amounts) that matters.
    detail = models.TextField("chi tiết", blank=True)
    url = models.CharField("liên kết", max_length=500)
    # What the item is about ("nomination:42"): when the object moves on, its open items are done.
    subject = models.CharField("đối tượng", max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField("thời điểm", default=timezone.now)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    done_at = models.DateTimeField("đã xử lý lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi e-mail lúc", null=True, blank=True)

    class Meta:
        verbose_name = "việc cần xử lý"
        verbose_name_plural = "việc cần xử lý"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "done_at", "read_at"], name="notice_open_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.read_at is None and self.done_at is None


class MailPreference(models.Model):
    """How a user is told by e-mail of the items of the inbox; without a row: immediately."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "Gửi ngay từng việc"
        DAILY = "daily", "Gửi một thư tóm tắt mỗi ngày"
        NONE = "none", "Không gửi e-mail (chỉ xem trong mục Việc cần xử lý)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="mail_preference",
    )
    delivery = models.CharField(
        "nhận e-mail", max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = "cách nhận e-mail"
        verbose_name_plural = "cách nhận e-mail"

    def __str__(self):
        return f"{self.user} — {self.get_delivery_display()}"


class JobFileStorage(FileSystemStorage):
    """JOB_FILES_DIR, read when a file is stored or opened (a test may point it elsewhere)."""

    @property
    def base_location(self):
        return settings.JOB_FILES_DIR

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def job_files():
    # Outside MEDIA and STATIC: nothing serves these files but the job's download view.
    return JobFileStorage()


class Job(models.Model):
    """Long work run by the worker for a user: its progress (rows done of total), then its
    file, kept JOB_FILES_KEEP_HOURS and downloadable by the requester alone."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ xử lý"
        RUNNING = "running", "Đang xử lý"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Không thành công"

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField("loại việc", max_length=50)
    title = models.CharField("tên việc", max_length=300)
    params = models.JSONField("tham số", default=dict, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField("đã xử lý", default=0)
    total = models.PositiveIntegerField("tổng số", default=0)
    file = models.FileField("tệp", storage=job_files, upload_to="%Y/%m/", blank=True)
    filename = models.CharField("tên tệp", max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    # Where the result is read when it is a page, not a file (an import's check).
    result_url = models.CharField("trang kết quả", max_length=500, blank=True)
    # A file with people's data: each download is logged with these filters and rows.
    personal_data = models.BooleanField("có dữ liệu cá nhân", default=False)
    log_filters = models.JSONField(default=dict, blank=True)
    rows = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField("lý do lỗi", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written with the progress: a running job whose worker died stops beating.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("xóa tệp lúc", null=True, blank=True)

    class Meta:
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()
