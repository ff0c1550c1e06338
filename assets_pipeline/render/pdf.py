"""Vector PDF with reportlab: the page is trim + bleed, with TrimBox and BleedBox set.

A PDF page cannot exceed 200 inches (5,080 mm) in most readers and RIPs, so larger pieces are
written as 1:10 artwork; the scale is in the file name, the PDF's metadata and the manifest.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from assets_pipeline import __version__
from assets_pipeline.expand import Job
from assets_pipeline.fonts import face
from assets_pipeline.layout import Fill, Layout, QrItem, TextItem
from assets_pipeline.render import Renderer

MAX_PAGE_MM = 5080.0
PT_PER_MM = 72 / 25.4


def scale_for(job: Job) -> float:
    width, height = job.format.size
    bleed = job.format.bleed_mm
    return 1.0 if max(width, height) + 2 * bleed <= MAX_PAGE_MM else 0.1


def file_name(job: Job) -> str:
    suffix = "" if scale_for(job) == 1 else "_1-10"
    return f"{job.stem}{suffix}.pdf"


@functools.lru_cache(maxsize=None)
def _font_name(font_path: str) -> str:
    font = face(font_path)
    if font.reportlab.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font.reportlab)
    return font.reportlab.fontName


def _runs(text: str, font_path: str) -> list[tuple[float, str]]:
    """Split a line where kerning moves a glyph, so the PDF places glyphs exactly as the layout did."""
    font = face(font_path)
    positions = font.glyph_positions(text)
    runs: list[tuple[float, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or abs(positions[i] - positions[start] - font.advance(text[start:i])) > 1e-6:
            runs.append((positions[start], text[start:i]))
            start = i
    return runs


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    if layout.unit != "mm":
        raise ValueError("PDF output needs a print format (size_mm)")
    scale = scale_for(job)
    k = scale * PT_PER_MM
    bleed = layout.bleed
    page_w, page_h = (layout.width + 2 * bleed) * k, (layout.height + 2 * bleed) * k
    fonts = [item.font_path for item in layout.items if isinstance(item, TextItem)]
    first_font = _font_name(fonts[0]) if fonts else None
    for font_path in fonts:
        _font_name(font_path)
    # initialFontName keeps reportlab from putting an unembedded Helvetica in the page preamble
    canvas = Canvas(str(path), pagesize=(page_w, page_h), invariant=1, pageCompression=1,
                    initialFontName=first_font or "Helvetica")
    scale_text = "1:1 (full size)" if scale == 1 else "1:10 (print at 10 x)"
    canvas.setTitle(f"{job.design} {job.variant} {job.format.title} {job.unit}")
    canvas.setSubject(f"Scale {scale_text}; trim {layout.width:g} x {layout.height:g} mm; bleed {bleed:g} mm")
    canvas.setKeywords(f"scale={'1' if scale == 1 else '1:10'}")
    canvas.setCreator(f"assets_pipeline {__version__}")
    canvas.setProducer(f"assets_pipeline {__version__}")
    canvas.setBleedBox((0, 0, page_w, page_h))
    canvas.setTrimBox((bleed * k, bleed * k, (bleed + layout.width) * k, (bleed + layout.height) * k))

    def x_pt(x_mm: float) -> float:
        return (x_mm + bleed) * k

    def y_pt(y_mm: float) -> float:
        return page_h - (y_mm + bleed) * k

    canvas.setFillColor(HexColor(layout.background))
    canvas.rect(0, 0, page_w, page_h, stroke=0, fill=1)
    for item in layout.items:
        if isinstance(item, Fill):
            canvas.setFillColor(HexColor(item.color))
            canvas.rect(x_pt(item.box.x), y_pt(item.box.y + item.box.height),
                        item.box.width * k, item.box.height * k, stroke=0, fill=1)
            continue
        if isinstance(item, QrItem):
            draw_qr(canvas, item, x_pt, y_pt, k)
            continue
        size_pt = item.fitted.size * k
        text = canvas.beginText()
        text.setFont(_font_name(item.font_path), size_pt)
        text.setFillColor(HexColor(item.color))
        for line in item.fitted.lines:
            for offset_em, run in _runs(line.text, item.font_path):
                text.setTextOrigin(x_pt(line.x) + offset_em * size_pt, y_pt(line.baseline))
                text.textOut(run)
        canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    return {"trim_mm": [layout.width, layout.height], "bleed_mm": bleed, "scale": scale}


def draw_qr(canvas: Canvas, item: QrItem, x_pt: Callable[[float], float], y_pt: Callable[[float], float],
            k: float) -> None:
    """The code as vector rectangles, one per run of dark modules, in one filled path: sharp at any
    enlargement, and no bitmap for a RIP to resample."""
    box = item.box
    canvas.setFillColor(HexColor(item.background))
    canvas.rect(x_pt(box.x), y_pt(box.y + box.height), box.width * k, box.height * k, stroke=0, fill=1)
    path = canvas.beginPath()
    for row, column, length in item.symbol.dark_runs():
        x0, y0 = box.x + column * item.module, box.y + row * item.module
        path.rect(x_pt(x0), y_pt(y0 + item.module), length * item.module * k, item.module * k)
    canvas.setFillColor(HexColor(item.color))
    canvas.drawPath(path, stroke=0, fill=1)


RENDERER = Renderer("pdf", file_name, render)
