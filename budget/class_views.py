"""Class pages: list, open, change, enrol learners, results, cancel. A class is where the
plan's seats become learners and its money is spent, so its pages sit with the budget, the first
layer that sees courses, nominations and budget lines together."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from budget import selectors as budget_selectors
from budget.forms import BudgetLineForm
from courses.forms import (
    CancelClassForm,
    ClassResultsForm,
    EnrolForm,
    TrainingClassCreateForm,
    TrainingClassForm,
)
from courses.models import TrainingClass
from courses.selectors import manageable_courses
from quotas import classes as class_services
from quotas import selectors as quota_selectors
from quotas.models import Nomination
from training_plan.access import require_perm
from training_plan.models import Block
from training_plan.pagination import DeferredJoinPaginator
from training_plan.selectors import current_plan, plan_or_404
from training_plan.web import error_text

# ---------------------------------------------------------------------------------------------
# Classes (lớp): list, open, change, enrol learners, results, cancel.
# ---------------------------------------------------------------------------------------------

CLASS_PAGE_SIZE = 50
LEARNER_PAGE_SIZE = 100


def class_list_current(request):
    plan = current_plan()
    if plan is None:
        return redirect("home")
    return redirect("class_list", year=plan.year)


def class_list(request, year):
    plan = plan_or_404(year)
    classes = budget_selectors.classes_for_plan(plan)
    block = request.GET.get("block", "")
    if block in Block.values:
        classes = classes.filter(course__program__block=block)
    status = request.GET.get("status", "")
    if status in TrainingClass.Status.values:
        classes = classes.filter(status=status)
    # Estimates and learner counts are subqueries: computed for the page's rows only.
    page = DeferredJoinPaginator(classes, CLASS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "budget/class_list.html",
        {
            "plan": plan,
            "page": page,
            "block": block,
            "status": status,
            "blocks": Block.choices,
            "statuses": TrainingClass.Status.choices,
            "can_open": request.user.has_perm("courses.open_class"),
        },
    )


@require_perm("courses.open_class")
def class_create(request, year):
    plan = plan_or_404(year)
    courses = manageable_courses(request.user, plan)
    form = TrainingClassCreateForm(request.POST or None, courses=courses)
    if request.method == "GET" and request.GET.get("course"):
        form = TrainingClassCreateForm(
            courses=courses, initial={"course": request.GET.get("course")}
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        course = data.pop("course")
        try:
            training_class = class_services.training_class_create(
                course=course, actor=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã mở lớp “{training_class.name}”.")
            return redirect("class_detail", pk=training_class.pk)
    return render(request, "budget/class_form.html", {"plan": plan, "form": form})


def class_detail(request, pk):
    training_class = budget_selectors.training_class_for_user(request.user, pk)
    plan = training_class.course.program.section.plan
    can_manage = request.user.has_perm("courses.manage_class", training_class)
    learners = Paginator(
        quota_selectors.class_learners(training_class, request.user), LEARNER_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "training_class": training_class,
        "learners": learners,
        "lines": budget_selectors.budget_lines_of_class(training_class),
        "can_manage": can_manage,
        "is_cancelled": training_class.status == TrainingClass.Status.CANCELLED,
        "free_places": max(training_class.capacity - training_class.learner_count, 0),
    }
    if can_manage:
        context["candidates"] = Paginator(
            quota_selectors.enrolment_candidates(training_class), LEARNER_PAGE_SIZE
        ).get_page(request.GET.get("cpage"))
        context["line_form"] = BudgetLineForm(plan=plan)
        context["can_enrol"] = training_class.status in class_services.ENROLLING_STATUSES
        context["can_record_results"] = training_class.status in class_services.RESULT_STATUSES
    return render(request, "budget/class_detail.html", context)


def class_edit(request, pk):
    training_class = budget_selectors.training_class_for_user(request.user, pk, write=True)
    plan = training_class.course.program.section.plan
    if training_class.status == TrainingClass.Status.CANCELLED:
        messages.error(request, "Lớp đã hủy, không sửa được.")
        return redirect("class_detail", pk=pk)
    form = TrainingClassForm(
        request.POST or None, initial=TrainingClassForm.initial_for(training_class)
    )
    if request.method == "POST" and form.is_valid():
        try:
            class_services.training_class_update(
                training_class=training_class, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã cập nhật thông tin lớp.")
            return redirect("class_detail", pk=pk)
    return render(
        request,
        "budget/class_form.html",
        {"plan": plan, "form": form, "training_class": training_class},
    )


@require_POST
def class_enrol(request, pk):
    training_class = budget_selectors.training_class_for_user(request.user, pk, write=True)
    single = request.POST.get("single")
    data = {"nominations": [single]} if single else request.POST
    form = EnrolForm(data, candidates=quota_selectors.enrolment_candidates(training_class))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["nominations"]))
        return redirect("class_detail", pk=pk)
    try:
        count = class_services.class_enrol(
            training_class=training_class,
            nomination_ids=[n.pk for n in form.cleaned_data["nominations"]],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Đã xếp {count} học viên vào lớp.")
    return redirect("class_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def class_unenrol(request, pk, nomination_pk):
    """GET: what taking the learner out changes, with the button that does it (POST)."""
    training_class = budget_selectors.training_class_for_user(request.user, pk, write=True)
    if request.method == "GET":
        learner = (
            quota_selectors.class_learners(training_class, request.user)
            .filter(pk=nomination_pk, status=Nomination.Status.ENROLLED)
            .first()
        )
        if learner is None:
            raise Http404("Học viên không thuộc lớp này hoặc đã có kết quả.")
        return render(
            request,
            "budget/confirm.html",
            {
                "plan": training_class.course.program.section.plan,
                "training_class": training_class,
                "title": f"Rút {learner.person.full_name} khỏi lớp",
                "changes": [
                    f"{learner.person.full_name} ({learner.unit.name}) không còn là học viên "
                    f"của lớp “{training_class.name}”.",
                    "Hồ sơ cử đi học trở về trạng thái “Đã duyệt” và vẫn giữ chỗ của đơn vị; "
                    "có thể xếp vào lớp khác.",
                ],
                "action": request.path,
                "confirm_label": "Rút khỏi lớp",
            },
        )
    try:
        nomination = class_services.class_unenrol(
            training_class=training_class, nomination_id=nomination_pk, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"Đã rút {nomination.person.full_name} khỏi lớp; hồ sơ trở về trạng thái “Đã duyệt”.",
        )
    return redirect("class_detail", pk=pk)


def class_results(request, pk):
    training_class = budget_selectors.training_class_for_user(request.user, pk, write=True)
    plan = training_class.course.program.section.plan
    if training_class.status not in class_services.RESULT_STATUSES:
        messages.error(
            request,
            "Chỉ ghi kết quả khi lớp đang học hoặc đã kết thúc; hãy cập nhật trạng thái lớp trước.",
        )
        return redirect("class_detail", pk=pk)
    learners = quota_selectors.class_learners(training_class, request.user)
    form = ClassResultsForm(request.POST or None, learners=learners)
    if request.method == "POST" and form.is_valid():
        try:
            changed = class_services.class_record_results(
                training_class=training_class, results=form.results(), actor=request.user
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_row_errors(error)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"Đã ghi kết quả học tập ({changed} học viên thay đổi).")
            return redirect("class_detail", pk=pk)
    return render(
        request,
        "budget/class_results.html",
        {"plan": plan, "training_class": training_class, "form": form},
    )


def class_cancel(request, pk):
    training_class = budget_selectors.training_class_for_user(request.user, pk, write=True)
    plan = training_class.course.program.section.plan
    form = CancelClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            returned = class_services.class_cancel(
                training_class=training_class,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                f"Đã hủy lớp “{training_class.name}”. {returned} học viên được trả về trạng thái "
                "“Đã duyệt” để xếp vào lớp khác.",
            )
        return redirect("class_detail", pk=pk)
    return render(
        request,
        "budget/class_cancel.html",
        {"plan": plan, "training_class": training_class, "form": form},
    )
