"""Quota lines, their allocation to units, and nominations of people to courses."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from courses.eligibility import EligibilityReport, Flag
from courses.models import Course, StudyMode, TrainingClass
from training_plan.models import Organisation, Person
from training_plan.rules import scope_to_user
from training_plan.text import format_number

# Seats of one allocation and months of a nomination: what the domain allows, far below the
# integer columns (2^31 seats, 32.767 months).
MAX_SEATS = 100_000
SEATS_MESSAGE = f"Số chỉ tiêu không quá {format_number(MAX_SEATS)}."
MAX_MONTHS = 600


class QuotaLineManager(models.Manager):
    def get_by_natural_key(self, province, year, section, program, course, position):
        return self.get(
            course__program__section__plan__province=province,
            course__program__section__plan__year=year,
            course__program__section__position=section,
            course__program__position=program,
            course__position=course,
            position=position,
        )


class QuotaLine(models.Model):
    """Seats of a course at one institution in one study mode; no count = demand-driven."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quota_lines")
    position = models.PositiveSmallIntegerField("thứ tự")
    institution = models.ForeignKey(
        Organisation, verbose_name="cơ sở đào tạo", on_delete=models.PROTECT, related_name="+"
    )
    study_mode = models.CharField("hệ", max_length=20, choices=StudyMode.choices, blank=True)
    planned_count = models.PositiveIntegerField(
        "chỉ tiêu", null=True, blank=True, help_text="Để trống khi theo nhu cầu đăng ký."
    )
    description = models.CharField("diễn giải (nguyên văn)", max_length=500, blank=True)

    objects = QuotaLineManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dòng chỉ tiêu"
        verbose_name_plural = "dòng chỉ tiêu"
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "position"], name="quota_line_position_unique"
            )
        ]

    def __str__(self):
        parts = [self.course.name, self.institution.name]
        if self.study_mode:
            parts.append(self.get_study_mode_display().lower())
        return " — ".join(parts)

    @property
    def place(self):
        """Where and how: “Học viện Chính trị khu vực III, tập trung”."""
        mode = f", {self.get_study_mode_display().lower()}" if self.study_mode else ""
        return f"{self.institution.name}{mode}"

    @property
    def label(self):
        """In messages and choices: “II.1.1-1 Học viện Chính trị khu vực III, tập trung”."""
        return f"{self.course.code}-{self.position} {self.place}"

    def natural_key(self):
        return self.course.natural_key() + (self.position,)

    natural_key.dependencies = ["courses.course", "training_plan.organisation"]

    @property
    def is_capped(self):
        return self.planned_count is not None


class Allocation(models.Model):
    """The seats of a quota line given to one unit (phân bổ chỉ tiêu)."""

    quota_line = models.ForeignKey(QuotaLine, on_delete=models.PROTECT, related_name="allocations")
    unit = models.ForeignKey(
        Organisation, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="allocations"
    )
    count = models.PositiveIntegerField("số chỉ tiêu")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "phân bổ chỉ tiêu"
        verbose_name_plural = "phân bổ chỉ tiêu"
        ordering = ["quota_line", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["quota_line", "unit"], name="allocation_unique")
        ]

    def __str__(self):
        return f"{self.unit} — {self.quota_line}: {self.count}"


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Nominations the user may read (`quotas.view_nomination`): all for BTC, SNV,
        leadership and administrators; a unit its own."""
        return scope_to_user(self, user, "unit_id")


class Nomination(models.Model):
    """A person sent by a unit to a course (cử đi đào tạo, bồi dưỡng)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        RESERVE = "reserve", "Dự bị"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để bổ sung"
        REJECTED = "rejected", "Không chấp thuận"
        VERIFIED = "verified", "Đã thẩm định"
        APPROVED = "approved", "Đã duyệt"
        ENROLLED = "enrolled", "Đã xếp lớp"
        COMPLETED = "completed", "Hoàn thành"
        NOT_COMPLETED = "not_completed", "Không hoàn thành"
        WITHDRAWN = "withdrawn", "Đã rút"

    # Statuses that take one seat of the unit's allocation and of the quota line. A file returned
    # for completion keeps its seat until it is withdrawn or rejected.
    SEAT_HOLDING = (
        Status.SUBMITTED,
        Status.RETURNED,
        Status.VERIFIED,
        Status.APPROVED,
        Status.ENROLLED,
        Status.COMPLETED,
        Status.NOT_COMPLETED,
    )
    # Statuses whose eligibility verdicts follow the rules in force (recomputed when they change).
    UNDECIDED = (
        Status.DRAFT,
        Status.RESERVE,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.VERIFIED,
    )
    # Statuses after which the same person may be nominated to the course again.
    CLOSED = (Status.REJECTED, Status.WITHDRAWN)
    # The fields `eligibility_store` writes, for `save(update_fields=…)`.
    ELIGIBILITY_FIELDS = ("eligibility_flag", "eligibility_details")

    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="nominations"
    )
    course = models.ForeignKey(
        Course, verbose_name="khóa", on_delete=models.PROTECT, related_name="nominations"
    )
    quota_line = models.ForeignKey(
        QuotaLine,
        verbose_name="dòng chỉ tiêu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        Organisation,
        verbose_name="đơn vị cử",
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reserve_since = models.DateTimeField("vào danh sách dự bị lúc", null=True, blank=True)
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name="lớp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    training_months = models.PositiveSmallIntegerField(
        "thời gian đào tạo (tháng)", null=True, blank=True
    )
    commitment_months = models.PositiveSmallIntegerField(
        "cam kết phục vụ (tháng)", null=True, blank=True
    )
    eligibility_flag = models.CharField(
        "kết quả kiểm tra điều kiện", max_length=20, choices=Flag.choices, default=Flag.NONE
    )
    eligibility_details = models.JSONField(
        "chi tiết kiểm tra điều kiện",
        default=list,
        blank=True,
        help_text="Kết quả từng điều kiện của lần kiểm tra gần nhất (do hệ thống ghi).",
    )
    override_reason = models.TextField("lý do chấp nhận cảnh báo", blank=True)
    result_reason = models.TextField("lý do không hoàn thành", blank=True)
    certificate_number = models.CharField("số chứng chỉ, văn bằng", max_length=50, blank=True)
    certificate_date = models.DateField("ngày cấp chứng chỉ", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cử đi đào tạo, bồi dưỡng"
        verbose_name_plural = "cử đi đào tạo, bồi dưỡng"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["course", "status"]),
            models.Index(fields=["quota_line", "unit", "status"]),
            models.Index(fields=["eligibility_flag", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course"],
                condition=~models.Q(status__in=["rejected", "withdrawn"]),
                name="one_live_nomination_per_person_course",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="reserve") | models.Q(reserve_since__isnull=False),
                name="reserve_nomination_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.course}"

    def get_absolute_url(self):
        return reverse("nomination_detail", args=[self.pk])

    @property
    def holds_seat(self):
        return self.status in self.SEAT_HOLDING

    @property
    def is_live(self):
        return self.status not in self.CLOSED

    @property
    def eligibility_report(self):
        """The verdicts of the last check, with the reviewer's reason for accepted warnings."""
        return EligibilityReport.from_details(self.eligibility_details, self.override_reason)

    @property
    def learner_label(self):
        """A learner's state in the class list: “Đang học” only once the class has begun."""
        if self.status == self.Status.ENROLLED:
            if self.training_class_id and self.training_class.has_started:
                return "Đang học"
            return "Đã xếp lớp, chưa khai giảng"
        label = self.get_status_display()
        if self.status == self.Status.NOT_COMPLETED and self.result_reason:
            label += f" ({self.result_reason})"
        return label

    def eligibility_store(self, report):
        """Keep a check's verdicts on the nomination (not saved): summary flag and details."""
        self.eligibility_flag = report.flag
        self.eligibility_details = report.to_details()


def status_label(status):
    """The Vietnamese name of a nomination status (“—” for none)."""
    return dict(Nomination.Status.choices).get(status, "—") if status else "—"


class NominationTransition(models.Model):
    RESERVE_PROMOTION_REASON = "Tự động chuyển từ danh sách dự bị khi có chỉ tiêu trống"

    """One status change of a nomination: who, when, from, to and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Nomination.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Nomination.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        verbose_name = "chuyển trạng thái"
        verbose_name_plural = "chuyển trạng thái"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.nomination}: {self.from_status} → {self.to_status}"
