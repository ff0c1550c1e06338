"""A unit's results return form as a spreadsheet (bao-cao-ket-qua, plan/return_form.py).

The unit's particulars and the indicators are locked; only the figures, the notes and the preparer's
contact are open to typing, and each figure cell takes only what fits (a whole number from 0 to the
indicator's bound, or Có/Không from a list), so that Excel, LibreOffice and WPS refuse a wrong entry
where it is typed. The sheet is protected without a password: it keeps the form's shape against a slip
of the hand, not against the unit.

The same inputs give the same bytes (a build's files are compared byte for byte): the workbook's dates
are the campaign's, and the zip is written with fixed member times.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from assets_pipeline.core.vietnamese import grouped
from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job
from assets_pipeline.plan.return_form import (COLUMNS, FIELDS, HEADER_ROW, ID_COLUMN, NO, NOTE_COLUMN, SHEET, VALUE_COLUMN,
                                              YES, ReturnForm)

FONT = "Times New Roman"  # what a state office's documents are set in
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
OPEN_FILL = PatternFill("solid", start_color="FFF2CC")  # the cells to fill in, pale yellow
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    if job.document is None or job.document.form is None:
        raise ValueError("a spreadsheet is made of a results return form")
    path.write_bytes(form_workbook(job.document.form, job.document.title, job.document.subtitle))
    return {}


def form_workbook(form: ReturnForm, title: str, subtitle: str | None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    plain, bold = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
    for column, width in zip("ABCDEF", (6, 58, 13, 14, 30, 22)):
        sheet.column_dimensions[column].width = width
    sheet.column_dimensions[ID_COLUMN].hidden = True  # what the collector reads each row by
    for row, text in ((1, title), (2, subtitle or "")):
        sheet.merge_cells(f"A{row}:E{row}")
        cell = sheet[f"A{row}"]
        cell.value, cell.font = text, Font(name=FONT, size=13, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.row_dimensions[row].height = 36
    values = form.particulars()
    for key, (row, label) in FIELDS.items():
        sheet.merge_cells(f"A{row}:B{row}")
        sheet.merge_cells(f"C{row}:E{row}")
        sheet[f"A{row}"].value, sheet[f"A{row}"].font = label, bold
        cell = sheet[f"C{row}"]
        cell.value, cell.font = values[key], plain
        cell.number_format = "@"  # a code such as 02215 keeps its zero
        if key == "contact":
            cell.protection, cell.fill = Protection(locked=False), OPEN_FILL
    for index, heading in enumerate(COLUMNS):
        cell = sheet.cell(HEADER_ROW, index + 1, heading)
        cell.font, cell.border = bold, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    counts = DataValidation(type="whole", operator="between", formula1="0", allow_blank=True, showErrorMessage=True,
                            errorTitle="Số liệu không hợp lệ")
    answers = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True, showErrorMessage=True,
                             errorTitle="Số liệu không hợp lệ", error=f"Chọn {YES} hoặc {NO}.")
    sheet.add_data_validation(answers)
    bounded: dict[int, DataValidation] = {}
    for number, item in enumerate(form.rows, start=1):
        row = HEADER_ROW + number
        for column, value in zip("ABCF", (number, item.name, item.measure, item.id)):
            cell = sheet[f"{column}{row}"]
            cell.value, cell.font, cell.border = value, plain, GRID
            cell.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if column != "B" else None)
        for column in (VALUE_COLUMN, NOTE_COLUMN):
            cell = sheet[f"{column}{row}"]
            cell.font, cell.border, cell.fill = plain, GRID, OPEN_FILL
            cell.protection = Protection(locked=False)
        if item.type == "yes-no":
            answers.add(f"{VALUE_COLUMN}{row}")
        else:
            most = item.max or 10**9
            if most not in bounded:
                bounded[most] = DataValidation(
                    type="whole", operator="between", formula1="0", formula2=str(most), allow_blank=True,
                    showErrorMessage=True, errorTitle=counts.errorTitle,
                    error=f"Nhập một số nguyên từ 0 đến {grouped(most)}.")
                sheet.add_data_validation(bounded[most])
            bounded[most].add(f"{VALUE_COLUMN}{row}")
            sheet[f"{VALUE_COLUMN}{row}"].number_format = "#,##0"
    last = HEADER_ROW + len(form.rows)
    sheet.merge_cells(f"A{last + 2}:E{last + 2}")
    hint = sheet[f"A{last + 2}"]
    hint.value = ("Cách điền: chỉ điền vào các ô nền vàng — cột “Số liệu” (số nguyên, không âm; câu hỏi có/không: "
                  f"chọn {YES} hoặc {NO}) và cột “Ghi chú”; để trống nếu không thực hiện. Lưu tệp với định dạng .xlsx "
                  "và gửi lại tệp này, không đổi tên trang tính.")
    hint.font, hint.alignment = Font(name=FONT, size=11, italic=True), Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[last + 2].height = 48
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widening a column is allowed
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "portrait", sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook_bytes(book, dt.datetime.combine(form.period[0], dt.time()))


def workbook_bytes(book: Workbook, when: dt.datetime) -> bytes:
    """The workbook's file, the same bytes for the same content: dated `when`, members at fixed times."""
    book.properties.created = book.properties.modified = when
    book.properties.creator = book.properties.lastModifiedBy = "assets_pipeline"
    written = io.BytesIO()
    # openpyxl's own save dates the file now; its writer, given the archive, keeps the date set above
    ExcelWriter(book, zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED)).save()
    return fixed_zip(written.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """An office file's zip written again with its members at fixed times: the same content, the same bytes."""
    fixed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=ZIP_TIME)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, source.read(member))
    return fixed.getvalue()
