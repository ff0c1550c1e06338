"""What the department makes of the returns, for the province and for each district (a district reports
on its communes): the numeric form (biểu số liệu) with district subtotals and the total, the list of units
to chase with the days left before the deadline, the problems found in the returns, and the totals as
data (for the results infographic).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from assets_pipeline.core.vietnamese import short_date
from assets_pipeline.plan.return_form import NO, YES
from assets_pipeline.render.txt import notepad_bytes
from assets_pipeline.render.xlsx import FONT, workbook_bytes
from assets_pipeline.results.collect import Collection, Value
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.indicators import Indicator, indicators_for
from assets_pipeline.specs.models import Unit

COUNTRY = "ca-nuoc"  # the head of a roll-up of several provinces
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Scope:
    """The units one report covers: the province's every reporting unit, or one district and its communes."""

    head: Unit  # the province or the district
    units: tuple[Unit, ...]  # in report order: each district followed by its communes
    folder: str  # under results/: "" for the province, the district's slug


def reporting(specs: Specs, unit: Unit) -> bool:
    return bool(indicators_for(specs.indicators, unit.kind))


def scopes(specs: Specs) -> list[Scope]:
    """The province's report first, then each district's. A units file of several provinces (a national
    roll-up) gives a report of them all, then one per province under its slug, and its districts' under
    theirs."""
    children: dict[str | None, list[Unit]] = {}
    for unit in specs.units:
        children.setdefault(unit.parent, []).append(unit)
    provinces = [u for u in specs.units if u.kind == "province"]
    found: list[Scope] = []
    everything: list[Unit] = []
    for province in provinces:
        ordered: list[Unit] = []
        for unit in children.get(province.slug, []):
            ordered += [unit, *children.get(unit.slug, [])] if unit.kind == "district" else [unit]
        prefix = f"{province.slug}/" if len(provinces) > 1 else ""
        found.append(Scope(province, tuple(u for u in ordered if reporting(specs, u)), prefix.rstrip("/")))
        for district in (u for u in ordered if u.kind == "district"):
            units = tuple(u for u in (district, *children.get(district.slug, [])) if reporting(specs, u))
            found.append(Scope(district, units, prefix + district.slug))
        everything += ordered
    if len(provinces) > 1:
        country = Unit(slug=COUNTRY, name="cả nước", kind="province")
        found.insert(0, Scope(country, tuple(u for u in everything if reporting(specs, u)), ""))
    return found


def columns(specs: Specs, units: tuple[Unit, ...]) -> dict[str, Indicator]:
    """The indicators any of `units` reports, in the file's order."""
    kinds = {u.kind for u in units}
    return {key: i for key, i in specs.indicators.items() if kinds & set(i.kinds)}


def total(values: list[dict[str, Value]], indicators: dict[str, Indicator]) -> dict[str, int]:
    """Counts added up; a yes-no indicator: how many units answered Có."""
    sums = dict.fromkeys(indicators, 0)
    for reported in values:
        for key, value in reported.items():
            if key in sums:
                sums[key] += int(value)
    return sums


def added_up(collection: Collection, units: Iterable[Unit], indicators: dict[str, Indicator]) -> dict[str, int]:
    """The total of the returns that count among `units`."""
    return total([collection.accepted[u.slug].values for u in units if u.slug in collection.accepted], indicators)


def days_left(deadline: dt.date | None, today: dt.date) -> str:
    if deadline is None:
        return ""
    left = (deadline - today).days - 1  # "trước ngày 15/10": the 14th is the last day
    if left > 0:
        return f"còn {left} ngày"
    return "hôm nay là hạn cuối" if left == 0 else f"quá hạn {-left} ngày"


def status(collection: Collection, unit: Unit) -> str:
    if unit.slug in collection.accepted:
        return "Đã báo cáo"
    if unit.slug in collection.refused:
        return "Gửi lại (có lỗi)"
    return "Chưa báo cáo"


def numeric_form(specs: Specs, collection: Collection, scope: Scope, today: dt.date) -> bytes:
    indicators = columns(specs, scope.units)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tổng hợp"
    bold, plain = Font(name=FONT, size=11, bold=True), Font(name=FONT, size=11)
    reported = sum(u.slug in collection.accepted for u in scope.units)
    last_column = 5 + len(indicators)
    for row, text in ((1, f"BIỂU TỔNG HỢP KẾT QUẢ TRIỂN KHAI KẾ HOẠCH TRUYỀN THÔNG {specs.campaign.title.upper()} "
                              f"NĂM {specs.campaign.year}"),
                      (2, f"{scope.head.shown}: số liệu các đơn vị đã báo cáo đến ngày {short_date(today)} "
                          f"({reported}/{len(scope.units)} đơn vị)")):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        sheet.cell(row, 1, text).font = Font(name=FONT, size=13, bold=row == 1)
        sheet.cell(row, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    headings = ["STT", "Đơn vị", "Mã đơn vị", "Cấp", "Tình trạng"] + [
        f"{i.name} ({'số đơn vị Có' if i.type == 'yes-no' else i.measure})" for i in indicators.values()]
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(4, column, heading)
        cell.font, cell.border = bold, GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[4].height = 90
    for letter, width in zip("ABCDE", (6, 34, 10, 10, 16)):
        sheet.column_dimensions[letter].width = width
    for column in range(6, last_column + 1):
        sheet.column_dimensions[sheet.cell(4, column).column_letter].width = 14

    def write(cells: list[Any], font: Font) -> None:
        row = sheet.max_row + 1
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row, column, value)
            cell.font, cell.border = font, GRID
            if isinstance(value, int) and column > 5:
                cell.number_format = "#,##0"

    def sums(units: list[Unit]) -> list[int]:
        return list(added_up(collection, units, indicators).values())

    write(["", f"TỔNG CỘNG ({scope.head.shown})", scope.head.code or "", "", f"{reported}/{len(scope.units)}",
           *sums(list(scope.units))], bold)
    number, district, members = 0, None, []
    for unit in (*scope.units, None):
        if district is not None and (unit is None or unit.kind != "commune"):
            done = sum(u.slug in collection.accepted for u in members)
            write(["", f"Cộng {district.shown}", "", "", f"{done}/{len(members)}", *sums(members)], bold)
            district, members = None, []
        if unit is None:
            break
        if unit.kind == "district":
            district = unit
        if district is not None:
            members.append(unit)
        number += 1
        accepted = collection.accepted.get(unit.slug)
        figures: list[Any] = []
        for key in indicators:
            value = accepted.values.get(key) if accepted else None
            figures.append((YES if value else NO) if isinstance(value, bool) else value)
        write([number, unit.shown, unit.code or "", unit.level or "", status(collection, unit), *figures], plain)
    sheet.freeze_panes = "F5"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    return workbook_bytes(book, dt.datetime.combine(today, dt.time()))


def chase_rows(specs: Specs, collection: Collection, scope: Scope, today: dt.date) -> list[list[object]]:
    """The units that have not returned a form that counts, district by district."""
    rows: list[list[object]] = []
    for unit in scope.units:
        if unit.slug in collection.accepted:
            continue
        parent = specs.unit(unit.parent) if unit.parent else None
        refused = collection.refused.get(unit.slug, [])
        rows.append([len(rows) + 1, unit.shown, unit.code or "", parent.shown if parent else "", status(collection, unit)
                     + (f": {', '.join(refused)}" if refused else ""),
                     short_date(specs.campaign.report_before) if specs.campaign.report_before else "",
                     days_left(specs.campaign.report_before, today)])
    return rows


CHASE_HEADINGS = ["STT", "Đơn vị", "Mã đơn vị", "Thuộc", "Tình trạng", "Hạn gửi (trước ngày)", "Thời hạn"]


def chase_list(specs: Specs, collection: Collection, scope: Scope, today: dt.date) -> tuple[bytes, bytes]:
    """The chase list as a workbook and as CSV."""
    rows = chase_rows(specs, collection, scope, today)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Đôn đốc"
    title = (f"DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO KẾT QUẢ — {scope.head.shown}, ngày {short_date(today)}: "
             f"{len(rows)}/{len(scope.units)} đơn vị")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(CHASE_HEADINGS))
    sheet.cell(1, 1, title).font = Font(name=FONT, size=13, bold=True)
    for column, heading in enumerate(CHASE_HEADINGS, start=1):
        cell = sheet.cell(3, column, heading)
        cell.font, cell.border = Font(name=FONT, size=11, bold=True), GRID
    for index, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(index, column, value)
            cell.font, cell.border = Font(name=FONT, size=11), GRID
    for letter, width in zip("ABCDEFG", (6, 30, 10, 28, 40, 14, 20)):
        sheet.column_dimensions[letter].width = width
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(CHASE_HEADINGS)
    writer.writerows(rows)
    return workbook_bytes(book, dt.datetime.combine(today, dt.time())), notepad_bytes(text.getvalue())


def totals_data(specs: Specs, collection: Collection, scope: Scope, today: dt.date) -> bytes:
    """The totals as data: what the results infographic and other tools draw from."""
    indicators = columns(specs, scope.units)
    accepted = [collection.accepted[u.slug] for u in scope.units if u.slug in collection.accepted]
    districts = {u.slug: added_up(collection, (m for m in scope.units if u.slug in (m.slug, m.parent)), indicators)
                 for u in scope.units if u.kind == "district"}
    data = {"campaign": specs.campaign.id, "unit": scope.head.slug, "as_of": today.isoformat(),
            "reported": len(accepted), "expected": len(scope.units),
            "indicators": {key: {"name": i.name, "measure": i.measure, "type": i.type} for key, i in indicators.items()},
            "totals": added_up(collection, scope.units, indicators), "districts": districts,
            "units": {a.unit.slug: a.values for a in accepted}}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode()


def totals_csv(specs: Specs, collection: Collection, every: list[Scope]) -> bytes:
    """The totals of the province and of each district, and each commune's own that has reported, as
    specs/ket-qua.csv holds them (specs/totals.py)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    text.write("# The campaign's results from the returns collected by `assets results collect`: the total of each "
               "unit and the units under it.\n")
    writer.writerow(["unit", "indicator", "value"])
    for scope in every:
        if scope.head.slug == COUNTRY:  # not a unit of the units file
            continue
        sums = added_up(collection, scope.units, columns(specs, scope.units))
        writer.writerows([scope.head.slug, key, value] for key, value in sums.items())
    for accepted in collection.accepted.values():  # a commune's own, for the bars of its district's chart
        if accepted.unit.kind == "commune":
            own = total([accepted.values], indicators_for(specs.indicators, "commune"))
            writer.writerows([accepted.unit.slug, key, value] for key, value in own.items())
    return text.getvalue().encode()
