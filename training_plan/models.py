"""Core models: organisations, legal documents, users, plans and people.

Programs, courses and classes live in `courses`, quotas and nominations in `quotas`, money in
`budget`. Every model that fixtures carry has a natural key so the 2021 plan loads on any database.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.urls import reverse
from simple_history.models import HistoricalRecords

from training_plan.text import (
    clean_text,
    identity_number_problem,
    name_case,
    name_sort_key,
    normalise_search,
    text_sort_key,
)


class Block(models.TextChoices):
    """The two budget blocks of section IV; every unit and every program belongs to one."""

    PARTY = "party", "Khối Đảng, Mặt trận, đoàn thể"
    STATE = "state", "Khối Nhà nước"


class CodeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DIRECTING = "directing", "Cơ quan chỉ đạo"
        IMPLEMENTING = "implementing", "Cơ quan tổ chức thực hiện"
        INSTITUTION = "institution", "Cơ sở đào tạo, bồi dưỡng"
        HIGHER_BODY = "higher_body", "Cơ quan cấp trên"
        ISSUER = "issuer", "Cơ quan ban hành văn bản"
        UNIT = "unit", "Đơn vị cử cán bộ"

    class Level(models.TextChoices):
        CENTRAL = "central", "Trung ương"
        REGIONAL = "regional", "Khu vực"
        PROVINCE = "province", "Tỉnh"
        DISTRICT = "district", "Huyện"
        COMMUNE = "commune", "Xã, phường, đặc khu"

    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    level = models.CharField("cấp", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="trực thuộc",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    block = models.CharField(
        "khối", max_length=10, choices=Block.choices, blank=True, help_text="Khối kinh phí"
    )
    is_collective = models.BooleanField(
        "nhóm cơ quan",
        default=False,
        help_text="Tên chỉ một nhóm cơ quan, ví dụ “các cơ sở đào tạo có liên quan”.",
    )

    # The life of a unit (SPEC §2 Organisations): blank = since always / still. A unit is alive
    # on a day when valid_from <= day <= valid_to; plans read the tree as of their own year.
    valid_from = models.DateField("hoạt động từ ngày", null=True, blank=True)
    valid_to = models.DateField("hoạt động đến ngày", null=True, blank=True)
    # What the public acts do not say (the names of the new commune committees, …) is entered as
    # an illustration and shown as incomplete until BTC completes it; never presented as fact.
    incomplete_note = models.TextField(
        "thông tin chưa đầy đủ",
        blank=True,
        help_text="Để trống khi thông tin đã đủ; nếu không, ghi rõ điều BTC cần bổ sung.",
    )

    # The one order of organisations in every list and choice: Vietnamese alphabetical order of
    # the name (set on every save, fixtures included: see `set_sort_key`).
    sort_key = models.CharField("khóa sắp xếp", max_length=600, editable=False, db_index=True)

    objects = CodeManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["kind", "sort_key", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="organisation_life_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    def alive_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def alive_in_year(self, year):
        return (self.valid_from is None or self.valid_from <= datetime.date(year, 12, 31)) and (
            self.valid_to is None or self.valid_to >= datetime.date(year, 1, 1)
        )

    @property
    def is_incomplete(self):
        return bool(self.incomplete_note)


class LegalDocumentManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class LegalDocument(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL_LETTER = "cong_van", "Công văn"
        NOTICE = "thong_bao", "Thông báo"
        DECISION = "quyet_dinh", "Quyết định"
        DECREE = "nghi_dinh", "Nghị định"
        GUIDANCE = "huong_dan", "Hướng dẫn"
        RESOLUTION = "nghi_quyet", "Nghị quyết"
        LAW = "luat", "Luật"

    number = models.CharField("số, ký hiệu", max_length=60, unique=True)
    kind = models.CharField("loại văn bản", max_length=20, choices=Kind.choices)
    date = models.DateField("ngày ban hành")
    issuer = models.ForeignKey(
        Organisation, verbose_name="cơ quan ban hành", on_delete=models.PROTECT
    )
    signer_title = models.CharField(
        "người ký", max_length=255, blank=True, help_text="Khi văn bản do một chức danh ký."
    )
    subject = models.TextField("trích yếu")

    objects = LegalDocumentManager()

    class Meta:
        verbose_name = "văn bản căn cứ"
        verbose_name_plural = "văn bản căn cứ"
        ordering = ["date", "number"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def natural_key(self):
        return (self.number,)

    natural_key.dependencies = ["training_plan.organisation"]

    @property
    def citation(self):
        """“Công văn 4741-CV/BTCTW ngày 20/5/2013 của Ban Tổ chức Trung ương”."""
        return (
            f"{self.get_kind_display()} {self.number} ngày {self.date:%d/%m/%Y} "
            f"của {self.signer_title or self.issuer.name}"
        )


class User(AbstractUser):
    """A user of one role; what each role may do is `training_plan.rules` (and each app's
    `rules.py`), read through `user.has_perm(...)`."""

    class Role(models.TextChoices):
        BTC = "btc", "Ban Tổ chức Tỉnh ủy"
        SNV = "snv", "Sở Nội vụ"
        UNIT = "unit", "Đơn vị"
        LEADERSHIP = "leadership", "Lãnh đạo"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="cơ quan, đơn vị",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit") | models.Q(organisation__isnull=False),
                name="unit_user_has_organisation",
            )
        ]


class PlanManager(models.Manager):
    def get_by_natural_key(self, province, year):
        return self.get(province=province, year=year)


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"
        CLOSED = "closed", "Đã kết thúc"

    province = models.CharField("tỉnh", max_length=100, default="Quảng Ngãi")
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên kế hoạch", max_length=255)
    number = models.CharField(
        "số, ký hiệu",
        max_length=60,
        blank=True,
        help_text="Ví dụ “Số 25-KH/TU”; để trống khi dự thảo.",
    )
    issuing_body = models.ForeignKey(
        Organisation,
        verbose_name="cơ quan ban hành",
        on_delete=models.PROTECT,
        related_name="issued_plans",
    )
    issuing_body_heading = models.CharField(
        "tên cơ quan ban hành trên văn bản", max_length=100, default="TỈNH ỦY QUẢNG NGÃI"
    )
    place = models.CharField("địa danh", max_length=100, default="Quảng Ngãi")
    issue_date = models.DateField("ngày ban hành", null=True, blank=True)
    # The units send their lists by this day; the daily round reminds those with free seats.
    nomination_deadline = models.DateField(
        "hạn gửi danh sách cử đi học",
        null=True,
        blank=True,
        help_text="Các đơn vị còn chỉ tiêu chưa cử được nhắc trước hạn này.",
    )
    preamble = models.TextField("lời mở đầu")
    purpose = models.TextField("mục đích")
    requirements = models.TextField("yêu cầu")
    budget_legal_basis = models.ForeignKey(
        LegalDocument,
        verbose_name="căn cứ kinh phí",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_basis_text = models.TextField("căn cứ kinh phí (nguyên văn)", blank=True)
    budget_appendix_note = models.CharField("ghi chú phụ lục", max_length=255, blank=True)
    closing_text = models.TextField("đoạn kết", blank=True)
    signer_on_behalf = models.CharField(
        "thẩm quyền ký", max_length=100, default="T/M BAN THƯỜNG VỤ"
    )
    signer_title = models.CharField("chức vụ người ký", max_length=100, default="PHÓ BÍ THƯ")
    signer_name = models.CharField("người ký", max_length=100)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = PlanManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="one_plan_per_province_year"),
            models.CheckConstraint(condition=models.Q(year__gte=2000), name="plan_year_sane"),
        ]

    def __str__(self):
        return f"{self.title} ({self.province})"

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.year])

    def natural_key(self):
        return (self.province, self.year)

    natural_key.dependencies = ["training_plan.organisation", "training_plan.legaldocument"]

    @property
    def is_structure_editable(self):
        return self.status == self.Status.DRAFT


class PlanPartManager(models.Manager):
    def get_by_natural_key(self, province, year, position):
        return self.get(plan__province=province, plan__year=year, position=position)


class Recipient(models.Model):
    """One line of “Nơi nhận”, in order."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveSmallIntegerField("thứ tự")
    text = models.CharField("nơi nhận", max_length=255)

    objects = PlanPartManager()

    class Meta:
        verbose_name = "nơi nhận"
        verbose_name_plural = "nơi nhận"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="recipient_position_unique")
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return self.plan.natural_key() + (self.position,)

    natural_key.dependencies = ["training_plan.plan"]


class Responsibility(models.Model):
    """Section V: what one body (or group of bodies) must do."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="responsibilities")
    position = models.PositiveSmallIntegerField("thứ tự")
    body = models.ForeignKey(Organisation, verbose_name="cơ quan", on_delete=models.PROTECT)
    heading = models.CharField("tiêu đề", max_length=255)
    intro = models.TextField("dẫn", blank=True)
    tasks = models.TextField("nhiệm vụ", help_text="Mỗi nhiệm vụ một dòng.")

    objects = PlanPartManager()

    class Meta:
        verbose_name = "trách nhiệm tổ chức thực hiện"
        verbose_name_plural = "trách nhiệm tổ chức thực hiện"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="responsibility_position_unique"
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.heading}"

    def natural_key(self):
        return self.plan.natural_key() + (self.position,)

    natural_key.dependencies = ["training_plan.plan", "training_plan.organisation"]

    @property
    def task_list(self):
        return [line for line in self.tasks.splitlines() if line.strip()]


class Section(models.Model):
    """Section II (Đào tạo) or III (Bồi dưỡng) of a plan."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Đào tạo"
        FOSTERING = "fostering", "Bồi dưỡng"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField("số mục", help_text="2 cho mục II, 3 cho mục III.")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    title = models.CharField("tiêu đề", max_length=255)

    objects = PlanPartManager()

    class Meta:
        verbose_name = "mục"
        verbose_name_plural = "mục"
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="section_position_unique")
        ]

    def __str__(self):
        return f"{self.roman}. {self.title}"

    def natural_key(self):
        return self.plan.natural_key() + (self.position,)

    natural_key.dependencies = ["training_plan.plan"]

    @property
    def roman(self):
        return ["", "I", "II", "III", "IV", "V", "VI"][self.position]


EARLIEST_DATE = datetime.date(1900, 1, 1)


# The code of the identity-number uniqueness error (the form leaves it to the service, which
# names the unit holding the record and offers a transfer).
IDENTITY_TAKEN = "identity_number_taken"


class Person(models.Model):
    """A cadre, civil servant or public employee kept by a unit (personal data)."""

    class Gender(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    class Category(models.TextChoices):
        CADRE = "can_bo", "Cán bộ"
        CIVIL_SERVANT = "cong_chuc", "Công chức"
        PUBLIC_EMPLOYEE = "vien_chuc", "Viên chức"

    class Rank(models.TextChoices):
        SENIOR_EXPERT = "chuyen_vien_cao_cap", "Chuyên viên cao cấp và tương đương"
        MAIN_EXPERT = "chuyen_vien_chinh", "Chuyên viên chính và tương đương"
        EXPERT = "chuyen_vien", "Chuyên viên và tương đương"
        OFFICER = "can_su", "Cán sự và tương đương"
        STAFF = "nhan_vien", "Nhân viên"
        TEACHER = "giao_vien", "Giáo viên (chức danh nghề nghiệp)"
        OTHER = "khac", "Khác"

    class ManagerLevel(models.TextChoices):
        NONE = "", "Không giữ chức vụ lãnh đạo, quản lý"
        DIVISION = "phong", "Lãnh đạo cấp phòng và tương đương"
        DISTRICT = "huyen", "Lãnh đạo cấp huyện"
        DEPARTMENT = "so", "Lãnh đạo cấp sở và tương đương"
        PROVINCE = "tinh", "Lãnh đạo cấp tỉnh"

    class TheoryLevel(models.TextChoices):
        NONE = "", "Chưa có"
        ELEMENTARY = "so_cap", "Sơ cấp"
        INTERMEDIATE = "trung_cap", "Trung cấp"
        ADVANCED = "cao_cap", "Cao cấp"
        BACHELOR = "cu_nhan", "Cử nhân"

    full_name = models.CharField("họ và tên", max_length=100)
    search_name = models.CharField("tên không dấu", max_length=100, editable=False, db_index=True)
    sort_key = models.CharField("khóa sắp xếp", max_length=200, editable=False, db_index=True)
    date_of_birth = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField("chức vụ", max_length=255, blank=True)
    manager_level = models.CharField(
        "cấp lãnh đạo, quản lý", max_length=10, choices=ManagerLevel.choices, blank=True
    )
    category = models.CharField("loại", max_length=20, choices=Category.choices)
    rank = models.CharField(
        "ngạch, chức danh nghề nghiệp", max_length=30, choices=Rank.choices, blank=True
    )
    theory_level = models.CharField(
        "trình độ lý luận chính trị", max_length=20, choices=TheoryLevel.choices, blank=True
    )
    professional_level = models.CharField("trình độ chuyên môn", max_length=255, blank=True)
    foreign_language_level = models.CharField("trình độ ngoại ngữ", max_length=100, blank=True)
    planned_positions = models.CharField("quy hoạch", max_length=255, blank=True)
    service_start_date = models.DateField("ngày vào công tác", null=True, blank=True)
    identity_number = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cán bộ, công chức, viên chức"
        verbose_name_plural = "cán bộ, công chức, viên chức"
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["organisation", "sort_key"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(identity_number="")
                | models.Q(identity_number__regex=r"^[0-9]{12}$"),
                name="person_identity_number_12_digits",
            ),
            # One person, one record: an identity number belongs to one person of the province.
            models.UniqueConstraint(
                fields=["identity_number"],
                condition=~models.Q(identity_number=""),
                name="person_identity_number_unique",
                violation_error_code=IDENTITY_TAKEN,
                violation_error_message="Số định danh cá nhân này đã có trong một hồ sơ khác.",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # Cleaned here as well as by `clean_text_fields`: the keys below are made from it.
        self.full_name = name_case(clean_text(self.full_name))
        self.search_name = normalise_search(self.full_name)
        self.sort_key = name_sort_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name", "sort_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.pk])

    def clean(self):
        # Dates a person can have: what the import accepts too (1900 to today).
        errors = {}
        for field, label in (
            ("date_of_birth", "Ngày sinh"),
            ("service_start_date", "Ngày vào công tác"),
        ):
            value = getattr(self, field)
            if value is not None and not EARLIEST_DATE <= value <= datetime.date.today():
                errors[field] = f"{label} phải từ 01/01/1900 đến hôm nay."
        problem = identity_number_problem(
            self.identity_number or "", date_of_birth=self.date_of_birth, gender=self.gender
        )
        if problem:
            errors["identity_number"] = problem
        if errors:
            raise ValidationError(errors)

    def age_in_year(self, year):
        """Age reached in the given calendar year, as plans count it."""
        return year - self.date_of_birth.year

    @property
    def masked_identity_number(self):
        if not self.identity_number:
            return ""
        return "•" * (len(self.identity_number) - 3) + self.identity_number[-3:]


class DownloadLog(models.Model):
    """One download of a file that contains personal data: who, when, which file, which filter.

    Required by the Law on Personal Data Protection (91/2025/QH15): every export of people's data
    is recorded. Rows are only ever added (the admin shows them read-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải",
        null=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    # Kept as text too, so the record survives the account's deletion.
    username = models.CharField("tài khoản", max_length=150)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    filename = models.CharField("tệp", max_length=255)
    filters = models.JSONField("tham số, bộ lọc", default=dict, blank=True)
    # Where from (the client's address, as login throttling reads it) and how many records of
    # people the file held.
    client_address = models.GenericIPAddressField("địa chỉ máy tải", null=True, blank=True)
    rows = models.PositiveIntegerField("số dòng dữ liệu cá nhân", null=True, blank=True)

    class Meta:
        verbose_name = "nhật ký tải xuống"
        verbose_name_plural = "nhật ký tải xuống"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.username} — {self.filename}"

    # The parameters as the log page reads them: {"plan": 2021, "scope": "all"} →
    # “Năm 2021; phạm vi: toàn tỉnh”.
    FILTER_LABELS = {
        "class": "lớp số",
        "job": "việc chạy nền số",
        "document": "văn bản số",
        "person": "hồ sơ cán bộ số",
        "commitment": "cam kết số",
    }

    @property
    def filters_text(self):
        parts = []
        for key, value in (self.filters or {}).items():
            if key == "plan":
                parts.append("Tất cả các năm" if value == "all" else f"Năm {value}")
            elif key == "scope":
                parts.append("phạm vi: " + self._scope_text(str(value), self.user))
            else:
                parts.append(f"{self.FILTER_LABELS.get(key, key)} {value}")
        return "; ".join(parts)

    @staticmethod
    def _scope_text(scope, user):
        if scope == "all":
            return "toàn tỉnh"
        if scope.startswith("unit:"):
            code = scope.removeprefix("unit:")
            # The scope is the downloader's unit (the page loads it with the user).
            unit = getattr(user, "organisation", None)
            return unit.name if unit is not None and unit.code == code else f"đơn vị {code}"
        return "không có dữ liệu đơn vị nào"


class RenderedDocument(models.Model):
    """A PDF as WeasyPrint rendered it, keyed by the SHA-256 of the HTML it was rendered from.

    The PDF depends only on that HTML (and the renderer), so a download of an unchanged document
    is served from here without rendering again; kept in the database so that every application
    server shares it. Bounded: `reports.documents` prunes it on every store."""

    key = models.CharField("khóa", max_length=64, unique=True)
    kind = models.CharField("mẫu tài liệu", max_length=100)
    content = models.BinaryField("nội dung")
    created_at = models.DateTimeField("thời điểm tạo", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "tài liệu đã kết xuất"
        verbose_name_plural = "tài liệu đã kết xuất"

    def __str__(self):
        return f"{self.kind} — {self.key[:12]}"


@receiver(pre_save, sender=Organisation)
def set_sort_key(sender, instance, **kwargs):
    # pre_save, not save(): loaddata saves raw and skips save() but still sends this signal.
    instance.sort_key = text_sort_key(instance.name)


PROJECT_APPS = {
    "training_plan",
    "courses",
    "quotas",
    "budget",
    "needs",
    "commitments",
    "evaluation",
    "reports",
    "versions",
}


@receiver(pre_save)
def clean_text_fields(sender, instance, raw=False, **kwargs):
    """Every text of the project's models is stored clean (`text.clean_text`), whoever saves it:
    a form, a service, the import, the admin. Fixtures (raw) are stored as given."""
    if raw or sender._meta.app_label not in PROJECT_APPS:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField) or field.name == "password":
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str):
            setattr(
                instance,
                field.attname,
                clean_text(value, multiline=isinstance(field, models.TextField)),
            )


class PersonTransfer(models.Model):
    """A request to move a person's record to another unit (one person, one record): made when a
    unit tries to create a person who already has a record elsewhere; the holding unit, BTC or
    SNV accepts it and the person moves with all their history."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xử lý"
        ACCEPTED = "accepted", "Đã chuyển"
        DECLINED = "declined", "Không đồng ý"

    person = models.ForeignKey(
        Person, verbose_name="cán bộ", on_delete=models.CASCADE, related_name="transfers"
    )
    from_unit = models.ForeignKey(
        Organisation, verbose_name="từ đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        Organisation, verbose_name="về đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="người đề nghị"
    )
    requested_at = models.DateTimeField("đề nghị lúc", auto_now_add=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("xử lý lúc", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đề nghị chuyển hồ sơ cán bộ"
        verbose_name_plural = "đề nghị chuyển hồ sơ cán bộ"
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "to_unit"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer_per_person_unit",
            )
        ]

    def __str__(self):
        return f"Chuyển {self.person} từ {self.from_unit} về {self.to_unit}"

    @property
    def unit_id(self):
        """The unit that decides: the one holding the record (`in_own_unit`)."""
        return self.from_unit_id


class ReorganisationEvent(models.Model):
    """A change of the tree on one day, on a legal basis: the predecessors end the day before,
    the successors begin on the day (SPEC §2 Organisations).

    Recording the event changes the tree every date-aware list reads; applying it
    (`reports.reorganisation.reorganisation_apply`, once, by BTC or an administrator) moves what
    belongs to the predecessors in plans after the date: people, open nominations, allocations,
    needs registers and, when chosen, user accounts.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", "Hợp nhất (nhiều đơn vị thành một)"
        SPLIT = "split", "Chia tách (một đơn vị thành nhiều)"
        RENAME = "rename", "Đổi tên"
        TRANSFER = "transfer", "Chuyển trực thuộc"
        DISSOLVE = "dissolve", "Giải thể, kết thúc hoạt động"

    kind = models.CharField("loại thay đổi", max_length=20, choices=Kind.choices)
    title = models.CharField("nội dung", max_length=255)
    effective_date = models.DateField("ngày có hiệu lực")
    basis = models.ForeignKey(
        LegalDocument,
        verbose_name="căn cứ",
        on_delete=models.PROTECT,
        related_name="reorganisation_events",
    )
    predecessors = models.ManyToManyField(
        Organisation,
        verbose_name="đơn vị trước sắp xếp",
        related_name="ended_by_events",
    )
    note = models.TextField("ghi chú", blank=True)
    incomplete_note = models.TextField(
        "thông tin chưa đầy đủ",
        blank=True,
        help_text="Điều các văn bản công khai chưa nêu, để BTC bổ sung.",
    )
    move_accounts = models.BooleanField(
        "chuyển tài khoản người dùng",
        default=False,
        help_text="Tài khoản của đơn vị cũ chuyển sang đơn vị kế thừa chính.",
    )
    applied_at = models.DateTimeField("áp dụng lúc", null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người áp dụng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    applied_summary = models.JSONField("kết quả áp dụng", default=dict, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "sự kiện sắp xếp tổ chức"
        verbose_name_plural = "sự kiện sắp xếp tổ chức"
        ordering = ["-effective_date", "id"]

    def __str__(self):
        return f"{self.title} ({self.effective_date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("reorganisation_detail", args=[self.pk])

    @property
    def day_before(self):
        return self.effective_date - datetime.timedelta(days=1)

    @property
    def is_applied(self):
        return self.applied_at is not None


class EventSuccessor(models.Model):
    """A unit that takes over from an event's predecessors, with the rule that assigns people
    to it when a unit is split (words of the person's position or workplace, e.g. the commune)."""

    event = models.ForeignKey(
        ReorganisationEvent, on_delete=models.CASCADE, related_name="successor_links"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="đơn vị kế thừa",
        on_delete=models.PROTECT,
        related_name="started_by_links",
    )
    is_main = models.BooleanField(
        "kế thừa chính",
        default=False,
        help_text="Nhận phân bổ chỉ tiêu, đăng ký nhu cầu và tài khoản của đơn vị cũ.",
    )
    match_words = models.CharField(
        "quy tắc nhận cán bộ",
        max_length=255,
        blank=True,
        help_text="Các từ, cách nhau bằng dấu phẩy: cán bộ có chức vụ chứa một từ này "
        "(không phân biệt dấu) chuyển về đơn vị này.",
    )

    class Meta:
        verbose_name = "đơn vị kế thừa"
        verbose_name_plural = "đơn vị kế thừa"
        ordering = ["event", "-is_main", "organisation__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="successor_once"),
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(is_main=True), name="one_main_successor"
            ),
        ]

    def __str__(self):
        return str(self.organisation)

    @property
    def words(self):
        return [w for w in (normalise_search(p).strip() for p in self.match_words.split(",")) if w]
