"""Administrative procedures (thủ tục hành chính) from `specs/procedures.csv`, for QR-code notices.

One row per procedure a unit posts: its code, its name, its address on the public-service portal,
the unit, and whether the code and address are only samples. Lines starting with `#` are comments.
The unit is a slug, or `every:commune` (`every:district`) for a procedure every unit of that kind
handles at its one-stop desk (khai sinh, kết hôn at every commune); a row for one unit replaces the
`every:` row of the same code for that unit.
Every bad row is reported as `specs/procedures.csv:LINE: message`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets_pipeline.core.errors import ErrorList, SpecError, Where
from assets_pipeline.core.i18n import _
from assets_pipeline.core.qr import BadAddress, check_url
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.core.vietnamese import invisible_hint, legacy_encoding_hint
from assets_pipeline.specs.yamlsource import read_spec_text

FILE = "procedures.csv"
COLUMNS = ("code", "name", "url", "unit", "sample")
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,39}$")
COMBINED_VARIANT = "tat-ca"  # the variant id of the combined multi-page PDF
EVERY = "every:"             # `every:commune`: each unit of that kind
KINDS = ("province", "district", "commune")


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    url: str
    unit: str
    sample: bool
    line: int
    file: str = FILE

    @property
    def variant_id(self) -> str:
        """The code as a file-name slug: `1.000656` → `1-000656`."""
        return self.code.lower().replace(".", "-")

    def posted_by(self, slug: str, kind: str) -> bool:
        return self.unit in (slug, EVERY + kind)

    def template_data(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "url": self.url, "sample": self.sample}


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on; comment and blank lines skipped."""
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    for record in reader:
        line, start = start, reader.line_num + 1
        if not record or all(not cell.strip() for cell in record) or record[0].lstrip().startswith("#"):
            continue
        rows.append((line, [unicodedata.normalize("NFC", cell).strip() for cell in record]))
    return rows


def csv_rows(text: str, file: str, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """The data rows of a spec CSV whose header must be `columns`, each with its line."""
    try:
        rows = _rows(text)
    except csv.Error as exc:
        raise SpecError(_("invalid CSV: {problem}", problem=exc), Where(file)) from None
    if not rows:
        raise SpecError(_("no header row (expected: {columns})", columns=",".join(columns)), Where(file, 1))
    header_line, header = rows[0]
    if tuple(cell.lower() for cell in header) != columns:
        raise SpecError(_("the header must be {columns} (got {header})", columns=",".join(columns), header=",".join(header)),
                        Where(file, header_line))
    return rows[1:]


def full_rows(path: Path, file: str, columns: tuple[str, ...], errors: ErrorList) -> Iterator[tuple[int, Where, list[str]]]:
    """The data rows of a spec CSV with their lines and places; a row of another number of columns is said
    to `errors` and skipped."""
    for line, cells in csv_rows(read_spec_text(path, file), file, columns):
        where = Where(file, line)
        if len(cells) != len(columns):
            errors.add(SpecError(_("expected {count} columns ({columns}), got {got}", count=len(columns),
                                    columns=", ".join(columns), got=len(cells)), where))
            continue
        yield line, where, cells


def load_procedures(path: Path, file: str, unit_slugs: list[str]) -> list[Procedure]:
    """Read and check every row; raise all problems at once."""
    errors = ErrorList()
    procedures: list[Procedure] = []
    seen: dict[tuple[str, str], int] = {}
    for line, where, cells in full_rows(path, file, COLUMNS, errors):
        code, name, url, unit, sample = cells
        problems = [hint for hint in {invisible_hint(cell) or legacy_encoding_hint(cell) for cell in cells} if hint]
        if not CODE.fullmatch(code):
            problems.append(_("bad procedure code {code!r} (letters, digits, '.' and '-')", code=code) if code
                            else _("missing procedure code"))
        if not name:
            problems.append(_("missing procedure name"))
        if not url:
            problems.append(_("missing URL"))
        else:
            try:
                check_url(url)
            except BadAddress as exc:
                problems.append(str(exc))
        if not unit:
            problems.append(_("missing unit"))
        elif unit.startswith(EVERY):
            if unit[len(EVERY):] not in KINDS:
                problems.append(_("'{unit}': after 'every:' comes a kind of unit ({kinds})", unit=unit, kinds=", ".join(KINDS)))
        elif unit not in unit_slugs:
            problems.append(_("unit '{unit}' is not defined", unit=unit) + did_you_mean(unit, unit_slugs))
        if sample.lower() not in ("yes", "no", ""):
            problems.append(_("'sample' must be yes or no (got {value!r})", value=sample))
        if problems:
            # one line per row: the row is what the user fixes
            errors.add(SpecError("; ".join(problems), where))
            continue
        key = (unit, code.lower().replace(".", "-"))
        if key in seen:
            errors.add(SpecError(_("procedure '{code}' is listed twice for unit '{unit}' (first on line {line})", code=code,
                                    unit=unit, line=seen[key]), where))
            continue
        seen[key] = line
        procedures.append(Procedure(code, " ".join(name.split()), url, unit, sample.lower() == "yes", line, file))
    errors.raise_if_any()
    return procedures
