"""Views of quotas and nominations."""

import base64
import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import eligibility
from quotas import bulk, import_template, imports, rules, selectors, services
from quotas import jobs as import_jobs
from quotas.allocations import GridErrors, allocation_move, allocation_set, allocation_set_grid
from quotas.forms import (
    AllocationMoveForm,
    AllocationSetForm,
    ImportUploadForm,
    NominationEditForm,
    NominationFilterForm,
    NominationForm,
    ReasonForm,
    form_errors_text,
    grid_field,
    parse_allocation_grid,
    person_choice_label,
)
from quotas.models import Allocation, Nomination
from quotas.selectors import (
    allocation_overview,
    allocation_usage,
    course_for_year,
    quota_line_for_year,
)
from training_plan import selectors as plan_selectors
from training_plan.access import check_perm, require_perm
from training_plan.history import history_rows
from training_plan.pagination import DeferredJoinPaginator
from training_plan.rules import scope_to_user
from training_plan.selectors import people_for_user, plan_or_404
from training_plan.web import XLSX, error_text, logged_file_response, parse_id, parse_ids

# --- Allocation (phân bổ chỉ tiêu) -------------------------------------------------------------


def allocation_home(request):
    plan = plan_selectors.current_plan()
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
            "show_totals": request.user.has_perm("training_plan.view_every_unit"),
            "totals": {
                name: sum(getattr(c, name) for c in courses)
                for name in ("planned", "allocated", "unallocated", "held", "free")
            },
        },
    )


def allocation_course(request, year, pk):
    course = course_for_year(year, pk)
    user = request.user
    lines = list(course.quota_lines.all())
    units = list(plan_selectors.units(year=year))
    names = {unit.pk: unit.short_name or unit.name for unit in units}
    labels = {line.pk: line.place for line in lines}
    records = scope_to_user(Allocation.history.filter(quota_line__course=course), user, "unit_id")
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
            "can_allocate": user.has_perm("quotas.change_allocation", course),
            "show_totals": user.has_perm("training_plan.view_every_unit"),
            "history": history,
            "focus_line": request.GET.get("line", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def allocation_grid(request, year, pk):
    """A course's whole allocation as one table: units down, capped quota lines across, saved
    at once (all or nothing). Setting a unit's seats to 0 asks first."""
    course = course_for_year(year, pk)
    check_perm(request.user, "quotas.change_allocation", course)
    lines = [line for line in course.quota_lines.all() if line.is_capped]
    units = list(plan_selectors.units(year=year))
    usages = allocation_usage(lines, user=request.user)
    current, held = {}, {}
    for usage in usages:
        for row in usage.rows:
            current[(usage.line.pk, row.unit.pk)] = row.allocated
            held[(usage.line.pk, row.unit.pk)] = row.held
    typed, cell_errors, line_errors, revoked = {}, {}, {}, []
    if request.method == "POST":
        typed, counts, cell_errors = parse_allocation_grid(request.POST, lines, units, current)
        revoked = [
            (line, unit, current[(line.pk, unit.pk)])
            for (line, unit), count in counts.items()
            if count == 0 and current.get((line.pk, unit.pk))
        ]
        back = bool(request.POST.get("back"))  # from the confirmation: the grid as typed
        if not cell_errors and not back and revoked and not request.POST.get("confirm"):
            return render(
                request,
                "quotas/allocation_grid_confirm.html",
                {
                    "course": course,
                    "plan": course.program.section.plan,
                    "revoked": revoked,
                    "posted": [
                        (name, request.POST[name]) for name in request.POST if name.startswith("c-")
                    ],
                },
            )
        if cell_errors and not back:  # the other cells are checked too, nothing saved
            try:
                allocation_set_grid(actor=request.user, course=course, counts=counts, save=False)
            except GridErrors as error:
                cell_errors, line_errors = {**error.cells, **cell_errors}, error.lines
            except ValidationError:
                pass
        elif not back:
            try:
                changed = allocation_set_grid(actor=request.user, course=course, counts=counts)
            except GridErrors as error:
                cell_errors, line_errors = error.cells, error.lines
            except ValidationError as error:
                messages.error(request, f"Chưa lưu được: {error_text(error)}")
                return redirect("allocation_grid", year=year, pk=pk)
            else:
                if changed:
                    messages.success(request, f"Đã lưu phân bổ chỉ tiêu ({changed} ô thay đổi).")
                else:
                    messages.info(request, "Không có ô nào thay đổi.")
                return redirect("allocation_grid", year=year, pk=pk)
    by_line = {usage.line.pk: usage for usage in usages}
    columns = [
        {"line": line, "usage": by_line[line.pk], "error": line_errors.get(line.pk)}
        for line in lines
    ]
    rows = []
    for unit in units:
        cells = []
        for line in lines:
            key = (line.pk, unit.pk)
            cells.append(
                {
                    "name": grid_field(line, unit),
                    "line": line,
                    "value": typed.get(key, current.get(key, 0)),
                    "initial": current.get(key, 0),
                    "held": held.get(key, 0),
                    "error": cell_errors.get(key),
                }
            )
        rows.append({"unit": unit, "cells": cells})
    unit_names = {unit.pk: unit.name for unit in units}
    line_names = {line.pk: line.place for line in lines}
    summary = [
        f"{unit_names.get(unit_pk, '—')} · {line_names.get(line_pk, '—')}: {text}"
        for (line_pk, unit_pk), text in cell_errors.items()
    ] + list(line_errors.values())
    return render(
        request,
        "quotas/allocation_grid.html",
        {
            "course": course,
            "plan": course.program.section.plan,
            "columns": columns,
            "rows": rows,
            "summary": summary,
        },
    )


def _back_to_line(line):
    url = reverse("allocation_course", args=[line.course.program.section.plan.year, line.course_id])
    # Back to the card of the line, which repeats the message (the page may be long).
    return redirect(f"{url}?line={line.pk}#line-{line.pk}")


def _refused(request, line, text):
    messages.error(request, f"Chưa thực hiện được — {line.place}: {text}")
    return _back_to_line(line)


@require_POST
def allocation_set_view(request, year, pk):
    line = quota_line_for_year(year, pk)
    check_perm(request.user, "quotas.change_allocation", line)
    form = AllocationSetForm(request.POST)
    if not form.is_valid():
        return _refused(request, line, form_errors_text(form))
    unit, count = form.cleaned_data["unit"], form.cleaned_data["count"]
    current = Allocation.objects.filter(quota_line=line, unit=unit).first()
    if count == 0 and current is not None and not request.POST.get("confirm"):
        # Revoking all of a unit's seats: say so first (issue 13, item 9).
        return render(
            request,
            "quotas/allocation_set_confirm.html",
            {
                "line": line,
                "unit": unit,
                "current": current,
                "plan": line.course.program.section.plan,
            },
        )
    try:
        allocation = allocation_set(actor=request.user, quota_line=line, unit=unit, count=count)
    except ValidationError as error:
        return _refused(request, line, error_text(error))
    if allocation is None:
        messages.success(request, f"Đã thu hồi toàn bộ chỉ tiêu của {unit.name} ({line.place}).")
    else:
        messages.success(request, f"Đã phân bổ {count} chỉ tiêu cho {unit.name} ({line.place}).")
    return _back_to_line(line)


@require_POST
def allocation_move_view(request, year, pk):
    line = quota_line_for_year(year, pk)
    check_perm(request.user, "quotas.change_allocation", line)
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
        return _refused(request, line, error_text(error))
    messages.success(
        request,
        f"Đã điều chuyển {data['count']} chỉ tiêu từ {data['from_unit'].name} sang "
        f"{data['to_unit'].name} ({line.place}).",
    )
    return _back_to_line(line)


# ---------------------------------------------------------------------------------------------
# Nominations
# ---------------------------------------------------------------------------------------------


PAGE_SIZE = 50
IMPORT_SESSION_KEY = "nomination_import"
# A refused check in the request: the uploaded bytes and the bad rows, for the copy of the file
# with its errors; replaced by the next upload, gone with the session.
IMPORT_ERRORS_SESSION_KEY = "nomination_import_errors"

ACTION_SERVICES = {
    "submit": services.nomination_submit,
    "reserve": services.nomination_reserve,
    "verify": services.nomination_verify,
    "approve": services.nomination_approve,
    "return": services.nomination_return,
    "reject": services.nomination_reject,
    "withdraw": services.nomination_withdraw,
    "override": services.nomination_override_warning,
}
REASON_ACTIONS = {"return", "reject", "withdraw", "override"}
BULK_LABELS = {
    "submit": "Gửi duyệt",
    "verify": "Thẩm định đạt",
    "approve": "Phê duyệt",
}


def _plan(request, plans):
    """The plan chosen by ?year= (404 if unknown), else the latest."""
    year = request.GET.get("year") or request.POST.get("year")
    if year:
        for plan in plans:
            if str(plan.year) == str(year):
                return plan
        raise Http404("Không có kế hoạch của năm này.")
    return plans[0]


def _plans_or_none(request):
    plans = list(plan_selectors.plan_list())
    if not plans:
        return None, render(request, "training_plan/no_plan.html")
    return plans, None


def _bulk_actions(user):
    return [(action, BULK_LABELS[action]) for action in rules.bulk_actions(user)]


@require_GET
def nomination_list(request):
    plans, empty = _plans_or_none(request)
    if empty:
        return empty
    plan = _plan(request, plans)
    form = NominationFilterForm(request.GET or None, plans=plans, plan=plan, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    nominations = selectors.nomination_list_for_user(
        request.user,
        plan=plan,
        program=filters.get("program"),
        course=filters.get("course"),
        unit=filters.get("unit"),
        status=filters.get("status", ""),
        flag=filters.get("flag", ""),
        query=filters.get("q", ""),
    )
    page = DeferredJoinPaginator(nominations, PAGE_SIZE).get_page(request.GET.get("page"))
    for nomination in page:
        nomination.report = nomination.eligibility_report
    return render(
        request,
        "quotas/nomination_list.html",
        {
            "plan": plan,
            "form": form,
            "page": page,
            "bulk_actions": _bulk_actions(request.user),
            "list_url": request.get_full_path(),
        },
    )


@require_GET
def nomination_detail(request, pk):
    nomination = selectors.nomination_for_user(request.user, pk)
    usage = None
    if nomination.quota_line_id and nomination.quota_line.is_capped:
        allocation, held_unit, held_line = services.seat_usage(
            nomination.quota_line, nomination.unit_id
        )
        usage = {
            "allocated": allocation.count if allocation else 0,
            "held_unit": held_unit,
            "held_line": held_line,
            "planned": nomination.quota_line.planned_count,
        }
    return render(
        request,
        "quotas/nomination_detail.html",
        {
            "nomination": nomination,
            "plan": nomination.course.program.section.plan,
            "course_code": nomination.course.code,
            "transitions": selectors.nomination_transitions(nomination),
            # Undecided files are shown against the rules in force now, not as last stored.
            "report": services.eligibility_check(nomination)
            if nomination.status in Nomination.UNDECIDED
            else nomination.eligibility_report,
            "actions": rules.allowed_actions(request.user, nomination),
            "can_edit": rules.action_refusal(request.user, nomination, "edit") is None,
            "reserve_position": selectors.reserve_position(nomination),
            "usage": usage,
            "promotion_reason": services.RESERVE_PROMOTION_REASON,
        },
    )


def _rules_by_course(courses, plan):
    """[(course, code, [rule…])] of the plan's courses that have rules applying this year."""
    from courses.models import EligibilityRule

    rules = {}
    for rule in EligibilityRule.objects.filter(course__in=courses).select_related(
        "legal_document__issuer"
    ):
        if eligibility.rule_applies(rule, plan.year):
            rules.setdefault(rule.course_id, []).append(rule)
    return [(course, course.code, rules[course.pk]) for course in courses if course.pk in rules]


@require_http_methods(["GET", "POST"])
@require_perm("quotas.add_nomination")
def nomination_create(request):
    user = request.user
    plans, empty = _plans_or_none(request)
    if empty:
        return empty
    plan = _plan(request, plans)
    courses = selectors.plan_courses(plan)
    people = people_for_user(user).order_by("sort_key", "id")
    units, unit = None, user.organisation if user.organisation_id else None
    unit_fixed = None
    person_pk = parse_id(request.POST.get("person") or request.GET.get("person") or "")
    if user.has_perm("training_plan.view_every_unit"):
        # BTC finds the person among every unit's (the picker shows each one's unit), or only
        # among one unit's when the page is opened for it (?unit=).
        units = plan_selectors.units(year=plan.year)  # the units of the plan's year
        unit_code = request.GET.get("unit") or request.POST.get("unit") or ""
        # A unit's code is a slug; anything else names no unit (PostgreSQL refuses a NUL in a
        # query: a 500).
        unit = units.filter(code=unit_code).first() if slug_re.fullmatch(unit_code) else None
        unit_fixed = unit
        if unit is not None:
            people = people.filter(organisation=unit)
        elif person_pk is not None:
            chosen = people.filter(pk=person_pk).first()
            unit = chosen.organisation if chosen else None
    initial = {}
    if request.GET.get("person"):
        initial["person"] = request.GET["person"]
    lines = [line for course in courses for line in course.quota_lines.all()]
    picker_url = reverse("nomination_people") + f"?year={plan.year}"
    if unit_fixed is not None:
        picker_url += f"&unit={unit_fixed.code}"
    form = NominationForm(
        request.POST or None,
        people=people,
        courses=courses,
        initial=initial,
        picker_url=picker_url,
        seats=selectors.unit_seats(lines, [unit.pk])[unit.pk] if unit else None,
    )
    report = None
    if request.method == "POST" and form.is_valid():
        course, line = form.cleaned_data["target"]
        person = form.cleaned_data["person"]
        months = {
            "training_months": form.cleaned_data["training_months"],
            "commitment_months": form.cleaned_data["commitment_months"],
        }
        if "check" in request.POST:
            report = eligibility.check(course, person, plan.year, Nomination(**months))
        else:
            try:
                nomination = services.nomination_create(
                    actor=user,
                    person=person,
                    course=course,
                    quota_line=line,
                    note=form.cleaned_data["note"],
                    **months,
                )
            except ValidationError as error:
                form.add_error(None, error.message)
                report = eligibility.check(course, person, plan.year, Nomination(**months))
            else:
                messages.success(request, f"Đã lập hồ sơ dự thảo cử {person} đi học “{course}”.")
                if "save_submit" in request.POST:
                    _run_action(request, nomination, "submit", {})
                return redirect(nomination)
    return render(
        request,
        "quotas/nomination_form.html",
        {
            "form": form,
            "plan": plan,
            "plans": plans,
            "units": units,
            "unit": unit,
            "unit_fixed": unit_fixed,
            "report": report,
            "rules_by_course": _rules_by_course(courses, plan),
        },
    )


@require_GET
@require_perm("quotas.add_nomination")
def nomination_people(request):
    """The nomination form's person picker: people the user may nominate whose name holds every
    word typed (diacritics ignored), with unit, date of birth, position and what their unit has
    left on each quota line of the year. A unit finds only its own people."""
    user = request.user
    plans = plan_selectors.plan_list()
    plan = plans.filter(year=parse_id(request.GET.get("year", "")) or 0).first() or plans.first()
    people = people_for_user(user)
    unit_code = request.GET.get("unit", "")
    if unit_code and slug_re.fullmatch(unit_code):
        people = people.filter(organisation__code=unit_code)
    found = selectors.picker_people(people, request.GET.get("q", "")[:100])
    lines = []
    if plan is not None and found:
        lines = [
            line for course in selectors.plan_courses(plan) for line in course.quota_lines.all()
        ]
    seats = selectors.unit_seats(lines, {person.organisation_id for person in found})
    return JsonResponse(
        {
            "results": [
                {
                    "id": person.pk,
                    "label": person_choice_label(person),
                    "name": person.full_name,
                    "unit": person.organisation.name,
                    "birth": f"{person.date_of_birth:%d/%m/%Y}",
                    "position": person.position,
                    "seats": seats.get(person.organisation_id, {}),
                }
                for person in found
            ],
            "more": len(found) == selectors.PICKER_LIMIT,
        }
    )


@require_http_methods(["GET", "POST"])
@require_perm("quotas.act_on_nominations")
def nomination_edit(request, pk):
    nomination = selectors.nomination_for_user(request.user, pk)
    refusal = rules.action_refusal(request.user, nomination, "edit")
    if refusal:
        messages.error(request, refusal)
        return redirect(nomination)
    initial = {
        "target": nomination.quota_line_id,
        "training_months": nomination.training_months,
        "commitment_months": nomination.commitment_months,
        "note": nomination.note,
    }
    form = NominationEditForm(request.POST or None, nomination=nomination, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_update(
                actor=request.user,
                nomination=nomination,
                quota_line=form.cleaned_data.get("target"),
                training_months=form.cleaned_data["training_months"],
                commitment_months=form.cleaned_data["commitment_months"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Đã lưu thay đổi của hồ sơ.")
            return redirect(nomination)
    return render(
        request,
        "quotas/nomination_edit.html",
        {
            "form": form,
            "nomination": nomination,
            "report": nomination.eligibility_report,
        },
    )


def _run_action(request, nomination, action, kwargs):
    label = rules.ACTIONS[action][0]
    try:
        ACTION_SERVICES[action](actor=request.user, nomination=nomination, **kwargs)
    except ValidationError as error:
        messages.error(request, f"{label} không thực hiện được: {error}")
        return False
    messages.success(
        request,
        f"{label}: hồ sơ của {nomination.person} — trạng thái “{nomination.get_status_display()}”.",
    )
    promoted = getattr(nomination, "promoted_from_reserve", None)
    if promoted is not None:
        messages.info(
            request,
            f"Chỉ tiêu được trả lại đã chuyển cho hồ sơ dự bị đầu tiên của đơn vị: "
            f"{promoted.person} (nay ở trạng thái “Đã gửi”).",
        )
    return True


@require_http_methods(["GET", "POST"])
@require_perm("quotas.act_on_nominations")
def nomination_action(request, pk, action):
    if action not in ACTION_SERVICES:
        raise Http404("Không có thao tác này.")
    nomination = selectors.nomination_for_user(request.user, pk)
    refusal = rules.action_refusal(request.user, nomination, action)
    if refusal:
        messages.error(request, refusal)
        return redirect(nomination)
    label, style, needs_reason = rules.ACTIONS[action]
    form = None
    if action in REASON_ACTIONS:
        form = ReasonForm(request.POST or None, required=needs_reason)
    if request.method == "POST" and (form is None or form.is_valid()):
        kwargs = {"reason": form.cleaned_data["reason"]} if form is not None else {}
        _run_action(request, nomination, action, kwargs)
        return redirect(nomination)
    return render(
        request,
        "quotas/nomination_action.html",
        {
            "nomination": nomination,
            "action": action,
            "label": label,
            "style": style,
            "form": form,
            "report": nomination.eligibility_report,
        },
    )


def _safe_next(request, fallback):
    target = request.POST.get("next") or ""
    # A path of this site only: `redirect("²")` would take a word for a URL name (a 500).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


@require_POST
@require_perm("quotas.act_on_nominations")
def nomination_bulk(request):
    back = _safe_next(request, reverse("nomination_list"))
    action = request.POST.get("action", "")
    if action not in dict(_bulk_actions(request.user)):
        messages.error(request, "Thao tác hàng loạt không hợp lệ với tài khoản của bạn.")
        return redirect(back)
    ids = parse_ids(request.POST.getlist("ids"))
    nominations = list(
        selectors.nominations_for_user(request.user)
        .filter(pk__in=ids)
        .order_by("person__sort_key", "person_id", "id")
    )
    if not nominations:
        messages.warning(request, "Chưa chọn hồ sơ nào: đánh dấu các hồ sơ trong danh sách.")
        return redirect(back)
    label = BULK_LABELS[action]
    if request.POST.get("confirm") != "1":
        rows = [(n, rules.action_refusal(request.user, n, action)) for n in nominations]
        return render(
            request,
            "quotas/nomination_bulk_confirm.html",
            {
                "action": action,
                "label": label,
                "rows": rows,
                "ready": sum(1 for _, refusal in rows if refusal is None),
                "next": back,
            },
        )
    result = bulk.BULK_SERVICES[action](actor=request.user, nominations=nominations)
    summary = f"{label}: đã thực hiện {len(result.changed)} hồ sơ"
    if result.refused:
        summary += f"; không thực hiện được {len(result.refused)} hồ sơ"
    messages.success(request, summary + ".")
    for nomination, reason in result.refused:
        messages.warning(request, f"{nomination.person} — {nomination.course}: {reason}")
    return redirect(back)


# Excel import ---------------------------------------------------------------------------------


@require_GET
@require_perm("quotas.add_nomination")
def nomination_import_template(request):
    plans, empty = _plans_or_none(request)
    if empty:
        return empty
    plan = _plan(request, plans)
    content = import_template.build_template(user=request.user, plan=plan)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mau-danh-sach-cu-di-hoc-{plan.year}.xlsx"'
    )
    return response


@require_http_methods(["GET", "POST"])
@require_perm("quotas.add_nomination")
def nomination_import(request):
    plans, empty = _plans_or_none(request)
    if empty:
        return empty
    plan = _plan(request, plans)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = _import_context(form, plan, plans)
    if request.method == "POST" and form.is_valid():
        request.session.pop(IMPORT_SESSION_KEY, None)
        request.session.pop(IMPORT_ERRORS_SESSION_KEY, None)
        upload = form.cleaned_data["file"]
        submit = form.cleaned_data["submit_now"]
        try:
            raw_rows = imports.read_upload(upload)
        except imports.ImportFileError as error:
            form.add_error("file", error.message)
            return render(request, "quotas/nomination_import.html", context)
        upload.seek(0)
        data = upload.read()  # read and checked whole by read_upload
        if import_jobs.runs_as_job(raw_rows):
            job = import_jobs.start_check(
                user=request.user,
                plan=plan,
                raw_rows=raw_rows,
                filename=upload.name,
                submit=submit,
                data=data,
            )
            return redirect("job_detail", job.pk)
        rows = imports.resolve_rows(raw_rows, user=request.user, plan=plan)
        imports.check_rows(rows, plan=plan)
        _preview(request, context, rows, plan=plan, filename=upload.name, submit=submit)
        if context["bad"]:
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_ERRORS_SESSION_KEY] = {
                "token": token,
                "year": plan.year,
                "filename": upload.name,
                "total": len(rows),
                "rows": imports.rows_to_error_copy(rows),
                "upload": base64.b64encode(data).decode("ascii"),
            }
            context["error_copy_url"] = reverse("nomination_import_errors", args=[token])
    return render(request, "quotas/nomination_import.html", context)


def _import_context(form, plan, plans):
    return {
        "form": form,
        "plan": plan,
        "plans": plans,
        "limits": imports,
        "job_rows": settings.NOMINATION_IMPORT_JOB_ROWS,
    }


def _preview(request, context, rows, *, plan, filename, submit, job=None):
    """The checked rows on the page; when none is bad, kept in the session for the confirmation
    (a job's preview opened again keeps its token)."""
    context.update(rows=rows, bad=sum(1 for row in rows if row.errors), filename=filename)
    if context["bad"]:
        return
    stored = request.session.get(IMPORT_SESSION_KEY)
    if job is not None and stored and stored.get("job") == job.pk:
        token = stored["token"]
    else:
        token = secrets.token_urlsafe(16)
    request.session[IMPORT_SESSION_KEY] = {
        "token": token,
        "year": plan.year,
        "submit": submit,
        "filename": filename,
        "rows": imports.rows_to_session(rows),
        "job": job.pk if job is not None else None,
    }
    context.update(token=token, submit_now=submit)


@require_GET
@require_perm("quotas.add_nomination")
def nomination_import_checked(request, pk):
    """The preview of a big file checked by the worker (quotas.jobs): its requester's alone."""
    job = import_jobs.checked_import(request.user, pk)
    if job.status != job.Status.DONE:
        return redirect("job_detail", job.pk)
    plans = list(plan_selectors.plan_list())
    plan = next((p for p in plans if p.year == job.params.get("year")), None)
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    if "rows" not in job.params or job.expired:
        messages.info(
            request,
            "Kết quả kiểm tra này không còn (đã lưu hoặc đã hết thời hạn lưu): "
            "hãy tải tệp lên lại nếu cần.",
        )
        return redirect(f"{reverse('nomination_import')}?year={plan.year}")
    context = _import_context(ImportUploadForm(), plan, plans)
    rows = imports.rows_from_session(job.params["rows"], user=request.user, plan=plan)
    _preview(
        request,
        context,
        rows,
        plan=plan,
        filename=job.params["filename"],
        submit=job.params["submit"],
        job=job,
    )
    if context["bad"] and import_jobs.error_copy_source(job):
        context["error_copy_url"] = reverse("nomination_import_checked_errors", args=[job.pk])
    return render(request, "quotas/nomination_import.html", context)


def _error_copy(request, data, bad_rows, *, filename, year, total, job=None):
    """The user's own uploaded file with a “Lỗi” column and its bad cells in red: people's
    data, so the download is logged."""
    content = import_template.error_copy(data, bad_rows)
    stem = PurePath(filename.replace("\\", "/")).stem[:100] or "danh-sach"
    filters = {"plan": year} | ({"job": job.pk} if job is not None else {})
    return logged_file_response(
        request, content, f"{stem}-kem-cot-loi.xlsx", XLSX, filters=filters, rows=total
    )


@require_GET
@require_perm("quotas.add_nomination")
def nomination_import_errors(request, token):
    """The copy with errors of the file refused by the last check in the request: kept in the
    uploader's session only, until the next upload."""
    stored = request.session.get(IMPORT_ERRORS_SESSION_KEY)
    if not stored or not secrets.compare_digest(str(stored.get("token")), token):
        raise Http404("Tệp này không còn: hãy tải tệp lên và kiểm tra lại.")
    return _error_copy(
        request,
        base64.b64decode(stored["upload"]),
        stored["rows"],
        filename=stored["filename"],
        year=stored["year"],
        total=stored["total"],
    )


@require_GET
@require_perm("quotas.add_nomination")
def nomination_import_checked_errors(request, pk):
    """The copy with errors of a big file refused by the worker's check: its requester's alone,
    while the preview is kept."""
    job = import_jobs.checked_import(request.user, pk)
    source = import_jobs.error_copy_source(job) if job.status == job.Status.DONE else None
    if source is None:
        raise Http404("Tệp này không còn: hãy tải tệp lên và kiểm tra lại.")
    data, bad_rows = source
    return _error_copy(
        request,
        data,
        bad_rows,
        filename=job.params.get("filename", ""),
        year=job.params.get("year"),
        total=len(job.params.get("rows", [])),
        job=job,
    )


@require_POST
@require_perm("quotas.add_nomination")
def nomination_import_confirm(request):
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(
            request,
            "Phiên nhập danh sách đã hết hạn hoặc đã được lưu: hãy tải tệp lên lại.",
        )
        return redirect("nomination_import")
    plans = list(plan_selectors.plan_list())
    plan = next((p for p in plans if p.year == stored["year"]), None)
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    rows = imports.rows_from_session(stored["rows"], user=request.user, plan=plan)
    try:
        created = bulk.nomination_import(
            actor=request.user, plan=plan, rows=rows, submit=stored["submit"]
        )
    except bulk.ImportRefused as error:
        request.session.pop(IMPORT_SESSION_KEY, None)
        if stored.get("job"):
            import_jobs.forget_check(stored["job"])
        messages.error(request, error.message)
        context = _import_context(ImportUploadForm(), plan, plans)
        context.update(
            rows=error.rows,
            bad=sum(1 for row in error.rows if row.errors),
            filename=stored["filename"],
        )
        return render(request, "quotas/nomination_import.html", context)
    except ValidationError as error:
        messages.error(request, f"Không lưu dòng nào: {error}")
        return redirect(f"{reverse('nomination_import')}?year={plan.year}")
    request.session.pop(IMPORT_SESSION_KEY, None)
    if stored.get("job"):
        import_jobs.forget_check(stored["job"])
    state = "đã gửi duyệt" if stored["submit"] else "dự thảo"
    messages.success(
        request,
        f"Đã nhập {len(created)} hồ sơ ({state}) từ tệp “{stored['filename']}”.",
    )
    return redirect(f"{reverse('nomination_list')}?year={plan.year}")
