"""The shared XLSX writer and the exporters of the plan workbook.

An exporter is one sheet: a name, its columns and a generator of rows. `write_xlsx` streams any
number of them into one workbook with the small writer of `training_plan.xlsx`, so memory stays
flat however many rows the querysets (read with `.iterator()`) yield. Every text value is
checked: text that a spreadsheet would run as a formula (starting with = + - @, tab or carriage
return) is stored as plain text with Excel's quote prefix. Only `Formula` values, which exporters
build themselves, become formulas.
"""

import datetime
import tempfile
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import TruncDate
from django.utils import timezone

from budget.selectors import appendix_for_plan
from courses.eligibility import EligibilityReport
from courses.models import Course, StudyMode
from quotas.models import Nomination
from reports.progress import ROMAN, allocation_usage
from training_plan import xlsx
from training_plan.models import Person

TEXT = "text"
INTEGER = "integer"
MONEY = "money"
DATE = "date"
YEAR = "year"  # a whole number shown as is (2021, not 2.021)
PERCENT = "percent"  # a rate with one decimal (0,4)

NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
FORMATS = {
    INTEGER: NUMBER_FORMAT,
    MONEY: NUMBER_FORMAT,
    DATE: DATE_FORMAT,
    YEAR: "General",
    PERCENT: "0.0",
}
# Sheet rows: 1 is the header, data starts at 2 (exporters that write formulas need this).
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 14
    kind: str = TEXT


@dataclass(frozen=True)
class Formula:
    """A formula written by an exporter itself (never from user data), e.g. "=SUM(H2:H9)", with
    the value it computes: stored beside it, so that Excel's Protected View, viewers and
    libraries that do not calculate (openpyxl) show the number, not a blank."""

    text: str
    kind: str = MONEY
    value: int | None = None  # required: see CellEncoder


@dataclass(frozen=True)
class Row:
    """A row with a style: subtotal and total rows are bold."""

    values: list
    bold: bool = False


class Exporter:
    """One sheet of a workbook: `sheet_name`, `columns` and the `rows()` generator; `count()`
    the number of rows when it is known cheaply (the progress of a background export)."""

    sheet_name = ""
    columns: list[Column] = []

    def rows(self):
        raise NotImplementedError

    def count(self):
        return None


def _format_id(kind):
    return xlsx.NUMBER_FORMAT_IDS[FORMATS.get(kind, NUMBER_FORMAT)]


class CellEncoder:
    """Turns a row of Python values into the XML of its cells, with the column's number format
    for numbers, dd/mm/yyyy for dates, and Excel's quote prefix on formula-like text. The loop
    is the hot path of every export (one pass per cell): plain type checks and string
    formatting, no object per cell."""

    def __init__(self, columns):
        self.letters = [xlsx.column_letter(i) for i in range(1, len(columns) + 1)]
        index = xlsx.STYLES.index
        self.styles = {}
        for bold in (False, True):
            self.styles[bold] = {
                "number": [index(_format_id(column.kind), bold) for column in columns],
                "date": index(xlsx.DATE_DDMMYYYY, bold),
                "quoted": index(xlsx.GENERAL, bold, quote=True),
                "text": index(xlsx.GENERAL, bold) if bold else None,
            }

    @staticmethod
    def text_cell(letter, row, value, text_style, quoted_style):
        if not value:
            return ""
        style = quoted_style if value[0] in xlsx.FORMULA_START else text_style
        return (
            f'<c r="{letter}{row}"{style} t="inlineStr"><is><t xml:space="preserve">'
            f"{xlsx.escape_text(value)}</t></is></c>"
        )

    def encode(self, values, row, bold=False):
        styles = self.styles[bold]
        text_style = f' s="{styles["text"]}"' if bold else ""
        quoted_style = f' s="{styles["quoted"]}"'
        date_style = styles["date"]
        escape = xlsx.escape_text
        needs_escape = xlsx.NEEDS_ESCAPE.search
        epoch = xlsx.WINDOWS_EPOCH_ORDINAL
        parts = []
        append = parts.append
        for letter, number_style, value in zip(self.letters, styles["number"], values, strict=True):
            kind = type(value)
            if kind is str:
                if value:
                    # The style is chosen on the text as stored (before any escaping).
                    style = quoted_style if value[0] in xlsx.FORMULA_START else text_style
                    if needs_escape(value):
                        value = escape(value)
                    append(
                        f'<c r="{letter}{row}"{style} t="inlineStr"><is><t xml:space="preserve">'
                        f"{value}</t></is></c>"
                    )
                elif bold:
                    append(f'<c r="{letter}{row}"{text_style}/>')
            elif kind is datetime.date:
                days = value.toordinal() - epoch
                if days <= 60:
                    days = xlsx.excel_serial(value)
                append(f'<c r="{letter}{row}" s="{date_style}"><v>{days}</v></c>')
            elif value is None:
                if bold:
                    append(f'<c r="{letter}{row}"{text_style}/>')
            elif kind is int or kind is Decimal:
                append(f'<c r="{letter}{row}" s="{number_style}"><v>{int(value)}</v></c>')
            elif kind is float:  # a rate (PERCENT): its column's format
                append(f'<c r="{letter}{row}" s="{number_style}"><v>{value!r}</v></c>')
            elif kind is datetime.datetime:
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                serial = xlsx.excel_serial(value)
                append(f'<c r="{letter}{row}" s="{date_style}"><v>{serial}</v></c>')
            elif kind is bool:
                if value:
                    append(f'<c r="{letter}{row}"{text_style} t="inlineStr"><is><t>Có</t></is></c>')
                elif bold:
                    append(f'<c r="{letter}{row}"{text_style}/>')
            elif kind is Formula:
                style = xlsx.STYLES.index(_format_id(value.kind), bold)
                formula = escape(value.text.removeprefix("="))
                if value.value is None:
                    raise TypeError(f"Formula {value.text} without its computed value")
                cached = int(value.value)
                append(f'<c r="{letter}{row}" s="{style}"><f>{formula}</f><v>{cached}</v></c>')
            elif isinstance(value, str):  # a str subclass, e.g. a choice label
                append(self.text_cell(letter, row, str(value), text_style, quoted_style))
            else:
                raise TypeError(f"Cannot write {kind.__name__} to a sheet")
        return "".join(parts)


# A background export reports its progress every this many rows.
PROGRESS_ROWS = 200


class RowProgress:
    """Counts the rows written of the sheets that know their count and calls `progress(done,
    total)` every PROGRESS_ROWS rows and at the end."""

    def __init__(self, progress, exporters):
        self.progress = progress
        counts = [exporter.count() for exporter in exporters]
        self.counted = {id(e) for e, n in zip(exporters, counts, strict=True) if n is not None}
        self.total = sum(n for n in counts if n is not None)
        self.done = 0
        progress(0, self.total)

    def step(self):
        self.done += 1
        if self.done % PROGRESS_ROWS == 0:
            self.progress(min(self.done, self.total), self.total)

    def finish(self):
        self.progress(self.total, self.total)


def write_sheet(workbook, exporter, step=None):
    """The exporter's rows under its header; past Excel's row limit (a national export) the rows
    go on in a sheet of the same name with “(2)”, “(3)”… and the header again. `step` is called
    after each row (progress)."""
    columns = exporter.columns
    encoder = CellEncoder(columns)
    encode = encoder.encode
    sheet = _start_sheet(workbook, exporter)
    row_number = 1
    for row in exporter.rows():
        if row_number == xlsx.MAX_ROWS:
            sheet.auto_filter = f"A1:{sheet.letters[-1]}{row_number}"
            sheet = _start_sheet(workbook, exporter)
            row_number = 1
        row_number += 1
        if type(row) is Row:
            sheet.append_xml(encode(row.values, row_number, row.bold))
        else:
            sheet.append_xml(encode(row, row_number))
        if step is not None:
            step()
    sheet.auto_filter = f"A1:{sheet.letters[-1]}{row_number}"


def _start_sheet(workbook, exporter):
    columns = exporter.columns
    sheet = workbook.add_sheet(exporter.sheet_name, [column.width for column in columns])
    header_style = xlsx.STYLES.header
    sheet.append_xml(
        "".join(
            f'<c r="{letter}1" s="{header_style}" t="inlineStr"><is><t xml:space="preserve">'
            f"{xlsx.escape_text(column.header)}</t></is></c>"
            for letter, column in zip(sheet.letters, columns, strict=True)
        )
    )
    return sheet


def write_xlsx(exporters, *, progress=None):
    """Write the sheets into a temporary file and return it, rewound (stream it to the client).
    `progress(done, total)`: called every PROGRESS_ROWS rows of the sheets that know their count
    (a background job's progress bar)."""
    output = tempfile.TemporaryFile()
    workbook = xlsx.Workbook(output)
    exporters = list(exporters)
    rows = RowProgress(progress, exporters) if progress else None
    try:
        for exporter in exporters:
            step = rows.step if rows and id(exporter) in rows.counted else None
            write_sheet(workbook, exporter, step)
    except BaseException:
        workbook.discard()
        output.close()
        raise
    workbook.close()
    if rows:
        rows.finish()
    output.seek(0)
    return output


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
                quantity_as_written(program, course),
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


def quantity_as_written(program, course):
    """The quantity in the plan's own words: the program's sentence where the plan gives one
    (II.1 “Theo phân bổ … dự kiến 145 chỉ tiêu”), else the course's (III.3 gives a figure per
    course, “Số lượng bồi dưỡng khoảng 50 đồng chí”, and no sentence for the program)."""
    if program.quantity_label:
        return program.quantity_sentence
    if course.quantity is not None:
        return course.quantity_sentence
    return ""


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
        Column("Số học viên (dự kiến)", 10, INTEGER),
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
                    item.planned_learners,
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
                    F=group.planned_learners,
                    H=group.subtotal,
                    K=Formula(formula, value=group.subtotal),
                    L=Formula(f"={amount}{row_number}-{check}{row_number}", value=0),
                ),
                bold=True,
            )
            subtotal_rows.append(row_number)
            row_number += 1
            if group.planned_total is not None:
                yield line(
                    B=f"Dự kiến kinh phí {group.label} (mục IV của kế hoạch)",
                    H=group.planned_total,
                    L=Formula(
                        f"={amount}{row_number - 1}-{amount}{row_number}", value=group.difference
                    ),
                )
                row_number += 1
        sum_of_subtotals = ",".join(f"{amount}{row}" for row in subtotal_rows) or "0"
        yield Row(
            line(
                B="Tổng cộng",
                F=appendix.planned_learners,
                H=appendix.total,
                K=Formula(f"=SUM({sum_of_subtotals})", value=appendix.total),
                L=Formula(f"={amount}{row_number}-{check}{row_number}", value=0),
            ),
            bold=True,
        )
        row_number += 1
        yield line(
            B="Tổng dự kiến kinh phí (mục IV của kế hoạch)",
            H=appendix.planned_total,
            L=Formula(f"={amount}{row_number - 1}-{amount}{row_number}", value=appendix.difference),
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
    """One row per nomination, streamed from the database as plain values. With `every_year`,
    the nominations of every plan year, with the year as the first column."""

    sheet_name = "Danh sách cử đi học"
    COLUMNS = [
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
    YEAR_COLUMN = Column("Năm", 7, YEAR)

    chunk_size = 2000  # rows fetched at a time: memory is bounded by this, not by the total

    # Plain values, not model instances: a row costs a tuple, not nine objects. The dates of
    # creation and update come as local dates from the database (TruncDate in the current
    # time zone), not as datetimes to convert one by one.
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
        "created_day",
        "updated_day",
        "eligibility_details",
        "override_reason",
        "note",
    ]
    YEAR_FIELD = "course__program__section__plan__year"
    ORDER = ["unit__name", "person__sort_key", "person_id", "course_id", "pk"]

    def __init__(self, nominations, *, every_year=False):
        self.nominations = nominations
        self.every_year = every_year
        self.columns = [self.YEAR_COLUMN, *self.COLUMNS] if every_year else self.COLUMNS

    def count(self):
        return self.nominations.count()

    def queryset(self):
        fields, order = self.FIELDS, self.ORDER
        if self.every_year:
            fields, order = [self.YEAR_FIELD, *fields], [self.YEAR_FIELD, *order]
        return (
            self.nominations.annotate(
                created_day=TruncDate("created_at"), updated_day=TruncDate("updated_at")
            )
            .order_by(*order)
            .values_list(*fields)
        )

    def rows(self):
        genders = dict(Person.Gender.choices)
        modes = dict(StudyMode.choices)
        modes[None] = modes[""] = ""
        statuses = dict(Nomination.Status.choices)
        every_year = self.every_year
        for values in self.queryset().iterator(chunk_size=self.chunk_size):
            if every_year:
                year, *values = values
            (
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
                details,
                override,
                note,
            ) = values
            row = [
                name,
                born,
                genders.get(gender, gender),
                unit,
                position,
                f"{ROMAN[section]}.{program_position}",
                program,
                course,
                institution or "",
                modes.get(mode, ""),
                training_class or "",
                statuses.get(status, status),
                created,
                updated,
                EligibilityReport.from_details(details, override).text,
                override,
                note,
            ]
            yield [year, *row] if every_year else row


def plan_nominations(plan, nominations):
    return nominations.filter(course__program__section__plan=plan)


def plan_workbook(plan, *, nominations, progress=None):
    """The plan workbook: programs and quota lines, the funding appendix, allocations and their
    use per unit, and the nominations (already scoped by the caller)."""
    return write_xlsx(
        [
            ProgramsExporter(plan),
            AppendixExporter(plan),
            AllocationsExporter(plan),
            NominationsExporter(plan_nominations(plan, nominations)),
        ],
        progress=progress,
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
    Column("Tỉ lệ hoàn thành so với kế hoạch (%)", 14, PERCENT),
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

    def count(self):
        return len(self.items) + (self.total is not None)

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

    def count(self):
        return len(self.budget_rows)

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

    def count(self):
        return len(self.classes)

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
