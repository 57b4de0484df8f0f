"""The consolidation of a year's needs as an Excel workbook: one sheet per block."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from training_plan.xlsx import looks_like_formula

BOLD = Font(bold=True)
WAITING = PatternFill("solid", fgColor="FFFFF3CD")


def _text(cell, value):
    cell.value = value
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"  # shown as typed, never run as a formula


def consolidation_xlsx(year, tables):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(
            "Khối Đảng" if table.round.block == "party" else "Khối Nhà nước"
        )
        sheet.append([f"TỔNG HỢP NHU CẦU ĐÀO TẠO, BỒI DƯỠNG NĂM {year} — {table.label.upper()}"])
        sheet["A1"].font = BOLD
        header = [
            "Mã",
            "Chương trình, khóa",
            f"Kế hoạch năm {table.round.source_plan.year}",
            f"Thực hiện năm {table.round.source_plan.year}",
            *[unit.name for unit in table.units],
            "Tổng nhu cầu",
            "Trong đó đã tiếp nhận",
        ]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = BOLD
        for row in table.rows:
            values = [
                row.course.code,
                row.course.name,
                row.last_plan if row.last_plan is not None else "Theo nhu cầu",
                row.last_enrolled,
                *[row.by_unit.get(unit.pk, 0) for unit in table.units],
                row.total,
                row.accepted,
            ]
            sheet.append([None] * len(values))
            for cell, value in zip(sheet[sheet.max_row], values, strict=True):
                _text(cell, value)
        sheet.append(
            [
                "",
                f"Cộng {table.label}",
                table.last_plan,
                table.last_enrolled,
                *table.unit_totals,
                table.total,
                table.accepted,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        sheet.append([])
        sheet.append(["", "Đơn vị chưa gửi nhu cầu", "Trạng thái"])
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for unit, status in table.waiting:
            sheet.append(["", None, status])
            _text(sheet.cell(sheet.max_row, 2), unit.name)
            for cell in sheet[sheet.max_row][1:3]:
                cell.fill = WAITING
        sheet.freeze_panes = "C3"
        sheet.column_dimensions["A"].width = 10
        sheet.column_dimensions["B"].width = 60
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
