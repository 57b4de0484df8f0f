"""Learners' evaluation of a class through one-time links (Thông tư 07/2023/TT-BNV).

Anonymity by design: an invitation knows its learner (to print the sheet and give each unit its
links) and whether it was used, never which answer it gave; an answer knows its class, not its
invitation, and carries no time. Invitations and answers keep no history for the same reason
(a history row would record when a learner answered).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from courses.models import TrainingClass
from quotas.models import Nomination

SCALE = (1, 5)


class Criterion(models.Model):
    """One question of the evaluation form: a score from 1 to 5, or a free comment."""

    class Kind(models.TextChoices):
        SCORE = "score", "Chấm điểm 1–5"
        COMMENT = "comment", "Ý kiến"

    code = models.SlugField("mã", max_length=60, unique=True)
    position = models.PositiveSmallIntegerField("thứ tự")
    group = models.CharField("nhóm tiêu chí", max_length=120)
    text = models.CharField("nội dung", max_length=500)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.SCORE)
    legal_basis = models.CharField("căn cứ", max_length=255, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tiêu chí đánh giá"
        verbose_name_plural = "tiêu chí đánh giá"
        ordering = ["position", "code"]

    def __str__(self):
        return self.text


class ClassEvaluation(models.Model):
    """A class's evaluation, opened by its manager (BTC or SNV) once the class has ended."""

    training_class = models.OneToOneField(
        TrainingClass, verbose_name="lớp", on_delete=models.PROTECT, related_name="evaluation"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("mở lúc", default=timezone.now)
    closes_at = models.DateTimeField("hết hạn lúc")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đợt đánh giá của lớp"
        verbose_name_plural = "đợt đánh giá của lớp"

    def __str__(self):
        return f"Đánh giá {self.training_class}"

    def get_absolute_url(self):
        return reverse("class_evaluation", args=[self.training_class_id])

    @property
    def is_open(self):
        return timezone.now() < self.closes_at


class Invitation(models.Model):
    """One learner's one-time link: an unguessable token, used at most once."""

    evaluation = models.ForeignKey(
        ClassEvaluation, on_delete=models.CASCADE, related_name="invitations"
    )
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    used = models.BooleanField("đã trả lời", default=False)

    class Meta:
        verbose_name = "đường dẫn đánh giá"
        verbose_name_plural = "đường dẫn đánh giá"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "nomination"], name="one_invitation_per_learner"
            )
        ]

    def __str__(self):
        return f"Đường dẫn đánh giá {self.evaluation_id}-{self.pk}"

    def get_absolute_url(self):
        return reverse("evaluation_answer", args=[self.token])

    @property
    def unit_id(self):
        return self.nomination.unit_id


class Response(models.Model):
    """One anonymous answer: its class and what was said, nothing else."""

    evaluation = models.ForeignKey(
        ClassEvaluation, on_delete=models.PROTECT, related_name="responses"
    )
    comment = models.TextField("ý kiến khác", blank=True)

    class Meta:
        verbose_name = "phiếu đánh giá"
        verbose_name_plural = "phiếu đánh giá"

    def __str__(self):
        return f"Phiếu {self.pk}"


class Score(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        "điểm", validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])]
    )

    class Meta:
        verbose_name = "điểm đánh giá"
        verbose_name_plural = "điểm đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["response", "criterion"], name="one_score_per_item"),
            models.CheckConstraint(
                condition=models.Q(value__gte=SCALE[0], value__lte=SCALE[1]), name="score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"
