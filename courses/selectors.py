"""Scoped reads of classes and their learners; every class view goes through these."""

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.http import Http404

from courses.models import Course, TrainingClass
from quotas.models import Nomination
from training_plan.models import Block

# Nominations that sit in a class: enrolled, then completed or not.
LEARNER_STATUSES = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)

NOT_MANAGER_MESSAGE = (
    "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) hoặc Sở Nội vụ (khối Nhà nước) được thay đổi lớp này."
)


# Classes in the plan's order: section, program, course, then by start date.
CLASS_ORDER = [
    "course__program__section__position",
    "course__program__position",
    "course__position",
    "start_date",
    "code",
]


def class_estimate_expression():
    """The sum of a class's budget lines in whole đồng (0 without lines), as a subquery.

    Cast to bigint: PostgreSQL's SUM(bigint) is numeric, which would come back as a Decimal.
    """
    from budget.models import BudgetLine

    total = (
        BudgetLine.objects.filter(training_class=OuterRef("pk"))
        .order_by()
        .values("training_class")
        .annotate(total=Sum(BudgetLine.amount_expression()))
        .values("total")
    )
    return Cast(Coalesce(Subquery(total), Value(0)), BigIntegerField())


def class_learner_count_expression():
    learners = (
        Nomination.objects.filter(training_class=OuterRef("pk"), status__in=LEARNER_STATUSES)
        .order_by()
        .values("training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(learners), Value(0), output_field=IntegerField())


def classes_for_plan(plan):
    """Every class of a plan with its estimate and learner count (one query).

    Classes are not personal data: every role reads them; learners are scoped separately."""
    return (
        TrainingClass.objects.filter(course__program__section__plan=plan)
        .select_related("course__program__section", "institution")
        .annotate(
            estimate=class_estimate_expression(), learner_count=class_learner_count_expression()
        )
        .order_by(*CLASS_ORDER)
    )


def training_class_for_user(user, pk, *, write=False):
    """One class, or 404; with `write`, 403 unless the user manages the class's block
    (BTC the Party block, SNV the State block)."""
    training_class = (
        TrainingClass.objects.select_related("course__program__section__plan", "institution")
        .annotate(
            estimate=class_estimate_expression(), learner_count=class_learner_count_expression()
        )
        .filter(pk=pk)
        .first()
    )
    if training_class is None:
        raise Http404("Không tìm thấy lớp.")
    if write and not user.reviews_block(training_class.block):
        raise PermissionDenied(NOT_MANAGER_MESSAGE)
    return training_class


def manageable_courses(user, plan):
    """Courses of a plan for which the user may open classes."""
    courses = Course.objects.filter(program__section__plan=plan).select_related("program__section")
    if user.is_superuser:
        return courses
    blocks = [block for block in Block.values if user.reviews_block(block)]
    return courses.filter(program__block__in=blocks)


def class_learners(training_class, user):
    """Learners of a class the user may see, sorted the Vietnamese way (given name first).

    A unit sees only the learners it sent; BTC, SNV and leadership see all."""
    learners = (
        Nomination.objects.filter(training_class=training_class, status__in=LEARNER_STATUSES)
        .select_related("person", "unit")
        .order_by("person__sort_key", "pk")
    )
    if user.sees_all_units:
        return learners
    if user.organisation_id is None:
        return learners.none()
    return learners.filter(unit_id=user.organisation_id)


def enrolment_candidates(training_class):
    """Approved nominations of the class's course that sit in no class yet."""
    return (
        Nomination.objects.filter(
            course_id=training_class.course_id,
            status=Nomination.Status.APPROVED,
            training_class__isnull=True,
        )
        .select_related("person", "unit")
        .order_by("person__sort_key", "pk")
    )


def learner_status_counts(class_ids):
    """{class id: {status: count}} for the given class ids, in one grouped query."""
    counts = {}
    rows = (
        Nomination.objects.filter(training_class_id__in=list(class_ids))
        .order_by()
        .values_list("training_class", "status")
        .annotate(n=Count("pk"))
    )
    for class_id, status, n in rows:
        counts.setdefault(class_id, {})[status] = n
    return counts


def learner_counts(class_ids):
    """{class id: learners (enrolled, completed or not)} for the given class ids, in one grouped
    query on the nominations alone (classes without learners are left out)."""
    return dict(
        Nomination.objects.filter(
            training_class_id__in=list(class_ids), status__in=LEARNER_STATUSES
        )
        .order_by()
        .values_list("training_class")
        .annotate(n=Count("pk"))
    )


def plan_or_404(year):
    """The plan of a year (without its structure), or 404."""
    from training_plan.models import Plan

    plan = Plan.objects.filter(year=year).first()
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    return plan


def latest_plan():
    from training_plan.models import Plan

    return Plan.objects.order_by("-year").first()


def plan_exists(province, year):
    from training_plan.models import Plan

    return Plan.objects.filter(province=province, year=year).exists()
