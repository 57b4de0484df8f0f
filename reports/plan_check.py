"""The plan check: every inconsistency of a plan, each with a Vietnamese message and a link to
the page (or the Django admin form) where it is fixed. Issuing a plan is refused while any is
open. A bounded number of queries whatever the size of the plan.

What is checked:
- quota lines of a course not summing to the course's quantity, and of a program to the
  program's quantity; quantified courses not summing to their program's quantity;
- allocations to units exceeding their quota line;
- the classes of a budget block (not cancelled) not summing to the block's planned total;
- the plan total: it is not stored but derived as the sum of the budget blocks (section IV
  prints it from them), so it cannot disagree with them; what can go wrong is a block that
  programs use but that has no budget block (its money would be missing from the total);
- a program without directing body, implementing body or training institution;
- a legal document cited by the plan (program conditions, the budget basis, cost norms,
  eligibility rules that apply in the plan year) dated after the plan's year, or after the
  plan's issue date when it has one;
- a class (not cancelled) that starts outside the plan year (classes may end the year after);
- the planned learners of a program's classes (not cancelled) over the program's quantity, or of
  a course's classes over the course's: the appendix would print more learners than the plan.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from training_plan.text import format_money, format_number


@dataclass(frozen=True)
class PlanIssue:
    kind: str
    message: str
    url: str
    link_text: str = "Sửa"


def _admin_change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _date(value):
    return f"{value:%d/%m/%Y}"


def _quota_issues(plan):
    from courses.models import Course, Program
    from quotas.models import QuotaLine

    issues = []
    line_sums = {
        row["course"]: row
        for row in QuotaLine.objects.filter(course__program__section__plan=plan)
        .order_by()
        .values("course")
        .annotate(total=Sum("planned_count"), lines=Count("pk"))
    }
    courses = list(
        Course.objects.filter(program__section__plan=plan)
        .select_related("program__section")
        .order_by("program__section__position", "program__position", "position")
    )
    by_program = {}
    for course in courses:
        by_program.setdefault(course.program_id, []).append(course)
        lines = line_sums.get(course.pk)
        if course.quantity is not None and lines and lines["total"] is not None:
            if lines["total"] != course.quantity:
                issues.append(
                    PlanIssue(
                        "quota_course",
                        f"Mục {course.program.number}, khóa “{course.name}”: các dòng chỉ tiêu "
                        f"cộng lại {lines['total']}, khác số lượng của khóa là {course.quantity}.",
                        _admin_change(course),
                    )
                )
    programs = Program.objects.filter(section__plan=plan, quantity__isnull=False).select_related(
        "section"
    )
    for program in programs:
        program_courses = by_program.get(program.pk, [])
        totals = [
            line_sums[c.pk]["total"]
            for c in program_courses
            if c.pk in line_sums and line_sums[c.pk]["total"] is not None
        ]
        if totals and sum(totals) != program.quantity:
            issues.append(
                PlanIssue(
                    "quota_program",
                    f"Mục {program.number} “{program.name}”: các dòng chỉ tiêu cộng lại "
                    f"{sum(totals)}, khác số lượng của chương trình là {program.quantity}.",
                    _admin_change(program),
                )
            )
        quantities = [c.quantity for c in program_courses]
        if quantities and None not in quantities and sum(quantities) != program.quantity:
            issues.append(
                PlanIssue(
                    "course_quantities",
                    f"Mục {program.number} “{program.name}”: số lượng các khóa cộng lại "
                    f"{sum(quantities)}, khác số lượng của chương trình là {program.quantity}.",
                    _admin_change(program),
                )
            )
    return issues


def _allocation_issues(plan):
    from quotas.models import QuotaLine

    issues = []
    over = (
        QuotaLine.objects.filter(course__program__section__plan=plan, planned_count__isnull=False)
        .select_related("course__program__section", "institution")
        .annotate(allocated=Sum("allocations__count"))
        .filter(allocated__gt=F("planned_count"))
        .order_by("course__program__section__position", "course__program__position", "pk")
    )
    for line in over:
        issues.append(
            PlanIssue(
                "allocation_over",
                f"Mục {line.course.program.number}, dòng chỉ tiêu “{line.description or line}”: "
                f"đã phân bổ {line.allocated} chỉ tiêu, vượt {line.planned_count} của dòng.",
                reverse("admin:quotas_allocation_changelist") + f"?quota_line__id__exact={line.pk}",
            )
        )
    return issues


def _budget_issues(plan):
    from budget.selectors import appendix_for_plan
    from courses.models import Program
    from training_plan.models import Block

    issues = []
    budget_url = reverse("budget_overview", args=[plan.year])
    appendix = appendix_for_plan(plan)
    for group in appendix.groups:
        if group.difference:
            direction = "vượt" if group.difference > 0 else "thiếu"
            issues.append(
                PlanIssue(
                    "budget_block",
                    f"{group.label}: dự toán các lớp cộng lại {format_money(group.subtotal)}, "
                    f"{direction} {format_money(abs(group.difference))} so với kinh phí dự kiến "
                    f"{format_money(group.planned_total)}.",
                    budget_url,
                )
            )
    used_blocks = set(
        Program.objects.filter(section__plan=plan).values_list("block", flat=True).distinct()
    )
    planned_blocks = {g.block for g in appendix.groups if g.planned_total is not None}
    for block in sorted(used_blocks - planned_blocks):
        issues.append(
            PlanIssue(
                "budget_block_missing",
                f"{Block(block).label} có chương trình nhưng chưa có kinh phí dự kiến của khối, "
                "nên tổng kinh phí của kế hoạch thiếu khối này.",
                reverse("admin:budget_budgetblock_add"),
            )
        )
    return issues


def _program_issues(plan):
    from courses.models import Program

    issues = []
    programs = (
        Program.objects.filter(section__plan=plan)
        .select_related("section")
        .annotate(institution_count=Count("institution_links"))
        .order_by("section__position", "position")
    )
    for program in programs:
        missing = []
        if program.directing_body_id is None:
            missing.append("cơ quan chỉ đạo thực hiện")
        if program.implementing_body_id is None:
            missing.append("cơ quan tổ chức thực hiện")
        if not program.institution_count:
            missing.append("đơn vị đào tạo, bồi dưỡng")
        if missing:
            issues.append(
                PlanIssue(
                    "program_bodies",
                    f"Mục {program.number} “{program.name}” chưa có {', '.join(missing)}.",
                    _admin_change(program),
                )
            )
    return issues


def _legal_document_issues(plan):
    from budget.models import CostNorm
    from courses.models import EligibilityRule, Program
    from training_plan.models import LegalDocument

    year_end = datetime.date(plan.year, 12, 31)
    limit = min(plan.issue_date, year_end) if plan.issue_date else year_end
    after = (
        f"sau ngày ban hành kế hoạch ({_date(plan.issue_date)})"
        if plan.issue_date and plan.issue_date < year_end
        else f"sau năm kế hoạch {plan.year}"
    )
    issues = []

    def add(document, where, url):
        issues.append(
            PlanIssue(
                "legal_document_date",
                f"{where} viện dẫn {document.get_kind_display()} {document.number} "
                f"ngày {_date(document.date)}, {after}.",
                url,
            )
        )

    if plan.budget_legal_basis_id:
        document = LegalDocument.objects.filter(
            pk=plan.budget_legal_basis_id, date__gt=limit
        ).first()
        if document:
            add(document, "Căn cứ kinh phí của kế hoạch", _admin_change(plan))
    cited = Program.legal_documents.through.objects.filter(
        program__section__plan=plan, legaldocument__date__gt=limit
    ).select_related("program__section", "legaldocument")
    for link in cited.order_by("program__section__position", "program__position"):
        add(link.legaldocument, f"Mục {link.program.number}", _admin_change(link.program))
    for norm in CostNorm.objects.filter(plan=plan, legal_document__date__gt=limit).select_related(
        "legal_document"
    ):
        add(
            norm.legal_document,
            f"Định mức “{norm.item}”",
            reverse("cost_norm_edit", args=[norm.pk]),
        )
    year_start = datetime.date(plan.year, 1, 1)
    rules = (
        EligibilityRule.objects.filter(
            course__program__section__plan=plan, legal_document__date__gt=limit
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=year_end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year_start))
        .select_related("legal_document", "course")
    )
    for rule in rules:
        add(
            rule.legal_document,
            f"Điều kiện “{rule.description}” của khóa “{rule.course.name}”",
            _admin_change(rule),
        )
    return issues


def _class_issues(plan):
    from courses.models import TrainingClass

    issues = []
    classes = (
        TrainingClass.objects.filter(course__program__section__plan=plan)
        .exclude(status=TrainingClass.Status.CANCELLED)
        .exclude(start_date__year=plan.year)
        .select_related("course")
        .order_by("start_date", "pk")
    )
    for training_class in classes:
        issues.append(
            PlanIssue(
                "class_year",
                f"Lớp “{training_class.name}” ({training_class.course.name}) khai giảng ngày "
                f"{_date(training_class.start_date)}, ngoài năm kế hoạch {plan.year}.",
                reverse("class_edit", args=[training_class.pk]),
            )
        )
    return issues


def _class_learner_issues(plan):
    """Programs and courses whose classes plan more learners than the plan's figure. Two
    queries: the planned learners summed per course, and the courses with their programs."""
    from courses.models import Course, TrainingClass

    planned = dict(
        TrainingClass.objects.filter(course__program__section__plan=plan)
        .exclude(status=TrainingClass.Status.CANCELLED)
        .order_by()
        .values("course")
        .annotate(total=Sum("planned_learners"))
        .values_list("course", "total")
    )
    courses = (
        Course.objects.filter(program__section__plan=plan)
        .select_related("program__section")
        .order_by("program__section__position", "program__position", "position")
    )
    issues, programs = [], {}
    for course in courses:
        learners = planned.get(course.pk) or 0
        program = course.program
        entry = programs.setdefault(program.pk, [program, 0])
        entry[1] += learners
        if course.quantity is not None and learners > course.quantity:
            issues.append(
                PlanIssue(
                    "class_learners",
                    f"Mục {program.number}, khóa “{course.name}”: các lớp dự kiến "
                    f"{format_number(learners)} học viên, vượt số lượng của khóa là "
                    f"{format_number(course.quantity)}.",
                    reverse("class_list", args=[plan.year]) + f"?block={program.block}",
                )
            )
    for program, learners in programs.values():
        if program.quantity is not None and learners > program.quantity:
            issues.append(
                PlanIssue(
                    "class_learners",
                    f"Mục {program.number} “{program.name}”: các lớp dự kiến "
                    f"{format_number(learners)} học viên, vượt số lượng của chương trình là "
                    f"{format_number(program.quantity)}.",
                    reverse("class_list", args=[plan.year]) + f"?block={program.block}",
                )
            )
    return issues


def check_plan(plan) -> list[PlanIssue]:
    """Every inconsistency of the plan, in the order of the plan; empty when it is consistent."""
    return [
        *_quota_issues(plan),
        *_allocation_issues(plan),
        *_budget_issues(plan),
        *_program_issues(plan),
        *_legal_document_issues(plan),
        *_class_issues(plan),
        *_class_learner_issues(plan),
    ]
