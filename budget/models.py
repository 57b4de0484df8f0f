"""Budget blocks of section IV, cost norms and the budget lines of classes. Money is whole đồng."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Cast
from django.db.models.lookups import LessThanOrEqual
from simple_history.models import HistoricalRecords

from courses.models import NaturalKeyPath, TrainingClass
from training_plan.models import Block, LegalDocument, Plan
from training_plan.text import format_number

# What the domain allows, far below what the database holds (bigint: 9,2 × 10^18). A line is at
# most 10^15 đồng and a plan's lines at most 10^17 đồng, so every sum the pages compute in SQL
# (rate × quantity × days, per class, block, plan and across years) stays exact.
MAX_RATE = 10**12  # one thousand billion đồng per unit
MAX_QUANTITY = 100_000
MAX_DAYS = 10_000
MAX_LINE_AMOUNT = 10**15
MAX_PLAN_TOTAL = 10**17

RATE_MESSAGE = f"Mức chi, đơn giá không quá {format_number(MAX_RATE)} đồng."
QUANTITY_MESSAGE = f"Số lượng không quá {format_number(MAX_QUANTITY)}."
DAYS_MESSAGE = f"Số ngày không quá {format_number(MAX_DAYS)}."
LINE_AMOUNT_MESSAGE = (
    f"Thành tiền của một dòng (đơn giá × số lượng × số ngày) không quá "
    f"{format_number(MAX_LINE_AMOUNT)} đồng."
)
PLAN_TOTAL_MESSAGE = f"Tổng kinh phí của kế hoạch không quá {format_number(MAX_PLAN_TOTAL)} đồng."


class BudgetBlockManager(models.Manager):
    def get_by_natural_key(self, province, year, block):
        return self.get(plan__province=province, plan__year=year, block=block)


class BudgetBlock(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_blocks")
    block = models.CharField("khối", max_length=10, choices=Block.choices)
    position = models.PositiveSmallIntegerField("thứ tự")
    planned_total = models.PositiveBigIntegerField(
        "dự kiến kinh phí (đồng)",
        validators=[MaxValueValidator(MAX_PLAN_TOTAL, message=PLAN_TOTAL_MESSAGE)],
    )

    objects = BudgetBlockManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "khối kinh phí"
        verbose_name_plural = "khối kinh phí"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "block"], name="budget_block_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_total__lte=MAX_PLAN_TOTAL),
                name="budget_block_total_bounded",
            ),
        ]

    def __str__(self):
        return self.get_block_display()

    def natural_key(self):
        return self.plan.natural_key() + (self.block,)

    natural_key.dependencies = ["training_plan.plan"]


class CostNormManager(models.Manager):
    def get_by_natural_key(self, province, year, code):
        return self.get(plan__province=province, plan__year=year, code=code)


class CostNorm(models.Model):
    """A spending norm (định mức chi) of a plan year, e.g. under Nghị quyết 04/2019/NQ-HĐND."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cost_norms")
    code = models.SlugField("mã", max_length=60)
    item = models.CharField("nội dung chi", max_length=255)
    unit = models.CharField("đơn vị tính", max_length=60)
    rate = models.PositiveBigIntegerField(
        "mức chi (đồng)", validators=[MaxValueValidator(MAX_RATE, message=RATE_MESSAGE)]
    )
    legal_document = models.ForeignKey(
        LegalDocument, verbose_name="căn cứ", null=True, blank=True, on_delete=models.PROTECT
    )
    article = models.CharField("điều, khoản", max_length=100, blank=True)
    is_illustrative = models.BooleanField(
        "mức minh họa",
        default=False,
        help_text="Mức chi minh họa, chưa đối chiếu với văn bản căn cứ.",
    )

    objects = CostNormManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "định mức chi"
        verbose_name_plural = "định mức chi"
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="cost_norm_unique"),
            models.CheckConstraint(
                condition=models.Q(rate__lte=MAX_RATE), name="cost_norm_rate_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.item} ({self.unit})"

    def natural_key(self):
        return self.plan.natural_key() + (self.code,)

    natural_key.dependencies = ["training_plan.plan", "training_plan.legaldocument"]


class BudgetLineManager(models.Manager):
    def get_by_natural_key(self, province, year, section, program, course, class_code, position):
        return self.get(
            training_class__course__program__section__plan__province=province,
            training_class__course__program__section__plan__year=year,
            training_class__course__program__section__position=section,
            training_class__course__program__position=program,
            training_class__course__position=course,
            training_class__code=class_code,
            position=position,
        )


class BudgetLine(models.Model):
    """One item of a class estimate: rate × quantity × multiplier (e.g. learners × days)."""

    class QuantityKind(models.TextChoices):
        LEARNERS = "learners", "Học viên"
        DAYS = "days", "Ngày"
        SESSIONS = "sessions", "Buổi"
        LEARNER_DAYS = "learner_days", "Học viên × ngày"
        LUMP = "lump", "Trọn gói"

    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField("thứ tự")
    norm = models.ForeignKey(
        CostNorm,
        verbose_name="định mức",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Để trống cho khoản chi không có định mức.",
    )
    description = models.CharField("nội dung", max_length=255)
    quantity_kind = models.CharField("đơn vị số lượng", max_length=20, choices=QuantityKind.choices)
    quantity = models.PositiveIntegerField(
        "số lượng",
        validators=[
            MinValueValidator(1),
            MaxValueValidator(MAX_QUANTITY, message=QUANTITY_MESSAGE),
        ],
    )
    multiplier = models.PositiveIntegerField(
        "hệ số",
        default=1,
        help_text="Số ngày khi tính theo học viên × ngày.",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DAYS, message=DAYS_MESSAGE)],
    )
    rate = models.PositiveBigIntegerField(
        "đơn giá (đồng)", validators=[MaxValueValidator(MAX_RATE, message=RATE_MESSAGE)]
    )

    objects = BudgetLineManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dòng dự toán"
        verbose_name_plural = "dòng dự toán"
        ordering = ["training_class", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "position"], name="budget_line_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    rate__lte=MAX_RATE,
                    quantity__gte=1,
                    quantity__lte=MAX_QUANTITY,
                    multiplier__gte=1,
                    multiplier__lte=MAX_DAYS,
                ),
                name="budget_line_bounded",
            ),
            # In numeric, so that the check itself cannot overflow bigint.
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    Cast("rate", models.DecimalField(max_digits=30, decimal_places=0))
                    * models.F("quantity")
                    * models.F("multiplier"),
                    MAX_LINE_AMOUNT,
                ),
                name="budget_line_amount_bounded",
            ),
        ]

    def __str__(self):
        return self.description

    def natural_key(self):
        # One query while a fixture loads (see TrainingClass.natural_key).
        if self._meta.get_field("training_class").is_cached(self):
            return self.training_class.natural_key() + (self.position,)
        classes = TrainingClass.objects.filter(pk=self.training_class_id)
        return NaturalKeyPath("course__").of(classes, "code") + (self.position,)

    natural_key.dependencies = ["courses.trainingclass", "budget.costnorm"]

    @property
    def amount(self):
        return self.rate * self.quantity * self.multiplier

    @classmethod
    def amount_expression(cls, prefix=""):
        """The line amount as a database expression, for aggregate sums."""
        return (
            models.F(f"{prefix}rate")
            * models.F(f"{prefix}quantity")
            * models.F(f"{prefix}multiplier")
        )
