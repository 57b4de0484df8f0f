"""Documents, downloads, the dashboard and the results report.

Leadership, BTC and SNV (and administrators) download everything; a unit downloads only lists of
its own people (class lists, its nominations) and gets 403 for the rest. Every download of a file
with personal data is recorded in the download log."""

import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from courses import exports as class_exports
from courses.selectors import training_class_for_user
from quotas.selectors import nominations_for_user
from training_plan import documents, exports, progress, selectors
from training_plan.access import require_roles
from training_plan.download_log import download_log_page_queryset, download_log_record
from training_plan.models import Block, User

DOCUMENT_ROLES = (User.Role.BTC, User.Role.SNV, User.Role.LEADERSHIP)
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_or_404(year):
    plan = selectors.plan_list().filter(year=year).first()
    if plan is None:
        raise Http404("Không có kế hoạch của năm này.")
    return plan


def attachment(content, filename, content_type):
    """A download: bytes or an open (temporary) file, streamed in chunks."""
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    response = FileResponse(content, as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    response["Cache-Control"] = "private, no-store"
    return response


def scope_of(user):
    if user.sees_all_units:
        return "all"
    return f"unit:{user.organisation.code}" if user.organisation else "none"


# ---- The plan document ------------------------------------------------------------------------


@require_roles(*DOCUMENT_ROLES)
def plan_document_pdf(request, year):
    return attachment(documents.plan_pdf(year), f"ke-hoach-{year}.pdf", PDF)


@require_roles(*DOCUMENT_ROLES)
def plan_appendix_pdf(request, year):
    return attachment(documents.appendix_pdf(year), f"phu-luc-kinh-phi-{year}.pdf", PDF)


@require_roles(*DOCUMENT_ROLES)
def plan_document_docx(request, year):
    return attachment(documents.plan_docx(year), f"ke-hoach-{year}.docx", DOCX)


# ---- Workbooks with personal data (logged) ----------------------------------------------------


@require_roles(*DOCUMENT_ROLES)
def plan_workbook_xlsx(request, year):
    plan = plan_or_404(year)
    filename = f"so-lieu-ke-hoach-{year}.xlsx"
    workbook = exports.plan_workbook(plan, nominations=nominations_for_user(request.user))
    download_log_record(
        user=request.user,
        filename=filename,
        filters={"plan": year, "scope": scope_of(request.user)},
    )
    return attachment(workbook, filename, XLSX)


def require_nomination_reader(user):
    """BTC, SNV, leadership (every unit) and units (their own) download nomination lists."""
    if not (user.sees_all_units or user.is_unit):
        raise PermissionDenied("Tài khoản của bạn không có quyền tải danh sách này.")


def plan_nominations_xlsx(request, year):
    """The nominations of the plan the user may see: a unit gets only its own."""
    require_nomination_reader(request.user)
    plan = plan_or_404(year)
    filename = f"danh-sach-cu-di-hoc-{year}.xlsx"
    nominations = exports.plan_nominations(plan, nominations_for_user(request.user))
    workbook = exports.write_xlsx([exports.NominationsExporter(nominations)])
    download_log_record(
        user=request.user,
        filename=filename,
        filters={"plan": year, "scope": scope_of(request.user)},
    )
    return attachment(workbook, filename, XLSX)


def nominations_all_years_xlsx(request):
    """The nominations of every plan year the user may see (the scoping of the nominations
    list: every unit for BTC, SNV, leadership; a unit only its own), with the year."""
    require_nomination_reader(request.user)
    filename = "danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx"
    nominations = nominations_for_user(request.user)
    workbook = exports.write_xlsx([exports.NominationsExporter(nominations, every_year=True)])
    download_log_record(
        user=request.user,
        filename=filename,
        filters={"plan": "all", "scope": scope_of(request.user)},
    )
    return attachment(workbook, filename, XLSX)


def class_learners_xlsx(request, pk):
    training_class = training_class_for_user(request.user, pk)
    filename = f"danh-sach-hoc-vien-lop-{training_class.pk}.xlsx"
    workbook = class_exports.class_list_xlsx(request.user, training_class)
    download_log_record(
        user=request.user,
        filename=filename,
        filters={"class": training_class.pk, "scope": scope_of(request.user)},
    )
    return attachment(workbook, filename, XLSX)


def class_learners_pdf(request, pk):
    training_class = training_class_for_user(request.user, pk)
    filename = f"danh-sach-hoc-vien-lop-{training_class.pk}.pdf"
    pdf = class_exports.class_list_pdf(request.user, training_class)
    download_log_record(
        user=request.user,
        filename=filename,
        filters={"class": training_class.pk, "scope": scope_of(request.user)},
    )
    return attachment(pdf, filename, PDF)


# ---- Dashboard --------------------------------------------------------------------------------


def dashboard(request, plan):
    """The home page: what each role needs to follow the plan, from aggregate queries."""
    user = request.user
    context = {"plan": plan}
    if user.is_unit and user.organisation_id:
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
            status_counts=progress.unit_status_counts(plan, unit, courses=courses),
            classes=progress.class_progress(plan, unit=unit, courses=courses),
        )
        return render(request, "training_plan/dashboard_unit.html", context)
    if not user.sees_all_units:
        return render(request, "training_plan/dashboard_none.html", context)
    block = Block.STATE if user.is_snv else None
    usage = progress.allocation_usage(plan, block=block)
    plan_progress = progress.plan_progress(plan, block=block, usage=usage)
    units = progress.unit_progress(plan, block=block, usage=usage)
    behind = progress.units_behind(units)
    context.update(
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
    return render(request, "training_plan/dashboard.html", context)


# ---- Results report (báo cáo kết quả thực hiện) ----------------------------------------------


def results_context(plan):
    usage = progress.allocation_usage(plan)
    return {
        "plan": plan,
        "progress": progress.plan_progress(plan, usage=usage),
        "units": progress.unit_progress(plan, usage=usage),
        "classes": progress.class_progress(plan),
    }


@require_roles(*DOCUMENT_ROLES)
def results_page(request, year):
    plan = plan_or_404(year)
    return render(request, "training_plan/results.html", results_context(plan))


@require_roles(*DOCUMENT_ROLES)
def results_pdf(request, year):
    plan = plan_or_404(year)
    pdf = documents.render_pdf("documents/results.html", results_context(plan))
    return attachment(pdf, f"bao-cao-ket-qua-{year}.pdf", PDF)


@require_roles(*DOCUMENT_ROLES)
def results_xlsx(request, year):
    plan = plan_or_404(year)
    workbook = exports.write_xlsx(exports.results_exporters(results_context(plan)))
    return attachment(workbook, f"bao-cao-ket-qua-{year}.xlsx", XLSX)


# ---- The download log -------------------------------------------------------------------------


@require_roles(User.Role.BTC)
def download_log(request):
    page = Paginator(download_log_page_queryset(), 50).get_page(request.GET.get("page"))
    return render(request, "training_plan/download_log.html", {"page": page})
