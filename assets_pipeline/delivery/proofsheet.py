"""The proof sheet: one A4 PDF per unit showing every file of its bundle, for sign-off before printing.

Each file gets its thumbnail, its name, its format and size, and the texts it carries, so the
person who signs can check every slogan letter by letter without opening fifty files.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from assets_pipeline import __version__
from assets_pipeline.delivery.catalog import Catalog, Member, UnitInfo
from assets_pipeline.delivery.bundle_readme import unit_line
from assets_pipeline.delivery.describe import byte_size, channel_name, media_name, size_text, slogan_text
from assets_pipeline.delivery.document_fonts import DocumentFonts, document_fonts
from assets_pipeline.delivery.thumbnails import Thumbnail
from assets_pipeline.engine.output import atomic_path

MARGIN_MM = 12
COLUMNS = 2
THUMB_MAX_H_MM = 52
RED = colors.HexColor("#A3161A")


def _styles(fonts: DocumentFonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=8, leading=10.5)
    return {
        "title": ParagraphStyle("title", base, fontName=fonts.bold, fontSize=15, leading=19, textColor=RED),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10, leading=13),
        "name": ParagraphStyle("name", base, fontName=fonts.bold, fontSize=7.5, leading=9.5, wordWrap="CJK"),
        "body": base,
        "slogan": ParagraphStyle("slogan", base, fontName=fonts.bold, fontSize=8.5, leading=12),  # room for stacked marks (Ổ, Ậ)
        "small": ParagraphStyle("small", base, fontSize=7, leading=9, textColor=colors.HexColor("#555555")),
    }


class _JpegReader(ImageReader):
    """A JPEG thumbnail that reportlab embeds as it is and names by its bytes. An image drawn from a
    path is named after the path (the same sheet would differ from one output folder to another);
    one read from bytes is named by its decoded pixels, which decodes every thumbnail and keeps the
    pixels until the sheet is written (~150 MB for a district, never given back to the system)."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data))
        self._bytes = data
        self._dataA = None  # no alpha: a JPEG has none

    def getRGBData(self) -> bytes:  # what reportlab names the image by; the pixels it embeds are the JPEG's
        return self._bytes


class _Thumbnail(Image):
    def __init__(self, data: bytes, width: float, height: float):
        self._img = _JpegReader(data)  # before Image's own set-up, which would make a reader of its own
        super().__init__(io.BytesIO(data), width=width, height=height)


def _cell(member: Member, thumb: Thumbnail, output: Path, catalog: Catalog, width_pt: float, styles) -> list:
    asset = member.asset
    w_px, h_px = thumb.px
    scale = min(width_pt / w_px, THUMB_MAX_H_MM * mm / h_px)
    image = _Thumbnail((output / thumb.path).read_bytes(), width=w_px * scale, height=h_px * scale)
    image.hAlign = "LEFT"
    facts = [media_name(asset.media), size_text(asset), byte_size(int(asset.bytes))]
    if isinstance(asset.pages, int) and asset.pages > 1:
        facts.insert(2, f"{asset.pages} trang")
    title = catalog.format_title(asset.format)
    lines = [image, Spacer(1, 2 * mm),
             Paragraph(escape(asset.path), styles["name"]),
             Paragraph(escape(" · ".join([channel_name(asset.channel)] + ([title] if title else []))), styles["body"]),
             Paragraph(escape(" · ".join(facts)), styles["body"])]
    texts = slogan_text(asset)
    if texts:
        lines.append(Paragraph("Nội dung: " + escape(texts), styles["slogan"]))
    if member.shared_from:
        lines.append(Paragraph(escape(f"Tệp dùng chung của {catalog.unit(member.shared_from).name}"),
                               styles["small"]))
    if thumb.source == "placeholder":
        lines.append(Paragraph("Không có ảnh xem trước cho loại tệp này.", styles["small"]))
    return lines


def write_proof_sheet(final: Path, catalog: Catalog, unit: UnitInfo, members: list[Member],
                      thumbnails: dict[str, Thumbnail]) -> None:
    fonts = document_fonts(catalog)
    styles = _styles(fonts)
    campaign = catalog.campaign
    frame_w = A4[0] - 2 * MARGIN_MM * mm
    gap = 5 * mm
    cell_w = (frame_w - gap * (COLUMNS - 1)) / COLUMNS

    story: list = [
        Paragraph("TỜ DUYỆT MẪU", styles["title"]),
        Paragraph(escape(f"{campaign.title} — {campaign.year} · {unit_line(catalog, unit)}"), styles["subtitle"]),
        Paragraph(escape(f"{len(members)} tệp, tổng {byte_size(sum(int(m.asset.bytes) for m in members))}. "
                         "Kiểm tra từng khẩu hiệu, tên đơn vị và kích thước trước khi gửi in hoặc đăng tải."),
                  styles["body"]),
        Spacer(1, 5 * mm),
    ]
    rows: list[list[Any]] = []
    row: list[Any] = []
    for member in members:
        thumb = thumbnails[member.asset.path]
        row.append(_cell(member, thumb, catalog.output, catalog, cell_w - 4 * mm, styles))
        if len(row) == COLUMNS:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (COLUMNS - len(row)))
    if rows:
        table = Table(rows, colWidths=[cell_w + gap / 2] * COLUMNS, repeatRows=0)
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # plain-string cells (the empty ones) would otherwise set an unembedded Helvetica
            ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
            ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
        ]))
        story.append(table)

    sign_off = Table(
        [[Paragraph("<b>Người lập</b><br/>(ký, ghi rõ họ tên)", styles["body"]),
          Paragraph("<b>Người duyệt</b><br/>(ký, ghi rõ họ tên)", styles["body"]),
          Paragraph("<b>Ngày duyệt</b><br/>ngày ..... tháng ..... năm ..........", styles["body"])],
         ["", "", ""]],
        colWidths=[frame_w / 3] * 3, rowHeights=[None, 22 * mm])
    sign_off.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                                  ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                                  ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.black),
                                  ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 6 * mm), KeepTogether([Paragraph("<b>Xác nhận duyệt mẫu</b>", styles["body"]),
                                               Spacer(1, 2 * mm), sign_off])]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN_MM * mm, 7 * mm, f"Tờ duyệt mẫu · {unit.name} · {campaign.id}")
        canvas.drawRightString(A4[0] - MARGIN_MM * mm, 7 * mm, f"Trang {doc.page}")
        canvas.restoreState()

    with atomic_path(final) as temporary:
        document = SimpleDocTemplate(
            str(temporary), pagesize=A4, leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm,
            topMargin=MARGIN_MM * mm, bottomMargin=14 * mm, invariant=1, pageCompression=1,
            initialFontName=fonts.regular, title=f"Tờ duyệt mẫu — {unit.name}",
            author=campaign.issuer, subject=campaign.title, creator=f"assets_pipeline {__version__}",
            producer=f"assets_pipeline {__version__}", lang="vi")
        document.build(story, onFirstPage=footer, onLaterPages=footer)
