"""The plan's life cycle: issue a checked draft, copy a plan to the next year."""

import dataclasses
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from inbox.models import Notice
from inbox.services import notify, subject_key
from needs.draft import proposals_to_nominations
from training_plan.models import Block, Plan, User
from training_plan.rules import accounts_managing_block, check_perm, leadership_accounts


class PlanCheckFailed(ValidationError):
    """Issuing refused: the plan check found inconsistencies (kept in `issues`)."""

    def __init__(self, issues):
        self.issues = issues
        super().__init__(
            f"Không ban hành được: kế hoạch còn {len(issues)} lỗi cần sửa trước khi ban hành."
        )


def plan_issue(*, plan: Plan, number: str, issue_date: datetime.date, actor) -> Plan:
    """Issue a draft plan with its number and date; refused while the plan check finds errors."""
    from reports.plan_check import check_plan

    check_perm(actor, "reports.issue_plan", plan)
    number = (number or "").strip()
    errors = {}
    if not number:
        errors["number"] = "Cần nhập số, ký hiệu của kế hoạch."
    if issue_date is None:
        errors["issue_date"] = "Cần nhập ngày ban hành."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Plan.objects.select_for_update().get(pk=plan.pk)
        if current.status != Plan.Status.DRAFT:
            raise ValidationError(
                f"Kế hoạch đang ở trạng thái “{current.get_status_display()}”; "
                "chỉ dự thảo mới ban hành được."
            )
        current.number = number
        current.issue_date = issue_date
        issues = check_plan(current)
        if issues:
            raise PlanCheckFailed(issues)
        current.status = Plan.Status.ISSUED
        current.save(update_fields=["number", "issue_date", "status"])
        _tell_issued(current, actor)
        proposals_to_nominations(plan=current, actor=actor)  # needs round's named people
    return current


def _tell_issued(plan, actor):
    """Leadership, BTC and SNV are told that the plan is issued (not the one who issued it)."""
    accounts = User.objects.filter(
        Q(pk__in=leadership_accounts())
        | Q(pk__in=accounts_managing_block(Block.PARTY))
        | Q(pk__in=accounts_managing_block(Block.STATE))
    ).exclude(pk=actor.pk)
    return notify(
        accounts,
        kind=Notice.Kind.PLAN_ISSUED,
        title=f"Kế hoạch năm {plan.year} đã ban hành",
        detail=f"Số {plan.number}, ngày {plan.issue_date:%d/%m/%Y}: {plan.title}",
        url=plan.get_absolute_url(),
        subject=subject_key(plan),
    )


def plan_set_nomination_deadline(*, plan: Plan, actor, deadline: datetime.date | None) -> Plan:
    """The day by which units send their lists (None: no deadline); also after issuing."""
    check_perm(actor, "reports.set_nomination_deadline", plan)
    if plan.status == Plan.Status.CLOSED:
        raise ValidationError(f"Kế hoạch năm {plan.year} đã kết thúc, không đặt hạn.")
    if deadline is not None and not plan.year - 1 <= deadline.year <= plan.year + 1:
        raise ValidationError(
            f"Hạn gửi danh sách của kế hoạch năm {plan.year} phải trong các năm "
            f"{plan.year - 1}–{plan.year + 1}."
        )
    plan.nomination_deadline = deadline
    plan._history_user = actor
    plan.save(update_fields=["nomination_deadline"])
    return plan


YEAR_IN_TEXT = r"(?<!\w)((?:năm|Năm|NĂM)\s+){year}(?![\w/]|[.-]\d)"


def replace_plan_year(text: str, old_year: int, new_year: int) -> str:
    """“… năm 2021” → “… năm 2022” where the words name the plan year; other numbers (dates,
    document numbers such as 04/2019/NQ-HĐND) stay."""
    if not text:
        return text
    return re.sub(YEAR_IN_TEXT.format(year=old_year), rf"\g<1>{new_year}", text)


PLAN_TEXT_FIELDS = (
    "title",
    "preamble",
    "purpose",
    "requirements",
    "budget_basis_text",
    "budget_appendix_note",
    "closing_text",
)


@dataclasses.dataclass
class CopyUnitChange:
    """What the copy does with a unit of the source plan that is not alive in the new year: with
    exactly one successor the copy carries it to the successor (`successor`); otherwise it is
    not copied (or left blank) and listed for BTC to decide among `candidates`."""

    what: str  # the record of the plan naming the unit (“Trách nhiệm: …”)
    unit: object  # the ended Organisation
    successor: object = None  # the one successor the copy uses, or None
    candidates: list = dataclasses.field(default_factory=list)  # for BTC to decide

    @property
    def to_decide(self):
        return self.successor is None

    def __str__(self):
        if self.successor is not None:
            return f"{self.what}: {self.unit.name} → {self.successor.name}"
        if self.candidates:
            names = ", ".join(org.name for org in self.candidates)
            return f"{self.what}: {self.unit.name} đã kết thúc; BTC chọn trong: {names}"
        return f"{self.what}: {self.unit.name} đã kết thúc, chưa có đơn vị kế thừa; BTC quyết định"


class _UnitsOfYear:
    """The source plan's units as the new year reads them: alive, or replaced by their one
    successor, or to decide (SPEC §2 Organisations: dissolved units are not copied)."""

    def __init__(self, year):
        from training_plan.selectors import successors_by_unit

        self.year = year
        self.successors = successors_by_unit(datetime.date(year, 1, 1))
        self.changes = []

    def resolve(self, org, what):
        """The unit the copy names for `org` (itself, its successor) or None (not copied)."""
        if org is None or org.alive_in_year(self.year):
            return org
        candidates = list(dict.fromkeys(self.successors.get(org.pk, [])))
        successor = candidates[0] if len(candidates) == 1 else None
        self.changes.append(CopyUnitChange(what, org, successor, candidates))
        return successor


def plan_copy_unit_changes(plan: Plan, year: int) -> list[CopyUnitChange]:
    """What copying `plan` to `year` does with its units that are not alive in `year` (the page
    shows it before the copy). A fixed number of queries."""
    from courses.models import Program, ProgramInstitution
    from quotas.models import QuotaLine
    from training_plan.models import Responsibility

    units = _UnitsOfYear(year)
    units.resolve(plan.issuing_body, "Cơ quan ban hành")
    for responsibility in Responsibility.objects.filter(plan=plan).select_related("body"):
        units.resolve(responsibility.body, f"Trách nhiệm “{responsibility.heading}”")
    for program in Program.objects.filter(section__plan=plan).select_related(
        "directing_body", "implementing_body"
    ):
        units.resolve(program.directing_body, f"Cơ quan chỉ đạo của “{program.name}”")
        units.resolve(program.implementing_body, f"Cơ quan tổ chức thực hiện của “{program.name}”")
    for link in ProgramInstitution.objects.filter(program__section__plan=plan).select_related(
        "institution", "program"
    ):
        units.resolve(link.institution, f"Đơn vị đào tạo của “{link.program.name}”")
    for line in QuotaLine.objects.filter(course__program__section__plan=plan).select_related(
        "institution", "course"
    ):
        units.resolve(line.institution, f"Dòng chỉ tiêu của “{line.course.name}”")
    return units.changes


def plan_copy_to_year(*, plan: Plan, actor, year: int | None = None) -> Plan:
    """A new draft plan for the next year with the same structure, without people,
    nominations, allocations, classes or money spent; “năm 2021” in texts becomes the new year.

    Units not alive in the new year are not copied: a responsibility, program body, institution
    or quota line of a dissolved unit goes to its successor when there is exactly one, and is
    otherwise left out (a program's body left blank) and listed for BTC to decide; the list is
    `new_plan.unit_changes` (`CopyUnitChange`)."""
    from budget.models import BudgetBlock, CostNorm
    from courses.models import Course, EligibilityRule, Program, ProgramInstitution
    from quotas.models import QuotaLine
    from training_plan.models import Recipient, Responsibility, Section

    check_perm(actor, "reports.copy_plan", plan)
    year = year or plan.year + 1
    if year <= plan.year:
        raise ValidationError("Năm của kế hoạch mới phải sau năm của kế hoạch gốc.")

    def text(value):
        return replace_plan_year(value, plan.year, year)

    def copy(instance, **changes):
        instance.pk = instance.id = None
        instance._state.adding = True
        # Prefetched relations belong to the source object; keeping them would make the copy's
        # related managers (legal documents) answer with the source's rows.
        instance._prefetched_objects_cache = {}
        for field, value in changes.items():
            setattr(instance, field, value)
        instance.save()
        return instance

    with transaction.atomic():
        if Plan.objects.filter(province=plan.province, year=year).exists():
            raise ValidationError(
                f"Đã có kế hoạch năm {year} của tỉnh {plan.province}; không sao chép đè lên."
            )
        source = Plan.objects.select_related("issuing_body").get(pk=plan.pk)
        units = _UnitsOfYear(year)
        issuing_body = units.resolve(source.issuing_body, "Cơ quan ban hành")
        new_plan = copy(
            source,
            year=year,
            issuing_body=issuing_body or source.issuing_body,
            number="",
            issue_date=None,
            status=Plan.Status.DRAFT,
            **{field: text(getattr(source, field)) for field in PLAN_TEXT_FIELDS},
        )
        for recipient in Recipient.objects.filter(plan=plan).order_by("position"):
            copy(recipient, plan=new_plan, text=text(recipient.text))
        for responsibility in (
            Responsibility.objects.filter(plan=plan).select_related("body").order_by("position")
        ):
            body = units.resolve(responsibility.body, f"Trách nhiệm “{responsibility.heading}”")
            if body is None:
                continue
            copy(
                responsibility,
                body=body,
                plan=new_plan,
                heading=text(responsibility.heading),
                intro=text(responsibility.intro),
                tasks=text(responsibility.tasks),
            )
        for block in BudgetBlock.objects.filter(plan=plan).order_by("position"):
            copy(block, plan=new_plan)
        for norm in CostNorm.objects.filter(plan=plan).order_by("code"):
            copy(norm, plan=new_plan)

        sections = {}
        for section in Section.objects.filter(plan=plan).order_by("position"):
            old_pk = section.pk
            sections[old_pk] = copy(section, plan=new_plan, title=text(section.title))
        programs = {}
        for program in (
            Program.objects.filter(section__plan=plan)
            .select_related("directing_body", "implementing_body")
            .prefetch_related("legal_documents")
            .order_by("section__position", "position")
        ):
            old_pk, documents = program.pk, list(program.legal_documents.all())
            new_program = copy(
                program,
                section=sections[program.section_id],
                directing_body=units.resolve(
                    program.directing_body, f"Cơ quan chỉ đạo của “{program.name}”"
                ),
                implementing_body=units.resolve(
                    program.implementing_body,
                    f"Cơ quan tổ chức thực hiện của “{program.name}”",
                ),
                name=text(program.name),
                target_group=text(program.target_group),
                conditions=text(program.conditions),
                period=text(program.period),
            )
            new_program.legal_documents.set(documents)
            programs[old_pk] = new_program
        for link in ProgramInstitution.objects.filter(program__section__plan=plan).select_related(
            "institution", "program"
        ):
            institution = units.resolve(
                link.institution, f"Đơn vị đào tạo của “{link.program.name}”"
            )
            if institution is not None:
                copy(link, program=programs[link.program_id], institution=institution)
        courses = {}
        for course in Course.objects.filter(program__section__plan=plan):
            old_pk = course.pk
            courses[old_pk] = copy(
                course,
                program=programs[course.program_id],
                name=text(course.name),
                target_group=text(course.target_group),
            )
        for line in QuotaLine.objects.filter(course__program__section__plan=plan).select_related(
            "institution", "course"
        ):
            institution = units.resolve(line.institution, f"Dòng chỉ tiêu của “{line.course.name}”")
            if institution is not None:
                copy(line, course=courses[line.course_id], institution=institution)
        for rule in EligibilityRule.objects.filter(course__program__section__plan=plan):
            copy(rule, course=courses[rule.course_id])
    new_plan.unit_changes = units.changes
    return new_plan
