"""After training: a person's training record (page and PDF) and the repayment decision (PDF,
Word). Both hold personal data: read through the scoped selectors, downloads logged."""

from django.http import Http404
from django.shortcuts import render

from commitments.selectors import commitment_for_user
from reports import after_training
from training_plan.access import check_perm
from training_plan.selectors import person_for_user
from training_plan.text import normalise_search
from training_plan.web import DOCX, PDF, logged_file_response


def _slug(text):
    return "-".join(normalise_search(text).split())


def person_training(request, pk):
    person = person_for_user(request.user, pk)
    check_perm(request.user, "training_plan.view_person", person)
    return render(
        request, "reports/person_training.html", after_training.person_record_context(person)
    )


def person_training_pdf(request, pk):
    person = person_for_user(request.user, pk)
    check_perm(request.user, "training_plan.view_person", person)
    return logged_file_response(
        request,
        after_training.person_record_pdf(person),
        f"qua-trinh-dao-tao-{_slug(person.full_name)}.pdf",
        PDF,
        filters={"person": person.pk},
        rows=1,
    )


def _decided_commitment(request, pk):
    commitment = commitment_for_user(request.user, pk)
    check_perm(request.user, "commitments.view_commitment", commitment)
    if not hasattr(commitment, "repayment"):
        raise Http404("Cam kết này chưa có quyết định đền bù.")
    return commitment


def repayment_decision_pdf(request, pk):
    commitment = _decided_commitment(request, pk)
    return logged_file_response(
        request,
        after_training.decision_pdf(commitment),
        f"quyet-dinh-den-bu-{_slug(commitment.person.full_name)}.pdf",
        PDF,
        filters={"commitment": commitment.pk},
        rows=1,
    )


def repayment_decision_docx(request, pk):
    commitment = _decided_commitment(request, pk)
    return logged_file_response(
        request,
        after_training.decision_docx(commitment),
        f"quyet-dinh-den-bu-{_slug(commitment.person.full_name)}.docx",
        DOCX,
        filters={"commitment": commitment.pk},
        rows=1,
    )
