"""One small world of objects for the permission table and the security tests: the 2021 plan,
the personas, and objects of every kind owned by unit A (Huyện ủy Bình Sơn), in both budget
blocks, built with tests/factories.py.

The URL × role table is `tests/test_permissions.py`: it says, for every URL of the URL conf,
how to fill its arguments from this world and what each role must get. The tests walk the URL
resolver (`url_patterns`) and fail when a URL appears that the table does not know: a new screen
cannot escape the permission table or the CSRF test.
"""

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from courses.models import Course, EligibilityRule, Program
from evaluation.models import ClassEvaluation, Invitation
from evaluation.seed import criteria_seed
from quotas.models import Nomination, NominationTransition, QuotaLine
from tests import factories
from training_plan.models import Block, DownloadLog, Organisation, PersonTransfer, User


def build_world(plan):
    """Objects of every kind; unit A owns the people, nominations and learners.

    Party block: `quota_line` (II.1.1, capped), `nomination_a` (submitted), `party_draft`,
    `party_class` with `party_line`. State block: `state_line` (III.3, capped), `course` (III.3.7)
    and `training_class` with `budget_line` and `learner` (enrolled), `state_draft`,
    `state_verified`. Unit B owns `person_b` and `nomination_b`."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    S = Nomination.Status
    unit_a = Organisation.objects.get(code="huyen-uy-binh-son")
    unit_b = Organisation.objects.get(code="huyen-uy-son-tinh")
    program = Program.objects.get(section__plan=plan, section__position=3, position=3)
    course = Course.objects.get(program=program, position=7)
    lines = QuotaLine.objects.filter(
        course__program__section__plan=plan, planned_count__isnull=False
    ).order_by("course__program__section__position", "course__program__position", "pk")
    quota_line = lines.filter(course__program__block=Block.PARTY).first()
    state_line = lines.filter(course__program__block=Block.STATE).first()
    person_a = factories.PersonFactory(full_name="Lê Thị Bình", organisation=unit_a)
    person_b = factories.PersonFactory(full_name="Phạm Văn Tịnh", organisation=unit_b)
    allocation_a = factories.AllocationFactory(quota_line=quota_line, unit=unit_a, count=2)
    training_class = factories.TrainingClassFactory(
        course=course, institution=quota_line.institution
    )
    party_class = factories.TrainingClassFactory(
        course=quota_line.course, institution=quota_line.institution
    )

    def nomination(person, target, status, **fields):
        line = target if isinstance(target, QuotaLine) else None
        course = line.course if line else target
        return factories.NominationFactory(
            person=person,
            unit=person.organisation,
            course=course,
            quota_line=line,
            status=status,
            **fields,
        )

    nomination_a = nomination(person_a, quota_line, S.SUBMITTED)
    transition = NominationTransition.objects.create(
        nomination=nomination_a, from_status="draft", to_status="submitted"
    )
    party_draft = nomination(
        factories.PersonFactory(full_name="Lê Văn Nháp", organisation=unit_a), quota_line, S.DRAFT
    )
    state_draft = nomination(
        factories.PersonFactory(full_name="Trần Văn Nhà", organisation=unit_a), state_line, S.DRAFT
    )
    state_verified = nomination(
        factories.PersonFactory(full_name="Trần Thị Nước", organisation=unit_a),
        state_line,
        S.VERIFIED,
    )
    learner = nomination(
        factories.PersonFactory(full_name="Hồ Văn Học", organisation=unit_a),
        course,
        S.ENROLLED,
        training_class=training_class,
    )
    nomination_b = nomination(person_b, course, S.DRAFT)
    # Learners' evaluation of the State class: one open link for unit A's learner.
    criteria_seed()
    evaluation = ClassEvaluation.objects.create(
        training_class=training_class, closes_at=timezone.now() + datetime.timedelta(days=30)
    )
    invitation = Invitation.objects.create(
        evaluation=evaluation, nomination=learner, token="lien-ket-danh-gia-thu-nghiem-0001"
    )
    # One person, one record: unit B asks for unit A's person.
    transfer = PersonTransfer.objects.create(person=person_a, from_unit=unit_a, to_unit=unit_b)
    # After training: unit A's commitments, one with its repayment decided.
    commitment = factories.commitment(
        person=factories.PersonFactory(full_name="Võ Văn Cam", organisation=unit_a)
    )
    decided = factories.decided_commitment(
        person=factories.PersonFactory(full_name="Võ Thị Bù", organisation=unit_a)
    )
    cost_norm = factories.CostNormFactory(plan=plan)
    budget_block = plan.budget_blocks.first() or factories.BudgetBlockFactory(plan=plan)
    budget_line = factories.BudgetLineFactory(training_class=training_class, norm=cost_norm)
    party_line = factories.BudgetLineFactory(training_class=party_class, norm=cost_norm)
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
    # Two-step login devices of an account of their own (the admin lists and changes them; an
    # account of the table with a device would be asked for its code on every page).
    owner = User.objects.create_user("co_thiet_bi_2fa")
    totp_device = TOTPDevice.objects.create(user=owner, name="Ứng dụng xác thực", confirmed=True)
    static_device = StaticDevice.objects.create(user=owner, name="Mã dự phòng")
    # The inbox, its e-mail preference and a job of the table's administrator; a queued task.
    from inbox.models import Job, MailPreference, Notice
    from inbox.tasks import send_notice_mail

    notice = Notice.objects.create(
        recipient=owner, kind=Notice.Kind.DEADLINE, title="Sắp đến hạn gửi danh sách", url="/"
    )
    mail_preference = MailPreference.objects.create(user=owner)
    job = Job.objects.create(requester=owner, kind="nominations_all_years", title="Danh sách")
    send_notice_mail.enqueue(notice.pk)
    # A reorganisation event (not applied): a unit of its own that ends, on a 2021 act.
    from training_plan.models import EventSuccessor, LegalDocument, ReorganisationEvent

    ended = Organisation.objects.create(
        code="don-vi-thu-sap-xep", name="Đơn vị thử sắp xếp", kind="unit", level="district"
    )
    reorganisation = ReorganisationEvent.objects.create(
        kind=ReorganisationEvent.Kind.MERGE,
        title="Hợp nhất đơn vị thử",
        effective_date=datetime.date(2025, 7, 1),
        basis=LegalDocument.objects.order_by("pk").first(),
    )
    reorganisation.predecessors.add(ended)
    successor = EventSuccessor.objects.create(
        event=reorganisation, organisation=unit_b, is_main=True
    )
    return SimpleNamespace(
        reorganisation=reorganisation,
        event_successor=successor,
        notice=notice,
        mail_preference=mail_preference,
        job=job,
        totp_device=totp_device,
        static_device=static_device,
        plan=plan,
        unit_a=unit_a,
        unit_b=unit_b,
        program=program,
        course=course,
        quota_line=quota_line,
        state_line=state_line,
        person_a=person_a,
        person_b=person_b,
        allocation_a=allocation_a,
        training_class=training_class,
        party_class=party_class,
        nomination_a=nomination_a,
        party_draft=party_draft,
        state_draft=state_draft,
        state_verified=state_verified,
        learner=learner,
        nomination_b=nomination_b,
        commitment=commitment,
        decided=decided,
        transfer=transfer,
        invitation=invitation,
        transition=transition,
        cost_norm=cost_norm,
        budget_block=budget_block,
        budget_line=budget_line,
        party_line=party_line,
        rule=rule,
        group=group,
        download=download,
        attempt=attempt,
        access_log=access_log,
        failure_log=failure_log,
        user=User.objects.filter(is_superuser=True).first() or User.objects.first(),
        **needs_and_versions(),
    )


def needs_and_versions():
    """The needs round's and the plan versions' objects (tests/needs/world.py) for the admin."""
    from tests.needs import world as needs_world

    register, needs_transition, draft_build, proposal = needs_world.admin_objects()
    version, amendment = needs_world.versions()
    return {
        "needs_round": register.round,
        "needs_register": register,
        "needs_transition": needs_transition,
        "draft_build": draft_build,
        "proposal": proposal,
        "plan_version": version,
    }


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
    """A URL the table cannot fill: add a Row to tests/test_permissions.py."""


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
        from tests.test_permissions import ROWS_BY_NAME

        rows = ROWS_BY_NAME.get(pattern.name)
        if not rows:
            raise UnknownURL(
                f"URL {pattern.name or pattern.route!r} takes arguments and is not in the table "
                "of tests/test_permissions.py: add a Row (arguments and expected statuses)"
            )
        return reverse(pattern.name, kwargs=rows[0].kwargs(world))
    # The Django admin, filled generically from the model of each URL.
    if pattern.kwargs == ["url"]:
        return "/admin/khong-co-trang-nay/"
    if pattern.name == "admin:app_list":
        return reverse(pattern.name, kwargs={"app_label": "training_plan"})
    if pattern.name == "admin:view_on_site":
        content_type = ContentType.objects.get_for_model(world.plan)
        return reverse(pattern.name, args=[content_type.pk, world.plan.pk])
    if pattern.name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        return reverse(pattern.name, kwargs={"pk": world.totp_device.pk})
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
