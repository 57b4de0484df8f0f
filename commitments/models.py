"""Service commitments after training and the repayment of training costs (NĐ 101/2017/NĐ-CP
Điều 6–8; NĐ 171/2025/NĐ-CP for công chức from 01/07/2025)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BigIntegerField, Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from commitments.periods import add_months, months_between
from quotas.models import MAX_MONTHS, Nomination
from training_plan.models import Person
from training_plan.rules import scope_to_user

# The largest cost of one person's training: far above any real course, far below bigint.
MAX_COST = 10_000_000_000


class RepaymentKind(models.TextChoices):
    """The cases that require repayment (NĐ 101/2017 Điều 7; NĐ 171/2025)."""

    DROPOUT = "dropout", "Tự ý bỏ học, bỏ việc trong thời gian đào tạo"
    DISMISSED = "dismissed", "Bị kỷ luật buộc thôi việc"
    NO_DEGREE = "no_degree", "Không được cơ sở đào tạo cấp văn bằng tốt nghiệp"
    LEFT_EARLY = "left_early", "Bỏ việc khi chưa phục vụ đủ thời gian cam kết"


class Share(models.TextChoices):
    FULL = "full", "100 % chi phí đào tạo (F)"
    PROPORTIONAL = "proportional", "Theo tỷ lệ: S = F / T1 × (T1 − T2)"


class CommitmentRuleQuerySet(models.QuerySet):
    def in_force(self, *, category, on):
        """The rules of a category in force on a date (the date the person was sent)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
            category=category,
        )


class CommitmentRule(models.Model):
    """A rule on service after training, as data with its legal basis: for whom (category),
    between which dates, for which programs, how many times the training time, and which
    cases repay at what share (`repayment`: {RepaymentKind: Share})."""

    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("tên quy định", max_length=255)
    category = models.CharField("loại", max_length=20, choices=Person.Category.choices)
    legal_basis = models.CharField("văn bản căn cứ", max_length=255)
    article = models.CharField("điều, khoản", max_length=255, blank=True)
    repayment_article = models.CharField("điều, khoản về đền bù", max_length=255, blank=True)
    program_kinds = models.JSONField(
        "chương trình phải cam kết", default=list, blank=True, help_text="Mã loại chương trình."
    )
    multiple = models.PositiveSmallIntegerField(
        "thời gian phục vụ tối thiểu (số lần thời gian đào tạo)",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    repayment = models.JSONField("trường hợp đền bù và mức đền bù", default=dict, blank=True)
    valid_from = models.DateField("áp dụng từ", null=True, blank=True)
    valid_to = models.DateField("áp dụng đến", null=True, blank=True)

    objects = CommitmentRuleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "quy định cam kết phục vụ"
        verbose_name_plural = "quy định cam kết phục vụ"
        ordering = ["category", "valid_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="commitment_rule_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(multiple__gte=1, multiple__lte=10), name="commitment_rule_multiple"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def citation(self):
        return f"{self.article} {self.legal_basis}".strip() if self.article else self.legal_basis

    @property
    def repayment_citation(self):
        article = self.repayment_article or self.article
        return f"{article} {self.legal_basis}".strip() if article else self.legal_basis

    def share_for(self, kind):
        """The share this rule repays in a case, or None when the case is not one of its."""
        value = self.repayment.get(kind)
        return Share(value) if value in Share.values else None

    def cases_text(self):
        labels = dict(RepaymentKind.choices)
        shares = {Share.FULL: "100 %", Share.PROPORTIONAL: "theo tỷ lệ"}
        return "; ".join(
            f"{labels[kind]}: {shares[Share(share)]}"
            for kind, share in self.repayment.items()
            if kind in labels and share in Share.values
        )


class State(models.TextChoices):
    TRAINING = "training", "Đang đào tạo"
    SERVING = "serving", "Đang thực hiện cam kết"
    COMPLETED = "completed", "Hoàn thành"
    MUST_REPAY = "must_repay", "Phải đền bù"
    REPAID = "repaid", "Đã đền bù"


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Commitments the user may read: every one for BTC, SNV, leadership and administrators;
        a unit those of its own people (the record follows the person)."""
        return scope_to_user(self, user, "person__organisation_id")

    def with_state(self, today):
        """Annotate `state` (a State value) and `paid` (đồng) in the query, to list and filter
        by state without a query per row."""
        paid = (
            Payment.objects.filter(case__commitment=OuterRef("pk"))
            .order_by()
            .values("case__commitment")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return self.annotate(
            paid=Cast(Coalesce(Subquery(paid), Value(0)), BigIntegerField()),
            state=Case(
                When(
                    Q(repayment__isnull=False) & Q(repayment__amount=0), then=Value(State.COMPLETED)
                ),
                When(
                    Q(repayment__isnull=False) & Q(paid__gte=F("repayment__amount")),
                    then=Value(State.REPAID),
                ),
                When(repayment__isnull=False, then=Value(State.MUST_REPAY)),
                When(return_date__isnull=True, then=Value(State.TRAINING)),
                When(service_end_date__lte=today, then=Value(State.COMPLETED)),
                default=Value(State.SERVING),
                output_field=models.CharField(),
            ),
        )


class Commitment(models.Model):
    """The service commitment signed with a nomination: T1 months of service from the return
    date (the service end moves by the months of recorded interruptions)."""

    nomination = models.OneToOneField(
        Nomination,
        verbose_name="hồ sơ cử đi học",
        on_delete=models.PROTECT,
        related_name="commitment",
    )
    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.PROTECT, related_name="commitments"
    )
    rule = models.ForeignKey(
        CommitmentRule, verbose_name="quy định áp dụng", on_delete=models.PROTECT, related_name="+"
    )
    sent_date = models.DateField("ngày cử đi đào tạo")
    signed_date = models.DateField("ngày ký cam kết")
    training_months = models.PositiveSmallIntegerField(
        "thời gian đào tạo (tháng)",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )
    required_months = models.PositiveSmallIntegerField(
        "thời gian phục vụ cam kết T1 (tháng)",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
    )
    return_date = models.DateField("ngày trở về công tác", null=True, blank=True)
    # return_date + T1 + the months of interruptions: kept by `commitment_recompute`.
    service_end_date = models.DateField("ngày hết thời gian cam kết", null=True, blank=True)
    cost = models.PositiveBigIntegerField(
        "chi phí đào tạo F (đồng)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_COST)],
        help_text="Để trống để tính từ dự toán của lớp (học phí, chi phí khóa học; không gồm "
        "lương, phụ cấp).",
    )
    cost_source = models.CharField("nguồn số liệu chi phí", max_length=255, blank=True)
    reminded_at = models.DateTimeField("đã nhắc sắp hết cam kết lúc", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommitmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cam kết phục vụ"
        verbose_name_plural = "cam kết phục vụ"
        ordering = ["service_end_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__lte=MAX_COST),
                name="commitment_cost_bounded",
            ),
            models.CheckConstraint(
                condition=Q(return_date__isnull=True) | Q(return_date__gte=F("sent_date")),
                name="commitment_return_after_sending",
            ),
        ]

    def __str__(self):
        return f"Cam kết của {self.person} — {self.nomination.course}"

    def get_absolute_url(self):
        return reverse("commitment_detail", args=[self.pk])

    @property
    def block(self):
        return self.nomination.course.program.block

    @property
    def state_label(self):
        """The state's name (the queryset's `with_state` annotates `state`)."""
        return State(self.state).label if getattr(self, "state", None) else ""

    @property
    def unit_id(self):
        """The unit that keeps the record now (scoping: `in_own_unit`)."""
        return self.person.organisation_id

    def interruption_months(self, until=None):
        if self.pk is None:
            return 0
        return sum(i.months(until) for i in self.interruptions.all())

    def served_months(self, on: datetime.date) -> int:
        """T2: months served from the return date to `on`, less the interruptions."""
        if self.return_date is None:
            return 0
        return max(0, months_between(self.return_date, on) - self.interruption_months(on))

    def compute_service_end(self):
        if self.return_date is None:
            return None
        return add_months(self.return_date, self.required_months + self.interruption_months())


class Interruption(models.Model):
    """A time that does not count as service (entered by the unit): leave without pay,
    secondment outside the sending body, …"""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="interruptions"
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    reason = models.CharField("lý do", max_length=255)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thời gian gián đoạn"
        verbose_name_plural = "thời gian gián đoạn"
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="interruption_dates_ordered"
            )
        ]

    def __str__(self):
        return f"{self.start_date:%d/%m/%Y} – {self.end_date:%d/%m/%Y}: {self.reason}"

    def months(self, until=None):
        end = self.end_date if until is None else min(self.end_date, until)
        return months_between(self.start_date, end + datetime.timedelta(days=1))


class RepaymentCase(models.Model):
    """A case of repayment with its amount, computed once and kept as decided (F, T1, T2, S)."""

    commitment = models.OneToOneField(
        Commitment, on_delete=models.PROTECT, related_name="repayment"
    )
    kind = models.CharField("trường hợp", max_length=20, choices=RepaymentKind.choices)
    event_date = models.DateField("ngày phát sinh")
    share = models.CharField("mức đền bù", max_length=20, choices=Share.choices)
    cost = models.PositiveBigIntegerField("F (đồng)", validators=[MaxValueValidator(MAX_COST)])
    cost_source = models.CharField("nguồn số liệu F", max_length=255)
    required_months = models.PositiveSmallIntegerField("T1 (tháng)")
    served_months = models.PositiveSmallIntegerField("T2 (tháng)")
    amount = models.PositiveBigIntegerField("số tiền phải đền bù S (đồng)")
    legal_citation = models.CharField("căn cứ áp dụng", max_length=255)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=120, blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "trường hợp đền bù"
        verbose_name_plural = "trường hợp đền bù"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__lte=F("cost")), name="repayment_at_most_cost"
            )
        ]

    def __str__(self):
        return f"Đền bù: {self.commitment.person} — {self.get_kind_display()}"


class Payment(models.Model):
    """One instalment paid back."""

    case = models.ForeignKey(RepaymentCase, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField("ngày nộp")
    amount = models.PositiveBigIntegerField(
        "số tiền (đồng)", validators=[MinValueValidator(1), MaxValueValidator(MAX_COST)]
    )
    note = models.CharField("chứng từ, ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "lần nộp tiền đền bù"
        verbose_name_plural = "lần nộp tiền đền bù"
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=1), name="payment_positive")]

    def __str__(self):
        return f"{self.paid_on:%d/%m/%Y}: {self.amount}"
