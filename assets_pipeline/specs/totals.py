"""The campaign's results as the infographic draws them, from `specs/ket-qua.csv`: one row per unit
(the province, a district) and indicator, the total of that unit and the units under it.

`assets results collect … --update-specs` writes it from the returns; before any return arrives the
department types it. Columns: `unit` (a slug of the units file), `indicator` (an id of
specs/indicators.yaml), `value` (a whole number ≥ 0; 1.234 is read as Vietnamese writes a thousand).
Lines starting with `#` are comments. Every bad row is reported as `specs/ket-qua.csv:LINE: message`.
"""

from __future__ import annotations

from pathlib import Path

from assets_pipeline.core.errors import ErrorList, SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.specs.procedures import full_rows

FILE = "ket-qua.csv"
COLUMNS = ("unit", "indicator", "value")

Totals = dict[str, dict[str, int]]  # unit slug → indicator id → value


def whole_number(text: str) -> int | None:
    """`1234` or `1.234` (a point between thousands, as Vietnamese writes them); None if it is not one."""
    digits = text.strip()
    groups = digits.split(".")
    if digits.isdigit():
        return int(digits)
    if len(groups) > 1 and groups[0].isdigit() and len(groups[0]) <= 3 and all(g.isdigit() and len(g) == 3 for g in groups[1:]):
        return int("".join(groups))
    return None


def load_totals(path: Path, file: str, unit_slugs: list[str], indicators: list[str]) -> Totals:
    errors = ErrorList()
    totals: Totals = {}
    for _line, where, cells in full_rows(path, file, COLUMNS, errors):
        unit, indicator, value = (cell.strip() for cell in cells)
        number = whole_number(value)
        if unit not in unit_slugs:
            errors.add(SpecError(_("unit '{unit}' is not defined", unit=unit) + did_you_mean(unit, unit_slugs), where))
        elif indicators and indicator not in indicators:
            errors.add(SpecError(_("indicator '{id}' is not in specs/indicators.yaml", id=indicator)
                                 + did_you_mean(indicator, indicators), where))
        elif number is None:
            errors.add(SpecError(_("'{value}' is not a whole number", value=value), where))
        elif indicator in totals.get(unit, {}):
            errors.add(SpecError(_("a second value of '{id}' for '{unit}'", id=indicator, unit=unit), where))
        else:
            totals.setdefault(unit, {})[indicator] = number
    errors.raise_if_any()
    return totals
