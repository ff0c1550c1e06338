"""A unit's results return form (bao-cao-ket-qua): what it is asked, and where each answer sits.

The form goes out in the unit's bundle as a spreadsheet (render/xlsx.py), as CSV (render/csv.py) and as a
printed copy; `assets results collect` reads the returns back by the places named here, so that the
writer and the reader cannot disagree about a cell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assets_pipeline.core.vietnamese import short_date
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.indicators import Indicator, form_version, indicators_for
from assets_pipeline.specs.models import Unit

# the spreadsheet: one sheet; the unit's particulars in column C of the rows below, then the table
SHEET = "Báo cáo"
FIELDS = {  # key → (row, label)
    "unit": (4, "Đơn vị báo cáo"),
    "code": (5, "Mã đơn vị (mã GSO)"),
    "period": (6, "Kỳ báo cáo"),
    "cut_off": (7, "Số liệu tính đến ngày"),
    "deadline": (8, "Hạn gửi báo cáo"),
    "form": (9, "Mã biểu mẫu (không sửa)"),
    "contact": (10, "Người lập biểu, số điện thoại"),  # the one particular the unit fills in
}
HEADER_ROW = 12
COLUMNS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú", "Mã chỉ tiêu")
VALUE_COLUMN, NOTE_COLUMN, ID_COLUMN = "D", "E", "F"
YES, NO = "Có", "Không"
# the CSV: the same particulars as `label,value` lines, a blank line, then the table with these headings
CSV_COLUMNS = ("STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")


@dataclass(frozen=True)
class FormRow:
    id: str
    name: str
    measure: str
    type: str  # count | yes-no
    max: int | None

    @classmethod
    def of(cls, key: str, indicator: Indicator) -> FormRow:
        return cls(key, indicator.name, indicator.measure, indicator.type, indicator.max)


@dataclass(frozen=True)
class ReturnForm:
    campaign: str  # the campaign's id
    kind: str  # the unit's: each kind reports its own indicators
    version: str  # specs/indicators.py form_version of the rows
    unit: str  # slug
    unit_name: str
    code: str | None  # GSO code
    period: tuple[dt.date, dt.date]
    deadline: dt.date | None
    report_to: str | None
    rows: tuple[FormRow, ...]

    def particulars(self, recipient: bool = True) -> dict[str, str]:
        """The unit's particulars as the form writes them, by FIELDS key; the deadline names where the
        form goes unless `recipient` is False (the printed copy says it above, "Kính gửi")."""
        start, end = self.period
        deadline = f"trước ngày {short_date(self.deadline)}" if self.deadline else ""
        if recipient and self.report_to:
            deadline += f", gửi {self.report_to}"
        return {"unit": self.unit_name, "code": self.code or "", "period": f"{short_date(start)} – {short_date(end)}",
                "cut_off": short_date(end), "deadline": deadline, "form": self.form_id, "contact": ""}

    @property
    def form_id(self) -> str:
        """What the form says it is, read back to refuse a form of another campaign, unit level or version."""
        return form_id(self.campaign, self.kind, self.version)


def form_for(specs: Specs, unit: Unit) -> ReturnForm:
    rows = indicators_for(specs.indicators, unit.kind)
    campaign = specs.campaign
    return ReturnForm(campaign.id, unit.kind, form_version(rows), unit.slug, unit.shown, unit.code,
                      (campaign.period.start, campaign.period.end), campaign.report_before, report_to(specs, unit),
                      tuple(FormRow.of(key, indicator) for key, indicator in rows.items()))


def report_to(specs: Specs, unit: Unit) -> str | None:
    """Where a unit sends its return: a commune to its district's people's committee, which reports on
    its communes (where there are districts); every other unit to the campaign's office."""
    parent = specs.unit(unit.parent) if unit.parent else None
    if unit.kind == "commune" and parent is not None and parent.kind == "district":
        return parent.authority
    return specs.campaign.report_to


def form_id(campaign: str, kind: str, version: str) -> str:
    return f"{campaign}/{kind}/{version}"
