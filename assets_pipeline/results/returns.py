"""One returned form read back, as the unit sent it: an XLSX workbook or a CSV file.

Nothing is judged here but the file itself (readable, within bounds, the form's shape); what the values
mean is collect.py's. A workbook is read within the bounds of any table from another office
(specs/tables.py: its size and what it unpacks to, checked before openpyxl opens it), and only the rows
a form can have are read. Formulas are never evaluated: a cell holding one is reported as such.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.plan.return_form import CSV_COLUMNS, FIELDS, HEADER_ROW, ID_COLUMN, NOTE_COLUMN, SHEET, VALUE_COLUMN
from assets_pipeline.specs.tables import check_xlsx_size

MOST_ROWS = 250  # a form's rows: its particulars, the heading and the indicators (specs/indicators.py allows 200)
FORMULA = "formula"


@dataclass(frozen=True)
class Problem:
    place: str  # `returns/ham-yen.xlsx:Báo cáo!D14`, `returns/ham-yen.csv:14`, or the file alone
    message: str
    refuses: bool = True  # the return is not counted until the unit sends it again; else a note

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


@dataclass(frozen=True)
class Cell:
    value: object  # as stored: text, a number, None; FORMULA for a formula
    place: str
    formula: str = ""


@dataclass
class Return:
    file: str  # as shown in messages
    saved_ns: int  # when the file was last saved (mtime): of two returns of a unit, the later counts
    particulars: dict[str, Cell] = field(default_factory=dict)  # FIELDS key → cell
    rows: dict[str, tuple[Cell, Cell]] = field(default_factory=dict)  # indicator id → (figure, note)
    problems: list[Problem] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(p.refuses for p in self.problems)

    def text(self, key: str) -> str:
        cell = self.particulars.get(key)
        return "" if cell is None or cell.value is None else str(cell.value).strip()


def read_return(path: Path, shown: str) -> Return:
    found = Return(shown, path.stat().st_mtime_ns)
    try:
        if path.stat().st_size > LIMITS.max_spec_bytes:
            raise SpecError(_("file larger than {count:,} bytes", count=LIMITS.max_spec_bytes))
        if path.suffix.lower() == ".xlsx":
            _read_xlsx(path, shown, found)
        else:
            _read_csv(path, shown, found)
    except SpecError as exc:
        found.problems.append(Problem(shown, exc.message))
    except OSError as exc:
        found.problems.append(Problem(shown, _("cannot read file: {problem}", problem=exc.strerror)))
    return found


def _read_xlsx(path: Path, shown: str, found: Return) -> None:
    check_xlsx_size(path, shown)
    import openpyxl  # only when a workbook is read

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)  # formulas as written, never computed
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise SpecError(_("not a readable XLSX workbook ({problem})", problem=f"{type(exc).__name__}: {exc}")) from None
    try:
        if SHEET not in book.sheetnames:
            raise SpecError(_("no sheet '{sheet}': not a results form, or its sheet was renamed", sheet=SHEET))
        for other in book.sheetnames:
            if other != SHEET:
                found.problems.append(Problem(f"{shown}:{other}", _("a sheet the form does not have: not read"),
                                              refuses=False))
        sheet = book[SHEET]
        wanted = {row: key for key, (row, _label) in FIELDS.items()}
        for number, cells in enumerate(itertools.islice(sheet.iter_rows(max_col=6), MOST_ROWS), start=1):
            if number in wanted:
                found.particulars[wanted[number]] = _xlsx_cell(cells, "C", number, shown)
            elif number > HEADER_ROW:
                key = _xlsx_cell(cells, ID_COLUMN, number, shown).value
                if isinstance(key, str) and key.strip():
                    found.rows[key.strip()] = (_xlsx_cell(cells, VALUE_COLUMN, number, shown),
                                               _xlsx_cell(cells, NOTE_COLUMN, number, shown))
    except SpecError:
        raise
    except Exception as exc:  # a damaged sheet inside a sound zip
        raise SpecError(_("not a readable XLSX workbook ({problem})", problem=f"{type(exc).__name__}: {exc}")) from None
    finally:
        book.close()


def _xlsx_cell(cells: tuple, column: str, row: int, shown: str) -> Cell:
    index = ord(column) - ord("A")
    at = cells[index] if index < len(cells) else None
    value = getattr(at, "value", None)
    place = f"{shown}:{SHEET}!{column}{row}"
    if getattr(at, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return Cell(FORMULA, place, str(value))
    return Cell(value, place)


def _read_csv(path: Path, shown: str, found: Return) -> None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # saved as Windows' Vietnamese code page: the codes, ids and figures are ASCII all the same
        text = data.decode("cp1258", errors="replace")
        found.problems.append(Problem(shown, _("not saved as UTF-8: its notes may read wrongly"), refuses=False))
    # the list separator the file was saved with: the one that splits the table's heading into its columns
    # (a spreadsheet program set to Vietnamese saves with a semicolon)
    head = text[:65536].splitlines()[:MOST_ROWS]
    delimiter = next((d for d in (",", ";", "\t") if any(set(CSV_COLUMNS) <= {c.strip() for c in row}
                                                          for row in csv.reader(head, delimiter=d))), ",")
    labels = {label: key for key, (_row, label) in FIELDS.items()}
    heading: dict[str, int] | None = None
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for record in itertools.islice(reader, MOST_ROWS):
            place = f"{shown}:{reader.line_num}"
            cells = [c.strip() for c in record]
            if heading is None and cells and cells[0] in labels:
                value = cells[1] if len(cells) > 1 else ""
                found.particulars[labels[cells[0]]] = _csv_cell(value, place)
            elif heading is None and set(CSV_COLUMNS) <= set(cells):
                heading = {name: cells.index(name) for name in CSV_COLUMNS}
            elif heading is not None and any(cells):
                row = {name: cells[index] if index < len(cells) else "" for name, index in heading.items()}
                if row["Mã chỉ tiêu"]:
                    found.rows[row["Mã chỉ tiêu"]] = (_csv_cell(row["Số liệu"], place), _csv_cell(row["Ghi chú"], place))
    except csv.Error as exc:
        raise SpecError(_("invalid CSV: {problem}", problem=exc)) from None
    if heading is None:
        raise SpecError(_("no table of indicators (a line '{columns}'): not a results form",
                          columns=",".join(CSV_COLUMNS)))


def _csv_cell(value: str, place: str) -> Cell:
    if value.startswith("="):
        return Cell(FORMULA, place, value)
    return Cell(value or None, place)
