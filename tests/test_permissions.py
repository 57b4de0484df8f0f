"""The permission policy (each app's rules.py) at every URL: one URL × role table.

Each row is one URL of the URL conf with its arguments filled from the world of
tests/security/world.py (objects of both budget blocks owned by unit A, Huyện ủy Bình Sơn) and
the status each role must get; each (row, role) is one test. `unit_own` is a user of the
object's unit (unit A), `unit_other` of another unit (unit B, Huyện ủy Sơn Tịnh): on the
object of a unit it gets 404, never 403. A URL of the URL conf without a row fails
`test_every_url_has_a_row` (the admin and the login pages are left out on purpose).

The policy's decisions, one test each, are in tests/test_policy.py.
"""

import base64
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import load_plan_fixtures
from tests.factories import UserFactory
from tests.fixture_2021 import unit
from tests.needs import world as needs_world
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
# A long export's button: the job is started and the user sent to its page.
WHOLE_PLAN_JOB = expect(302, 302, 302, 403, 403, 302)
READ_JOB = expect(302, 302, 302, 302, 302, 302)
# A background job of unit A's account: its requester's alone (anybody else's is a 404).
REQUESTER_ONLY = expect(404, 404, 404, 200, 404, 404)
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


def unit_own_account():
    """The table's unit A account; in other tests that walk the URL conf (the CSRF matrix),
    any account of unit A."""
    return (
        User.objects.filter(username=ACCOUNTS["unit_own"][0]).first()
        or User.objects.filter(organisation__code=ACCOUNTS["unit_own"][2]).first()
        or UserFactory(organisation=unit(ACCOUNTS["unit_own"][2]))
    )


def own_notice(w):
    """An item of unit A's account's inbox."""
    from inbox.models import Notice

    recipient = unit_own_account()
    notice = Notice.objects.filter(recipient=recipient).first() or Notice.objects.create(
        recipient=recipient, kind=Notice.Kind.DEADLINE, title="Sắp đến hạn", url="/"
    )
    return {"pk": notice.pk}


def letter_of(w):
    """The course and unit of unit A's submitted nomination (a letter can be issued)."""
    return {"year": w.plan.year, "pk": w.quota_line.course_id, "unit_pk": w.nomination_a.unit_id}


def own_letter(w):
    """A letter unit A issued sending its people (names: logged downloads)."""
    from reports import issuing
    from reports.models import IssuedDocument

    document = IssuedDocument.objects.filter(unit_id=w.nomination_a.unit_id).first()
    if document is None:
        document = issuing.issue_letter(
            actor=None,
            unit=w.nomination_a.unit,
            course=w.quota_line.course,
            signer={"signer_title": "PHÓ BÍ THƯ", "signer_name": "Nguyễn Văn Ký"},
        )
    return {"pk": document.pk}


def own_job(w):
    """A finished export with people's data, asked for by unit A's account."""
    from django.core.files.base import ContentFile

    from inbox.models import Job

    requester = unit_own_account()
    job = Job.objects.filter(requester=requester).first()
    if job is None:
        job = Job(
            requester=requester,
            kind="nominations_all_years",
            title="Danh sách cử đi học tất cả các năm (Excel)",
            status=Job.Status.DONE,
            personal_data=True,
            log_filters={"plan": "all"},
            rows=1,
            filename="danh-sach.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            expires_at=timezone.now() + timedelta(hours=1),
        )
        job.file.save("danh-sach.xlsx", ContentFile(b"PK stub"), save=False)
        job.save()
    return {"pk": job.pk}


def course_of(attribute):
    return lambda w: {"year": w.plan.year, "pk": getattr(w, attribute).course_id}


def own_import_check(w):
    """A big import file of unit A's account, checked by the worker: its preview."""
    from inbox.models import Job

    requester = unit_own_account()
    job = Job.objects.filter(requester=requester, kind="nomination_import_check").first()
    if job is None:
        job = Job.objects.create(
            requester=requester,
            kind="nomination_import_check",
            title="Kiểm tra tệp “danh-sach.xlsx” (1 dòng) — năm 2021",
            status=Job.Status.DONE,
            personal_data=True,
            params={
                "year": w.plan.year,
                "filename": "danh-sach.xlsx",
                "submit": False,
                "rows": [
                    {
                        "n": 2,
                        "name": "Lê Thị Bình",
                        "dob": "01/01/1980",
                        "code": "",
                        "person": None,
                        "course": None,
                        "line": None,
                        "tm": None,
                        "cm": None,
                        "note": "",
                        "errors": ["Thiếu mã khóa (xem trang “Mã hợp lệ”)."],
                        "cells": [5],
                        "warnings": [],
                    }
                ],
                "upload": base64.b64encode(error_copy_upload()).decode("ascii"),
                "bad": 1,
            },
            expires_at=timezone.now() + timedelta(hours=1),
        )
    return {"pk": job.pk}


def error_copy_upload():
    """A one-row import file, as unit A uploaded it."""
    import io

    import openpyxl

    from quotas.imports import HEADERS, SHEET_NAME

    workbook = openpyxl.Workbook()
    workbook.active.title = SHEET_NAME
    workbook.active.append(HEADERS)
    workbook.active.append([1, "Lê Thị Bình", "01/01/1980"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    # --- Organisations: everyone reads the tree and the events; BTC or an administrator
    # applies an event (once). ---
    Row("organisation_list", READ),
    Row("organisation_detail", READ, lambda w: {"code": w.unit_a.code}),
    Row("reorganisation_detail", READ, pk("reorganisation")),
    Row("reorganisation_detail", PARTY_POST, pk("reorganisation"), method="post"),
    Row("plan_detail", READ, year),
    Row("program_detail", READ, lambda w: {"year": w.plan.year, "pk": w.program.pk}),
    Row("course_detail", READ, lambda w: {"year": w.plan.year, "pk": w.course.pk}),
    Row("plan_check", WHOLE_PLAN, year),
    Row("plan_issue", BTC_ONLY, year),
    Row("plan_copy", BTC_ONLY, year),
    Row("plan_deadline", BTC_ONLY, year),
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
    Row("allocation_grid", PARTY_FORM, course_of("quota_line"), label="party"),
    Row("allocation_grid", STATE_FORM, course_of("state_line"), label="state"),
    Row("allocation_grid", PARTY_POST, course_of("quota_line"), "post", "party"),
    Row("allocation_grid", STATE_POST, course_of("state_line"), "post", "state"),
    Row("allocation_set", POST_ONLY, line_of("quota_line")),
    Row("allocation_set", PARTY_POST, line_of("quota_line"), "post", "party"),
    Row("allocation_set", STATE_POST, line_of("state_line"), "post", "state"),
    Row("allocation_move", POST_ONLY, line_of("quota_line")),
    Row("allocation_move", PARTY_POST, line_of("quota_line"), "post", "party"),
    Row("allocation_move", STATE_POST, line_of("state_line"), "post", "state"),
    # --- Nominations ---
    Row("nomination_list", READ),
    Row("nomination_create", NOMINATOR),
    Row("nomination_people", NOMINATOR),
    Row("nomination_import", NOMINATOR),
    Row("nomination_import_template", NOMINATOR, download=True),
    Row("nomination_import_confirm", POST_ONLY),
    # A big file's check, made by the worker: its preview is the requester's alone.
    Row("nomination_import_checked", expect(404, 403, 403, 200, 404, 404), own_import_check),
    # Its copy with errors (the uploaded bytes kept with the refused preview): the requester's
    # alone, a file with people's data (logged).
    Row(
        "nomination_import_checked_errors",
        expect(404, 403, 403, 200, 404, 404),
        own_import_check,
        download=True,
        logged=True,
    ),
    # The copy with errors of a check in the request lives in its uploader's session only.
    Row("nomination_import_errors", expect(404, 403, 403, 404, 404, 404), lambda w: {"token": "x"}),
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
    # GET: the confirmation page, saying what will change.
    Row(
        "class_unenrol",
        STATE_FORM,
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
    Row("budget_line_delete", STATE_FORM, pk("budget_line"), label="state"),
    Row("budget_line_delete", PARTY_FORM, pk("party_line"), label="party"),
    Row("budget_line_delete", STATE_POST, pk("budget_line"), "post", "state"),
    Row("budget_line_delete", PARTY_POST, pk("party_line"), "post", "party"),
    # --- Documents and workbooks: the whole plan for BTC, SNV, leadership; a unit its lists ---
    Row("plan_document_pdf", WHOLE_PLAN, year, download=True),
    Row("plan_appendix_pdf", WHOLE_PLAN, year, download=True),
    Row("plan_document_docx", WHOLE_PLAN, year, download=True),
    # The long exports: GET asks, POST starts the worker's job (its file: job_download).
    Row("plan_workbook_xlsx", WHOLE_PLAN, year),
    Row("plan_workbook_xlsx", WHOLE_PLAN_JOB, year, "post"),
    Row("plan_nominations_xlsx", READ, year, download=True, logged=True),
    Row("nominations_all_years_xlsx", READ),
    Row("nominations_all_years_xlsx", READ_JOB, method="post"),
    Row("plan_results", WHOLE_PLAN, year),
    Row("plan_results_pdf", WHOLE_PLAN, year),
    Row("plan_results_pdf", WHOLE_PLAN_JOB, year, "post"),
    Row("plan_results_xlsx", WHOLE_PLAN, year),
    # The workflow's documents: a unit's letter (its own; another unit's page is a 404), the
    # block manager's decision; a POST without a signer shows the form again.
    Row("course_letter", UNIT_RECORD, letter_of),
    Row("course_letter", expect(403, 403, 403, 200, 404, 200), letter_of, "post"),
    Row(
        "course_decision", WHOLE_PLAN, lambda w: {"year": w.plan.year, "pk": w.quota_line.course_id}
    ),
    Row(
        "course_decision",
        PARTY_FORM,
        lambda w: {"year": w.plan.year, "pk": w.quota_line.course_id},
        "post",
    ),
    Row("issued_document_pdf", UNIT_RECORD, own_letter, download=True, logged=True),
    Row("issued_document_docx", UNIT_RECORD, own_letter, download=True, logged=True),
    Row("plan_results_xlsx", WHOLE_PLAN_JOB, year, "post"),
    # The inbox: each user their own items.
    Row("inbox", READ),
    Row("inbox_mark_read", POST_ONLY),
    Row("inbox_mark_read", REDIRECT, method="post"),
    Row("inbox_open", expect(404, 404, 404, 302, 404, 404), own_notice),
    Row("job_detail", REQUESTER_ONLY, own_job),
    Row("job_status", REQUESTER_ONLY, own_job),
    Row("job_download", REQUESTER_ONLY, own_job, download=True, logged=True),
    Row("download_log", BTC_ONLY),
    # --- The needs round of 2022: BTC opens the Party block's, SNV the State block's; a unit
    # enters its own register (another unit's: 404); leadership reads ---
    Row("needs_current", REDIRECT),
    Row("needs_round", READ, lambda w: {"year": needs_world.YEAR}),
    Row("needs_round_open", PARTY_FORM, lambda w: {"year": needs_world.YEAR, "block": "party"}),
    Row(
        "needs_round_open",
        STATE_FORM,
        lambda w: {"year": needs_world.YEAR, "block": "state"},
        label="state",
    ),
    Row("needs_start", POST_ONLY, lambda w: {"year": needs_world.YEAR, "block": "party"}),
    Row(
        "needs_start",
        expect(403, 403, 403, 302, 302, 302),
        lambda w: needs_world.rounds() and {"year": needs_world.YEAR, "block": "party"},
        "post",
    ),
    Row(
        "needs_consolidation",
        WHOLE_PLAN,
        lambda w: needs_world.rounds() and {"year": needs_world.YEAR},
    ),
    Row(
        "needs_consolidation_xlsx",
        WHOLE_PLAN,
        lambda w: needs_world.rounds() and {"year": needs_world.YEAR},
        download=True,
    ),
    Row("needs_detail", UNIT_RECORD, lambda w: {"pk": needs_world.register().pk}),
    Row("needs_counts", POST_ONLY, lambda w: {"pk": needs_world.register().pk}),
    Row(
        "needs_counts",
        expect(403, 403, 403, 302, 404, 302),
        lambda w: {"pk": needs_world.register().pk},
        "post",
    ),
    Row("needs_person_add", POST_ONLY, lambda w: {"pk": needs_world.register().pk}),
    Row(
        "needs_person_add",
        expect(403, 403, 403, 302, 404, 302),
        lambda w: {"pk": needs_world.register().pk},
        "post",
    ),
    Row(
        "needs_person_remove",
        POST_ONLY,
        lambda w: {"pk": needs_world.register().pk, "entry_pk": needs_world.entry().pk},
    ),
    Row(
        "needs_person_remove",
        expect(403, 403, 403, 302, 404, 302),
        lambda w: {"pk": needs_world.register().pk, "entry_pk": needs_world.entry().pk},
        "post",
    ),
    Row(
        "needs_action",
        expect(403, 403, 403, 302, 404, 302),
        lambda w: {"pk": needs_world.register().pk, "action": "submit"},
        "post",
        "submit",
    ),
    # A draft: BTC may review the Party round, the service refuses the move (a message).
    Row(
        "needs_action",
        expect(302, 403, 403, 403, 404, 302),
        lambda w: {"pk": needs_world.register().pk, "action": "accept"},
        "post",
        "accept",
    ),
    Row(
        "needs_action",
        expect(200, 403, 403, 403, 404, 200),
        lambda w: {"pk": needs_world.register().pk, "action": "return"},
        label="return",
    ),
    Row("needs_draft", BTC_ONLY, lambda w: needs_world.rounds() and {"year": needs_world.YEAR}),
    # --- Plan versions: the province's offices and leadership read; BTC saves ---
    Row("plan_versions", WHOLE_PLAN, year),
    Row("plan_version_save", POST_ONLY, year),
    Row("plan_version_save", expect(302, 403, 403, 403, 403, 302), year, "post"),
    Row(
        "plan_version_pdf",
        WHOLE_PLAN,
        lambda w: {"year": w.plan.year, "pk": needs_world.versions()[0].pk},
        download=True,
    ),
    Row(
        "plan_version_amendment_pdf",
        WHOLE_PLAN,
        lambda w: {"year": w.plan.year, "pk": needs_world.versions()[1].pk},
        download=True,
    ),
    Row("plan_versions_compare", WHOLE_PLAN, lambda w: needs_world.versions() and year(w)),
    Row(
        "plan_versions_compare_pdf",
        WHOLE_PLAN,
        lambda w: needs_world.versions() and year(w),
        download=True,
    ),
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
    Row("mail_preferences", READ),
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
