"""Tables that arrive from other offices (a GSO list exported as CSV or XLSX): read within bounds.

An XLSX file is a zip of XML: a few hundred kilobytes can unpack to gigabytes and a million rows. So
before a byte is parsed, the file's size, each member's unpacked size and ratio, and their sum are
checked against the limits (core/limits.py); rows are counted as they are read and the reading stops
at the limit. Cell values are read as the spreadsheet last saved them (`data_only`): a formula is never
evaluated.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.i18n import _
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.specs.yamlsource import read_spec_text

XLSX_MAX_RATIO = 200  # unpacked ÷ packed of one member: a real sheet's XML is 5–50×, a bomb thousands

Row = tuple[int, Sequence[object]]  # (line or row number, cells)


def read_table(path: Path, shown: str) -> list[Row]:
    """The non-empty rows of a CSV (UTF-8) or XLSX file (its first sheet), with their line numbers."""
    try:
        is_zip = path.is_file() and zipfile.is_zipfile(path)
    except OSError as exc:
        raise SpecError(_("cannot read file: {problem}", problem=exc.strerror), Where(shown)) from None
    return _xlsx_rows(path, shown) if is_zip else _csv_rows(path, shown)


def _too_many(shown: str, line: int) -> SpecError:
    return SpecError(_("more than {count:,} rows: is this the right file? (ASSETS_LIMIT_MAX_TABLE_ROWS raises the "
                       "limit)", count=LIMITS.max_table_rows), Where(shown, line))


def _csv_rows(path: Path, shown: str) -> list[Row]:
    text = read_spec_text(path, shown)
    rows: list[Row] = []
    reader, start = csv.reader(io.StringIO(text, newline="")), 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if any(cell.strip() for cell in record):
                if len(rows) == LIMITS.max_table_rows:
                    raise _too_many(shown, line)
                rows.append((line, record))
    except csv.Error as exc:
        raise SpecError(_("invalid CSV: {problem}", problem=exc), Where(shown, start)) from None
    return rows


def check_xlsx_size(path: Path, shown: str) -> None:
    """The zip's own sizes, read from its directory before anything is unpacked."""
    if path.stat().st_size > LIMITS.max_spec_bytes:
        raise SpecError(_("file larger than {count:,} bytes", count=LIMITS.max_spec_bytes), Where(shown))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpecError(_("not a readable XLSX workbook ({problem})", problem=exc), Where(shown)) from None
    total = 0
    for member in members:
        total += member.file_size
        most = min(XLSX_MAX_RATIO * max(member.compress_size, 1024), LIMITS.max_unpacked_bytes - total + member.file_size)
        if member.file_size > most:
            raise SpecError(_("the workbook unpacks to more than {count:,} bytes ({member}): is this the right file?",
                              count=most, member=member.filename), Where(shown))


def _xlsx_rows(path: Path, shown: str) -> list[Row]:
    check_xlsx_size(path, shown)
    import openpyxl  # only when an XLSX is read

    rows: list[Row] = []
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if index > LIMITS.max_table_rows:  # empty rows too: a sheet of a million blank rows is a bomb
                    raise _too_many(shown, index)
                if any(v not in (None, "") for v in values):
                    rows.append((index, ["" if v is None else v for v in values]))
        finally:
            book.close()
    except SpecError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        problem = f"{type(exc).__name__}: {exc}"
        raise SpecError(_("not a readable XLSX workbook ({problem})", problem=problem), Where(shown)) from None
    return rows
