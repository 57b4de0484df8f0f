"""The needs round (đăng ký nhu cầu đào tạo, bồi dưỡng) before a plan is drafted.

Each autumn Ban Tổ chức Tỉnh ủy (Party block) and Sở Nội vụ (State block) open a round for the
next year: the courses to collect (from the latest plan's structure), a deadline and a note. Each
unit answers with one register (`UnitNeeds`): for a bồi dưỡng course a number of people and a
short reason (`NeedsCount`), for an đào tạo course named people of its own (`NeedsPerson`, with
the major and institution wanted where the program asks for them). The register moves draft →
submitted → accepted, or back to the unit (returned, with a reason); every move is recorded
(`UnitNeedsTransition`) as nominations record theirs. The draft plan of the year is built from
the accepted registers (`needs.draft`): figures follow the needs, and the named people wait on the
new plan as proposals (`DraftProposal`) until it is issued and they become draft nominations.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from courses.eligibility import EligibilityReport, Flag
from courses.models import Course, Program
from quotas.models import Nomination
from training_plan.models import Block, Organisation, Person, Plan, Section
from training_plan.rules import scope_to_user

# A unit's count of people for one course: far below the integer column.
MAX_COUNT = 100_000
# Programs that ask for the major and the institution wanted (văn bằng hai, sau đại học).
ASKS_MAJOR = (Program.Kind.SECOND_DEGREE, Program.Kind.POSTGRADUATE)


def collects_people(course):
    """Đào tạo (section II) collects named people; bồi dưỡng (section III) a count."""
    return course.program.section.kind == Section.Kind.TRAINING


def asks_major(course):
    return course.program.kind in ASKS_MAJOR


class NeedsRound(models.Model):
    """A round of one block for one plan year, opened by the block's manager."""

    year = models.PositiveSmallIntegerField("năm kế hoạch")
    block = models.CharField("khối", max_length=10, choices=Block.choices)
    source_plan = models.ForeignKey(
        Plan,
        verbose_name="kế hoạch làm khung",
        on_delete=models.PROTECT,
        related_name="needs_rounds",
        help_text="Kế hoạch gần nhất, lấy các chương trình, khóa để đăng ký.",
    )
    deadline = models.DateField("hạn gửi")
    note = models.TextField("ghi chú gửi đơn vị", blank=True)
    courses = models.ManyToManyField(
        Course, verbose_name="các khóa đăng ký", related_name="needs_rounds"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField("mở lúc", auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[courses])

    class Meta:
        verbose_name = "đợt đăng ký nhu cầu"
        verbose_name_plural = "đợt đăng ký nhu cầu"
        ordering = ["-year", "block"]
        constraints = [
            models.UniqueConstraint(fields=["year", "block"], name="needs_round_unique"),
            models.CheckConstraint(condition=models.Q(year__gte=2000), name="needs_year_sane"),
        ]

    def __str__(self):
        return f"Đăng ký nhu cầu năm {self.year} — {self.get_block_display()}"

    def get_absolute_url(self):
        return reverse("needs_round", args=[self.year])


class UnitNeedsQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_user(self, user, "unit_id")


class UnitNeeds(models.Model):
    """One unit's answer to a round."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để bổ sung"
        ACCEPTED = "accepted", "Đã tiếp nhận"

    # The unit may still change its entries.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    round = models.ForeignKey(
        NeedsRound, verbose_name="đợt", on_delete=models.CASCADE, related_name="registers"
    )
    unit = models.ForeignKey(
        Organisation, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="needs"
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    return_reason = models.TextField("lý do trả lại", blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitNeedsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhu cầu của đơn vị"
        verbose_name_plural = "nhu cầu của đơn vị"
        ordering = ["round", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="unit_needs_unique"),
        ]

    def __str__(self):
        return f"{self.unit} — {self.round}"

    def get_absolute_url(self):
        return reverse("needs_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.status in self.EDITABLE

    @property
    def block(self):
        return self.round.block


class UnitNeedsTransition(models.Model):
    """One status change of a unit's register: who, when, from, to and why."""

    register = models.ForeignKey(UnitNeeds, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=UnitNeeds.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=UnitNeeds.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("lý do", blank=True)

    class Meta:
        verbose_name = "chuyển trạng thái nhu cầu"
        verbose_name_plural = "chuyển trạng thái nhu cầu"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.register}: {self.from_status} → {self.to_status}"


class NeedsCount(models.Model):
    """How many people a unit needs to send to a bồi dưỡng course, and why."""

    register = models.ForeignKey(UnitNeeds, on_delete=models.CASCADE, related_name="counts")
    course = models.ForeignKey(Course, verbose_name="khóa", on_delete=models.PROTECT)
    count = models.PositiveIntegerField("số người")
    reason = models.CharField("lý do", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "số lượng đăng ký"
        verbose_name_plural = "số lượng đăng ký"
        ordering = ["register", "course"]
        constraints = [
            models.UniqueConstraint(fields=["register", "course"], name="needs_count_unique"),
            models.CheckConstraint(
                condition=models.Q(count__lte=MAX_COUNT), name="needs_count_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.course}: {self.count}"


class NeedsPerson(models.Model):
    """A named person a unit proposes for an đào tạo course, with the eligibility warnings of
    the rules in force for the round's year (stored as nominations store theirs)."""

    register = models.ForeignKey(UnitNeeds, on_delete=models.CASCADE, related_name="people")
    course = models.ForeignKey(Course, verbose_name="khóa", on_delete=models.PROTECT)
    person = models.ForeignKey(Person, verbose_name="cán bộ", on_delete=models.PROTECT)
    major = models.CharField("chuyên ngành mong muốn", max_length=255, blank=True)
    institution = models.CharField("cơ sở đào tạo mong muốn", max_length=255, blank=True)
    reason = models.CharField("lý do", max_length=500, blank=True)
    eligibility_flag = models.CharField(
        "kết quả kiểm tra điều kiện", max_length=20, choices=Flag.choices, default=Flag.NONE
    )
    eligibility_details = models.JSONField("chi tiết kiểm tra điều kiện", default=list, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cán bộ đăng ký"
        verbose_name_plural = "cán bộ đăng ký"
        ordering = ["register", "course", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "course", "person"], name="needs_person_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.course}"

    @property
    def eligibility_report(self):
        return EligibilityReport.from_details(self.eligibility_details)


class DraftBuild(models.Model):
    """One build of a year's draft plan from the accepted needs: what was proposed, so that the
    figures edited afterwards can be read beside what the needs asked for."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="draft_builds")
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    built_at = models.DateTimeField("lập lúc", auto_now_add=True)
    # [{"code", "name", "before", "needs", "after"}] per course of the rounds.
    figures = models.JSONField("số liệu đề xuất", default=list)

    class Meta:
        verbose_name = "lần lập dự thảo từ nhu cầu"
        verbose_name_plural = "lần lập dự thảo từ nhu cầu"
        ordering = ["-built_at", "-id"]

    def __str__(self):
        return f"Dự thảo năm {self.plan.year} ({self.built_at:%d/%m/%Y %H:%M})"


class DraftProposal(models.Model):
    """A named person of an accepted register, waiting on the draft plan; once the plan is
    issued it becomes a draft nomination (`needs.draft.proposals_to_nominations`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="proposals")
    course = models.ForeignKey(Course, verbose_name="khóa", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, verbose_name="cán bộ", on_delete=models.PROTECT)
    unit = models.ForeignKey(Organisation, verbose_name="đơn vị", on_delete=models.PROTECT)
    major = models.CharField("chuyên ngành mong muốn", max_length=255, blank=True)
    institution = models.CharField("cơ sở đào tạo mong muốn", max_length=255, blank=True)
    source = models.ForeignKey(
        NeedsPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    nomination = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal = models.CharField("lý do chưa lập hồ sơ", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cán bộ đề xuất"
        verbose_name_plural = "cán bộ đề xuất"
        ordering = ["plan", "course", "unit__sort_key", "person__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "course", "person"], name="draft_proposal_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.course}"
