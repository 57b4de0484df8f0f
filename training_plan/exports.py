"""The shared XLSX writer and the exporters of the plan workbook.

An exporter is one sheet: a name, its columns and a generator of rows. `write_xlsx` streams any
number of them into one workbook in openpyxl's write-only mode, so memory stays flat however many
rows the querysets (read with `.iterator()`) yield. Every text value is checked: text that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is stored as
plain text with Excel's quote prefix. Only `Formula` values, which exporters build themselves,
become formulas.
"""

import datetime
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from budget.selectors import appendix_for_plan
from courses.models import Course, StudyMode
from quotas.models import Nomination
from training_plan.models import Person
from training_plan.progress import ROMAN, allocation_usage

TEXT = "text"
INTEGER = "integer"
MONEY = "money"
DATE = "date"

NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
FORMATS = {INTEGER: NUMBER_FORMAT, MONEY: NUMBER_FORMAT, DATE: DATE_FORMAT}
# First characters that make Excel or LibreOffice read a cell as a formula (or DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Sheet rows: 1 is the header, data starts at 2 (exporters that write formulas need this).
FIRST_DATA_ROW = 2

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    kind: str = TEXT


@dataclass(frozen=True)
class Formula:
    """A formula written by an exporter itself (never from user data), e.g. "=SUM(H2:H9)"."""

    text: str
    kind: str = MONEY


@dataclass(frozen=True)
class Row:
    """A row with a style: subtotal and total rows are bold."""

    values: list
    bold: bool = False


class Exporter:
    """One sheet of a workbook: `sheet_name`, `columns` and the `rows()` generator."""

    sheet_name = ""
    columns: list[Column] = []

    def rows(self):
        raise NotImplementedError


def neutralise(text):
    """True when a spreadsheet would run this text as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _cell(sheet, value, column, bold):
    if not bold and (value is None or (isinstance(value, str) and not neutralise(value))):
        return value  # the writer makes a plain cell itself (faster)
    if isinstance(value, Formula):
        cell = WriteOnlyCell(sheet, value=value.text)
        cell.number_format = FORMATS.get(value.kind, NUMBER_FORMAT)
    elif isinstance(value, str):
        cell = WriteOnlyCell(sheet)
        cell.value = value
        # openpyxl itself turns "=…" into a formula; force text and set Excel's quote prefix so
        # that editing the cell in Excel or LibreOffice keeps it text too.
        if neutralise(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    elif isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value="Có" if value else None)
    elif isinstance(value, int | Decimal):
        cell = WriteOnlyCell(sheet, value=int(value))
        cell.number_format = FORMATS.get(column.kind, NUMBER_FORMAT)
    elif value is None:
        cell = WriteOnlyCell(sheet)
    else:
        raise TypeError(f"Cannot write {type(value).__name__} to a sheet")
    if bold:
        cell.font = BOLD
    return cell


def write_sheet(workbook, exporter):
    sheet = workbook.create_sheet(exporter.sheet_name[:31])
    columns = exporter.columns
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    last_row = 1
    for row in exporter.rows():
        values, bold = (row.values, row.bold) if isinstance(row, Row) else (row, False)
        sheet.append([_cell(sheet, v, c, bold) for v, c in zip(values, columns, strict=True)])
        last_row += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"


def write_xlsx(exporters):
    """Write the sheets into a temporary file and return it, rewound (stream it to the client)."""
    workbook = Workbook(write_only=True)
    for exporter in exporters:
        write_sheet(workbook, exporter)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def local_date(value):
    return timezone.localtime(value).date() if value else None


# ---- The sheets of the plan workbook ----------------------------------------------------------


class ProgramsExporter(Exporter):
    """Programs and courses of sections II–III, one row per quota line (or per course without)."""

    sheet_name = "Chương trình, chỉ tiêu"
    columns = [
        Column("Mục", 7),
        Column("Chương trình", 45),
        Column("Số lượng chương trình", 12, INTEGER),
        Column("Khóa, nội dung", 45),
        Column("Số lượng khóa", 10, INTEGER),
        Column("Cơ sở đào tạo", 34),
        Column("Hệ", 16),
        Column("Chỉ tiêu", 10, INTEGER),
        Column("Diễn giải chỉ tiêu", 50),
        Column("Số lượng (nguyên văn)", 40),
        Column("Khối kinh phí", 26),
        Column("Cơ quan chỉ đạo thực hiện", 30),
        Column("Cơ quan tổ chức thực hiện", 30),
        Column("Thời gian thực hiện", 24),
    ]

    def __init__(self, plan):
        self.plan = plan

    def rows(self):
        courses = (
            Course.objects.filter(program__section__plan=self.plan)
            .select_related(
                "program__section", "program__directing_body", "program__implementing_body"
            )
            .prefetch_related("quota_lines__institution")
            .order_by("program__section__position", "program__position", "position")
        )
        for course in courses.iterator(chunk_size=500):
            program = course.program
            head = [
                program.number,
                program.name,
                program.quantity,
                course.name,
                course.quantity,
            ]
            tail = [
                program.quantity_sentence,
                program.get_block_display(),
                program.directing_body.name if program.directing_body else "",
                program.implementing_body.name if program.implementing_body else "",
                program.period,
            ]
            lines = sorted(course.quota_lines.all(), key=lambda line: line.position)
            if not lines:
                yield head + ["", "", None, "Theo nhu cầu đăng ký"] + tail
            for line in lines:
                yield (
                    head
                    + [
                        line.institution.name,
                        line.get_study_mode_display(),
                        line.planned_count,
                        line.description,
                    ]
                    + tail
                )


class AppendixExporter(Exporter):
    """The funding appendix: classes by block, subtotals and total as numbers, with formulas a
    reader can recompute next to them and a difference that must be 0."""

    sheet_name = "Phụ lục kinh phí"
    columns = [
        Column("TT", 6, INTEGER),
        Column("Chương trình", 40),
        Column("Khóa, nội dung", 40),
        Column("Lớp", 30),
        Column("Cơ sở đào tạo", 30),
        Column("Số học viên", 10, INTEGER),
        Column("Thời gian", 24),
        Column("Dự toán kinh phí (đồng)", 18, MONEY),
        Column("Nguồn kinh phí", 18),
        Column("Số liệu minh họa", 10),
        Column("Kiểm tra: công thức", 18, MONEY),
        Column("Chênh lệch (phải bằng 0)", 14, MONEY),
    ]
    AMOUNT = "H"
    CHECK = "K"

    def __init__(self, plan):
        self.plan = plan

    def rows(self):
        appendix = appendix_for_plan(self.plan)
        amount, check = self.AMOUNT, self.CHECK
        row_number = FIRST_DATA_ROW
        subtotal_rows = []
        blank = [None] * len(self.columns)

        def line(**values):
            cells = list(blank)
            for letter, value in values.items():
                cells[ord(letter) - ord("A")] = value
            return cells

        for group in appendix.groups:
            yield Row(line(B=group.label), bold=True)
            row_number += 1
            first = row_number
            for item in group.rows:
                yield [
                    item.number,
                    item.program,
                    item.course,
                    item.training_class.name,
                    item.institution,
                    item.learners,
                    item.period,
                    item.estimate,
                    item.funding_source,
                    item.is_illustrative,
                    None,
                    None,
                ]
                row_number += 1
            last = row_number - 1
            formula = f"=SUM({amount}{first}:{amount}{last})" if group.rows else "=0"
            yield Row(
                line(
                    B=f"Cộng {group.label}",
                    F=group.learners,
                    H=group.subtotal,
                    K=Formula(formula),
                    L=Formula(f"={amount}{row_number}-{check}{row_number}"),
                ),
                bold=True,
            )
            subtotal_rows.append(row_number)
            row_number += 1
            if group.planned_total is not None:
                yield line(
                    B=f"Dự kiến kinh phí {group.label} (mục IV của kế hoạch)",
                    H=group.planned_total,
                    L=Formula(f"={amount}{row_number - 1}-{amount}{row_number}"),
                )
                row_number += 1
        sum_of_subtotals = ",".join(f"{amount}{row}" for row in subtotal_rows) or "0"
        yield Row(
            line(
                B="Tổng cộng",
                F=sum(group.learners for group in appendix.groups),
                H=appendix.total,
                K=Formula(f"=SUM({sum_of_subtotals})"),
                L=Formula(f"={amount}{row_number}-{check}{row_number}"),
            ),
            bold=True,
        )
        row_number += 1
        yield line(
            B="Tổng dự kiến kinh phí (mục IV của kế hoạch)",
            H=appendix.planned_total,
            L=Formula(f"={amount}{row_number - 1}-{amount}{row_number}"),
        )


class AllocationsExporter(Exporter):
    """Allocations and their use per unit: seats allocated vs. seats held by nominations."""

    sheet_name = "Phân bổ, sử dụng chỉ tiêu"
    columns = [
        Column("Đơn vị", 30),
        Column("Khối", 26),
        Column("Mục", 7),
        Column("Chương trình", 40),
        Column("Khóa, nội dung", 40),
        Column("Cơ sở đào tạo", 30),
        Column("Hệ", 16),
        Column("Được phân bổ", 11, INTEGER),
        Column("Đã cử (giữ chỉ tiêu)", 11, INTEGER),
        Column("Còn lại chưa cử", 11, INTEGER),
        Column("Đã duyệt", 10, INTEGER),
        Column("Đã xếp lớp", 10, INTEGER),
        Column("Hoàn thành", 10, INTEGER),
    ]

    def __init__(self, plan, *, unit=None):
        self.plan = plan
        self.unit = unit

    def rows(self):
        for item in allocation_usage(self.plan, unit=self.unit):
            yield [
                item["unit_name"],
                item["unit_block"],
                item["number"],
                item["program"],
                item["course"],
                item["institution"],
                item["study_mode"],
                item["allocated"],
                item["nominated"],
                item["remaining"],
                item["approved"],
                item["enrolled"],
                item["completed"],
            ]


class NominationsExporter(Exporter):
    """One row per nomination, streamed from the database."""

    sheet_name = "Danh sách cử đi học"
    columns = [
        Column("Họ và tên", 26),
        Column("Ngày sinh", 12, DATE),
        Column("Giới tính", 8),
        Column("Đơn vị cử", 28),
        Column("Chức vụ", 30),
        Column("Mục", 7),
        Column("Chương trình", 40),
        Column("Khóa, nội dung", 40),
        Column("Cơ sở đào tạo", 30),
        Column("Hệ", 16),
        Column("Lớp", 26),
        Column("Trạng thái", 16),
        Column("Ngày tạo", 12, DATE),
        Column("Ngày cập nhật", 12, DATE),
        Column("Ghi chú điều kiện", 40),
        Column("Lý do chấp nhận cảnh báo", 30),
        Column("Ghi chú", 30),
    ]

    chunk_size = 2000  # rows fetched at a time: memory is bounded by this, not by the total

    def __init__(self, nominations):
        self.nominations = nominations

    # Plain values, not model instances: a row costs a tuple, not nine objects.
    FIELDS = [
        "person__full_name",
        "person__date_of_birth",
        "person__gender",
        "unit__name",
        "person__position",
        "course__program__section__position",
        "course__program__position",
        "course__program__name",
        "course__name",
        "quota_line__institution__name",
        "quota_line__study_mode",
        "training_class__name",
        "status",
        "created_at",
        "updated_at",
        "eligibility_notes",
        "override_reason",
        "note",
    ]

    def rows(self):
        genders = dict(Person.Gender.choices)
        modes = dict(StudyMode.choices)
        statuses = dict(Nomination.Status.choices)
        rows = (
            self.nominations.order_by(
                "unit__name", "person__sort_key", "person_id", "course_id", "pk"
            )
            .values_list(*self.FIELDS)
            .iterator(chunk_size=self.chunk_size)
        )
        for (
            name,
            born,
            gender,
            unit,
            position,
            section,
            program_position,
            program,
            course,
            institution,
            mode,
            training_class,
            status,
            created,
            updated,
            notes,
            override,
            note,
        ) in rows:
            yield [
                name,
                born,
                genders.get(gender, gender),
                unit,
                position,
                f"{ROMAN[section]}.{program_position}",
                program,
                course,
                institution or "",
                modes.get(mode, "") if mode else "",
                training_class or "",
                statuses.get(status, status),
                local_date(created),
                local_date(updated),
                notes,
                override,
                note,
            ]


def plan_nominations(plan, nominations):
    return nominations.filter(course__program__section__plan=plan)


def plan_workbook(plan, *, nominations):
    """The plan workbook: programs and quota lines, the funding appendix, allocations and their
    use per unit, and the nominations (already scoped by the caller)."""
    return write_xlsx(
        [
            ProgramsExporter(plan),
            AppendixExporter(plan),
            AllocationsExporter(plan),
            NominationsExporter(plan_nominations(plan, nominations)),
        ]
    )


# ---- The results report (báo cáo kết quả thực hiện) -------------------------------------------

PROGRESS_COLUMNS = [
    Column("Kế hoạch", 11, INTEGER),
    Column("Theo nhu cầu", 9),
    Column("Đã phân bổ", 11, INTEGER),
    Column("Đã cử", 10, INTEGER),
    Column("Đã duyệt", 10, INTEGER),
    Column("Đã xếp lớp", 10, INTEGER),
    Column("Hoàn thành", 11, INTEGER),
    Column("Không hoàn thành", 11, INTEGER),
    Column("Tỉ lệ hoàn thành so với kế hoạch (%)", 14, INTEGER),
]


def progress_values(row):
    return [
        row.planned,
        row.demand_driven,
        row.allocated,
        row.nominated,
        row.approved,
        row.enrolled,
        row.completed,
        row.not_completed,
        row.completion_percent,
    ]


class ProgressExporter(Exporter):
    def __init__(self, sheet_name, lead_columns, rows, total=None):
        self.sheet_name = sheet_name
        self.columns = lead_columns + PROGRESS_COLUMNS
        self.items = rows
        self.total = total

    def rows(self):
        for lead, row in self.items:
            yield lead + progress_values(row)
        if self.total is not None:
            lead, row = self.total
            yield Row(lead + progress_values(row), bold=True)


class BudgetResultsExporter(Exporter):
    sheet_name = "Kinh phí theo khối"
    columns = [
        Column("Khối", 30),
        Column("Dự kiến (mục IV)", 18, MONEY),
        Column("Dự toán các lớp", 18, MONEY),
        Column("Số lớp", 8, INTEGER),
        Column("Chênh lệch", 16, MONEY),
    ]

    def __init__(self, budget_rows):
        self.budget_rows = budget_rows

    def rows(self):
        for row in self.budget_rows:
            yield [row.label, row.planned, row.classes_total, row.class_count, row.difference]


class ClassResultsExporter(Exporter):
    sheet_name = "Theo lớp"
    columns = [
        Column("Mục", 7),
        Column("Khóa, nội dung", 40),
        Column("Lớp", 34),
        Column("Cơ sở đào tạo", 30),
        Column("Khai giảng", 12, DATE),
        Column("Bế giảng", 12, DATE),
        Column("Trạng thái", 14),
        Column("Học viên", 10, INTEGER),
        Column("Hoàn thành", 10, INTEGER),
        Column("Không hoàn thành", 10, INTEGER),
    ]

    def __init__(self, classes):
        self.classes = classes

    def rows(self):
        for training_class in self.classes:
            yield [
                training_class.course.program.number,
                training_class.course.name,
                training_class.name,
                training_class.institution.name,
                training_class.start_date,
                training_class.end_date,
                training_class.get_status_display(),
                training_class.learners,
                training_class.completed,
                training_class.not_completed,
            ]


def results_exporters(context):
    """Sheets of the results report: per program, per unit, per block, budget, per class."""
    plan_progress = context["progress"]
    programs = ProgressExporter(
        "Theo chương trình",
        [Column("Mục", 7), Column("Chương trình", 50)],
        [([row.number, row.label], row) for row in plan_progress.programs],
        total=(["", "Toàn tỉnh"], plan_progress.total),
    )
    units = ProgressExporter(
        "Theo đơn vị",
        [Column("Đơn vị", 34), Column("Khối", 26)],
        [([row.label, row.block], row) for row in context["units"]],
    )
    blocks = ProgressExporter(
        "Theo khối",
        [Column("Khối", 34)],
        [([row.label], row) for row in plan_progress.blocks],
        total=(["Toàn tỉnh"], plan_progress.total),
    )
    return [
        programs,
        units,
        blocks,
        BudgetResultsExporter(plan_progress.budget),
        ClassResultsExporter(context["classes"]),
    ]
