"""Immutable versions of a plan: what the plan said at each step (dự thảo, trình, ban hành,
điều chỉnh) or when BTC chose to save it, with its PDF as it stood and the PDF's SHA-256."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from training_plan.models import Plan


class PlanVersion(models.Model):
    class Step(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SUBMITTED = "submitted", "Trình Thường trực, Ban Thường vụ"
        ISSUED = "issued", "Ban hành"
        AMENDED = "amended", "Điều chỉnh, bổ sung"
        SAVED = "saved", "Lưu phiên bản"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("phiên bản số")
    step = models.CharField("bước", max_length=20, choices=Step.choices)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("lưu lúc", auto_now_add=True)
    # The plan as data (`versions.snapshot.take`): texts, figures, quota lines, classes, money.
    content = models.JSONField("nội dung")
    pdf = models.BinaryField("văn bản PDF")
    pdf_sha256 = models.CharField("SHA-256 của PDF", max_length=64)
    # The amending document's own number (Kế hoạch điều chỉnh, bổ sung), for AMENDED versions.
    amendment_number = models.PositiveIntegerField("số thứ tự văn bản điều chỉnh", null=True)

    class Meta:
        verbose_name = "phiên bản kế hoạch"
        verbose_name_plural = "phiên bản kế hoạch"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
        ]

    def __str__(self):
        return (
            f"Phiên bản {self.number} ({self.get_step_display()}) — kế hoạch năm {self.plan.year}"
        )

    def save(self, *args, **kwargs):
        """A version is written once: never changed afterwards."""
        if not self._state.adding:
            raise ValidationError("Phiên bản kế hoạch đã lưu không được sửa.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plan_version_pdf", args=[self.plan.year, self.pk])

    def delete(self, *args, **kwargs):
        raise ValidationError("Phiên bản kế hoạch đã lưu không được xóa.")

    @property
    def pdf_intact(self):
        """The stored PDF is still the one whose digest was recorded."""
        return hashlib.sha256(bytes(self.pdf)).hexdigest() == self.pdf_sha256
