"""Commendations (giấy khen) from `specs/awards.csv`: one certificate per row, a data merge like the QR notices.

Columns: `issued_by` (the slug of the unit whose head signs: its certificates are combined into one PDF
for the print shop), `kind` (`tap-the` for a collective, `ca-nhan` for an individual), `name` (printed
exactly as written, only NFC'd), `unit` (the awardee's post and unit, or a collective's parent body),
`achievement` (đã có thành tích …), `decision` (the decision's number, e.g.
`125/QĐ-UBND`), `date` (the decision's date, DD/MM/YYYY), `signer_title` (`CHỦ TỊCH`, or for a deputy
`KT. CHỦ TỊCH|PHÓ CHỦ TỊCH`: `|` starts the second line), `signer` (the signer's name),
`sample` (yes/no: a sample row prints "BẢN MẪU"). Lines starting with `#` are comments.
Every bad row is reported as `specs/awards.csv:LINE: message`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets_pipeline.core.errors import ErrorList, SpecError, Where
from assets_pipeline.core.i18n import _, one_of
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.core.vietnamese import ascii_fold, invisible_hint, legacy_encoding_hint, long_date, short_date
from assets_pipeline.specs.procedures import full_rows

FILE = "awards.csv"
COLUMNS = ("issued_by", "kind", "name", "unit", "achievement", "decision", "date", "signer_title", "signer", "sample")
KINDS = {"tap-the": "tập thể", "ca-nhan": "cá nhân"}
DECISION = re.compile(r"^[0-9]{1,6}/[0-9A-Za-zĐđ\-]{1,20}$")
NAME_SLUG_CHARS = 40  # of a file name


@dataclass(frozen=True)
class Award:
    issued_by: str
    kind: str
    name: str
    unit: str
    achievement: str
    decision: str
    date: dt.date
    signer_title: tuple[str, ...]  # its lines
    signer: str
    sample: bool
    line: int
    number: int  # its place among the issuer's certificates, from 1
    file: str  # the CSV, as errors name it

    @property
    def where(self) -> Where:
        return Where(self.file, self.line)

    @property
    def variant_id(self) -> str:
        """`03-nguyen-thi-hoa`: sorted as the CSV lists them, named for whoever hands them out."""
        words, name = re.findall(r"[a-z0-9]+", ascii_fold(self.name)), ""
        for word in words:  # whole words only, within the length a file name can take
            if len(name) + len(word) + 1 > NAME_SLUG_CHARS:
                break
            name = f"{name}-{word}" if name else word
        return f"{self.number:02d}-{name or 'khen'}"

    def template_data(self) -> dict[str, Any]:
        return {"kind": self.kind, "kind_name": KINDS[self.kind], "name": self.name, "unit": self.unit,
                "achievement": self.achievement, "decision": self.decision,
                "date": short_date(self.date), "date_long": long_date(self.date),
                "signer_title": list(self.signer_title), "signer": self.signer, "sample": self.sample,
                "number": self.number}


def _date(text: str) -> dt.date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if not match:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def load_awards(path: Path, file: str, unit_slugs: list[str]) -> list[Award]:
    """Read and check every row; raise all problems at once."""
    errors = ErrorList()
    awards: list[Award] = []
    counts: dict[str, int] = {}
    for line, where, cells in full_rows(path, file, COLUMNS, errors):
        issued_by, kind, name, unit, achievement, decision, date, signer_title, signer, sample = cells
        problems = [hint for hint in {invisible_hint(cell) or legacy_encoding_hint(cell) for cell in cells} if hint]
        if not issued_by:
            problems.append(_("missing issued_by (the slug of the unit whose head signs)"))
        elif issued_by not in unit_slugs:
            problems.append(_("unit '{unit}' is not defined", unit=issued_by) + did_you_mean(issued_by, unit_slugs))
        if kind not in KINDS:
            problems.append(_("kind must be {kinds} (got {value!r})", kinds=one_of(list(KINDS), quote=False), value=kind))
        for value, what in ((name, "name"), (unit, "unit"), (achievement, "achievement"), (signer_title, "signer_title"),
                            (signer, "signer")):
            if not value:
                problems.append(_("missing {key}", key=what))
        if "  " in name:
            problems.append(_("the name has two spaces in a row (it is printed exactly as written)"))
        if not DECISION.fullmatch(decision):
            problems.append(_("decision must be its number as written, e.g. 125/QĐ-UBND (got {value!r})", value=decision))
        day = _date(date)
        if day is None:
            problems.append(_("date must be the decision's date as DD/MM/YYYY (got {value!r})", value=date))
        if sample.lower() not in ("yes", "no", ""):
            problems.append(_("'sample' must be yes or no (got {value!r})", value=sample))
        if problems:
            errors.add(SpecError("; ".join(problems), where))
            continue
        assert day is not None  # a bad date is among the problems above
        counts[issued_by] = counts.get(issued_by, 0) + 1
        # the name is the awardee's own: kept as written (NFC), never re-spaced or re-cased
        awards.append(Award(issued_by, kind, name, unit, " ".join(achievement.split()), decision, day,
                            tuple(part.strip() for part in signer_title.split("|") if part.strip()),
                            signer, sample.lower() == "yes", line, counts[issued_by], file))
    errors.raise_if_any()
    return awards
