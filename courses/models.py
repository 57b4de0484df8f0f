"""Programs of sections II and III, their courses, eligibility rules and classes."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from training_plan.models import Block, LegalDocument, Organisation, Section
from training_plan.text import format_number


class StudyMode(models.TextChoices):
    FULL_TIME = "tap_trung", "Tập trung"
    PART_TIME = "khong_tap_trung", "Không tập trung"


def quantity_sentence(prefix, quantity, unit, suffix):
    parts = [prefix]
    if quantity is not None:
        parts += [format_number(quantity), unit]
    parts.append(suffix)
    return " ".join(part for part in parts if part)


class ProgramManager(models.Manager):
    def get_by_natural_key(self, province, year, section, position):
        return self.get(
            section__plan__province=province,
            section__plan__year=year,
            section__position=section,
            position=position,
        )


class Program(models.Model):
    class Kind(models.TextChoices):
        ADVANCED_THEORY = "cao_cap_llct", "Cao cấp lý luận chính trị"
        SECOND_DEGREE = "van_bang_hai", "Đại học văn bằng hai"
        INTERMEDIATE_THEORY = "trung_cap_llct", "Trung cấp lý luận chính trị - hành chính"
        POSTGRADUATE = "sau_dai_hoc", "Sau đại học"
        DEFENCE = "qp_an", "Bồi dưỡng kiến thức quốc phòng - an ninh"
        PARTY_BUILDING = "xay_dung_dang", "Bồi dưỡng công tác xây dựng Đảng"
        STATE_MANAGEMENT = "qlnn", "Bồi dưỡng quản lý nhà nước"
        OTHER = "khac", "Khác"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="programs")
    position = models.PositiveSmallIntegerField("số thứ tự")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    name = models.CharField("tên chương trình", max_length=500)
    target_group = models.TextField("đối tượng", blank=True)
    conditions = models.TextField("điều kiện", blank=True)
    legal_documents = models.ManyToManyField(
        LegalDocument, verbose_name="văn bản căn cứ của điều kiện", blank=True
    )
    content_heading = models.CharField(
        "dẫn nội dung", max_length=255, blank=True, help_text="Ví dụ “Nội dung bồi dưỡng:”."
    )
    quantity = models.PositiveIntegerField(
        "số lượng dự kiến", null=True, blank=True, help_text="Để trống khi theo nhu cầu đăng ký."
    )
    quantity_label = models.CharField(
        "nhãn số lượng", max_length=50, blank=True, help_text="“Số lượng đào tạo”, “Số lượng”."
    )
    quantity_prefix = models.CharField(
        "số lượng: phần trước con số",
        max_length=255,
        blank=True,
        help_text="Ví dụ “Dự kiến”; khi theo nhu cầu: “Theo nhu cầu đăng ký”.",
    )
    quantity_unit = models.CharField("đơn vị số lượng", max_length=50, blank=True)
    quantity_suffix = models.CharField(
        "số lượng: phần sau con số",
        max_length=255,
        blank=True,
        help_text="Ví dụ “và theo nhu cầu của địa phương”.",
    )
    directing_body = models.ForeignKey(
        Organisation,
        verbose_name="cơ quan chỉ đạo thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directed_programs",
    )
    implementing_body = models.ForeignKey(
        Organisation,
        verbose_name="cơ quan tổ chức thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implemented_programs",
    )
    institutions = models.ManyToManyField(
        Organisation,
        verbose_name="đơn vị đào tạo, bồi dưỡng",
        through="ProgramInstitution",
        related_name="programs_taught",
        blank=True,
    )
    institution_label = models.CharField(
        "nhãn đơn vị", max_length=50, default="Đơn vị đào tạo", help_text="“Đơn vị bồi dưỡng”…"
    )
    period = models.CharField("thời gian thực hiện", max_length=500)
    block = models.CharField("khối kinh phí", max_length=10, choices=Block.choices)

    objects = ProgramManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "chương trình"
        verbose_name_plural = "chương trình"
        ordering = ["section__plan", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="program_position_unique")
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def get_absolute_url(self):
        return reverse("program_detail", args=[self.section.plan.year, self.pk])

    def natural_key(self):
        return self.section.natural_key() + (self.position,)

    natural_key.dependencies = ["training_plan.section", "training_plan.organisation"]

    @property
    def number(self):
        """“II.1”."""
        return f"{self.section.roman}.{self.position}"

    @property
    def is_demand_driven(self):
        return self.quantity is None

    @property
    def quantity_sentence(self):
        """“Dự kiến 460 học viên và theo nhu cầu của địa phương”, built from the data."""
        return quantity_sentence(
            self.quantity_prefix, self.quantity, self.quantity_unit, self.quantity_suffix
        )

    @property
    def all_quota_lines(self):
        """Quota lines of every course, in order (uses prefetched courses and lines)."""
        return [line for course in self.courses.all() for line in course.quota_lines.all()]

    @property
    def institutions_phrase(self):
        """Institutions in the plan's wording: “A, B và các cơ sở giáo dục khác”."""
        names = [link.institution for link in self.institution_links.all()]
        if not names:
            return ""
        if len(names) > 1 and names[-1].is_collective:
            head = ", ".join(n.name for n in names[:-1])
            return f"{head} và {names[-1].name[0].lower()}{names[-1].name[1:]}"
        return ", ".join(n.name for n in names)


class ProgramInstitutionManager(models.Manager):
    def get_by_natural_key(self, province, year, section, program, position):
        return self.get(
            program__section__plan__province=province,
            program__section__plan__year=year,
            program__section__position=section,
            program__position=program,
            position=position,
        )


class ProgramInstitution(models.Model):
    """An institution of a program, kept in the order the plan names them."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="institution_links")
    institution = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("thứ tự")

    objects = ProgramInstitutionManager()

    class Meta:
        verbose_name = "đơn vị đào tạo của chương trình"
        verbose_name_plural = "đơn vị đào tạo của chương trình"
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "position"], name="program_institution_position_unique"
            ),
            models.UniqueConstraint(
                fields=["program", "institution"], name="program_institution_unique"
            ),
        ]

    def __str__(self):
        return str(self.institution)

    def natural_key(self):
        return self.program.natural_key() + (self.position,)

    natural_key.dependencies = ["courses.program", "training_plan.organisation"]


class CourseManager(models.Manager):
    def get_by_natural_key(self, province, year, section, program, position):
        return self.get(
            program__section__plan__province=province,
            program__section__plan__year=year,
            program__section__position=section,
            program__position=program,
            position=position,
        )


class Course(models.Model):
    """A content item or track of a program; nominations and classes belong to a course."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="courses")
    position = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên khóa", max_length=500)
    target_group = models.TextField("đối tượng", blank=True)
    quantity = models.PositiveIntegerField(
        "số lượng dự kiến", null=True, blank=True, help_text="Để trống khi theo nhu cầu đăng ký."
    )
    quantity_prefix = models.CharField(
        "số lượng: phần trước con số",
        max_length=255,
        blank=True,
        help_text="Ví dụ “Số lượng bồi dưỡng khoảng”.",
    )
    quantity_unit = models.CharField("đơn vị số lượng", max_length=50, blank=True)

    objects = CourseManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "khóa, nội dung"
        verbose_name_plural = "khóa, nội dung"
        ordering = [
            "program__section__plan",
            "program__section__position",
            "program__position",
            "position",
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="course_position_unique")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("course_detail", args=[self.program.section.plan.year, self.pk])

    @property
    def code(self):
        """Stable code of a course in its plan: “II.1.1” (section.program.course)."""
        return f"{self.program.number}.{self.position}"

    def natural_key(self):
        return self.program.natural_key() + (self.position,)

    natural_key.dependencies = ["courses.program"]

    @property
    def block(self):
        return self.program.block

    @property
    def is_demand_driven(self):
        return self.quantity is None

    @property
    def quantity_sentence(self):
        return quantity_sentence(self.quantity_prefix, self.quantity, self.quantity_unit, "")


class EligibilityRuleManager(models.Manager):
    def get_by_natural_key(self, province, year, section, program, course, code):
        return self.get(
            course__program__section__plan__province=province,
            course__program__section__plan__year=year,
            course__program__section__position=section,
            course__program__position=program,
            course__position=course,
            code=code,
        )


class EligibilityRule(models.Model):
    """A checkable condition of a course, with its legal basis and the dates it applies between.

    `params` holds the figures, so a later plan changes them by data alone (Nghị định
    171/2025/NĐ-CP: 45 years and three times the training time instead of 40 and twice).
    """

    class Kind(models.TextChoices):
        MAX_AGE = "max_age", "Tuổi tối đa"
        RANK = "rank", "Ngạch, chức danh"
        MANAGER = "manager", "Chức vụ lãnh đạo, quản lý"
        NOT_HOLDING_THEORY = "not_holding_theory", "Chưa có trình độ lý luận chính trị"
        MIN_SERVICE = "min_service", "Thời gian công tác tối thiểu"
        SERVICE_COMMITMENT = "service_commitment", "Cam kết thời gian phục vụ"

    class Severity(models.TextChoices):
        BLOCK = "block", "Chặn"
        WARN = "warn", "Cảnh báo"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="eligibility_rules")
    code = models.SlugField("mã", max_length=60)
    kind = models.CharField("loại điều kiện", max_length=30, choices=Kind.choices)
    params = models.JSONField("tham số", default=dict, blank=True)
    severity = models.CharField(
        "mức độ", max_length=10, choices=Severity.choices, default=Severity.BLOCK
    )
    description = models.CharField("diễn giải", max_length=500)
    legal_document = models.ForeignKey(
        LegalDocument,
        verbose_name="căn cứ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    article = models.CharField("điều, khoản", max_length=100, blank=True)
    valid_from = models.DateField("áp dụng từ", null=True, blank=True)
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)

    objects = EligibilityRuleManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "điều kiện, tiêu chuẩn"
        verbose_name_plural = "điều kiện, tiêu chuẩn"
        ordering = ["course", "code"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="eligibility_rule_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="eligibility_rule_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.description

    def natural_key(self):
        return self.course.natural_key() + (self.code,)

    natural_key.dependencies = ["courses.course", "training_plan.legaldocument"]


class NaturalKeyPath:
    """The fields that make the natural key of a course, read in one query."""

    def __init__(self, prefix=""):
        self.fields = [
            f"{prefix}program__section__plan__province",
            f"{prefix}program__section__plan__year",
            f"{prefix}program__section__position",
            f"{prefix}program__position",
            f"{prefix}position",
        ]

    def of(self, queryset, *extra):
        return tuple(queryset.values_list(*self.fields, *extra).get())


COURSE_KEY = NaturalKeyPath()


class TrainingClassManager(models.Manager):
    def get_by_natural_key(self, province, year, section, program, course, code):
        return self.get(
            course__program__section__plan__province=province,
            course__program__section__plan__year=year,
            course__program__section__position=section,
            course__program__position=program,
            course__position=course,
            code=code,
        )


class TrainingClass(models.Model):
    """A class (lớp) of a course: where, when, how many, and its budget lines."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Dự kiến"
        OPEN = "open", "Đang chiêu sinh"
        RUNNING = "running", "Đang học"
        FINISHED = "finished", "Đã kết thúc"
        CANCELLED = "cancelled", "Đã hủy"

    class FundingSource(models.TextChoices):
        PROVINCE = "ngan_sach_tinh", "Ngân sách tỉnh"
        DISTRICT = "ngan_sach_huyen", "Ngân sách huyện"
        SENDING_UNIT = "don_vi_cu", "Đơn vị cử đi học"
        SELF_FUNDED = "tu_tuc", "Học viên tự túc"
        OTHER = "khac", "Nguồn khác"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="classes")
    code = models.SlugField("mã lớp", max_length=60)
    name = models.CharField("tên lớp", max_length=255)
    institution = models.ForeignKey(
        Organisation, verbose_name="cơ sở đào tạo", on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField("địa điểm", max_length=255, blank=True)
    study_mode = models.CharField("hệ", max_length=20, choices=StudyMode.choices, blank=True)
    start_date = models.DateField("ngày khai giảng")
    end_date = models.DateField("ngày bế giảng")
    capacity = models.PositiveIntegerField("sĩ số tối đa")
    planned_learners = models.PositiveIntegerField(
        "số học viên dự kiến", default=0, help_text="Dùng cho dự toán khi chưa có học viên."
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    funding_source = models.CharField(
        "nguồn kinh phí",
        max_length=20,
        choices=FundingSource.choices,
        default=FundingSource.PROVINCE,
    )
    is_illustrative = models.BooleanField(
        "minh họa",
        default=False,
        help_text="Dòng phụ lục minh họa: văn bản gốc chỉ cho tổng kinh phí theo khối.",
    )
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = TrainingClassManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lớp"
        verbose_name_plural = "lớp"
        ordering = ["start_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="class_code_unique"),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="class_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_started(self):
        """The class has begun: running or finished, or open with its opening day reached."""
        if self.status in (self.Status.RUNNING, self.Status.FINISHED):
            return True
        return self.status == self.Status.OPEN and self.start_date <= timezone.localdate()

    def natural_key(self):
        # Loading a fixture builds each object from ids only: one query instead of a walk up
        # course → program → section → plan (four queries per class and per budget line).
        if self._meta.get_field("course").is_cached(self):
            return self.course.natural_key() + (self.code,)
        return COURSE_KEY.of(Course.objects.filter(pk=self.course_id)) + (self.code,)

    natural_key.dependencies = ["courses.course", "training_plan.organisation"]

    @property
    def block(self):
        return self.course.program.block


# Statuses a class can be given by editing it; cancelling is its own action (it moves learners).
# A class has at most this many learners: far below the 2^31 of the integer columns.
MAX_LEARNERS = 100_000
CAPACITY_MESSAGE = f"Sĩ số tối đa không quá {format_number(MAX_LEARNERS)} người."
PLANNED_MESSAGE = f"Số học viên dự kiến không quá {format_number(MAX_LEARNERS)} người."

EDITABLE_STATUSES = (
    TrainingClass.Status.PLANNED,
    TrainingClass.Status.OPEN,
    TrainingClass.Status.RUNNING,
    TrainingClass.Status.FINISHED,
)


# Learners can join a class until it has finished.
ENROLLING_STATUSES = (
    TrainingClass.Status.PLANNED,
    TrainingClass.Status.OPEN,
    TrainingClass.Status.RUNNING,
)


# Results are recorded once the class has started.
RESULT_STATUSES = (TrainingClass.Status.RUNNING, TrainingClass.Status.FINISHED)
