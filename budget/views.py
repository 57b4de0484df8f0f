"""Budget screens (norms, class budget lines, the budget page, the funding appendix, the block
review) and the plan's life-cycle actions (check, issue, copy to the next year)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from budget import notices, selectors, services
from budget.forms import BudgetLineForm, CostNormForm
from budget.selectors import training_class_for_user
from training_plan.access import check_perm, require_perm
from training_plan.models import Block
from training_plan.selectors import current_plan, plan_or_404
from training_plan.text import format_money
from training_plan.web import error_text


def _latest(name):
    plan = current_plan()
    if plan is None:
        return redirect("home")
    return redirect(name, year=plan.year)


def budget_current(request):
    return _latest("budget_overview")


def appendix_current(request):
    return _latest("budget_appendix")


def budget_overview(request, year):
    plan = plan_or_404(year)
    appendix = selectors.appendix_for_plan(plan)
    return render(request, "budget/overview.html", {"plan": plan, "appendix": appendix})


def budget_appendix(request, year):
    plan = plan_or_404(year)
    appendix = selectors.appendix_for_plan(plan)
    return render(request, "budget/appendix.html", {"plan": plan, "appendix": appendix})


@require_perm("budget.view_block_review")
def block_review(request, year, block):
    if block not in Block.values:
        raise Http404("Không có khối kinh phí này.")
    plan = plan_or_404(year)
    review = selectors.block_review(plan, block)
    return render(
        request,
        "budget/block_review.html",
        {
            "plan": plan,
            "block": block,
            "block_label": Block(block).label,
            "can_manage": request.user.has_perm("training_plan.manage_block", block),
            **review,
        },
    )


# Cost norms -----------------------------------------------------------------------------------


def cost_norm_list(request, year):
    plan = plan_or_404(year)
    can_edit = request.user.has_perm("budget.change_costnorm") and plan.is_structure_editable
    form = CostNormForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        check_perm(request.user, "budget.change_costnorm")
        if form is None:
            messages.error(request, f"Kế hoạch năm {plan.year} đã ban hành: định mức chỉ để xem.")
            return redirect("cost_norm_list", year=year)
        if form.is_valid():
            try:
                norm = services.cost_norm_create(plan=plan, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Đã thêm định mức “{norm.item}”.")
                return redirect("cost_norm_list", year=year)
    return render(
        request,
        "budget/norm_list.html",
        {
            "plan": plan,
            "norms": selectors.cost_norms_for_plan(plan),
            "form": form,
            "can_edit": can_edit,
        },
    )


def cost_norm_edit(request, pk):
    norm = selectors.cost_norm_for_user(request.user, pk)
    check_perm(request.user, "budget.change_costnorm", norm)
    form = CostNormForm(request.POST or None, initial=CostNormForm.initial_for(norm))
    if request.method == "POST" and form.is_valid():
        try:
            norm, repriced = services.cost_norm_update(
                norm=norm, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            text = f"Đã cập nhật định mức “{norm.item}”."
            if repriced:
                text += f" {repriced} dòng dự toán của các lớp chưa kết thúc được tính lại."
            messages.success(request, text)
            return redirect("cost_norm_list", year=norm.plan.year)
    return render(request, "budget/norm_form.html", {"plan": norm.plan, "norm": norm, "form": form})


@require_POST
def cost_norm_delete(request, pk):
    norm = selectors.cost_norm_for_user(request.user, pk)
    check_perm(request.user, "budget.change_costnorm", norm)
    try:
        services.cost_norm_delete(norm=norm, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Đã xóa định mức “{norm.item}”.")
    return redirect("cost_norm_list", year=norm.plan.year)


# Budget lines of a class ---------------------------------------------------------------------


def _line_form_data(form):
    return {
        "norm": form.cleaned_data["norm"],
        "description": form.cleaned_data["description"],
        "quantity_kind": form.cleaned_data["quantity_kind"],
        "quantity": form.cleaned_data["quantity"],
        "multiplier": form.cleaned_data["multiplier"] or 1,
        "rate": form.cleaned_data["rate"],
    }


def _warn_if_block_over(request, training_class):
    """After a change to a class's money: say so when its block now costs more than planned."""
    plan = training_class.course.program.section.plan
    block = training_class.course.program.block
    over = notices.overrun(plan, block)
    if over is not None and over > 0:
        messages.warning(
            request,
            f"Lưu ý: dự toán các lớp của {Block(block).label} nay vượt kinh phí dự kiến của "
            f"khối (mục IV) +{format_money(over)}.",
        )


def budget_line_create(request, pk):
    training_class = training_class_for_user(request.user, pk)
    check_perm(request.user, "budget.change_budgetline", training_class)
    plan = training_class.course.program.section.plan
    form = BudgetLineForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.budget_line_create(
                training_class=training_class, actor=request.user, **_line_form_data(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Đã thêm khoản “{line.description}”: {format_money(line.amount)}."
            )
            _warn_if_block_over(request, training_class)
            return redirect("class_detail", pk=pk)
    return render(
        request,
        "budget/line_form.html",
        {"plan": plan, "training_class": training_class, "form": form},
    )


def budget_line_edit(request, pk):
    line = selectors.budget_line_for_user(request.user, pk, write=True)
    training_class = line.training_class
    plan = training_class.course.program.section.plan
    form = BudgetLineForm(request.POST or None, plan=plan, initial=BudgetLineForm.initial_for(line))
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_line_update(line=line, actor=request.user, **_line_form_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã cập nhật khoản “{line.description}”.")
            _warn_if_block_over(request, training_class)
            return redirect("class_detail", pk=training_class.pk)
    return render(
        request,
        "budget/line_form.html",
        {"plan": plan, "training_class": training_class, "form": form, "line": line},
    )


@require_http_methods(["GET", "POST"])
def budget_line_delete(request, pk):
    """GET: what deleting the line changes, with the button that does it (POST)."""
    line = selectors.budget_line_for_user(request.user, pk, write=True)
    if request.method == "GET":
        training_class = line.training_class
        before = sum(item.amount for item in training_class.budget_lines.all())
        return render(
            request,
            "budget/confirm.html",
            {
                "plan": training_class.course.program.section.plan,
                "training_class": training_class,
                "title": f"Xóa khoản “{line.description}”",
                "changes": [
                    f"Khoản “{line.description}” ({format_money(line.amount)}) bị xóa khỏi dự "
                    f"toán của lớp “{training_class.name}”.",
                    f"Dự toán của lớp giảm từ {format_money(before)} xuống "
                    f"{format_money(before - line.amount)}.",
                ],
                "action": request.path,
                "confirm_label": "Xóa khoản này",
            },
        )
    try:
        services.budget_line_delete(line=line, actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Đã xóa khoản “{line.description}”.")
    return redirect("class_detail", pk=line.training_class_id)


# Plan life cycle ------------------------------------------------------------------------------
