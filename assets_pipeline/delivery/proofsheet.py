"""The proof sheet: one A4 PDF per unit showing every piece of its bundle, for sign-off before printing.

What the person who signs checks, in the order they check it: the unit's own pieces first, channel
by channel, then the pieces shared from the district or the province, marked "dùng chung". A piece
is one entry however many files it has (a PDF and its proof, a PNG and a JPEG of one picture, a
video and its stills): its pictures each once, every file named with its size, the texts it
carries. A PDF that no one picture shows whole shows each of its pages; a text file (the radio
text the commune approves before it is read on air) is set in full. File names break only after
a `-`, `_`, `/` or `.`, never inside a word or the extension. A signature block closes the sheet.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, Flowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer,
                                Table, TableStyle)

from assets_pipeline import __version__
from assets_pipeline.delivery.bundle_readme import channel_groups, unit_line
from assets_pipeline.delivery.catalog import Asset, Catalog, Member, UnitInfo
from assets_pipeline.delivery.describe import (byte_size, channel_name, media_name, product, purpose, size_text,
                                               slogan_text)
from assets_pipeline.delivery.document_fonts import DocumentFonts, document_fonts
from assets_pipeline.delivery.thumbnails import Picture, Thumbnail, page_pictures, shows_whole
from assets_pipeline.engine.output import atomic_path

MARGIN_MM = 12
COLUMNS = 2
GAP_MM = 5
THUMB_MAX_H_MM = 52
PAGE_H_MM = 50  # a page of a document, in a row of its pages
# a picture of several (a video's scenes), in a row of them: as many to a row as stand this high...
PICTURE_MIN_H_MM = 24
PICTURE_MAX_H_MM = 32  # ...and no higher than this
RED = colors.HexColor("#A3161A")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#BBBBBB")
NAME_PT = 8
# where a file name may break: after these, never inside a word or the extension
BREAK_AFTER = "-_/."


def _styles(fonts: DocumentFonts) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=8.5, leading=11.5)
    return {
        "title": ParagraphStyle("title", base, fontName=fonts.bold, fontSize=16, leading=20, textColor=RED),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10.5, leading=14),
        "part": ParagraphStyle("part", base, fontName=fonts.bold, fontSize=12, leading=16, textColor=RED,
                               spaceBefore=3 * mm, spaceAfter=1 * mm),
        "channel": ParagraphStyle("channel", base, fontName=fonts.bold, fontSize=10, leading=13, spaceBefore=4 * mm,
                                  spaceAfter=1 * mm, borderPadding=(0, 0, 1, 0)),
        "product": ParagraphStyle("product", base, fontName=fonts.bold, fontSize=9, leading=12),
        "name": ParagraphStyle("name", base, fontName=fonts.bold, fontSize=NAME_PT, leading=10.5),
        "facts": ParagraphStyle("facts", base, fontSize=8, leading=10.5, textColor=GREY, spaceAfter=1),
        "body": base,
        # room between lines for stacked marks (Ổ, Ậ)
        "slogan": ParagraphStyle("slogan", base, fontName=fonts.bold, fontSize=9, leading=12.5),
        "shared": ParagraphStyle("shared", base, fontName=fonts.bold, fontSize=8, leading=10.5, textColor=RED),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=10, textColor=GREY),
        "text": ParagraphStyle("text", base, fontSize=10, leading=15, leftIndent=4 * mm, rightIndent=4 * mm,
                               spaceAfter=5),
        "text_title": ParagraphStyle("text_title", base, fontName=fonts.bold, fontSize=10, leading=15,
                                     leftIndent=4 * mm, spaceAfter=2),
        "sign": ParagraphStyle("sign", base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "sign_head": ParagraphStyle("sign_head", base, fontName=fonts.bold, fontSize=10.5, leading=14,
                                    alignment=TA_CENTER),
    }


def name_lines(name: str, font: str, size_pt: float, width_pt: float) -> list[str]:
    """`name` in lines no wider than `width_pt`, broken only after a `-`, `_`, `/` or `.` of its stem:
    the extension stays with what precedes it. A part wider than a line stands alone on its own."""
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    parts = re.findall(rf"[^{re.escape(BREAK_AFTER)}]*[{re.escape(BREAK_AFTER)}]+|[^{re.escape(BREAK_AFTER)}]+$", stem)
    parts = parts or [stem]
    if extension:
        parts[-1] += "." + extension
    lines = [""]
    for part in parts:
        if lines[-1] and stringWidth(lines[-1] + part, font, size_pt) > width_pt:
            lines.append(part)
        else:
            lines[-1] += part
    return lines


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


def _image(picture: Picture, max_w: float, max_h: float) -> _Thumbnail:
    w_px, h_px = picture.px
    scale = min(max_w / w_px, max_h / h_px)
    image = _Thumbnail(picture.jpeg, width=w_px * scale, height=h_px * scale)
    image.hAlign = "LEFT"
    return image


@dataclass
class Piece:
    """One entry of the sheet: the files of one piece of artwork, and what shows it."""

    members: list[Member]
    pictures: list[Picture] = field(default_factory=list)
    placeholder: bool = False  # its only picture is the card that says there is none
    pages: int = 0  # how many pages of a document the pictures show: one each, or side by side in one
    text: str | None = None  # a text file's content, set in full
    text_name: str = ""

    @property
    def wide(self) -> bool:
        """Across the page rather than in a column: several pictures, pages that a column would show too
        small to see (a pledge's proof sets its five side by side), or a text to read."""
        return len(self.pictures) > 1 or self.pages > 2 or self.text is not None


def _files_first(member: Member) -> tuple[bool, str]:
    """The file to use first (the PDF to print, the video to play), then the others, by name."""
    return member.asset.family not in ("print", "video"), member.asset.path


def _shown_stem(thumbnail: Thumbnail) -> str:
    """The picture a thumbnail is of, by the stem of the file it shows: a PNG and a JPEG of the same
    picture, a PDF and its proof, are one."""
    shown = thumbnail.path.split("/", 1)[1].removesuffix(".jpg")
    return posixpath.splitext(shown)[0]


def _pieces(catalog: Catalog, members: list[Member], thumbnails: dict[str, Thumbnail]) -> Iterator[Piece]:
    by_identity: dict[tuple, list[Member]] = {}
    for member in members:
        by_identity.setdefault(member.asset.identity, []).append(member)
    for group in by_identity.values():
        piece = Piece(sorted(group, key=_files_first))
        paged = [m.asset for m in piece.members if m.asset.is_print and not shows_whole(m.asset, catalog)]
        if paged:
            piece.pictures = page_pictures(catalog, paged[0], thumbnails)
            piece.pages = len(piece.pictures)
        if not piece.pictures:
            seen: set[str] = set()
            for member in piece.members:
                thumbnail = thumbnails[member.asset.path]
                stem = _shown_stem(thumbnail)
                if stem not in seen:
                    seen.add(stem)
                    piece.pictures.append(Picture((catalog.output / thumbnail.path).read_bytes(), thumbnail.px))
                    piece.placeholder = thumbnail.source == "placeholder"
            if not paged:  # a document's proof shows its pages side by side
                documents = [m.asset.pages for m in piece.members if m.asset.is_print and isinstance(m.asset.pages, int)]
                piece.pages = max(documents, default=0) if len(piece.pictures) == 1 else 0
        texts = [m.asset for m in piece.members if str(m.asset.media).lower() == "txt"]
        if texts:
            raw = (catalog.output / texts[0].path).read_bytes()
            piece.text = raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
            piece.text_name = texts[0].name
        yield piece


def _file_lines(asset: Asset, catalog: Catalog, width_pt: float, styles) -> list[Flowable]:
    lines = name_lines(asset.name, styles["name"].fontName, NAME_PT, width_pt)
    part = purpose(asset, catalog)
    facts = [media_name(asset.media), size_text(asset) if asset.is_raster or asset.is_video else None,
             byte_size(int(asset.bytes)), part if part != media_name(asset.media) else None]
    # a number stays with its unit, and a size's two numbers together
    said = re.sub(r" (mm|px|kB|MB|GB|byte|trang)\b", "\u00a0\\1", " · ".join(f for f in facts if f))
    said = said.replace(" × ", "\u00a0×\u00a0")
    return [Paragraph("<br/>".join(escape(line) for line in lines), styles["name"]),
            Paragraph(escape(said), styles["facts"])]


def _about(piece: Piece, catalog: Catalog, width_pt: float, styles) -> list[Flowable]:
    """The piece's title, each of its files, the texts it carries."""
    first = piece.members[0]
    about: list[Flowable] = [Paragraph(escape(product(first.asset, catalog)), styles["product"])]
    if first.shared_from:
        about.append(Paragraph(escape(f"Dùng chung · của {catalog.unit(first.shared_from).name}"), styles["shared"]))
    for member in piece.members:
        about += _file_lines(member.asset, catalog, width_pt, styles)
    if piece.text is None:
        texts = slogan_text(first.asset)
        if texts:
            about.append(Paragraph("Nội dung: " + escape(texts), styles["slogan"]))
    if piece.placeholder:
        about.append(Paragraph("Không có ảnh xem trước cho loại tệp này.", styles["small"]))
    return about


def _cell(piece: Piece, catalog: Catalog, width_pt: float, styles) -> list[Flowable]:
    return [_image(piece.pictures[0], width_pt, THUMB_MAX_H_MM * mm), Spacer(1, 2 * mm),
            *_about(piece, catalog, width_pt, styles)]


def _picture_rows(pictures: list[Picture], width_pt: float, min_h: float, max_h: float, font: str) -> Table:
    """Pictures side by side across `width_pt`, as many to a row as fit at `min_h` high, none higher
    than `max_h`."""
    gap = 3 * mm
    aspect = max(p.px[0] / p.px[1] for p in pictures)
    columns = max(1, min(len(pictures), int((width_pt + gap) // (min_h * aspect + gap))))
    box_w = (width_pt - gap * (columns - 1)) / columns
    images: list[Any] = [_image(p, box_w, max_h) for p in pictures]
    rows = [images[i:i + columns] for i in range(0, len(images), columns)]
    rows[-1] += [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[box_w + gap] * (columns - 1) + [box_w], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), font),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), gap), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm)]))
    return table


def _wide(piece: Piece, catalog: Catalog, width_pt: float, styles) -> list[Flowable]:
    """A piece across the page: its pictures in rows (a document's pages numbered), then what it is; a
    text file's content after, in full, at a size to read."""
    min_h, max_h = (PAGE_H_MM, PAGE_H_MM) if piece.pages else (PICTURE_MIN_H_MM, PICTURE_MAX_H_MM)
    head: list[Flowable] = [_picture_rows(piece.pictures, width_pt, min_h * mm, max_h * mm, styles["body"].fontName)]
    if piece.pages:
        head.append(Paragraph(escape(f"Các trang của tệp PDF, theo thứ tự: {piece.pages} trang."), styles["small"]))
    flowables: list[Flowable] = [KeepTogether(head + _about(piece, catalog, width_pt, styles))]
    if piece.text is not None:
        text: list[Flowable] = [Spacer(1, 2 * mm), Paragraph(escape(f"Nội dung tệp {piece.text_name}, nguyên văn:"),
                                                             styles["small"])]
        paragraphs = [p for p in piece.text.split("\n\n") if p.strip()]
        for index, paragraph in enumerate(paragraphs):
            style = styles["text_title"] if index == 0 else styles["text"]
            text.append(Paragraph("<br/>".join(escape(line) for line in paragraph.split("\n")), style))
        flowables.append(KeepTogether(text))  # read in one go: on one page, unless it is longer than a page
    return flowables + [Spacer(1, 3 * mm)]


def _grid(cells: list[list[Flowable]], frame_w: float, font: str) -> Table:
    gap = GAP_MM * mm
    cell_w = (frame_w - gap * (COLUMNS - 1)) / COLUMNS
    rows = [cells[i:i + COLUMNS] for i in range(0, len(cells), COLUMNS)]
    rows[-1] = rows[-1] + [[]] * (COLUMNS - len(rows[-1]))
    table = Table(rows, colWidths=[cell_w + gap / 2] * COLUMNS, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), font),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), gap / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]))
    return table


def _height(flowables: list[Flowable], width_pt: float) -> float:
    """How tall `flowables` stand in a column `width_pt` wide."""
    return sum(_height(f._content, width_pt) if isinstance(f, KeepTogether)
               else f.wrap(width_pt, A4[1])[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


def _sign_off(catalog: Catalog, unit: UnitInfo, pieces: int, files: int, frame_w: float, styles) -> Flowable:
    """Who approves, for which unit, and when: the block the unit signs."""
    dots = "…" * 40
    left = [Paragraph("<b>Đơn vị duyệt:</b> " + escape(unit_line(catalog, unit)), styles["body"]),
            Spacer(1, 2 * mm),
            Paragraph(escape(f"Đã kiểm tra {pieces} sản phẩm ({files} tệp) trên tờ này: khẩu hiệu, tên đơn vị, "
                             "kích thước, nội dung chữ."), styles["body"]),
            Spacer(1, 2 * mm),
            Paragraph("Ý kiến (nếu cần sửa, ghi rõ tệp và nội dung cần sửa):", styles["body"])]
    left += [Paragraph(dots, styles["body"]) for _ in range(3)]
    right = [Paragraph("……………, ngày …… tháng …… năm ……", styles["sign"]), Spacer(1, 1.5 * mm),
             Paragraph("Người duyệt", styles["sign_head"]),
             Paragraph("(ký, ghi rõ họ tên)", styles["sign"]), Spacer(1, 24 * mm),
             Paragraph(escape(unit.name[:1].upper() + unit.name[1:]), styles["sign"])]
    table = Table([[left, right]], colWidths=[frame_w * 0.55, frame_w * 0.45])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), styles["body"].fontName),
                               ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                               ("LINEBEFORE", (1, 0), (1, 0), 0.4, colors.black),
                               ("TOPPADDING", (0, 0), (-1, -1), 3 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm)]))
    return KeepTogether([Paragraph("XÁC NHẬN DUYỆT MẪU", styles["part"]), table])


def write_proof_sheet(final: Path, catalog: Catalog, unit: UnitInfo, members: list[Member],
                      thumbnails: dict[str, Thumbnail]) -> None:
    fonts = document_fonts(catalog)
    styles = _styles(fonts)
    campaign = catalog.campaign
    frame_w = A4[0] - 2 * MARGIN_MM * mm
    cell_w = (frame_w - GAP_MM * mm * (COLUMNS - 1)) / COLUMNS

    groups = [(shared_from, channel, list(_pieces(catalog, group, thumbnails)))
              for shared_from, channel, group in channel_groups(members)]
    count = sum(len(pieces) for _, _, pieces in groups)
    shared = sorted({s for s, _, _ in groups if s}, key=lambda s: -len(catalog.ancestors(s)))
    story: list[Flowable] = [
        Paragraph("TỜ DUYỆT MẪU", styles["title"]),
        Paragraph(escape(f"{campaign.title} — năm {campaign.year}"), styles["subtitle"]),
        Paragraph(escape(f"Đơn vị: {unit_line(catalog, unit)}"), styles["subtitle"]),
        Spacer(1, 2 * mm),
        Paragraph(escape(f"{count} sản phẩm, {len(members)} tệp (tổng {byte_size(sum(int(m.asset.bytes) for m in members))})"
                         ". Kiểm tra từng khẩu hiệu, tên đơn vị, kích thước và nội dung chữ, rồi ký duyệt ở cuối tờ "
                         "trước khi gửi in, đăng tải hoặc phát sóng."), styles["body"]),
    ]
    part = None
    for shared_from, channel, pieces in groups:
        if (shared_from is not None) != part:
            part = shared_from is not None
            if part:
                whose = ", ".join(catalog.unit(s).name for s in shared)
                story += [CondPageBreak(60 * mm), Paragraph("SẢN PHẨM DÙNG CHUNG", styles["part"]),
                          Paragraph(escape(f"Tệp của {whose}, không có bản riêng cho đơn vị: dùng đúng tệp đó, "
                                           "không sửa tên đơn vị trên tệp."), styles["body"])]
            else:
                story.append(Paragraph(escape(f"SẢN PHẨM CỦA {unit.name.upper()}"), styles["part"]))
        folders = sorted({m.asset.path.rsplit("/", 1)[0] + "/" for p in pieces for m in p.members})
        files = sum(len(p.members) for p in pieces)
        heading = (("Dùng chung — " if shared_from else "") + channel_name(channel).upper()
                   + f" · thư mục {', '.join(folders)} · {len(pieces)} sản phẩm, {files} tệp")
        title = Paragraph(escape(heading), styles["channel"])
        narrow = [_cell(p, catalog, cell_w, styles) for p in pieces if not p.wide]
        wide = [_wide(p, catalog, frame_w, styles) for p in pieces if p.wide]
        # a heading stays with the first entry under it
        first = [_height(cell, cell_w) for cell in narrow[:COLUMNS]] or [_height(wide[0][:1], frame_w)]
        story += [CondPageBreak(_height([title], frame_w) + max(first) + 8 * mm), title]
        if narrow:
            story.append(_grid(narrow, frame_w, fonts.regular))
        for flowables in wide:
            story += [Spacer(1, 3 * mm), *flowables]

    story += [Spacer(1, 6 * mm), _sign_off(catalog, unit, count, len(members), frame_w, styles)]

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular, 7.5)
        canvas.setFillColor(GREY)
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
