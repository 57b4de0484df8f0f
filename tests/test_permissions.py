"""The permission policy (each app's rules.py) at every URL: one URL × role table.

Each row is one URL of the URL conf with its arguments filled from the world of
tests/security/world.py (objects of both budget blocks owned by unit A, Huyện ủy Bình Sơn) and
the status each role must get; each (row, role) is one test. `unit_own` is a user of the
object's unit (unit A), `unit_other` of another unit (unit B, Huyện ủy Sơn Tịnh): on the
object of a unit it gets 404, never 403. A URL of the URL conf without a row fails
`test_every_url_has_a_row` (the admin and the login pages are left out on purpose).

The policy's decisions, one test each, are in tests/test_policy.py.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import load_plan_fixtures
from tests.factories import UserFactory
from tests.fixture_2021 import unit
from tests.security.world import build_world, url_patterns
from tests.training_plan.pdf_helpers import body
from training_plan.models import DownloadLog, Plan, User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "btc", "snv", "lanhdao", "unit_own", "unit_other", "admin"]
# The users of the table (their own names: the tests' persona fixtures are not used here).
ACCOUNTS = {
    "btc": ("bang_btc", User.Role.BTC, "btc-tinh-uy"),
    "snv": ("bang_snv", User.Role.SNV, "so-noi-vu"),
    "lanhdao": ("bang_lanhdao", User.Role.LEADERSHIP, "thuong-truc-tinh-uy"),
    "unit_own": ("bang_binhson", User.Role.UNIT, "huyen-uy-binh-son"),
    "unit_other": ("bang_sontinh", User.Role.UNIT, "huyen-uy-son-tinh"),
}
# Left out of the table on purpose: Django's admin (its own permissions, tested in
# tests/security/test_admin_pages.py) and the pages that sign in and out.
NOT_IN_TABLE = {"login", "logout"}


def expect(btc, snv, lanhdao, unit_own, unit_other, admin, anonymous=302):
    """Statuses per role; an anonymous visitor is sent to the login page everywhere."""
    return dict(
        anonymous=anonymous,
        btc=btc,
        snv=snv,
        lanhdao=lanhdao,
        unit_own=unit_own,
        unit_other=unit_other,
        admin=admin,
    )


# The usual kinds of page.
READ = expect(200, 200, 200, 200, 200, 200)  # plan data and lists scoped per user
REDIRECT = expect(302, 302, 302, 302, 302, 302)  # "the current plan's page"
OPEN = expect(200, 200, 200, 200, 200, 200, anonymous=200)  # no login needed
POST_ONLY = expect(405, 405, 405, 405, 405, 405)  # a GET of a form's target
UNIT_RECORD = expect(200, 200, 200, 200, 404, 200)  # a unit's person or nomination: read
WHOLE_PLAN = expect(200, 200, 200, 403, 403, 200)  # documents, results, checks of the plan
BTC_ONLY = expect(200, 403, 403, 403, 403, 200)  # issue, copy, the download log
NOMINATOR = expect(200, 403, 403, 200, 200, 200)  # enter or import nominations
PROVINCE = expect(200, 200, 403, 403, 403, 200)  # BTC and SNV: classes, norms
# A form of the Party block's or the State block's manager (BTC or SNV).
PARTY_FORM = expect(200, 403, 403, 403, 403, 200)
STATE_FORM = expect(403, 200, 403, 403, 403, 200)
# Its POST: done (or refused with a message) and sent back.
PARTY_POST = expect(302, 403, 403, 403, 403, 302)
STATE_POST = expect(403, 302, 403, 403, 403, 302)
# A Party-block commitment of unit A: the unit and BTC act on it, SNV and leadership read it.
COMMITMENT_FORM = expect(200, 403, 403, 200, 404, 200)
COMMITMENT_POST = expect(302, 403, 403, 302, 404, 302)


@dataclass
class Row:
    """One URL: its arguments from the world, the method, and each role's status."""

    name: str
    expected: dict
    kwargs: object = field(default=lambda w: {})  # callable(world) -> URL kwargs
    method: str = "get"
    label: str = ""  # tells rows of one URL apart
    download: bool = False  # a file: 200 comes as an attachment
    logged: bool = False  # a file with personal data: each download is in the download log

    @property
    def id(self):
        return "-".join(filter(None, [self.name, self.label, self.method]))


def year(w):
    return {"year": w.plan.year}


def pk(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk}


def action(attribute, name):
    return lambda w: {"pk": getattr(w, attribute).pk, "action": name}


def line_of(attribute):
    return lambda w: {"year": w.plan.year, "pk": getattr(w, attribute).pk}


def party_draft_actions():
    """Every action on unit A's Party-block draft: BTC and unit A act on the unit side (submit,
    reserve, withdraw); reviews wait for a submitted file (a message); SNV only reads it."""
    unit_side = expect(200, 302, 403, 200, 404, 200)
    review = expect(302, 302, 403, 302, 404, 302)
    return [
        Row("nomination_action", unit_side, action("party_draft", "submit"), label="submit"),
        Row("nomination_action", unit_side, action("party_draft", "reserve"), label="reserve"),
        Row("nomination_action", unit_side, action("party_draft", "withdraw"), label="withdraw"),
        *[
            Row("nomination_action", review, action("party_draft", name), label=name)
            for name in ("override", "verify", "approve", "return", "reject")
        ],
    ]


TABLE = [
    # --- The plan ---
    Row("home", READ),
    Row("plan_list", READ),
    Row("plan_detail", READ, year),
    Row("program_detail", READ, lambda w: {"year": w.plan.year, "pk": w.program.pk}),
    Row("course_detail", READ, lambda w: {"year": w.plan.year, "pk": w.course.pk}),
    Row("plan_check", WHOLE_PLAN, year),
    Row("plan_issue", BTC_ONLY, year),
    Row("plan_copy", BTC_ONLY, year),
    # --- People: personal data. Leadership reads every unit's, changes none. ---
    Row("person_list", READ),
    Row("person_create", expect(200, 200, 403, 200, 200, 200)),
    Row("person_detail", UNIT_RECORD, pk("person_a")),
    Row("person_edit", expect(200, 200, 403, 200, 404, 200), pk("person_a")),
    # Transfers of a record: unit B asked for unit A's person; the holding unit, BTC or SNV
    # decides (unit B, the asking side, reads the request but cannot decide it).
    Row("person_transfers", expect(200, 200, 403, 200, 200, 200)),
    Row("person_transfer_request", POST_ONLY),
    # Nothing matches an empty form: sent back with a message.
    Row("person_transfer_request", expect(302, 302, 403, 302, 302, 302), method="post"),
    Row("person_transfer_decide", POST_ONLY, action("transfer", "decline")),
    Row(
        "person_transfer_decide",
        expect(302, 302, 403, 302, 403, 302),
        action("transfer", "decline"),
        method="post",
    ),
    # --- Allocation: everyone reads (a unit its own rows); the block's manager allocates ---
    Row("allocation_home", REDIRECT),
    Row("allocation_overview", READ, year),
    Row("allocation_course", READ, lambda w: {"year": w.plan.year, "pk": w.quota_line.course_id}),
    Row("allocation_set", POST_ONLY, line_of("quota_line")),
    Row("allocation_set", PARTY_POST, line_of("quota_line"), "post", "party"),
    Row("allocation_set", STATE_POST, line_of("state_line"), "post", "state"),
    Row("allocation_move", POST_ONLY, line_of("quota_line")),
    Row("allocation_move", PARTY_POST, line_of("quota_line"), "post", "party"),
    Row("allocation_move", STATE_POST, line_of("state_line"), "post", "state"),
    # --- Nominations ---
    Row("nomination_list", READ),
    Row("nomination_create", NOMINATOR),
    Row("nomination_import", NOMINATOR),
    Row("nomination_import_template", NOMINATOR, download=True),
    Row("nomination_import_confirm", POST_ONLY),
    # No file in the session: sent back to the upload page.
    Row("nomination_import_confirm", expect(302, 403, 403, 302, 302, 302), method="post"),
    Row("nomination_bulk", POST_ONLY),
    # No action chosen: sent back to the list with a message; leadership changes nothing.
    Row("nomination_bulk", expect(302, 302, 403, 302, 302, 302), method="post"),
    Row("nomination_detail", UNIT_RECORD, pk("nomination_a")),
    Row("nomination_detail", UNIT_RECORD, pk("state_verified"), label="state"),
    # Submitted: no longer editable (a message); a draft: the unit side edits it, in the State
    # block only the unit itself.
    Row("nomination_edit", expect(302, 302, 403, 302, 404, 302), pk("nomination_a")),
    Row("nomination_edit", expect(200, 302, 403, 200, 404, 200), pk("party_draft"), label="party"),
    Row("nomination_edit", expect(302, 302, 403, 200, 404, 200), pk("state_draft"), label="state"),
    # The reviewer of the block verifies (others: a message saying who does).
    Row(
        "nomination_action",
        expect(200, 302, 403, 302, 404, 200),
        action("nomination_a", "verify"),
        label="party-verify",
    ),
    Row(
        "nomination_action",
        expect(302, 200, 403, 302, 404, 200),
        action("state_verified", "approve"),
        label="state-approve",
    ),
    # A State-block file SNV verified: SNV or the unit withdraws it, BTC only reads it.
    Row(
        "nomination_action",
        expect(302, 200, 403, 200, 404, 200),
        action("state_verified", "withdraw"),
        label="state-withdraw",
    ),
    Row(
        "nomination_action",
        expect(302, 302, 403, 200, 404, 200),
        action("state_draft", "submit"),
        label="state-submit",
    ),
    *party_draft_actions(),
    # --- Classes: everyone reads; the block's manager runs them ---
    Row("class_list_current", REDIRECT),
    Row("class_list", READ, year),
    Row("class_create", PROVINCE, year),
    Row("class_detail", READ, pk("training_class"), label="state"),
    Row("class_detail", READ, pk("party_class"), label="party"),
    Row("class_edit", STATE_FORM, pk("training_class"), label="state"),
    Row("class_edit", PARTY_FORM, pk("party_class"), label="party"),
    Row("class_enrol", POST_ONLY, pk("training_class")),
    Row("class_enrol", STATE_POST, pk("training_class"), "post", "state"),
    Row("class_enrol", PARTY_POST, pk("party_class"), "post", "party"),
    Row(
        "class_unenrol",
        POST_ONLY,
        lambda w: {"pk": w.training_class.pk, "nomination_pk": w.learner.pk},
    ),
    Row(
        "class_unenrol",
        STATE_POST,
        lambda w: {"pk": w.training_class.pk, "nomination_pk": w.learner.pk},
        "post",
        "state",
    ),
    # A planned class takes no results yet: its manager is sent back to the class page.
    Row("class_results", STATE_POST, pk("training_class"), label="state"),
    Row("class_cancel", STATE_FORM, pk("training_class"), label="state"),
    Row("class_cancel", PARTY_FORM, pk("party_class"), label="party"),
    # Lists of a class's learners: a unit gets the learners it sent (logged).
    Row("class_learners_pdf", READ, pk("training_class"), download=True, logged=True),
    Row("class_learners_xlsx", READ, pk("training_class"), download=True, logged=True),
    # --- Budget ---
    Row("budget_current", REDIRECT),
    Row("appendix_current", REDIRECT),
    Row("budget_overview", READ, year),
    Row("budget_appendix", READ, year),
    Row(
        "block_review", WHOLE_PLAN, lambda w: {"year": w.plan.year, "block": "state"}, label="state"
    ),
    Row(
        "block_review", WHOLE_PLAN, lambda w: {"year": w.plan.year, "block": "party"}, label="party"
    ),
    Row("cost_norm_list", READ, year),
    Row("cost_norm_edit", PROVINCE, pk("cost_norm")),
    Row("cost_norm_delete", POST_ONLY, pk("cost_norm")),
    Row("cost_norm_delete", expect(302, 302, 403, 403, 403, 302), pk("cost_norm"), "post"),
    Row("budget_line_create", STATE_FORM, pk("training_class"), label="state"),
    Row("budget_line_create", PARTY_FORM, pk("party_class"), label="party"),
    Row("budget_line_edit", STATE_FORM, pk("budget_line"), label="state"),
    Row("budget_line_edit", PARTY_FORM, pk("party_line"), label="party"),
    Row("budget_line_delete", POST_ONLY, pk("budget_line")),
    Row("budget_line_delete", STATE_POST, pk("budget_line"), "post", "state"),
    Row("budget_line_delete", PARTY_POST, pk("party_line"), "post", "party"),
    # --- Documents and workbooks: the whole plan for BTC, SNV, leadership; a unit its lists ---
    Row("plan_document_pdf", WHOLE_PLAN, year, download=True),
    Row("plan_appendix_pdf", WHOLE_PLAN, year, download=True),
    Row("plan_document_docx", WHOLE_PLAN, year, download=True),
    Row("plan_workbook_xlsx", WHOLE_PLAN, year, download=True, logged=True),
    Row("plan_nominations_xlsx", READ, year, download=True, logged=True),
    Row("nominations_all_years_xlsx", READ, download=True, logged=True),
    Row("plan_results", WHOLE_PLAN, year),
    Row("plan_results_pdf", WHOLE_PLAN, year, download=True),
    Row("plan_results_xlsx", WHOLE_PLAN, year, download=True),
    Row("download_log", BTC_ONLY),
    # --- After training: commitments follow the person (unit A's); the unit and the block's
    # manager (here BTC, Party block) act, leadership reads ---
    Row("commitment_list", READ),
    # No nomination chosen: sent back to the list with a message.
    Row("commitment_create", expect(302, 302, 403, 302, 302, 302)),
    Row("commitment_detail", UNIT_RECORD, pk("commitment")),
    Row("commitment_detail", UNIT_RECORD, pk("decided"), label="decided"),
    Row("commitment_edit", COMMITMENT_FORM, pk("commitment")),
    Row("commitment_repayment", COMMITMENT_FORM, pk("commitment")),
    Row("commitment_interruption_add", POST_ONLY, pk("commitment")),
    Row("commitment_interruption_add", COMMITMENT_POST, pk("commitment"), "post"),
    Row("commitment_payment_add", POST_ONLY, pk("decided")),
    Row("commitment_payment_add", COMMITMENT_POST, pk("decided"), "post"),
    Row("repayment_decision_pdf", UNIT_RECORD, pk("decided"), download=True, logged=True),
    Row("repayment_decision_docx", UNIT_RECORD, pk("decided"), download=True, logged=True),
    Row("person_training", UNIT_RECORD, pk("person_a")),
    Row("person_training_pdf", UNIT_RECORD, pk("person_a"), download=True, logged=True),
    # Learners' evaluation: results (no personal data) for everyone, a unit its own links; the
    # class's manager opens it; the answer form needs no login (its token is the key).
    Row("class_evaluation", READ, pk("training_class"), label="state"),
    Row("class_evaluation", STATE_POST, pk("training_class"), "post", "state"),
    Row("class_evaluation", PARTY_POST, pk("party_class"), "post", "party"),
    Row("evaluation_results", READ),
    Row("evaluation_answer", OPEN, lambda w: {"token": w.invitation.token}),
    Row(
        "evaluation_answer",
        expect(410, 410, 410, 410, 410, 410, anonymous=410),
        lambda w: {"token": "het-han-hoac-khong-dung-0000000000"},
        label="gone",
    ),
    # The user's own account; the forgotten-password pages are open to anonymous visitors.
    Row("password_change", READ),
    Row("password_change_done", READ),
    Row("password_reset", OPEN),
    Row("password_reset_done", OPEN),
    Row("password_reset_confirm", OPEN, lambda w: {"uidb64": "MQ", "token": "het-han"}),
    Row("password_reset_complete", OPEN),
    Row("two_factor", READ),
    Row("two_factor_qr", READ),
    Row("two_factor_verify", REDIRECT),  # nothing to verify: back home (anonymous: login)
    Row("recovery_codes", POST_ONLY),
    Row("two_factor_disable", POST_ONLY),
]

ROWS_BY_NAME = {}
for _row in TABLE:
    ROWS_BY_NAME.setdefault(_row.name, []).append(_row)


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch):
    """The table checks who gets a file, not its layout (tests/training_plan/test_documents)."""
    monkeypatch.setattr(
        "reports.documents.render_pdf", lambda template, context, **options: b"%PDF-1.7 stub"
    )


@pytest.fixture(scope="module")
def table(django_db_setup, django_db_blocker):
    """The world, its users and a signed-in client per role, built once for the whole table in
    a transaction rolled back at the end; each test runs in a savepoint inside it, so what one
    cell's request writes never reaches the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        plan = Plan.objects.filter(year=2021).first()
        if plan is None:  # a transactional test before this module flushed the database
            load_plan_fixtures()
            plan = Plan.objects.get(year=2021)
        users = {
            role: UserFactory(username=name, role=user_role, organisation=unit(code))
            for role, (name, user_role, code) in ACCOUNTS.items()
        }
        users["admin"] = User.objects.create_superuser("bang_admin", password="x" * 16)
        world = build_world(plan)
        clients = {"anonymous": Client()}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        yield world, users, clients
        transaction.set_rollback(True)


def test_every_url_has_a_row():
    """A URL added to the URL conf without its row in TABLE fails here."""
    names = {p.name for p in url_patterns() if not p.is_admin}
    assert None not in names, "give every URL pattern a name"
    missing = sorted(names - NOT_IN_TABLE - set(ROWS_BY_NAME))
    assert missing == [], f"add rows for {missing} to TABLE in tests/test_permissions.py"
    assert sorted(set(ROWS_BY_NAME) - names) == []
    assert len({row.id for row in TABLE}) == len(TABLE), "two rows with the same id"


CELLS = [(row, role) for row in TABLE for role in ROLES]


@pytest.mark.parametrize("row, role", CELLS, ids=[f"{row.id}-{role}" for row, role in CELLS])
def test_url_for_role(table, row, role):
    world, users, clients = table
    url = reverse(row.name, kwargs=row.kwargs(world))
    response = getattr(clients[role], row.method)(url)
    assert response.status_code == row.expected[role], (url, role)
    if role == "anonymous":
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), url
        assert not DownloadLog.objects.filter(user__isnull=False).exists()
        return
    user = users[role]
    if row.download and response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert body(response), url
    logged = row.logged and response.status_code == 200
    assert DownloadLog.objects.filter(user=user).count() == (1 if logged else 0), url


@pytest.mark.parametrize("row", TABLE, ids=[row.id for row in TABLE])
def test_url_with_unknown_ids_is_404(table, row):
    """Every id of the URL replaced by one that does not exist: 404 for every role that may use
    the page, 403 or 404 for a role that may not; never a 500 or a page."""
    world, users, clients = table
    kwargs = row.kwargs(world)
    if not any(isinstance(value, int) for value in kwargs.values()):
        pytest.skip("no id in this URL")
    kwargs = {k: (v + 10**6 if isinstance(v, int) else v) for k, v in kwargs.items()}
    url = reverse(row.name, kwargs=kwargs)
    for role in ROLES[1:]:
        response = getattr(clients[role], row.method)(url)
        expected = row.expected[role]
        wanted = {405} if expected == 405 else {403, 404} if expected == 403 else {404}
        assert response.status_code in wanted, (url, role, response.status_code)
