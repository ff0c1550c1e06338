"""`assets report`: what was produced, per unit and channel (counts and sizes), as CSV and a PDF.

The campaign plan asks every unit to report its results to the provincial department before a
date (campaign `report_before`, `report_to`). The figures come from the manifest: files made for
each unit itself, not the shared files it also receives in its bundle. Communes are counted under
their district: the district's row, its communes' rows, then the district's subtotal, as a
district's office reports them. The PDF is one A4 page while the table fits on one, else as many
pages as it needs, its header repeated.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from assets_pipeline import __version__
from assets_pipeline.core.i18n import _
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.core.vietnamese import COMMUNE_LEVELS
from assets_pipeline.delivery.catalog import Catalog, CatalogError, UnitInfo, load_catalog
from assets_pipeline.delivery.describe import byte_size, channel_name
from assets_pipeline.delivery.document_fonts import document_fonts
from assets_pipeline.delivery.freshness import REPORT, manifest_digest, record_delivered
from assets_pipeline.engine.keys import package_fingerprint
from assets_pipeline.engine.made import Made
from assets_pipeline.engine.output import output_lock, write_bytes

REPORT_DIR = "report"
KIND_NAMES = {"province": "tỉnh", "district": "huyện, thành phố", "commune": "xã, phường, thị trấn"}
CSV_HEADER = ["Mã đơn vị", "Mã ĐVHC", "Đơn vị", "Cấp", "Thuộc", "Mã kênh", "Kênh", "Số tệp", "Theo định dạng",
              "Dung lượng (byte)", "Dung lượng"]
TOTAL = "Tổng cộng"


@dataclass
class Cell:
    files: int = 0
    bytes: int = 0
    media: Counter = field(default_factory=Counter)

    def add(self, media: str, size: int) -> None:
        self.files += 1
        self.bytes += size
        self.media[media] += 1

    def media_text(self) -> str:
        return "; ".join(f"{m}: {n}" for m, n in sorted(self.media.items()))


@dataclass
class Summary:
    units: list[UnitInfo]
    channels: list[str]
    cells: dict[tuple[str, str], Cell]

    def cell(self, unit: str, channel: str) -> Cell:
        return self.cells.get((unit, channel), Cell())

    def unit_total(self, unit: str) -> Cell:
        return _sum(self.cell(unit, c) for c in self.channels)

    def group_total(self, units: list[UnitInfo], channel: str | None = None) -> Cell:
        return _sum(self.cell(u.slug, channel) if channel else self.unit_total(u.slug) for u in units)

    def groups(self) -> list[tuple[UnitInfo, list[UnitInfo]]]:
        """Each unit that is not a commune with the communes under it, in the units file's order; a
        commune whose parent is not reported stands alone."""
        heads = {u.slug for u in self.units if u.kind != "commune"}
        children: dict[str, list[UnitInfo]] = {}
        for unit in self.units:
            if unit.kind == "commune" and unit.parent in heads:
                children.setdefault(unit.parent, []).append(unit)
        return [(u, children.get(u.slug, [])) for u in self.units
                if u.kind != "commune" or u.parent not in heads]

    def channel_total(self, channel: str) -> Cell:
        return _sum(self.cell(u.slug, channel) for u in self.units)

    def total(self) -> Cell:
        return _sum(self.unit_total(u.slug) for u in self.units)


def _sum(cells) -> Cell:
    total = Cell()
    for cell in cells:
        total.files += cell.files
        total.bytes += cell.bytes
        total.media.update(cell.media)
    return total


def summarize(catalog: Catalog, unit: str | None = None) -> Summary:
    # a district reports for itself and the communes under it
    units = [u for u in catalog.units if unit is None or u.slug == unit
             or (u.kind == "commune" and u.parent == unit and catalog.unit(unit).kind == "district")]
    if not units:
        raise CatalogError(_("unit '{unit}' is not defined", unit=unit)
                           + did_you_mean(str(unit), [u.slug for u in catalog.units]))
    slugs = {u.slug for u in units}
    cells: dict[tuple[str, str], Cell] = {}
    for asset in catalog.assets:
        if asset.unit in slugs:
            cells.setdefault((asset.unit, asset.channel), Cell()).add(str(asset.media).lower(), int(asset.bytes))
    channels = catalog.channels()
    return Summary(units, channels, cells)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A text cell a spreadsheet would run as a formula, quoted as OWASP's CSV-injection guidance says."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


def report_csv(summary: Summary) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Vietnamese names correctly; no cell runs as
    a formula (a unit or channel name comes from specs written by many offices)."""
    rows: list[list[object]] = [list(CSV_HEADER)]
    names = {u.slug: u.name for u in summary.units}
    for head, communes in summary.groups():
        for unit in [head] + communes:
            for channel in summary.channels:
                cell = summary.cell(unit.slug, channel)
                rows.append([unit.slug, unit.code or "", unit.name, KIND_NAMES.get(unit.kind, unit.kind),
                             names.get(unit.parent or "", ""), channel, channel_name(channel), cell.files,
                             cell.media_text(), cell.bytes, byte_size(cell.bytes)])
        if communes:
            cell = summary.group_total([head] + communes)
            rows.append(["", "", group_title(head, communes), "", "", "", "", cell.files, cell.media_text(),
                         cell.bytes, byte_size(cell.bytes)])
    total = summary.total()
    rows.append(["", "", TOTAL, "", "", "", "", total.files, total.media_text(), total.bytes, byte_size(total.bytes)])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([[spreadsheet_safe(c) for c in row] for row in rows])
    return ("\ufeff" + unicodedata.normalize("NFC", buffer.getvalue())).encode("utf-8")


def group_title(head: UnitInfo, communes: list[UnitInfo]) -> str:
    """`Cộng huyện Hàm Yên và 18 xã, thị trấn`."""
    levels = [w for w in COMMUNE_LEVELS if any(c.name.startswith(w + " ") for c in communes)]
    return f"Cộng {head.name} và {len(communes)} {', '.join(levels) or 'đơn vị'}"


def _figure(cell: Cell) -> str:
    return f"{cell.files} tệp<br/>{byte_size(cell.bytes)}" if cell.files else "—"


def report_pdf(catalog: Catalog, summary: Summary, sender: UnitInfo | None) -> bytes:
    """A4 landscape: one page while the table's type, shrinking to 7 pt, fits every unit on it; else
    pages at 8 pt (smaller is not read on paper)."""
    fonts = document_fonts(catalog)
    if len(summary.units) <= 40:
        for size_pt in (9, 8, 7):
            buffer = io.BytesIO()
            if _build_pdf(buffer, catalog, summary, sender, fonts, size_pt) == 1:
                return buffer.getvalue()
    buffer = io.BytesIO()
    _build_pdf(buffer, catalog, summary, sender, fonts, 8)
    return buffer.getvalue()


def _build_pdf(buffer, catalog: Catalog, summary: Summary, sender: UnitInfo | None, fonts, size_pt: float) -> int:
    # reportlab's platypus loads here: a run whose report is current never needs it
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    campaign = catalog.campaign
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=10, leading=13)
    centre = ParagraphStyle("centre", base, alignment=1)
    heading = ParagraphStyle("heading", centre, fontName=fonts.bold, fontSize=14, leading=18)
    cell_style = ParagraphStyle("cell", base, fontSize=size_pt, leading=size_pt * 1.25, alignment=1)
    name_style = ParagraphStyle("name", cell_style, alignment=0)
    bold_cell = ParagraphStyle("bold", cell_style, fontName=fonts.bold)

    issuer = f"ỦY BAN NHÂN DÂN {sender.name.upper()}" if sender else campaign.issuer.upper()
    page_w = landscape(A4)[0] - 24 * mm
    masthead = Table([[Paragraph(f"<b>{escape(issuer)}</b>", centre),
                       Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/>Độc lập - Tự do - Hạnh phúc", centre)]],
                     colWidths=[page_w * 0.4, page_w * 0.6])
    masthead.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), fonts.regular)]))
    story = [masthead, Spacer(1, 5 * mm),
             Paragraph("BÁO CÁO", heading),
             Paragraph(escape(f"Kết quả sản xuất sản phẩm truyền thông {campaign.title} năm {campaign.year}"), centre),
             Spacer(1, 3 * mm)]
    if campaign.report_to:
        line = f"Kính gửi: {campaign.report_to}"
        if campaign.report_before:
            line += f" (hạn gửi: trước ngày {campaign.report_before:%d/%m/%Y})"
        story.append(Paragraph(escape(line), centre))
    story.append(Paragraph(escape(f"Đợt tuyên truyền {campaign.period.start:%d/%m/%Y} – {campaign.period.end:%d/%m/%Y}. "
                                  "Số liệu: tệp làm cho từng đơn vị, theo kênh (số tệp, dung lượng)."), centre))
    story.append(Spacer(1, 4 * mm))

    header = [Paragraph("<b>STT</b>", bold_cell), Paragraph("<b>Đơn vị</b>", bold_cell)]
    header += [Paragraph(f"<b>{escape(channel_name(c))}</b>", bold_cell) for c in summary.channels]
    header.append(Paragraph(f"<b>{TOTAL}</b>", bold_cell))
    commune_style = ParagraphStyle("commune", name_style, leftIndent=size_pt * 1.2)
    rows, subtotal_rows, number = [header], [], 0
    for head, communes in summary.groups():
        for unit in [head] + communes:
            number += 1
            style = commune_style if unit in communes else name_style
            row = [Paragraph(str(number), cell_style), Paragraph(escape(unit.name), style)]
            row += [Paragraph(_figure(summary.cell(unit.slug, c)), cell_style) for c in summary.channels]
            row.append(Paragraph(_figure(summary.unit_total(unit.slug)), bold_cell))
            rows.append(row)
        if communes:
            group = [head] + communes
            row = [Paragraph("", cell_style), Paragraph(f"<b>{escape(group_title(head, communes))}</b>", name_style)]
            row += [Paragraph(_figure(summary.group_total(group, c)), bold_cell) for c in summary.channels]
            row.append(Paragraph(_figure(summary.group_total(group)), bold_cell))
            subtotal_rows.append(len(rows))
            rows.append(row)
    if len(summary.units) > 1:
        total_row = [Paragraph("", cell_style), Paragraph(f"<b>{TOTAL}</b>", name_style)]
        total_row += [Paragraph(_figure(summary.channel_total(c)), bold_cell) for c in summary.channels]
        total_row.append(Paragraph(_figure(summary.total()), bold_cell))
        rows.append(total_row)
    name_w = 60 * mm
    other_w = (page_w - 12 * mm - name_w) / (len(summary.channels) + 1)
    table = Table(rows, colWidths=[12 * mm, name_w] + [other_w] * (len(summary.channels) + 1), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2E6C9")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), size_pt * 0.3), ("BOTTOMPADDING", (0, 0), (-1, -1), size_pt * 0.3),
    ] + [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F7F1E3")) for r in subtotal_rows]))
    story += [table, Spacer(1, 6 * mm),
              Table([["", Paragraph("<b>NGƯỜI BÁO CÁO</b><br/>(ký, ghi rõ họ tên)", centre)]],
                    colWidths=[page_w * 0.6, page_w * 0.4],
                    style=[("FONTNAME", (0, 0), (-1, -1), fonts.regular)])]

    pages = [0]

    def count_pages(canvas, document) -> None:
        pages[0] = document.page
        canvas.saveState()
        canvas.setFont(fonts.regular, 7)
        canvas.drawString(12 * mm, 7 * mm, f"Lập bằng assets_pipeline {__version__} từ manifest.json, chiến dịch {campaign.id}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, invariant=1, pageCompression=1, initialFontName=fonts.regular,
        title=f"Báo cáo kết quả — {campaign.title} {campaign.year}" + (f" — {sender.name}" if sender else ""),
        author=sender.name if sender else campaign.issuer, subject=campaign.title,
        creator=f"assets_pipeline {__version__}", producer=f"assets_pipeline {__version__}", lang="vi")
    document.build(story, onFirstPage=count_pages, onLaterPages=count_pages)
    return pages[0]


@dataclass
class ReportFiles:
    csv_path: Path
    pdf_path: Path
    summary: Summary


def write_report(output: Path, unit: str | None = None, campaign_id: str | None = None) -> ReportFiles:
    """`campaign_id`: refuse an output folder of another campaign."""
    with output_lock(output):  # never beside a build of the same folder
        return _write_report(output, unit, campaign_id)


def _write_report(output: Path, unit: str | None, campaign_id: str | None) -> ReportFiles:
    made_from = manifest_digest(output)
    catalog = load_catalog(output, campaign_id)
    summary = summarize(catalog, unit)
    sender = summary.units[0] if unit else None
    stem = "bao-cao-ket-qua" + (f"-{unit}" if unit else "")
    csv_path = output / REPORT_DIR / f"{stem}.csv"
    pdf_path = output / REPORT_DIR / f"{stem}.pdf"
    table = report_csv(summary)
    made = Made(output, "report")
    key = report_key(catalog, table, sender)
    if not made.current(stem, key):
        pdf = report_pdf(catalog, summary, sender)
        write_bytes(csv_path, table)
        write_bytes(pdf_path, pdf)
        made.record(stem, key, [f"{REPORT_DIR}/{csv_path.name}", f"{REPORT_DIR}/{pdf_path.name}"])
        made.save()
    if unit is None:
        record_delivered(output, REPORT, made_from)
    return ReportFiles(csv_path, pdf_path, summary)


def report_key(catalog: Catalog, table: bytes, sender: UnitInfo | None) -> str:
    """The figures (the CSV holds them all), who reports to whom, the build's record (the campaign,
    the fonts by content) and the code."""
    digest = hashlib.sha256(f"{package_fingerprint()}\n{sender}\n{catalog.record_digest}\n".encode())
    digest.update(table)
    return digest.hexdigest()
