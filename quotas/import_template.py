"""The workbook a unit downloads, fills and uploads for the nomination import: the sheet with
the template's headers, the valid codes (courses, quota lines, units the user may name) and a
guide. Formula-like names are written with Excel's quote prefix.

After a refused check, `error_copy` gives the user back their own file with a “Lỗi” column
holding each bad row's errors and the cells the errors point at filled in red."""

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from quotas.imports import (
    CODES_SHEET,
    COL_COURSE,
    COL_DOB,
    COL_ID,
    COL_LINE,
    COL_UNIT,
    GUIDE_SHEET,
    HEADERS,
    MAX_ROWS,
    SHEET_NAME,
)
from quotas.selectors import plan_courses
from training_plan import xlsx
from training_plan.rules import scope_to_user
from training_plan.selectors import units as units_in_order
from training_plan.text import format_number

HEADER_FONT = Font(bold=True, color="FFFFFF")


HEADER_FILL = PatternFill("solid", fgColor="A50F15")
# Excel's own "light red fill" of conditional formatting.
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERROR_FONT = Font(color="9C0006")
ERROR_HEADER = "Lỗi"


WIDTHS = [6, 28, 14, 18, 26, 10, 14, 14, 14, 30]


def _header(sheet, titles, widths):
    sheet.append(titles)
    for index, cell in enumerate(sheet[1], start=0):
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = widths[index]
    sheet.freeze_panes = "A2"


def _drop_down(sheet, column, source, title, what):
    """Excel's list validation on a column of the sheet to fill, from a range of the codes sheet:
    a drop-down in each cell, a Vietnamese message for a value not in the list."""
    quoted = "'" + CODES_SHEET.replace("'", "''") + "'"
    validation = DataValidation(
        type="list",
        formula1=f"{quoted}!{source}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{title} không hợp lệ",
        error=f"Hãy chọn {what} trong danh sách (trang “{CODES_SHEET}”).",
    )
    letter = get_column_letter(column + 1)
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.add_data_validation(validation)


def build_template(*, user, plan):
    """The .xlsx template: the sheet to fill, the valid codes of the plan and units, a guide."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    _header(sheet, HEADERS, WIDTHS)
    for row in range(2, 1002):
        sheet.cell(row=row, column=COL_DOB + 1).number_format = "DD/MM/YYYY"
        sheet.cell(row=row, column=COL_ID + 1).number_format = "@"

    codes = workbook.create_sheet(CODES_SHEET)
    _header(
        codes,
        ["Mã khóa", "Mã dòng chỉ tiêu", "Khóa", "Cơ sở đào tạo", "Hệ", "Chỉ tiêu", "Khối"],
        [10, 16, 60, 40, 16, 12, 28],
    )
    for course in plan_courses(plan):
        code = course.code
        lines = list(course.quota_lines.all())
        if not lines:
            codes.append(
                [
                    code,
                    "",
                    course.name,
                    "",
                    "",
                    "Theo nhu cầu",
                    course.program.get_block_display(),
                ]
            )
        for line in lines:
            codes.append(
                [
                    code,
                    f"{code}-{line.position}",
                    course.name,
                    line.institution.name,
                    line.get_study_mode_display() if line.study_mode else "",
                    line.planned_count if line.is_capped else "Theo nhu cầu",
                    course.program.get_block_display(),
                ]
            )
    last_line = codes.max_row
    codes.append([])
    codes.append(["Mã đơn vị", "Tên đơn vị"])
    start = codes.max_row  # the units' heading
    for cell in codes[start]:
        cell.font = Font(bold=True)
    units = scope_to_user(units_in_order(year=plan.year), user, "pk")  # the plan's units
    for unit in units:
        codes.append([unit.code, unit.name])
    last_unit = codes.max_row
    # Each course code once, for the drop-down list of the course column.
    course_codes = list(
        dict.fromkeys(codes.cell(row=r, column=1).value for r in range(2, last_line + 1))
    )
    codes.cell(row=1, column=9, value="Mã khóa (danh sách chọn)").font = Font(bold=True)
    codes.column_dimensions["I"].width = 14
    for offset, code in enumerate(course_codes, start=2):
        codes.cell(row=offset, column=9, value=code)
    _drop_down(sheet, COL_COURSE, f"$I$2:$I${len(course_codes) + 1}", "Mã khóa", "một mã khóa")
    _drop_down(sheet, COL_LINE, f"$B$2:$B${last_line}", "Mã dòng chỉ tiêu", "một mã dòng")
    if last_unit > start:
        _drop_down(sheet, COL_UNIT, f"$A${start + 1}:$A${last_unit}", "Mã đơn vị", "một mã đơn vị")

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    for line in [
        f"Mẫu nhập danh sách cử cán bộ đi đào tạo, bồi dưỡng — kế hoạch năm {plan.year}",
        "",
        f"1. Điền trang “{SHEET_NAME}”, mỗi dòng một người, một khóa; giữ nguyên dòng tiêu đề.",
        "2. Họ và tên, ngày sinh (dd/mm/yyyy) phải khớp hồ sơ cán bộ; nếu có nhiều người trùng "
        "họ tên và ngày sinh, ghi số định danh cá nhân (12 chữ số).",
        "3. Mã đơn vị: để trống khi nhập cho đơn vị mình; Ban Tổ chức ghi mã đơn vị cử.",
        f"4. Mã khóa và mã dòng chỉ tiêu: xem trang “{CODES_SHEET}” (ví dụ II.1.1 và II.1.1-2). "
        "Khóa chỉ có một dòng chỉ tiêu thì có thể để trống mã dòng.",
        "5. Đào tạo sau đại học: ghi thời gian đào tạo và thời gian cam kết phục vụ (tháng).",
        "6. Chỉ nhập giá trị, không dùng công thức. Tối đa "
        f"{format_number(MAX_ROWS)} dòng, tệp không quá 5 MB.",
        "   Các cột mã khóa, mã dòng chỉ tiêu và mã đơn vị có danh sách chọn (bấm vào ô, chọn "
        "mũi tên); mã gõ tay phải có trong danh sách.",
        "7. Sau khi tải lên, hệ thống hiển thị từng dòng và lỗi (nếu có). Chỉ khi mọi dòng hợp "
        "lệ mới xác nhận được; tất cả các dòng được lưu cùng lúc, hoặc không dòng nào.",
    ]:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=13)
    for row in codes.iter_rows():
        xlsx.quote_formula_like(row)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_copy(data, bad_rows):
    """The uploaded workbook (`data`, checked by `training_plan.uploads` when it was uploaded)
    with a “Lỗi” column after its own columns: the errors of each row of `bad_rows`
    ({"n": sheet row, "errors": [...], "cells": [COL_…]}), those cells filled in red. A copy
    uploaded again gets its “Lỗi” column and red cells of the last check replaced."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    header = list(sheet.iter_rows(min_row=1, max_row=1))
    header = header[0] if header else ()
    column = next((c.column for c in header if c.value == ERROR_HEADER), None)
    if column is None:
        used = [c.column for c in header if c.value not in (None, "")]
        column = max([len(HEADERS), *used]) + 1
    else:
        # The last check's marks go: its messages and its red fills.
        for cells in sheet.iter_rows(min_row=2, max_col=column):
            for cell in cells:
                if cell.column == column:
                    cell.value = None
                elif cell.fill == ERROR_FILL:
                    cell.fill = PatternFill()
    title = sheet.cell(row=1, column=column, value=ERROR_HEADER)
    title.font, title.fill = HEADER_FONT, HEADER_FILL
    sheet.column_dimensions[get_column_letter(column)].width = 70
    for item in bad_rows:
        number = item["n"]
        for index in item.get("cells", []):
            sheet.cell(row=number, column=index + 1).fill = ERROR_FILL
        note = sheet.cell(row=number, column=column)
        # Set as text: a message never becomes a formula, whatever it quotes.
        note.value = "\n".join(item["errors"])
        note.data_type = "s"
        note.font, note.fill = ERROR_FONT, ERROR_FILL
        note.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
