"""Issuing the workflow's documents: a number, the PDF and its record in one transaction.

Numbering (decision): the number is taken inside the transaction that records the issued
document. The counter row of (issuing body, kind, year) is created if missing (INSERT … ON
CONFLICT DO NOTHING) and locked with SELECT … FOR UPDATE, so two requests of the same body and
kind wait for each other and get consecutive numbers; the document's row carries a unique
(issuer, kind, year, number). If anything fails after the number is taken — the PDF, the
record —, the whole transaction rolls back: the counter with it, so nothing is issued under that
number and the next document gets it. A number is thus never on two documents and never
skipped. On SQLite, transactions start IMMEDIATE (settings): writers are serialised anyway."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from quotas.models import Nomination
from reports import official
from reports.models import DocumentCounter, DocumentKind, IssuedDocument
from training_plan.models import Block, Organisation
from training_plan.rules import accounts_managing_block, block_manager_name, managed_blocks

# The people a unit's letter sends: nominations it has submitted that are not refused.
LETTER_STATUSES = (
    Nomination.Status.SUBMITTED,
    Nomination.Status.VERIFIED,
    Nomination.Status.APPROVED,
    Nomination.Status.ENROLLED,
)
# The people a decision sends: the approved ones (enrolled ones were approved first).
DECISION_STATUSES = (Nomination.Status.APPROVED, Nomination.Status.ENROLLED)

TITLES = {
    DocumentKind.LETTER: "Công văn cử cán bộ đi học",
    DocumentKind.DECISION: "Quyết định cử đi học",
    DocumentKind.RESULTS: "Báo cáo kết quả thực hiện kế hoạch",
}


def next_number(*, issuer, kind, year):
    """Take the next number of (issuer, kind, year). Must run inside the issuing transaction:
    the counter stays locked until it commits or rolls back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Số văn bản chỉ được cấp trong giao dịch ghi văn bản.")
    DocumentCounter.objects.bulk_create(
        [DocumentCounter(issuer=issuer, kind=kind, year=year)], ignore_conflicts=True
    )
    counter = DocumentCounter.objects.select_for_update().get(issuer=issuer, kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def issue(*, kind, issuer, plan, actor, build, course=None, unit=None, people=0, day=None):
    """Number, render and record one document. `build(number, day)` returns its payload."""
    day = day or official.today()
    with transaction.atomic():
        number = next_number(issuer=issuer, kind=kind, year=day.year)
        payload = build(number, day)
        pdf = official.official_pdf(payload)
        return IssuedDocument.objects.create(
            issuer=issuer,
            kind=kind,
            year=day.year,
            number=number,
            reference=payload["number"],
            issued_on=day,
            issued_by=actor,
            plan=plan,
            course=course,
            unit=unit,
            subject=payload["subject"][:500],
            people=people,
            payload=payload,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )


def block_manager(block):
    """The body that acts for the province on a block (BTC: Party, SNV: State): the organisation
    of its accounts, else the organisation of its name."""
    account = accounts_managing_block(block).exclude(organisation=None).first()
    if account is not None:
        return account.organisation
    # No account yet: the body of that name (the plan's implementing body of the block).
    body = Organisation.objects.filter(name=block_manager_name(block)).first()
    if body is None:
        raise ValidationError(
            f"Chưa có tài khoản của {block_manager_name(block)} để xác định cơ quan ban hành."
        )
    return body


def signer_of(organisation, kind, data=None):
    """Who signs: what the issuing form says, else the usual authority and title."""
    on_behalf, title = official.default_signer(organisation, kind)
    if data is None:
        return {"on_behalf": on_behalf, "title": title, "name": ""}
    return {
        "on_behalf": data.get("signer_on_behalf", ""),
        "title": data.get("signer_title") or title,
        "name": data.get("signer_name", ""),
    }


# ---- Công văn cử cán bộ đi học ---------------------------------------------------------------


def letter_nominations(unit, course):
    return list(
        Nomination.objects.filter(unit=unit, course=course, status__in=LETTER_STATUSES)
        .select_related("person", "unit", "quota_line__institution")
        .order_by("person__sort_key", "person_id")
    )


def issue_letter(*, actor, unit, course, signer):
    nominations = letter_nominations(unit, course)
    if not nominations:
        raise ValidationError(
            f"{unit.name} chưa gửi hồ sơ cử cán bộ nào đi học {course.name}: chưa có danh sách "
            "để lập công văn."
        )
    manager_name = block_manager_name(course.program.block)
    signature = signer_of(unit, DocumentKind.LETTER, signer)

    def build(number, day):
        return official.letter_payload(
            unit=unit,
            course=course,
            nominations=nominations,
            manager_name=manager_name,
            number=number,
            day=day,
            signer=signature,
        )

    return issue(
        kind=DocumentKind.LETTER,
        issuer=unit,
        plan=course.program.section.plan,
        actor=actor,
        build=build,
        course=course,
        unit=unit,
        people=len(nominations),
    )


# ---- Quyết định cử đi học --------------------------------------------------------------------


def decision_nominations(course):
    return list(
        Nomination.objects.filter(course=course, status__in=DECISION_STATUSES)
        .select_related("person", "unit", "quota_line__institution")
        .order_by("unit__sort_key", "person__sort_key", "person_id")
    )


def unit_letters(course, units=None):
    """The latest letter of each unit for the course, in the order of the units."""
    letters = IssuedDocument.objects.filter(kind=DocumentKind.LETTER, course=course)
    if units is not None:
        letters = letters.filter(unit__in=units)
    latest = {}
    for letter in letters.select_related("issuer").order_by("issued_at", "id"):
        latest[letter.unit_id] = letter
    return sorted(latest.values(), key=lambda letter: letter.issuer.sort_key)


def issue_decision(*, actor, course, signer):
    nominations = decision_nominations(course)
    if not nominations:
        raise ValidationError(
            f"Chưa có hồ sơ nào được duyệt của {course.name}: chưa có danh sách để lập quyết định."
        )
    issuer = block_manager(course.program.block)
    letters = unit_letters(course, units={n.unit_id for n in nominations})
    signature = signer_of(issuer, DocumentKind.DECISION, signer)

    def build(number, day):
        return official.decision_payload(
            issuer=issuer,
            course=course,
            nominations=nominations,
            letters=letters,
            number=number,
            day=day,
            signer=signature,
        )

    return issue(
        kind=DocumentKind.DECISION,
        issuer=issuer,
        plan=course.program.section.plan,
        actor=actor,
        build=build,
        course=course,
        people=len(nominations),
    )


# ---- Báo cáo kết quả thực hiện ---------------------------------------------------------------


def results_issuer(user):
    """The body a user's report is issued by: BTC's or SNV's own; others (administrators,
    leadership reading a copy) the Party block's manager, who implements the plan."""
    blocks = managed_blocks(user)
    block = blocks[0] if len(blocks) == 1 else Block.PARTY
    return block_manager(block)


def results_unnumbered(*, context, issuer, day=None):
    """The report as a reader gets it: the figures of `day`, the number left blank."""
    day = day or official.today()
    signature = signer_of(issuer, DocumentKind.RESULTS)
    payload = official.results_payload(
        issuer=issuer, context=context, number=None, day=day, signer=signature
    )
    return official.official_pdf(payload)


def issue_results(*, actor, context, issuer):
    signature = signer_of(issuer, DocumentKind.RESULTS)

    def build(number, day):
        return official.results_payload(
            issuer=issuer, context=context, number=number, day=day, signer=signature
        )

    return issue(
        kind=DocumentKind.RESULTS,
        issuer=issuer,
        plan=context["plan"],
        actor=actor,
        build=build,
    )


def issued_docx(document):
    """The Word file of an issued document, written from what it showed when issued."""
    title = f"{TITLES[document.kind]} {document.reference}"
    return official.official_docx(document.payload, title=title)
