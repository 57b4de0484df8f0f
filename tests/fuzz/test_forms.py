"""A fuzzer of every form and list filter of the URL conf (issue 11, item 11).

For every URL of the application (the admin and login/logout aside) a `Target` says how to fill
its arguments with the objects of tests/fuzz/world.py and where its form is. The field names are
read from the page's HTML (the forms whose action is the URL), plus the names the view's form
classes and query string know.

First a sweep: each field alone gets each value of `SWEEP` (NUL, odd digits, past bigint, a far
date, RTL and zero-width text), the others valid, as an administrator. Then each hypothesis
example draws the URL's arguments, a query string and a body: valid values, other valid choices,
and up to three fields hostile (tests/fuzz/hostile.py: superscript and Arabic-Indic digits,
2^31, 2^63, 10^30, -1, 0001-01-01, 9999-12-31, 10.000 characters, controls, RTL override,
zero-width, NUL), several values or none. That request is sent by every role (BTC, SNV,
leadership, unit A, unit B, an administrator) in a drawn order, and after each request:

- the answer is not a 500;
- the role changed nothing it may not change (tests/fuzz/invariants.py `forbidden_changes`):
  leadership nothing, a unit nothing but its own people and nominations, BTC and SNV nothing of
  the other block's allocations and classes; a GET changes nothing at all;
- no quota line or class is overbooked, every amount is within its bound and no stored text holds
  a control or invisible character.

Each example runs in a savepoint rolled back at its end, so every example starts from the same
world and hypothesis can replay a failure. The examples are derandomized: CI runs the same ones.
A URL added to the URL conf without a Target here fails `test_every_url_is_fuzzed`.
"""

import datetime
import json
import os
import traceback
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget.forms import BudgetLineForm, CostNormForm
from commitments.forms import (
    CommitmentEditForm,
    CommitmentForm,
    InterruptionForm,
    PaymentForm,
    RepaymentForm,
)
from courses.forms import CancelClassForm, EnrolForm, TrainingClassCreateForm
from inbox.forms import MailPreferenceForm
from needs.forms import ReturnForm, RoundForm
from quotas.forms import (
    AllocationMoveForm,
    AllocationSetForm,
    ImportUploadForm,
    NominationFilterForm,
    NominationForm,
    ReasonForm,
)
from reports.forms import NominationDeadlineForm, PlanIssueForm, SignerForm
from tests import factories
from tests.fuzz import hostile, invariants
from tests.fuzz.forms_html import Field, page_forms
from tests.fuzz.world import MISSING_PK, ROLE_FIXTURES, ROLES, build_world
from tests.needs import world as needs_world
from training_plan.forms import PersonFilterForm, PersonForm
from versions.forms import SaveVersionForm

pytestmark = pytest.mark.django_db

OMIT = object()
# FUZZ_STATS=path: what each role got from each URL (status, whether it changed data), written
# there at the end, to see how deep the examples went.
STATS = Counter()
HUGE_PK = 2**63  # past bigint: a URL argument the database cannot hold
NOMINATION_ACTIONS = ["submit", "reserve", "verify", "approve", "return", "reject", "withdraw"]


def names(*form_classes):
    return tuple(name for form in form_classes for name in form.base_fields)


@dataclass
class Target:
    """One URL: its arguments (each a list of candidates drawn from the world), the page that
    holds its form, the field names known without the page, valid values of a create form."""

    name: str
    args: object = lambda w: {}
    method: str = "post"
    page: object = None  # callable(world, kwargs) -> URL of the page with the form
    known: tuple = ()
    query: tuple = ()  # query-string parameters the view reads (also on a POST)
    good: object = field(default_factory=dict)  # a dict, or callable(world) -> dict
    examples: int = 10


def year(w):
    return {"year": [w.plan.year, 1, HUGE_PK]}


def classes(w):
    return {"pk": [c.pk for c in w.classes.values()] + [MISSING_PK]}


def lines_args(w):
    return {"year": [w.plan.year], "pk": [w.party_line.pk, w.state_line.pk, MISSING_PK]}


def allocation_page(w, kwargs):
    from quotas.models import QuotaLine

    line = QuotaLine.objects.filter(pk=kwargs["pk"]).first() or w.party_line
    return reverse("allocation_course", args=[w.plan.year, line.course_id])


def class_page(w, kwargs):
    return reverse("class_detail", args=[kwargs["pk"]])


def line_class_page(w, kwargs):
    from budget.models import BudgetLine

    line = BudgetLine.objects.filter(pk=kwargs["pk"]).first() or w.lines["party_norm"]
    return reverse("class_detail", args=[line.training_class_id])


ANSWER_FIELDS = (
    "noi-dung",
    "noi-dung-cap-nhat",
    "giang-vien",
    "giang-vien-phuong-phap",
    "to-chuc",
    "co-so-vat-chat",
    "huu-ich",
    "comment",
)


def answer_tokens(w):
    """An open link of a finished class's learner, and a token that is none."""
    import datetime as dt

    from django.utils import timezone

    from evaluation.models import ClassEvaluation, Invitation
    from evaluation.seed import criteria_seed

    criteria_seed()
    training_class = next(iter(w.classes.values()))
    learner = factories.NominationFactory(
        person=factories.PersonFactory(organisation=w.person_a.organisation),
        course=training_class.course,
        status="completed",
        training_class=training_class,
        quota_line=None,
    )
    evaluation, _ = ClassEvaluation.objects.get_or_create(
        training_class=training_class,
        defaults={"closes_at": timezone.now() + dt.timedelta(days=30)},
    )
    Invitation.objects.create(evaluation=evaluation, nomination=learner, token="t" * 32)
    return {"token": ["t" * 32, "khong-co-" + "0" * 24]}


def transfers(w):
    from training_plan.models import PersonTransfer

    transfer = PersonTransfer.objects.create(
        person=w.person_a, from_unit=w.person_a.organisation, to_unit=w.person_b.organisation
    )
    return {"pk": [transfer.pk, MISSING_PK], "action": ["accept", "decline", "xoa"]}


def commitments(w):
    """A commitment of unit A (made for the target; rolled back with the example's test)."""
    person = factories.PersonFactory(organisation=w.person_a.organisation)
    made = factories.commitment(person=person, return_date=datetime.date(2023, 9, 1))
    return {"pk": [made.pk, MISSING_PK]}


def decided_commitments(w):
    person = factories.PersonFactory(organisation=w.person_a.organisation)
    return {"pk": [factories.decided_commitment(person=person).pk, MISSING_PK]}


def commitment_page(w, kwargs):
    return reverse("commitment_detail", args=[kwargs["pk"]])


def committable(w):
    nomination = factories.NominationFactory(
        person=factories.PersonFactory(organisation=w.person_a.organisation),
        course=factories.fixture_2021.course(factories.PARTY_COURSE),
        status="approved",
        quota_line=None,
    )
    return reverse("commitment_create") + f"?nomination={nomination.pk}"


CLASS_GOOD = {
    "name": "Lớp bồi dưỡng thử nghiệm",
    "venue": "Trường Chính trị tỉnh",
    "start_date": "01/06/2021",
    "end_date": "30/06/2021",
    "capacity": "30",
    "planned_learners": "20",
}

TARGETS = [
    # People
    Target(
        "person_create",
        known=names(PersonForm),
        good={"full_name": "Nguyễn Văn Thử", "date_of_birth": "05/03/1985"},
    ),
    Target(
        "person_edit",
        lambda w: {"pk": [w.person_a.pk, w.person_b.pk, MISSING_PK, HUGE_PK]},
        known=names(PersonForm),
    ),
    Target("person_list", method="get", known=names(PersonFilterForm) + ("page",)),
    Target("organisation_list", method="get", known=("date",)),
    # The world's event (its own two units) and a missing one (404 whatever is sent).
    Target("reorganisation_detail", args=lambda w: {"pk": [w.event.pk, MISSING_PK]}),
    # Allocation
    Target(
        "allocation_set",
        lines_args,
        page=allocation_page,
        known=names(AllocationSetForm),
        good={"count": "5"},
    ),
    Target(
        "allocation_move",
        lines_args,
        page=allocation_page,
        known=names(AllocationMoveForm),
        good={"count": "1"},
    ),
    Target(
        "allocation_grid",
        lambda w: {"year": [w.plan.year], "pk": [w.party.pk, w.state.pk, MISSING_PK]},
        page=lambda w, kwargs: reverse("allocation_grid", args=[w.plan.year, w.party.pk]),
        known=("confirm", "back"),
        examples=12,
    ),
    Target(
        "allocation_grid",
        lambda w: {"year": [w.plan.year], "pk": [w.party.pk, w.state.pk]},
        method="get",
    ),
    Target(
        "allocation_course",
        lambda w: {"year": [w.plan.year], "pk": [w.party.pk, w.state.pk]},
        method="get",
        known=("line",),
    ),
    # Nominations
    Target(
        "nomination_create",
        page=lambda w, kwargs: reverse("nomination_create") + f"?unit={w.unit_a.code}",
        known=names(NominationForm) + ("check", "save_submit"),
        query=("unit", "person", "year"),
        good=lambda w: {"unit": w.unit_a.code, "note": "Cử đi học"},
        examples=16,
    ),
    Target("nomination_create", method="get", known=("unit", "person", "year")),
    Target("nomination_people", method="get", known=("q", "unit", "year"), examples=8),
    Target(
        "nomination_edit",
        lambda w: {"pk": [n.pk for n in w.nominations] + [MISSING_PK]},
        known=names(NominationForm),
    ),
    Target(
        "nomination_action",
        lambda w: {
            "pk": [n.pk for n in w.nominations] + [MISSING_PK],
            "action": [*NOMINATION_ACTIONS, "override", "delete"],
        },
        known=names(ReasonForm),
        examples=20,
    ),
    Target(
        "nomination_bulk",
        page=lambda w, kwargs: reverse("nomination_list"),
        known=("action", "ids", "confirm", "next"),
        good={"action": "verify", "confirm": "1"},
        examples=16,
    ),
    Target(
        "nomination_list",
        method="get",
        known=names(NominationFilterForm) + ("page",),
        examples=16,
    ),
    Target("nomination_import", known=names(ImportUploadForm), query=("year",)),
    Target("nomination_import", method="get", known=("year",)),
    Target("nomination_import_confirm", known=("token",), examples=4),
    Target("nomination_import_template", method="get", known=("year",), examples=4),
    # Classes
    Target("class_list", year, method="get", known=("block", "status", "page")),
    Target(
        "class_create",
        lambda w: {"year": [w.plan.year]},
        known=names(TrainingClassCreateForm),
        good=CLASS_GOOD,
        examples=16,
    ),
    Target("class_create", lambda w: {"year": [w.plan.year]}, method="get", known=("course",)),
    Target("class_detail", classes, method="get", known=("page", "cpage")),
    Target("class_edit", classes, known=names(TrainingClassCreateForm)),
    Target("class_enrol", classes, page=class_page, known=names(EnrolForm) + ("single",)),
    Target(
        "class_unenrol",
        lambda w: {
            "pk": [c.pk for c in w.classes.values()],
            "nomination_pk": [n.pk for n in [*w.learners.values(), *w.candidates.values()]]
            + [MISSING_PK, HUGE_PK],
        },
        examples=6,
    ),
    Target(
        "class_unenrol",
        lambda w: {
            "pk": [c.pk for c in w.classes.values()],
            "nomination_pk": [n.pk for n in w.learners.values()] + [MISSING_PK],
        },
        method="get",
        examples=4,
    ),
    Target("class_results", classes),
    Target("class_cancel", classes, known=names(CancelClassForm), examples=4),
    # Budget
    Target(
        "cost_norm_list",
        lambda w: {"year": [w.plan.year]},
        known=names(CostNormForm),
        good={"item": "Thù lao báo cáo viên", "unit": "buổi", "rate": "1.500.000"},
    ),
    Target(
        "cost_norm_edit",
        lambda w: {"pk": [n.pk for n in w.norms] + [MISSING_PK]},
        known=names(CostNormForm),
    ),
    Target(
        "cost_norm_delete",
        lambda w: {"pk": [n.pk for n in w.norms] + [MISSING_PK]},
        page=lambda w, kwargs: reverse("cost_norm_list", args=[w.plan.year]),
        examples=4,
    ),
    Target(
        "budget_line_create",
        classes,
        known=names(BudgetLineForm),
        good={"description": "Nước uống", "quantity": "2", "rate": "100.000"},
        examples=16,
    ),
    Target(
        "budget_line_edit",
        lambda w: {"pk": [line.pk for line in w.lines.values()] + [MISSING_PK]},
        known=names(BudgetLineForm),
        examples=16,
    ),
    Target(
        "budget_line_delete",
        lambda w: {"pk": [line.pk for line in w.lines.values()] + [MISSING_PK]},
        page=line_class_page,
        examples=4,
    ),
    Target(
        "budget_line_delete",
        lambda w: {"pk": [line.pk for line in w.lines.values()] + [MISSING_PK]},
        method="get",
        examples=4,
    ),
    # The plan's life cycle
    Target(
        "plan_issue",
        lambda w: {"year": [w.plan.year]},
        known=names(PlanIssueForm),
        good={"number": "25-KH/TU", "issue_date": "15/01/2021"},
    ),
    Target("plan_copy", lambda w: {"year": [w.plan.year]}, examples=2),
    Target(
        "plan_deadline",
        lambda w: {"year": [w.plan.year, HUGE_PK]},
        known=names(NominationDeadlineForm),
        good={"nomination_deadline": "30/06/2021"},
        examples=6,
    ),
    # The inbox and the jobs (each user's own: another's item or job is a 404)
    # The workflow's documents: issuing a letter or a decision (a number, a PDF).
    Target(
        "course_letter",
        lambda w: {
            "year": [w.plan.year],
            "pk": [w.party.pk, w.state.pk, MISSING_PK],
            "unit_pk": [w.unit_a.pk, w.unit_b.pk, MISSING_PK],
        },
        known=names(SignerForm),
        examples=6,
    ),
    Target(
        "course_decision",
        lambda w: {"year": [w.plan.year], "pk": [w.party.pk, w.state.pk, MISSING_PK]},
        known=names(SignerForm),
        examples=6,
    ),
    Target("inbox", method="get", known=("show", "page"), examples=4),
    Target(
        "inbox_mark_read",
        page=lambda w, kwargs: reverse("inbox"),
        known=("notice", "all", "show"),
        examples=6,
    ),
    Target("inbox_open", lambda w: {"pk": [MISSING_PK, HUGE_PK]}, method="get", examples=2),
    Target("mail_preferences", known=names(MailPreferenceForm), examples=4),
    # The needs round of 2022 and the plan's versions (tests/needs/world.py)
    Target(
        "needs_round_open",
        lambda w: {"year": [needs_world.YEAR, HUGE_PK], "block": ["party", "state", "x"]},
        known=names(RoundForm),
        good={"deadline": "31/10/2021", "note": "Gửi trước hạn"},
        examples=6,
    ),
    Target(
        "needs_start",
        lambda w: needs_world.rounds() and {"year": [needs_world.YEAR], "block": ["party", "x"]},
        examples=4,
    ),
    Target(
        "needs_counts",
        lambda w: {"pk": [needs_world.register().pk, MISSING_PK]},
        page=lambda w, kwargs: reverse("needs_detail", args=[needs_world.register().pk]),
        examples=6,
    ),
    Target(
        "needs_person_add",
        lambda w: {"pk": [needs_world.register().pk, MISSING_PK]},
        page=lambda w, kwargs: reverse("needs_detail", args=[needs_world.register().pk]),
        known=("person", "course", "major", "institution", "reason"),
        examples=6,
    ),
    Target(
        "needs_person_remove",
        lambda w: {"pk": [needs_world.register().pk], "entry_pk": [needs_world.entry().pk]},
        examples=2,
    ),
    Target(
        "needs_action",
        lambda w: {
            "pk": [needs_world.register().pk, MISSING_PK],
            "action": ["submit", "accept", "return", "delete"],
        },
        known=names(ReturnForm),
        examples=6,
    ),
    Target(
        "needs_draft", lambda w: needs_world.rounds() and {"year": [needs_world.YEAR]}, examples=2
    ),
    Target("plan_version_save", year, known=names(SaveVersionForm), examples=4),
    Target(
        "plan_versions_compare",
        lambda w: needs_world.versions() and {"year": [w.plan.year]},
        method="get",
        known=("a", "b"),
        examples=4,
    ),
    Target("download_log", method="get", known=("page",), examples=4),
    # One person, one record
    Target("person_transfers", method="get", known=("page",), examples=4),
    Target("person_transfer_request", known=names(PersonForm), examples=6),
    Target("person_transfer_decide", transfers, examples=6),
    # Learners' evaluation
    Target("class_evaluation", classes, examples=4),
    Target("evaluation_results", method="get", known=("year",), examples=4),
    Target("evaluation_answer", answer_tokens, known=ANSWER_FIELDS, examples=8),
    # After training
    Target("commitment_list", method="get", known=("state", "q", "page"), examples=6),
    Target("commitment_create", method="get", known=("nomination",), examples=4),
    Target(
        "commitment_create",
        page=lambda w, kwargs: committable(w),
        known=names(CommitmentForm) + ("nomination",),
        query=("nomination",),
        examples=6,
    ),
    Target("commitment_edit", commitments, known=names(CommitmentEditForm), examples=6),
    Target(
        "commitment_interruption_add",
        commitments,
        page=commitment_page,
        known=names(InterruptionForm),
        examples=6,
    ),
    Target(
        "commitment_repayment",
        commitments,
        known=names(RepaymentForm) + ("preview", "decide"),
        examples=6,
    ),
    Target(
        "commitment_payment_add",
        decided_commitments,
        page=commitment_page,
        known=names(PaymentForm),
        examples=6,
    ),
    # The user's own account
    Target("password_change", known=("old_password", "new_password1", "new_password2")),
    Target("password_reset", known=("email",), examples=4),
    Target(
        "password_reset_confirm",
        lambda w: {"uidb64": ["MQ", "²"], "token": ["het-han"]},
        known=("new_password1", "new_password2"),
        examples=4,
    ),
    Target("two_factor", known=("code",), examples=4),
    Target("two_factor_verify", known=("code", "next"), examples=4),
    Target("recovery_codes", examples=2),
    Target("two_factor_disable", examples=2),
]


def unit_a_job():
    """A background job of unit A's account, still queued (its pages read no parameter)."""
    from inbox.models import Job
    from training_plan.models import User

    requester = User.objects.get(username="binhson_test")
    job = Job.objects.filter(requester=requester).first() or Job.objects.create(
        requester=requester, kind="nominations_all_years", title="Danh sách cử đi học"
    )
    return job.pk


def unit_a_import_check(w):
    """A big import file of unit A's account checked by the worker: its preview page."""
    from inbox.models import Job
    from training_plan.models import User

    requester = User.objects.get(username="binhson_test")
    job = Job.objects.filter(requester=requester, kind="nomination_import_check").first()
    return (
        job
        or Job.objects.create(
            requester=requester,
            kind="nomination_import_check",
            title="Kiểm tra tệp",
            status=Job.Status.DONE,
            params={"year": w.plan.year, "filename": "a.xlsx", "submit": False, "rows": []},
        )
    ).pk


# Pages without a form or a parameter the view reads: a hostile query string and body are sent
# to each (GET and POST) and must change nothing. The documents (PDF, DOCX, workbooks) take
# seconds each to build and read no parameter: tests/training_plan covers them.
PLAIN_PAGES = {
    "plan_list": lambda w: {},
    "organisation_detail": lambda w: {"code": w.unit_a.code},
    "person_detail": lambda w: {"pk": w.person_a.pk},
    "allocation_home": lambda w: {},
    "allocation_overview": lambda w: {"year": w.plan.year},
    "nomination_detail": lambda w: {"pk": w.draft_a.pk},
    "class_list_current": lambda w: {},
    "budget_current": lambda w: {},
    "appendix_current": lambda w: {},
    "budget_overview": lambda w: {"year": w.plan.year},
    "budget_appendix": lambda w: {"year": w.plan.year},
    "block_review": lambda w: {"year": w.plan.year, "block": "party"},
    "home": lambda w: {},
    "plan_detail": lambda w: {"year": w.plan.year},
    "program_detail": lambda w: {"year": w.plan.year, "pk": w.party.program_id},
    "course_detail": lambda w: {"year": w.plan.year, "pk": w.state.pk},
    "plan_check": lambda w: {"year": w.plan.year},
    "plan_results": lambda w: {"year": w.plan.year},
    "password_change_done": lambda w: {},
    "password_reset_done": lambda w: {},
    "password_reset_complete": lambda w: {},
    "two_factor_qr": lambda w: {},
    "job_detail": lambda w: {"pk": unit_a_job()},
    "job_status": lambda w: {"pk": unit_a_job()},
    "nomination_import_checked": lambda w: {"pk": unit_a_import_check(w)},
    "needs_current": lambda w: {},
    "needs_round": lambda w: {"year": needs_world.YEAR},
    "needs_consolidation": lambda w: needs_world.rounds() and {"year": needs_world.YEAR},
    "needs_detail": lambda w: {"pk": needs_world.register().pk},
    "plan_versions": lambda w: {"year": w.plan.year},
    "commitment_detail": lambda w: {"pk": commitments(w)["pk"][0]},
    "person_training": lambda w: {"pk": w.person_a.pk},
}
DOCUMENTS = {
    "plan_document_pdf",
    "plan_appendix_pdf",
    "plan_document_docx",
    "plan_workbook_xlsx",
    "plan_nominations_xlsx",
    "nominations_all_years_xlsx",
    "plan_results_pdf",
    "plan_results_xlsx",
    "class_learners_pdf",
    "class_learners_xlsx",
    "job_download",
    "issued_document_pdf",
    "issued_document_docx",
    "needs_consolidation_xlsx",
    "plan_version_pdf",
    "plan_version_amendment_pdf",
    "plan_versions_compare_pdf",
    "repayment_decision_pdf",
    "repayment_decision_docx",
    "person_training_pdf",
    "nomination_import_errors",
    "nomination_import_checked_errors",
}
SKIPPED = {"login", "logout"}


def url_names(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith("admin/"):
                continue
            yield from url_names(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield entry.name


def test_every_url_is_fuzzed():
    known = {t.name for t in TARGETS} | set(PLAIN_PAGES) | DOCUMENTS | SKIPPED
    unknown = set(url_names()) - known
    assert not unknown, (
        f"URLs without a fuzz target (add them to tests/fuzz/test_forms.py): {unknown}"
    )


@pytest.fixture(autouse=True, scope="module")
def _write_stats():
    yield
    path = os.environ.get("FUZZ_STATS")
    if path:
        rows = [[*key, count] for key, count in sorted(STATS.items(), key=str)]
        with open(path, "w") as out:
            json.dump(rows, out, ensure_ascii=False, indent=0)


@pytest.fixture(autouse=True)
def _quick_pdf(monkeypatch):
    """Issuing a plan or saving a version renders its PDF: not WeasyPrint here (the fuzzer checks
    forms; tests/training_plan and tests/needs check documents)."""
    monkeypatch.setattr("reports.documents.write_pdf", lambda html: b"%PDF-1.7 fuzz")


# --- Running one request ------------------------------------------------------------------------


@pytest.fixture
def fuzz(plan_2021, request):
    """The world, the users of every role and one signed-in client each."""
    users = {role: request.getfixturevalue(fixture) for role, fixture in ROLE_FIXTURES.items()}
    world = build_world(plan_2021)
    clients = {}
    for role, user in users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[role] = client
    broken = invariants.broken_invariants()
    assert not broken, f"the world breaks the invariants before fuzzing: {broken}"
    return world, users, clients


def _failure(role, method, url, data, response):
    detail = ""
    if getattr(response, "exc_info", None):
        detail = "".join(traceback.format_exception(*response.exc_info))[-4000:]
    shown = {
        k: (v[:80] + "…" if isinstance(v, str) and len(v) > 80 else v) for k, v in data.items()
    }
    return f"{role} {method.upper()} {url} {shown!r} → {response.status_code}\n{detail}"


def send_as_every_role(fuzz_state, order, method, url, data, *, may_change=True):
    """Send one request as each role in `order`; check the answer and the database after each."""
    world, users, clients = fuzz_state
    before = invariants.snapshot()
    for role in order:
        client = clients[role]
        if method == "get":
            response = client.get(url, data)
        else:
            response = client.post(url, data)
        assert response.status_code < 500, _failure(role, method, url, data, response)
        after = invariants.snapshot()
        found = invariants.changes(before, after)
        STATS[
            (method, resolve(urlsplit(url).path).url_name, role, response.status_code, bool(found))
        ] += 1
        if not may_change:
            bad = found
        else:
            bad = invariants.forbidden_changes(role, users[role], found)
        assert not bad, (
            f"{role} {method.upper()} {url} changed what it may not:\n"
            + "\n".join(invariants.describe(c) for c in bad[:5])
            + f"\nposted: {data!r}"[:2000]
        )
        if found:
            broken = invariants.broken_invariants(found)
            assert not broken, f"{role} {method.upper()} {url} {data!r}"[:1500] + f"\n{broken}"
        before = after


@transaction.atomic
def _in_savepoint(function):
    """Run `function` and roll its changes back (one example leaves no trace)."""
    try:
        function()
    finally:
        transaction.set_rollback(True)


def form_fields(target, world, kwargs, url, cache):
    """{name: Field} of the target's form on its page (read as an administrator), plus the
    known names."""
    page = target.page(world, kwargs) if target.page else url
    key = (target.name, target.method, page)
    if key not in cache:
        admin = Client(raise_request_exception=False)
        admin.force_login(world.admin)
        response = admin.get(page)
        fields = {}
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            path = urlsplit(url).path
            for form in page_forms(response.content.decode(), page):
                if form.method != target.method or form.action != path:
                    continue
                for name, found in form.fields.items():
                    fields.setdefault(name, found)
        for name in (*target.known, *target.query):
            fields.setdefault(name, Field(name, kind="known"))
        fields.pop("csrfmiddlewaretoken", None)
        cache[key] = fields
    return cache[key]


def _baseline(found, good):
    """The value a user would send: the page's, a create form's valid one, the first choice of
    an empty select, every box of a list of checkboxes."""
    if found.name in good:
        return good[found.name]
    if found.kind in ("submit", "known"):  # a button, a name the page does not show
        return OMIT
    if found.kind == "select" and not found.value:
        real = [o for o in found.options if o]
        return real[0] if real else ""
    if found.kind == "checkbox" and found.multiple and found.options:
        return list(found.options)
    if found.kind in ("checkbox", "radio") and not found.value:
        return OMIT
    return found.value


def hostile_field(found, baseline):
    """A corrupted field: a hostile value (or the valid one with a hostile character in it),
    another choice, several values, or nothing."""
    text = baseline if isinstance(baseline, str) else ""
    one = hostile.value_for(text, [o for o in found.options if o])
    return st.one_of(one, st.lists(one, min_size=2, max_size=3), st.just(OMIT))


def request_data(draw, fields, good):
    """A body (or query) of valid values, up to three fields corrupted; the other choices of a
    select may be picked too. The first example sends the valid form."""
    names_ = sorted(fields)
    corrupt = set()
    if names_:
        corrupt = set(
            draw(st.lists(st.sampled_from(names_), max_size=3, unique=True), label="corrupt")
        )
    data = {}
    for name in names_:
        found = fields[name]
        baseline = _baseline(found, good)
        if name in corrupt:
            value = draw(hostile_field(found, baseline), label=name)
        elif found.kind in ("select", "radio") and len(found.options) > 1:
            value = draw(st.sampled_from([baseline, *found.options]), label=name)
        else:
            value = baseline
        if value is not OMIT:
            data[name] = value
    return data


def _target_id(target):
    return f"{target.method}-{target.name}"


@pytest.mark.parametrize("target", TARGETS, ids=_target_id)
def test_fuzz(target, fuzz):
    world = fuzz[0]
    args = target.args(world)
    good = target.good(world) if callable(target.good) else target.good
    cache = {}

    @settings(
        max_examples=target.examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )
    @given(st.data())
    def run(data):
        kwargs = {
            name: data.draw(st.sampled_from(values), label=name) for name, values in args.items()
        }
        url = reverse(target.name, kwargs=kwargs)
        fields = form_fields(target, world, kwargs, url, cache)
        body = request_data(data.draw, fields, good)
        if target.query and target.method == "post":
            query = request_data(data.draw, {n: Field(n) for n in target.query}, good)
            query = {k: v for k, v in query.items() if v}
            if query:
                url += "?" + urlencode(query, doseq=True)
        order = data.draw(st.permutations(ROLES), label="roles")
        _in_savepoint(
            lambda: send_as_every_role(
                fuzz, order, target.method, url, body, may_change=target.method == "post"
            )
        )

    sweep(target, fuzz, args, good, cache)
    run()


# Before the drawn examples, each field (and query parameter) of a target gets each of these
# alone, the others keeping their valid values, as an administrator (who passes every role
# check): what a field's cleaning or a view reading the request directly does with them is tried
# on every name, whatever hypothesis draws.
SWEEP = ["Nguyễn\x00Văn", "²", str(-(2**63) - 1), "31/12/9999", "\u202eNguyễn\u200bVăn"]


def sweep(target, fuzz, args, good, cache):
    world = fuzz[0]
    kwargs = {name: values[0] for name, values in args.items()}
    url = reverse(target.name, kwargs=kwargs)
    fields = form_fields(target, world, kwargs, url, cache)
    valid = {}
    for name, found in fields.items():
        value = _baseline(found, good)
        if value is not OMIT and name not in target.query:
            valid[name] = value
    query = {name: good[name] for name in target.query if name in good}
    for name in sorted(fields):
        for value in SWEEP:
            body, params = dict(valid), dict(query)
            if name in target.query and target.method == "post":
                params[name] = value
            else:
                body[name] = value
            where = url + ("?" + urlencode(params) if params else "")
            _in_savepoint(partial(send_as_every_role, fuzz, ["admin"], target.method, where, body))


@pytest.mark.parametrize("method", ["get", "post"])
def test_fuzz_plain_pages(method, fuzz):
    """Pages that read no parameter: a hostile query string or body changes nothing."""
    world = fuzz[0]
    pages = sorted(PLAIN_PAGES)

    @settings(
        max_examples=2 * len(pages),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def run(data):
        name = data.draw(st.sampled_from(pages), label="page")
        url = reverse(name, kwargs=PLAIN_PAGES[name](world))
        keys = data.draw(
            st.lists(st.sampled_from(["page", "year", "q", "id", "next", "x"]), max_size=3)
        )
        body = {key: data.draw(hostile.hostile_values(), label=key) for key in keys}
        order = data.draw(st.permutations(ROLES), label="roles")
        _in_savepoint(lambda: send_as_every_role(fuzz, order, method, url, body, may_change=False))

    run()
