"""The workflow's documents where users get them: a unit's letter sending its people to a course
(công văn cử cán bộ đi học), the block manager's decision sending the approved people (quyết định
cử đi học), and the downloads of issued documents (the results report is issued by its job,
reports/jobs.py).

Who may do what is `reports.rules`: a unit issues and reads its own letters (another unit's page
is a 404); BTC or SNV issues the decisions of its block's courses; BTC, SNV and leadership read
every letter and decision. Files with people's names are recorded in the download log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from quotas import selectors as plan_selectors
from reports import issuing, official
from reports.forms import SignerForm
from reports.models import DocumentKind, IssuedDocument
from training_plan.access import check_perm, require_perm
from training_plan.rules import scope_to_user
from training_plan.selectors import units
from training_plan.web import DOCX, PDF, error_text, file_response, logged_file_response


def unit_for_user(user, pk):
    """A unit the user may read (a unit user: only its own), or 404."""
    unit = scope_to_user(units(), user, "pk").filter(pk=pk).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


def issued_documents_for_user(user):
    """Issued documents the user may read: all for the province's readers, a unit its letters."""
    return scope_to_user(
        IssuedDocument.objects.select_related("issuer", "unit", "course").defer("pdf"),
        user,
        "unit_id",
    )


def _signer_form(request, organisation, kind, allowed):
    on_behalf, title = official.default_signer(organisation, kind)
    data = request.POST if request.method == "POST" and allowed else None
    return SignerForm(data, initial={"signer_on_behalf": on_behalf, "signer_title": title})


def _issue(request, form, do_issue, back):
    """Issue with the form's signer; a refusal is a message, nothing is issued."""
    try:
        document = do_issue(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return None
    messages.success(
        request,
        f"Đã cấp số {document.reference}, ngày {document.issued_on:%d/%m/%Y}: "
        f"{document.get_kind_display().lower()} gồm {document.people} người.",
    )
    return redirect(back)


@require_http_methods(["GET", "POST"])
def course_letter(request, year, pk, unit_pk):
    """A unit's letter sending its people to a course: the list it would carry, the letters
    issued before, and (for the unit) the form that issues the next one."""
    course = plan_selectors.course_for_year(year, pk)
    unit = unit_for_user(request.user, unit_pk)
    check_perm(request.user, "reports.download_nominations")
    can_issue = request.user.has_perm("reports.issue_letter", unit)
    if request.method == "POST":
        check_perm(request.user, "reports.issue_letter", unit)
    form = _signer_form(request, unit, DocumentKind.LETTER, can_issue)
    if request.method == "POST" and form.is_valid():
        response = _issue(
            request,
            form,
            lambda signer: issuing.issue_letter(
                actor=request.user, unit=unit, course=course, signer=signer
            ),
            request.path,
        )
        if response is not None:
            return response
    letters = IssuedDocument.objects.filter(
        kind=DocumentKind.LETTER, course=course, unit=unit
    ).defer("pdf", "payload")
    return render(
        request,
        "reports/course_letter.html",
        {
            "plan": course.program.section.plan,
            "course": course,
            "unit": unit,
            "nominations": issuing.letter_nominations(unit, course),
            "documents": letters,
            "form": form if can_issue else None,
            "format_name": _format_name(unit),
        },
    )


@require_http_methods(["GET", "POST"])
@require_perm("reports.view_decisions")
def course_decision(request, year, pk):
    """The decision sending a course's approved people: the list, the units' letters, the
    decisions issued before, and (for the block's manager) the form that issues the next."""
    course = plan_selectors.course_for_year(year, pk)
    can_issue = request.user.has_perm("reports.issue_decision", course)
    if request.method == "POST":
        check_perm(request.user, "reports.issue_decision", course)
    issuer = None
    try:
        issuer = issuing.block_manager(course.program.block)
    except ValidationError as error:
        if can_issue:
            messages.warning(request, error_text(error))
        can_issue = False
    form = _signer_form(request, issuer, DocumentKind.DECISION, can_issue) if issuer else None
    if request.method == "POST" and form is not None and form.is_valid():
        response = _issue(
            request,
            form,
            lambda signer: issuing.issue_decision(actor=request.user, course=course, signer=signer),
            request.path,
        )
        if response is not None:
            return response
    decisions = IssuedDocument.objects.filter(kind=DocumentKind.DECISION, course=course).defer(
        "pdf", "payload"
    )
    return render(
        request,
        "reports/course_decision.html",
        {
            "plan": course.program.section.plan,
            "course": course,
            "issuer": issuer,
            "nominations": issuing.decision_nominations(course),
            "letters": issuing.unit_letters(course),
            "documents": decisions,
            "form": form if can_issue else None,
            "format_name": _format_name(issuer) if issuer else "",
        },
    )


def _format_name(organisation):
    if official.document_format(organisation) == official.PARTY:
        return "thể thức văn bản của Đảng (Hướng dẫn 36-HD/VPTW)"
    return "thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP)"


def _issued_document(request, pk):
    document = issued_documents_for_user(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    check_perm(request.user, "reports.download_issued_document", document)
    return document


def _send(request, document, content, extension, content_type):
    filename = f"{document.kind.replace('_', '-')}-{document.year}-so-{document.number}"
    filename += f"-{document.pk}.{extension}"
    if document.has_people:
        return logged_file_response(
            request,
            content,
            filename,
            content_type,
            filters={"document": document.pk},
            rows=document.people,
        )
    return file_response(content, filename, content_type)


def issued_document_pdf(request, pk):
    """The PDF as it was issued (its SHA-256 is on the record)."""
    document = _issued_document(request, pk)
    content = bytes(IssuedDocument.objects.values_list("pdf", flat=True).get(pk=document.pk))
    return _send(request, document, content, "pdf", PDF)


def issued_document_docx(request, pk):
    """The Word file, written from what the document showed when it was issued."""
    document = _issued_document(request, pk)
    return _send(request, document, issuing.issued_docx(document), "docx", DOCX)
