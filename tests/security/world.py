"""One small world of objects for the security matrices: the 2021 plan, the personas, and one
object of every kind owned by unit A (Huyện ủy Bình Sơn), built with tests/factories.py.

`URL_TABLE` below says, for every URL of the application that takes arguments, how to fill the
arguments from the world and what each role must get. Tests in this folder walk the URL
resolver and fail when a URL appears that the table does not know: a new screen cannot escape
the CSRF test or the 404 matrix. Extend the table when you add a URL.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from courses.models import Course, EligibilityRule, Program
from quotas.models import Nomination, NominationTransition, QuotaLine
from tests import factories
from training_plan.models import DownloadLog, Organisation, User

ROLES = ["btc", "snv", "leadership", "unit_a", "unit_b", "anonymous"]
PERSONA_FIXTURES = {
    "btc": "btc_user",
    "snv": "snv_user",
    "leadership": "leader_user",
    "unit_a": "unit_a_user",
    "unit_b": "unit_b_user",
}


def expect(btc, snv, leadership, unit_a, unit_b, anonymous=302):
    return dict(
        btc=btc, snv=snv, leadership=leadership, unit_a=unit_a, unit_b=unit_b, anonymous=anonymous
    )


# Expected statuses of the usual kinds of page (anonymous visitors go to the login page).
READ_ALL = expect(200, 200, 200, 200, 200)  # plan data: every role reads it
UNIT_A_OBJECT = expect(200, 200, 200, 200, 404)  # unit A's object: unit B must get 404
UNIT_A_WRITE = expect(200, 200, 403, 200, 404)  # a form on unit A's object
STAFF_WRITE = expect(200, 200, 403, 403, 403)  # BTC/SNV-only form
PERSON_READ = expect(200, 200, 403, 200, 404)  # personal data: not for leadership
# A POST of an empty form by the Party block's reviewer is refused with a message and a
# redirect back; every other role is refused outright.
PARTY_REVIEWER_POST = expect(302, 403, 403, 403, 403)
# The world's class is of a State-block course: SNV runs it, BTC reads it.
STATE_CLASS_WRITE = expect(403, 200, 403, 403, 403)
STATE_CLASS_POST = expect(403, 302, 403, 403, 403)
STAFF_POST = expect(302, 302, 403, 403, 403)
REVIEW_READ = expect(200, 200, 200, 403, 403)  # figures of a whole block or plan
BTC_ONLY = expect(200, 403, 403, 403, 403)
DOWNLOAD = expect(200, 200, 200, 403, 403)  # documents of the whole plan


@dataclass
class Row:
    """One URL of the matrix: how to fill its arguments, and what each role gets on GET."""

    name: str
    kwargs: object  # callable(world) -> dict of URL kwargs
    expected: dict = field(default_factory=lambda: dict(READ_ALL))
    method: str = "get"


# Every non-admin URL with arguments. The people, nomination, class and budget screens add
# their rows here (e.g. Row("person_detail", lambda w: {"pk": w.person_a.pk}, UNIT_A_OBJECT)).
URL_TABLE = [
    Row("plan_detail", lambda w: {"year": w.plan.year}, READ_ALL),
    Row("program_detail", lambda w: {"year": w.plan.year, "pk": w.program.pk}, READ_ALL),
    Row("course_detail", lambda w: {"year": w.plan.year, "pk": w.course.pk}, READ_ALL),
    # People: personal data, for BTC, SNV and the person's own unit only.
    Row("person_detail", lambda w: {"pk": w.person_a.pk}, PERSON_READ),
    Row("person_edit", lambda w: {"pk": w.person_a.pk}, UNIT_A_WRITE),
    # Allocation: everyone reads (a unit only its own rows); the block's reviewer writes.
    Row("allocation_overview", lambda w: {"year": w.plan.year}, READ_ALL),
    Row(
        "allocation_course",
        lambda w: {"year": w.plan.year, "pk": w.quota_line.course_id},
        READ_ALL,
    ),
    Row(
        "allocation_set",
        lambda w: {"year": w.plan.year, "pk": w.quota_line.pk},
        PARTY_REVIEWER_POST,
        method="post",
    ),
    Row(
        "allocation_move",
        lambda w: {"year": w.plan.year, "pk": w.quota_line.pk},
        PARTY_REVIEWER_POST,
        method="post",
    ),
    # Classes, budget and the plan life cycle.
    Row("class_list", lambda w: {"year": w.plan.year}, READ_ALL),
    Row("class_create", lambda w: {"year": w.plan.year}, STAFF_WRITE),
    Row("class_detail", lambda w: {"pk": w.training_class.pk}, READ_ALL),
    Row("class_edit", lambda w: {"pk": w.training_class.pk}, STATE_CLASS_WRITE),
    Row("class_enrol", lambda w: {"pk": w.training_class.pk}, STATE_CLASS_POST, method="post"),
    Row(
        "class_unenrol",
        lambda w: {"pk": w.training_class.pk, "nomination_pk": w.nomination_b.pk},
        STATE_CLASS_POST,  # a learner not in the class: refused with a message
        method="post",
    ),
    # Results are entered on the class page: a GET is sent back there.
    Row("class_results", lambda w: {"pk": w.training_class.pk}, STATE_CLASS_POST),
    Row("class_cancel", lambda w: {"pk": w.training_class.pk}, STATE_CLASS_WRITE),
    Row("budget_overview", lambda w: {"year": w.plan.year}, READ_ALL),
    Row("budget_appendix", lambda w: {"year": w.plan.year}, READ_ALL),
    Row("block_review", lambda w: {"year": w.plan.year, "block": "state"}, REVIEW_READ),
    Row("cost_norm_list", lambda w: {"year": w.plan.year}, READ_ALL),
    Row("cost_norm_edit", lambda w: {"pk": w.cost_norm.pk}, STAFF_WRITE),
    Row("cost_norm_delete", lambda w: {"pk": w.cost_norm.pk}, STAFF_POST, method="post"),
    Row("budget_line_create", lambda w: {"pk": w.training_class.pk}, STATE_CLASS_WRITE),
    Row("budget_line_edit", lambda w: {"pk": w.budget_line.pk}, STATE_CLASS_WRITE),
    Row("budget_line_delete", lambda w: {"pk": w.budget_line.pk}, STATE_CLASS_POST, method="post"),
    Row("plan_check", lambda w: {"year": w.plan.year}, REVIEW_READ),
    Row("plan_issue", lambda w: {"year": w.plan.year}, BTC_ONLY),
    Row("plan_copy", lambda w: {"year": w.plan.year}, BTC_ONLY),
    # Documents and downloads: whole-plan files for BTC, SNV, leadership; a unit only lists of
    # its own people.
    Row("plan_document_pdf", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("plan_appendix_pdf", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("plan_document_docx", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("plan_workbook_xlsx", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("plan_nominations_xlsx", lambda w: {"year": w.plan.year}, READ_ALL),
    Row("plan_results", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("plan_results_pdf", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("plan_results_xlsx", lambda w: {"year": w.plan.year}, DOWNLOAD),
    Row("class_learners_pdf", lambda w: {"pk": w.training_class.pk}, READ_ALL),
    Row("class_learners_xlsx", lambda w: {"pk": w.training_class.pk}, READ_ALL),
    # Nominations: unit A's submitted nomination on a Party-block line.
    Row("nomination_detail", lambda w: {"pk": w.nomination_a.pk}, UNIT_A_OBJECT),
    # A submitted nomination is no longer editable: sent back to its page with a message.
    Row("nomination_edit", lambda w: {"pk": w.nomination_a.pk}, expect(302, 302, 403, 302, 404)),
    # Only the Party block's reviewer may verify; others are sent back with the reason.
    Row(
        "nomination_action",
        lambda w: {"pk": w.nomination_a.pk, "action": "verify"},
        expect(200, 302, 403, 302, 404),
    ),
]
URL_ROWS = {row.name: row for row in URL_TABLE}


def build_world(plan):
    """Objects of every kind; unit A owns the person, nomination and allocation."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    unit_a = Organisation.objects.get(code="huyen-uy-binh-son")
    unit_b = Organisation.objects.get(code="huyen-uy-son-tinh")
    program = Program.objects.get(section__plan=plan, section__position=3, position=3)
    course = Course.objects.get(program=program, position=7)
    quota_line = QuotaLine.objects.filter(course__program__section__plan=plan).first()
    person_a = factories.PersonFactory(full_name="Lê Thị Bình", organisation=unit_a)
    person_b = factories.PersonFactory(full_name="Phạm Văn Tịnh", organisation=unit_b)
    allocation_a = factories.AllocationFactory(quota_line=quota_line, unit=unit_a, count=2)
    training_class = factories.TrainingClassFactory(
        course=course, institution=quota_line.institution
    )
    nomination_a = factories.NominationFactory(
        person=person_a,
        unit=unit_a,
        course=quota_line.course,
        quota_line=quota_line,
        status=Nomination.Status.SUBMITTED,
    )
    transition = NominationTransition.objects.create(
        nomination=nomination_a, from_status="draft", to_status="submitted"
    )
    nomination_b = factories.NominationFactory(person=person_b, unit=unit_b, course=course)
    cost_norm = factories.CostNormFactory(plan=plan)
    budget_block = plan.budget_blocks.first() or factories.BudgetBlockFactory(plan=plan)
    budget_line = factories.BudgetLineFactory(training_class=training_class, norm=cost_norm)
    rule = EligibilityRule.objects.filter(course__program__section__plan=plan).first()
    if rule is None:
        rule = EligibilityRule.objects.create(
            course=course,
            code="duoi-40-tuoi",
            kind="max_age",
            params={"age": 40},
            description="Dưới 40 tuổi",
        )
    group = Group.objects.create(name="Nhóm thử nghiệm")
    download = DownloadLog.objects.create(username="btc_test", filename="bang-tinh.xlsx")
    attempt = AccessAttempt.objects.create(
        username="ai-do",
        ip_address="127.0.0.1",
        user_agent="test",
        failures_since_start=1,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/login/",
    )
    access_log = AccessLog.objects.create(
        username="ai-do",
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="",
        path_info="/login/",
    )
    failure_log = AccessFailureLog.objects.create(
        username="ai-do",
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="",
        path_info="/login/",
        locked_out=False,
    )
    return SimpleNamespace(
        plan=plan,
        unit_a=unit_a,
        unit_b=unit_b,
        program=program,
        course=course,
        quota_line=quota_line,
        person_a=person_a,
        person_b=person_b,
        allocation_a=allocation_a,
        training_class=training_class,
        nomination_a=nomination_a,
        nomination_b=nomination_b,
        transition=transition,
        cost_norm=cost_norm,
        budget_block=budget_block,
        budget_line=budget_line,
        rule=rule,
        group=group,
        download=download,
        attempt=attempt,
        access_log=access_log,
        failure_log=failure_log,
        user=User.objects.filter(is_superuser=True).first() or User.objects.first(),
    )


# --- Walking the URL conf ----------------------------------------------------------------


@dataclass
class Pattern:
    route: str
    name: str | None  # "admin:courses_course_change"; None for unnamed patterns
    kwargs: list  # names of keyword arguments
    positional: int  # number of unnamed regex groups
    model_admin: object | None

    @property
    def is_admin(self):
        return self.route.startswith("admin/")

    @property
    def takes_arguments(self):
        return bool(self.kwargs or self.positional)


def url_patterns(resolver=None, prefix="", namespace=None):
    """Every URL pattern of the project, depth first, with the namespace in its name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            regex = entry.pattern.regex
            yield Pattern(
                route=prefix + str(entry.pattern),
                name=f"{namespace}:{entry.name}" if namespace and entry.name else entry.name,
                kwargs=list(regex.groupindex),
                positional=regex.groups - len(regex.groupindex),
                model_admin=getattr(entry.callback, "model_admin", None),
            )


class UnknownURL(Exception):
    """A URL the matrix cannot fill: add a Row to URL_TABLE."""


def admin_object(model, world):
    """An object of the model for the admin's object URLs: the world's, else any."""
    for value in vars(world).values():
        if isinstance(value, model):
            return value
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        raise UnknownURL(f"no {model.__name__} for the admin URLs: add one to build_world()")
    return obj


def admin_model(pattern):
    """The model of an admin URL, from the view or, for simple_history, from the URL name."""
    from django.apps import apps

    if pattern.model_admin is not None:
        return pattern.model_admin.model
    if pattern.name and pattern.name.endswith("_simple_history"):
        label = pattern.name.split(":", 1)[1].removesuffix("_simple_history")
        for model in apps.get_models():
            if f"{model._meta.app_label}_{model._meta.model_name}" == label:
                return model
    return None


def url_for(pattern, world):
    """The concrete path of a pattern, with its arguments filled from the world."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    if not pattern.takes_arguments:
        if pattern.name is None:
            raise UnknownURL(f"unnamed URL pattern {pattern.route!r}: give it a name")
        return reverse(pattern.name)
    if not pattern.is_admin:
        row = URL_ROWS.get(pattern.name)
        if row is None:
            raise UnknownURL(
                f"URL {pattern.name or pattern.route!r} takes arguments and is not in "
                "tests/security/world.py URL_TABLE: add a Row (arguments and expected statuses)"
            )
        return reverse(pattern.name, kwargs=row.kwargs(world))
    # The Django admin, filled generically from the model of each URL.
    if pattern.kwargs == ["url"]:
        return "/admin/khong-co-trang-nay/"
    if pattern.name == "admin:app_list":
        return reverse(pattern.name, kwargs={"app_label": "training_plan"})
    if pattern.name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(world.plan)
        return reverse(pattern.name, args=[content_type.pk, world.plan.pk])
    if pattern.name == "admin:auth_user_password_change":
        return reverse(pattern.name, kwargs={"id": world.user.pk})
    model = admin_model(pattern)
    if model is None:
        raise UnknownURL(f"admin URL {pattern.name or pattern.route!r}: teach url_for() about it")
    obj = admin_object(model, world)
    opts = model._meta
    if pattern.name and pattern.name.endswith("_simple_history"):
        history = obj.history.order_by("history_id").first()
        if history is None:  # loaded by loaddata, which writes no history
            obj.save()
            history = obj.history.order_by("history_id").first()
        return reverse(pattern.name, args=[obj.pk, history.history_id])
    if pattern.name is None:  # <object_id>/ redirects to <object_id>/change/
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        return change.removesuffix("change/")
    return reverse(pattern.name, kwargs={"object_id": obj.pk})
