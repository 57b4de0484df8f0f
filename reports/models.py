"""The documents the workflow issues (công văn cử cán bộ đi học, quyết định cử đi học, báo cáo
kết quả) and their numbers.

Each kind of document is numbered per issuing body and year (Hướng dẫn 36-HD/VPTW for Party
bodies, Nghị định 30/2020/NĐ-CP for State bodies), from 1, with no gap and never twice:
`DocumentCounter` is the last number given, locked (SELECT … FOR UPDATE) by the transaction that
records the `IssuedDocument`; a transaction that rolls back gives its number back together with
the document, so no number is ever on two documents nor on none (reports/issuing.py)."""

from django.conf import settings
from django.db import models

from courses.models import Course
from training_plan.models import Organisation, Plan


class DocumentKind(models.TextChoices):
    LETTER = "cong_van_cu_di_hoc", "Công văn cử cán bộ đi học"
    DECISION = "quyet_dinh_cu_di_hoc", "Quyết định cử đi học"
    RESULTS = "bao_cao_ket_qua", "Báo cáo kết quả thực hiện kế hoạch"


class DocumentCounter(models.Model):
    """The last number given to a kind of document of one issuing body in one year."""

    issuer = models.ForeignKey(
        Organisation, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField("số đã cấp gần nhất", default=0)

    class Meta:
        verbose_name = "sổ đăng ký số văn bản"
        verbose_name_plural = "sổ đăng ký số văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year"], name="one_counter_per_issuer_kind_year"
            )
        ]

    def __str__(self):
        return f"{self.issuer} — {self.get_kind_display()} {self.year}: {self.last_number}"


class IssuedDocument(models.Model):
    """One document issued with its number: what it is about, who issued it, and the SHA-256 of
    the PDF that was signed (kept with the PDF itself and the figures and list it shows, from
    which the Word file is written again)."""

    issuer = models.ForeignKey(
        Organisation, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    reference = models.CharField("số, ký hiệu", max_length=60)
    issued_on = models.DateField("ngày ban hành")
    issued_at = models.DateTimeField("thời điểm cấp số", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cấp số",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan = models.ForeignKey(
        Plan, verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="issued_documents"
    )
    course = models.ForeignKey(
        Course,
        verbose_name="khóa",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
    )
    # The unit whose people a letter sends (None for decisions and reports).
    unit = models.ForeignKey(
        Organisation,
        verbose_name="đơn vị cử",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_letters",
    )
    subject = models.CharField("trích yếu", max_length=500)
    people = models.PositiveIntegerField("số người trong danh sách", default=0)
    payload = models.JSONField("nội dung văn bản", default=dict)
    pdf = models.BinaryField("tệp PDF")
    pdf_sha256 = models.CharField("SHA-256 của tệp PDF", max_length=64)

    class Meta:
        verbose_name = "văn bản đã ban hành"
        verbose_name_plural = "văn bản đã ban hành"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "year", "number"], name="issued_document_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    @property
    def has_people(self):
        return self.kind != DocumentKind.RESULTS
