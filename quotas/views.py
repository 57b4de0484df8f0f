"""Views of quotas and nominations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from quotas.forms import AllocationMoveForm, AllocationSetForm, form_errors_text
from quotas.models import Allocation
from quotas.selectors import (
    allocation_overview,
    allocation_units,
    allocation_usage,
    plan_or_404,
    quota_line_for_year,
)
from quotas.services import allocation_move, allocation_set
from training_plan import selectors as plan_selectors
from training_plan.history import history_rows
from training_plan.locking import LockTimeout

# --- Allocation (phân bổ chỉ tiêu) -------------------------------------------------------------


def _require_allocator(user, course):
    """BTC allocates the Party block, SNV the State block; everyone else only reads (403)."""
    if not user.reviews_block(course.program.block):
        raise PermissionDenied(
            "Chỉ Ban Tổ chức Tỉnh ủy (khối Đảng) và Sở Nội vụ (khối Nhà nước) được phân bổ "
            "chỉ tiêu."
        )


def line_label(line):
    """“Học viện Chính trị khu vực III, tập trung”."""
    label = line.institution.name
    if line.study_mode:
        label += f", {line.get_study_mode_display().lower()}"
    return label


def allocation_home(request):
    plan = plan_selectors.plan_list().first()
    if plan is None:
        return render(request, "training_plan/no_plan.html")
    return redirect("allocation_overview", year=plan.year)


def allocation_overview_view(request, year):
    plan = plan_or_404(year)
    courses = allocation_overview(plan, user=request.user)
    return render(
        request,
        "quotas/allocation_overview.html",
        {
            "plan": plan,
            "courses": courses,
            "show_totals": request.user.sees_all_units,
            "totals": {
                name: sum(getattr(c, name) for c in courses)
                for name in ("planned", "allocated", "unallocated", "held", "free")
            },
        },
    )


def allocation_course(request, year, pk):
    course = plan_selectors.course_for_year(year, pk)
    user = request.user
    lines = list(course.quota_lines.all())
    units = allocation_units()
    names = {unit.pk: unit.short_name or unit.name for unit in units}
    labels = {line.pk: line_label(line) for line in lines}
    records = Allocation.history.filter(quota_line__course=course)
    if not user.sees_all_units:
        records = records.filter(unit_id=user.organisation_id)
    history = history_rows(
        records,
        label=lambda r: f"{names.get(r.unit_id, '—')} · {labels.get(r.quota_line_id, '—')}",
        exclude=("quota_line", "unit"),
    )
    return render(
        request,
        "quotas/allocation_course.html",
        {
            "course": course,
            "plan": course.program.section.plan,
            "usages": allocation_usage(lines, user=user),
            "demand_lines": [line for line in lines if not line.is_capped],
            "units": units,
            "can_allocate": user.reviews_block(course.program.block),
            "show_totals": user.sees_all_units,
            "history": history,
            "focus_line": request.GET.get("line", ""),
        },
    )


def _back_to_line(line):
    url = reverse("allocation_course", args=[line.course.program.section.plan.year, line.course_id])
    # Back to the card of the line, which repeats the message (the page may be long).
    return redirect(f"{url}?line={line.pk}#line-{line.pk}")


def _refused(request, line, text):
    messages.error(request, f"Chưa thực hiện được — {line_label(line)}: {text}")
    return _back_to_line(line)


@require_POST
def allocation_set_view(request, year, pk):
    line = quota_line_for_year(year, pk)
    _require_allocator(request.user, line.course)
    form = AllocationSetForm(request.POST)
    if not form.is_valid():
        return _refused(request, line, form_errors_text(form))
    unit, count = form.cleaned_data["unit"], form.cleaned_data["count"]
    try:
        allocation = allocation_set(actor=request.user, quota_line=line, unit=unit, count=count)
    except ValidationError as error:
        return _refused(request, line, " ".join(error.messages))
    except LockTimeout as error:
        return _refused(request, line, str(error))
    if allocation is None:
        messages.success(
            request, f"Đã thu hồi toàn bộ chỉ tiêu của {unit.name} ({line_label(line)})."
        )
    else:
        messages.success(
            request, f"Đã phân bổ {count} chỉ tiêu cho {unit.name} ({line_label(line)})."
        )
    return _back_to_line(line)


@require_POST
def allocation_move_view(request, year, pk):
    line = quota_line_for_year(year, pk)
    _require_allocator(request.user, line.course)
    form = AllocationMoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, line, form_errors_text(form))
    data = form.cleaned_data
    try:
        allocation_move(
            actor=request.user,
            quota_line=line,
            from_unit=data["from_unit"],
            to_unit=data["to_unit"],
            count=data["count"],
        )
    except ValidationError as error:
        return _refused(request, line, " ".join(error.messages))
    except LockTimeout as error:
        return _refused(request, line, str(error))
    messages.success(
        request,
        f"Đã điều chuyển {data['count']} chỉ tiêu từ {data['from_unit'].name} sang "
        f"{data['to_unit'].name} ({line_label(line)}).",
    )
    return _back_to_line(line)
