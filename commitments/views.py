"""Commitment screens: thin views over `commitments.services` and the scoped selectors."""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from commitments import selectors, services
from commitments.forms import (
    CommitmentEditForm,
    CommitmentForm,
    InterruptionForm,
    PaymentForm,
    RepaymentForm,
    StateFilterForm,
)
from commitments.models import RepaymentKind
from training_plan.access import check_perm, require_perm
from training_plan.pagination import CappedCountPaginator
from training_plan.text import normalise_search
from training_plan.web import error_text, parse_id

PER_PAGE = 50


@require_perm("commitments.view_commitment")
def commitment_list(request):
    form = StateFilterForm(request.GET or None)
    commitments = selectors.commitments_for_user(request.user)
    counts = selectors.state_counts(commitments)
    if form.is_valid():
        if form.cleaned_data["state"]:
            commitments = commitments.filter(state=form.cleaned_data["state"])
        for word in normalise_search(form.cleaned_data["q"]).split():
            commitments = commitments.filter(person__search_name__contains=word)
    commitments = commitments.order_by("person__sort_key", "pk")
    page = CappedCountPaginator(commitments, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/commitment_list.html",
        {"form": form, "page": page, "counts": counts, "rules": selectors.rules_list()},
    )


def commitment_detail(request, pk):
    commitment = selectors.commitment_for_user(request.user, pk)
    check_perm(request.user, "commitments.view_commitment", commitment)
    today = timezone.localdate()
    case = getattr(commitment, "repayment", None)
    context = {
        "commitment": commitment,
        "interruptions": list(commitment.interruptions.all()),
        "served": commitment.served_months(today),
        "cost": services.commitment_cost(commitment),
        "case": case,
        "can_change": request.user.has_perm("commitments.change_commitment", commitment),
        "can_decide": request.user.has_perm("commitments.decide_repayment", commitment),
        "interruption_form": InterruptionForm(),
    }
    if case is not None:
        paid = services.case_paid(case)
        context.update(
            calculation=services.case_calculation(case),
            payments=list(case.payments.all()),
            paid=paid,
            remaining=case.amount - paid,
            payment_form=PaymentForm(),
        )
    return render(request, "commitments/commitment_detail.html", context)


@require_perm("commitments.change_commitment")
def commitment_create_view(request):
    nomination_id = parse_id(request.GET.get("nomination") or request.POST.get("nomination"))
    if nomination_id is None:
        messages.error(request, "Chọn hồ sơ cử đi học để ghi cam kết (từ trang hồ sơ).")
        return redirect("commitment_list")
    nomination = selectors.nomination_for_commitment(request.user, nomination_id)
    check_perm(request.user, "commitments.change_commitment", nomination)
    initial = {
        "training_months": nomination.training_months,
        "required_months": nomination.commitment_months,
    }
    if nomination.training_class_id:
        initial["sent_date"] = nomination.training_class.start_date
    form = CommitmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                actor=request.user, nomination=nomination, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                f"Đã ghi cam kết phục vụ của {nomination.person.full_name} "
                f"({commitment.required_months} tháng, theo {commitment.rule.citation}).",
            )
            return redirect(commitment)
    return render(
        request, "commitments/commitment_form.html", {"form": form, "nomination": nomination}
    )


def commitment_edit_view(request, pk):
    commitment = selectors.commitment_for_user(request.user, pk)
    check_perm(request.user, "commitments.change_commitment", commitment)
    form = CommitmentEditForm(request.POST or None, instance=copy.copy(commitment))
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                actor=request.user, commitment=commitment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, "Đã lưu cam kết phục vụ.")
            return redirect(commitment)
    return render(
        request,
        "commitments/commitment_edit.html",
        {"form": form, "commitment": commitment},
    )


@require_POST
def interruption_add_view(request, pk):
    commitment = selectors.commitment_for_user(request.user, pk)
    check_perm(request.user, "commitments.change_commitment", commitment)
    form = InterruptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(commitment)
    try:
        services.interruption_add(actor=request.user, commitment=commitment, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Đã ghi thời gian gián đoạn; thời gian phục vụ được tính lại.")
    return redirect(commitment)


def repayment_view(request, pk):
    """Choose the case: the figures are shown (F, T1, T2, S) before the decision is recorded."""
    commitment = selectors.commitment_for_user(request.user, pk)
    check_perm(request.user, "commitments.decide_repayment", commitment)
    if hasattr(commitment, "repayment"):
        messages.info(request, "Cam kết này đã có quyết định đền bù.")
        return redirect(commitment)
    form = RepaymentForm(request.POST or None)
    calculation = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "preview" in request.POST:
                calculation = services.repayment_calculate(
                    commitment=commitment, kind=data["kind"], event_date=data["event_date"]
                )
            else:
                services.repayment_case_create(actor=request.user, commitment=commitment, **data)
                messages.success(request, "Đã ghi quyết định đền bù chi phí đào tạo.")
                return redirect(commitment)
        except ValidationError as error:
            form.add_error(None, error_text(error))
    return render(
        request,
        "commitments/repayment_form.html",
        {
            "form": form,
            "commitment": commitment,
            "calculation": calculation,
            "cases": commitment.rule.cases_text(),
            "kinds": RepaymentKind,
        },
    )


@require_POST
def payment_add_view(request, pk):
    commitment = selectors.commitment_for_user(request.user, pk)
    check_perm(request.user, "commitments.decide_repayment", commitment)
    case = getattr(commitment, "repayment", None)
    if case is None:
        messages.error(request, "Chưa có quyết định đền bù: chưa ghi được khoản nộp.")
        return redirect(commitment)
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(commitment)
    try:
        services.payment_add(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Đã ghi khoản nộp tiền đền bù.")
    return redirect(commitment)
