"""The plan read as a whole: the dashboard, the plan's pages, its check, issue and copy, the
documents and workbooks, the results report and the download log.

Who may read and download what is `reports.rules`: leadership, BTC and SNV (and administrators)
download everything; a unit downloads only lists of its own people (class lists, its
nominations) and gets 403 for the rest. Every download of a file with personal data is recorded
in the download log."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from budget.selectors import training_class_for_user
from inbox.jobs import start_job
from quotas import selectors as plan_selectors
from quotas.selectors import nominations_for_user
from reports import class_lists, documents, exports, jobs, progress
from reports.forms import NominationDeadlineForm, PlanIssueForm
from reports.lifecycle import (
    PlanCheckFailed,
    plan_copy_to_year,
    plan_copy_unit_changes,
    plan_issue,
    plan_set_nomination_deadline,
)
from reports.models import DocumentKind, IssuedDocument
from reports.plan_check import check_plan
from reports.progress import results_context
from reports.rules import progress_block
from training_plan import selectors
from training_plan.access import check_perm, require_perm
from training_plan.download_log import download_log_page_queryset
from training_plan.models import Block
from training_plan.selectors import plan_exists, plan_or_404
from training_plan.web import (
    DOCX,
    PDF,
    XLSX,
    error_text,
    file_response,
    logged_file_response,
)

# ---- The plan document ------------------------------------------------------------------------


@require_perm("reports.download_plan_documents")
def plan_document_pdf(request, year):
    return file_response(documents.plan_pdf(year), f"ke-hoach-{year}.pdf", PDF)


@require_perm("reports.download_plan_documents")
def plan_appendix_pdf(request, year):
    return file_response(documents.appendix_pdf(year), f"phu-luc-kinh-phi-{year}.pdf", PDF)


@require_perm("reports.download_plan_documents")
def plan_document_docx(request, year):
    return file_response(documents.plan_docx(year), f"ke-hoach-{year}.docx", DOCX)


# ---- Workbooks with personal data (logged) ----------------------------------------------------


def background_export(request, *, kind, year=None, personal_data=False, log_filters=None):
    """A long export: GET shows the page that asks for it, POST has the worker build it and
    sends the user to the job's page (progress bar, then the download link, also in the
    inbox)."""
    title = jobs.title_of(kind, year)
    if request.method != "POST":
        return render(request, "reports/export_start.html", {"title": title})
    job = start_job(
        requester=request.user,
        kind=kind,
        title=title,
        params={"year": year} if year else {},
        personal_data=personal_data,
        log_filters=log_filters,
    )
    return redirect("job_detail", job.pk)


@require_http_methods(["GET", "POST"])
@require_perm("reports.download_workbook")
def plan_workbook_xlsx(request, year):
    plan_or_404(year)
    return background_export(
        request, kind=jobs.PLAN_WORKBOOK, year=year, personal_data=True, log_filters={"plan": year}
    )


@require_perm("reports.download_nominations")
def plan_nominations_xlsx(request, year):
    """The nominations of the plan the user may see: a unit gets only its own."""
    plan = plan_or_404(year)
    filename = f"danh-sach-cu-di-hoc-{year}.xlsx"
    nominations = exports.plan_nominations(plan, nominations_for_user(request.user))
    workbook = exports.write_xlsx([exports.NominationsExporter(nominations)])
    return logged_file_response(
        request, workbook, filename, XLSX, filters={"plan": year}, rows=nominations.count()
    )


@require_http_methods(["GET", "POST"])
@require_perm("reports.download_nominations")
def nominations_all_years_xlsx(request):
    """The nominations of every plan year the user may see (the scoping of the nominations
    list: every unit for BTC, SNV, leadership; a unit only its own), with the year; built by
    the worker (reports/jobs.py)."""
    return background_export(
        request,
        kind=jobs.NOMINATIONS_ALL_YEARS,
        personal_data=True,
        log_filters={"plan": "all"},
    )


def _class_list_download(request, pk, render_file, extension, content_type):
    """A class's list of learners the user may see (a unit: the people it sent), logged."""
    training_class = training_class_for_user(request.user, pk)
    check_perm(request.user, "reports.download_class_list", training_class)
    content = render_file(request.user, training_class)
    rows = class_lists.class_learners_for_user(request.user, training_class).count()
    return logged_file_response(
        request,
        content,
        f"danh-sach-hoc-vien-lop-{training_class.pk}.{extension}",
        content_type,
        filters={"class": training_class.pk},
        rows=rows,
    )


def class_learners_xlsx(request, pk):
    return _class_list_download(request, pk, class_lists.class_list_xlsx, "xlsx", XLSX)


def class_learners_pdf(request, pk):
    return _class_list_download(request, pk, class_lists.class_list_pdf, "pdf", PDF)


# ---- Dashboard --------------------------------------------------------------------------------


def dashboard(request, plan):
    """The home page: what each role needs to follow the plan, from aggregate queries."""
    user = request.user
    context = {"plan": plan}
    if not user.has_perm("reports.view_plan_progress") and user.has_perm(
        "reports.view_unit_progress"
    ):
        unit = user.organisation
        courses = progress.plan_courses(plan)
        usage = progress.allocation_usage(plan, unit=unit, courses=courses)
        rows = progress.unit_progress(plan, unit=unit, usage=usage)
        own = rows[0] if rows else progress.UnitProgress(label=unit.name, planned=0)
        context.update(
            unit=unit,
            unit_row=own,
            chart=progress.progress_chart(own, title=f"Tiến độ của {unit.name}"),
            usage=usage,
            status_rows=progress.status_rows(plan, unit=unit, courses=courses),
            classes=progress.class_progress(plan, unit=unit, courses=courses),
        )
        return render(request, "reports/dashboard_unit.html", context)
    if not user.has_perm("reports.view_plan_progress"):
        return render(request, "reports/dashboard_none.html", context)
    block = progress_block(user)
    usage = progress.allocation_usage(plan, block=block)
    plan_progress = progress.plan_progress(plan, block=block, usage=usage)
    units = progress.unit_progress(plan, block=block, usage=usage)
    behind = progress.units_behind(units)
    context.update(
        status_rows=progress.status_rows(plan),
        focus_block=block,
        block_label=Block(block).label if block else "",
        progress=plan_progress,
        # Demand-driven programs nobody has been sent to yet would only draw empty charts.
        program_charts=[
            progress.progress_chart(row)
            for row in plan_progress.programs
            if row.planned is not None or row.nominated
        ],
        block_charts=[progress.progress_chart(row) for row in plan_progress.blocks],
        budget_chart=progress.budget_chart(plan_progress.budget),
        behind=behind[:15],
        behind_more=max(len(behind) - 15, 0),
        behind_chart=progress.behind_chart(behind[:15]) if behind else None,
    )
    return render(request, "reports/dashboard.html", context)


# ---- Results report (báo cáo kết quả thực hiện) ----------------------------------------------


@require_perm("reports.view_results")
def results_page(request, year):
    plan = plan_or_404(year)
    context = results_context(plan)
    context["documents"] = IssuedDocument.objects.filter(
        kind=DocumentKind.RESULTS, plan=plan
    ).defer("pdf", "payload")
    return render(request, "reports/results.html", context)


@require_http_methods(["GET", "POST"])
@require_perm("reports.view_results")
def results_pdf(request, year):
    plan_or_404(year)
    return background_export(request, kind=jobs.RESULTS_PDF, year=year)


@require_http_methods(["GET", "POST"])
@require_perm("reports.view_results")
def results_xlsx(request, year):
    plan_or_404(year)
    return background_export(request, kind=jobs.RESULTS_XLSX, year=year)


# ---- The download log -------------------------------------------------------------------------


@require_perm("training_plan.view_download_log")
def download_log(request):
    page = Paginator(download_log_page_queryset(), 50).get_page(request.GET.get("page"))
    return render(request, "reports/download_log.html", {"page": page})


def home(request):
    """The dashboard of the current plan (the latest issued) for the user's role."""
    plan = selectors.current_plan()
    if plan is None:
        return render(request, "training_plan/no_plan.html")
    return dashboard(request, plan)


def plan_detail(request, year):
    plan = plan_selectors.plan_for_year(year)
    blocks = list(plan.budget_blocks.all())
    return render(
        request,
        "reports/plan_detail.html",
        {"plan": plan, "blocks": blocks, "budget_total": sum(b.planned_total for b in blocks)},
    )


def program_detail(request, year, pk):
    program = plan_selectors.program_for_year(year, pk)
    return render(
        request, "reports/program_detail.html", {"program": program, "plan": program.section.plan}
    )


def course_detail(request, year, pk):
    course = plan_selectors.course_for_year(year, pk)
    return render(
        request,
        "reports/course_detail.html",
        {"course": course, "plan": course.program.section.plan},
    )


@require_perm("reports.view_plan_check")
def plan_check_view(request, year):
    plan = plan_or_404(year)
    return render(request, "reports/plan_check.html", {"plan": plan, "issues": check_plan(plan)})


@require_perm("reports.issue_plan")
def plan_issue_view(request, year):
    plan = plan_or_404(year)
    if not plan.is_structure_editable:
        messages.info(request, f"Kế hoạch năm {plan.year} đã ban hành.")
        return redirect(plan)
    form = PlanIssueForm(
        request.POST or None, initial={"number": plan.number, "issue_date": plan.issue_date}
    )
    issues = []
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_issue(plan=plan, actor=request.user, **form.cleaned_data)
        except PlanCheckFailed as error:
            issues = error.issues
            messages.error(request, error_text(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Đã ban hành kế hoạch năm {plan.year}, số {plan.number}. Cấu trúc kế hoạch "
                "từ nay chỉ để xem; cử cán bộ, lớp và kết quả vẫn tiếp tục.",
            )
            return redirect(plan)
    return render(
        request, "reports/plan_issue.html", {"plan": plan, "form": form, "issues": issues}
    )


@require_perm("reports.set_nomination_deadline")
def plan_deadline_view(request, year):
    plan = plan_or_404(year)
    form = NominationDeadlineForm(
        request.POST or None, initial={"nomination_deadline": plan.nomination_deadline}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_set_nomination_deadline(
                plan=plan, actor=request.user, deadline=form.cleaned_data["nomination_deadline"]
            )
        except ValidationError as error:
            form.add_error("nomination_deadline", error)
        else:
            if plan.nomination_deadline:
                messages.success(
                    request,
                    f"Đã đặt hạn gửi danh sách cử đi học: {plan.nomination_deadline:%d/%m/%Y}.",
                )
            else:
                messages.success(request, "Đã bỏ hạn gửi danh sách cử đi học.")
            return redirect(plan)
    return render(request, "reports/plan_deadline.html", {"plan": plan, "form": form})


@require_perm("reports.copy_plan")
def plan_copy_view(request, year):
    plan = plan_or_404(year)
    target = plan.year + 1
    if request.method == "POST":
        try:
            new_plan = plan_copy_to_year(plan=plan, actor=request.user, year=target)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(plan)
        messages.success(
            request,
            f"Đã tạo dự thảo kế hoạch năm {new_plan.year} từ kế hoạch năm {plan.year} "
            "(cùng cấu trúc, chỉ tiêu, định mức; chưa có cán bộ, lớp, kinh phí đã chi).",
        )
        moved = [change for change in new_plan.unit_changes if not change.to_decide]
        to_decide = [change for change in new_plan.unit_changes if change.to_decide]
        if moved:
            messages.info(
                request,
                "Đơn vị đã kết thúc hoạt động, chuyển sang đơn vị kế thừa: "
                + "; ".join(str(change) for change in moved)
                + ".",
            )
        if to_decide:
            messages.warning(
                request,
                "Không sao chép, BTC cần quyết định: "
                + "; ".join(str(change) for change in to_decide)
                + ".",
            )
        return redirect(new_plan)
    exists = plan_exists(plan.province, target)
    return render(
        request,
        "reports/plan_copy.html",
        {
            "plan": plan,
            "target": target,
            "exists": exists,
            "unit_changes": [] if exists else plan_copy_unit_changes(plan, target),
        },
    )
