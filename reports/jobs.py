"""The long exports, built by the worker with their progress (`inbox.jobs`): the nominations of
every year, the plan workbook, the results report (Excel and PDF).

A view starts the job (`start_job`) for the user who asks; the builder runs later in the worker
for that user, so it checks the permission again and reads through the same scoped selectors as
the view did. The files with people's data are the requester's alone and each download is
logged (`inbox.views.job_download`)."""

from django.core.exceptions import ValidationError

from inbox.jobs import JobResult, builder
from quotas.selectors import nominations_for_user
from reports import exports, issuing
from reports.progress import results_context
from training_plan.models import Plan
from training_plan.rules import refusal
from training_plan.text import format_number
from training_plan.web import PDF, XLSX

NOMINATIONS_ALL_YEARS = "nominations_all_years"
PLAN_WORKBOOK = "plan_workbook"
RESULTS_XLSX = "results_xlsx"
RESULTS_PDF = "results_pdf"

TITLES = {
    NOMINATIONS_ALL_YEARS: "Danh sách cử đi học tất cả các năm (Excel)",
    PLAN_WORKBOOK: "Bảng số liệu kế hoạch năm {year} (Excel)",
    RESULTS_XLSX: "Báo cáo kết quả thực hiện kế hoạch năm {year} (Excel)",
    RESULTS_PDF: "Báo cáo kết quả thực hiện kế hoạch năm {year} (PDF)",
}
PERMISSIONS = {
    NOMINATIONS_ALL_YEARS: "reports.download_nominations",
    PLAN_WORKBOOK: "reports.download_workbook",
    RESULTS_XLSX: "reports.view_results",
    RESULTS_PDF: "reports.view_results",
}


def title_of(kind, year=None):
    return TITLES[kind].format(year=year)


def _still_allowed(job):
    """The requester may have lost the right between the request and the worker's turn."""
    name = PERMISSIONS[job.kind]
    if not job.requester.has_perm(name):
        raise ValidationError(refusal(name))


def _plan(job):
    plan = Plan.objects.filter(year=job.params.get("year")).first()
    if plan is None:
        raise ValidationError(f"Không còn kế hoạch năm {job.params.get('year')}.")
    return plan


def _read(workbook):
    with workbook:
        return workbook.read()


@builder(NOMINATIONS_ALL_YEARS)
def nominations_all_years(job, progress):
    _still_allowed(job)
    nominations = nominations_for_user(job.requester)
    rows = nominations.count()
    exporter = exports.NominationsExporter(nominations, every_year=True)
    content = _read(exports.write_xlsx([exporter], progress=progress))
    return JobResult(
        content=content,
        filename="danh-sach-cu-di-hoc-tat-ca-cac-nam.xlsx",
        content_type=XLSX,
        rows=rows,
        summary=f"{format_number(rows)} hồ sơ cử đi học.",
    )


@builder(PLAN_WORKBOOK)
def plan_workbook(job, progress):
    _still_allowed(job)
    plan = _plan(job)
    nominations = nominations_for_user(job.requester)
    rows = exports.plan_nominations(plan, nominations).count()
    content = _read(exports.plan_workbook(plan, nominations=nominations, progress=progress))
    return JobResult(
        content=content,
        filename=f"so-lieu-ke-hoach-{plan.year}.xlsx",
        content_type=XLSX,
        rows=rows,
        summary=f"Gồm {format_number(rows)} hồ sơ cử đi học.",
    )


@builder(RESULTS_XLSX)
def results_xlsx(job, progress):
    _still_allowed(job)
    plan = _plan(job)
    exporters = exports.results_exporters(results_context(plan))
    content = _read(exports.write_xlsx(exporters, progress=progress))
    return JobResult(
        content=content, filename=f"bao-cao-ket-qua-{plan.year}.xlsx", content_type=XLSX
    )


@builder(RESULTS_PDF)
def results_pdf(job, progress):
    """The year-end report (báo cáo kết quả thực hiện) as an official document: BTC or SNV
    issue it — a number of their own, the PDF recorded (reports/issuing.py) —; a reader
    (leadership) gets the same report as of today without a number. Two steps: the figures,
    then the PDF (WeasyPrint gives no progress of its own)."""
    _still_allowed(job)
    plan = _plan(job)
    progress(0, 2)
    context = results_context(plan)
    issuer = issuing.results_issuer(job.requester)
    progress(1, 2)
    if job.requester.has_perm("reports.issue_results_report"):
        document = issuing.issue_results(actor=job.requester, context=context, issuer=issuer)
        content = bytes(document.pdf)
        filename = f"bao-cao-ket-qua-{plan.year}-so-{document.number}.pdf"
        summary = f"Đã cấp số {document.reference}, ngày {document.issued_on:%d/%m/%Y}."
    else:
        content = issuing.results_unnumbered(context=context, issuer=issuer)
        filename = f"bao-cao-ket-qua-{plan.year}.pdf"
        summary = "Bản đọc, chưa có số: chỉ Ban Tổ chức Tỉnh ủy, Sở Nội vụ cấp số báo cáo."
    progress(2, 2)
    return JobResult(content=content, filename=filename, content_type=PDF, summary=summary)
