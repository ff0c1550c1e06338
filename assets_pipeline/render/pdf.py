"""Vector PDF with reportlab: the page is trim + bleed, with TrimBox and BleedBox set.

A PDF page cannot exceed 200 inches (5,080 mm) in most readers and RIPs, so larger pieces are
written as 1:10 artwork, or at full size with /UserUnit 10 when the format asks for it; the scale
is in the file name, the PDF's metadata and the manifest. Print formats are CMYK by default, with
every colour's print value from the campaign; crop marks, when a format asks for them, sit
outside the bleed and the page grows by them, so TrimBox and BleedBox stay exact. A CMYK file is
finished as PDF/X for its press (render/pdfx.py).
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path
from typing import Any

from PIL import Image
from reportlab.lib.colors import CMYKColorSep, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFPage
from reportlab.pdfgen.canvas import Canvas

from assets_pipeline import __version__
from assets_pipeline.blocks.image import ImageItem, flattened_cmyk, rgba_image
from assets_pipeline.blocks.text import TextItem
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.fonts import face, reportlab_name
from assets_pipeline.core.geometry import MAX_PAGE_MM, MM_PER_INCH, PT_PER_MM, Box
from assets_pipeline.core.press import Press, limit_ink
from assets_pipeline.layout.items import Layout, color_beneath
from assets_pipeline.plan.jobs import Job

USER_UNIT = 10  # a full-size page over 5,080 mm declares /UserUnit 10 (PDF 1.6): one unit is 10/72 in
# Crop marks: 0.25 pt lines in registration colour (all four inks), starting MARK_GAP_MM outside the
# bleed so that a cut along the trim never shows them; the page grows by MARK_AREA_MM on each side.
MARK_GAP_MM = 2.0
MARK_LENGTH_MM = 8.0
MARK_AREA_MM = MARK_GAP_MM + MARK_LENGTH_MM
MARK_LINE_PT = 0.25
# the registration colour, as PDF/X names it: the separation "All", on every plate, never a 400 % fill
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All", density=1)


def is_oversize(job: Job) -> bool:
    width, height = job.format.size
    return max(width, height) + 2 * (job.format.bleed_mm + mark_area_mm(job)) > MAX_PAGE_MM


def mark_area_mm(job: Job) -> float:
    return MARK_AREA_MM if job.format.crop_marks else 0.0


def scale_for(job: Job) -> float:
    """Artwork scale: 1 (full size) or 0.1 (1:10 artwork, the print shop enlarges it ×10)."""
    return 0.1 if is_oversize(job) and job.format.large_pdf == "scaled" else 1.0


def user_unit_for(job: Job) -> int:
    return USER_UNIT if is_oversize(job) and job.format.large_pdf == "user-unit" else 1




def kerned_runs(text: str, font_path: str) -> list[tuple[float, str]]:
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
    if layout.document is not None:  # typeset with its pages (layout/documents.py)
        document = layout.document
        return {"trim_mm": list(document.trim_mm), "bleed_mm": document.bleed_mm, "scale": 1.0, "user_unit": 1,
                "color_space": document.color_space, "crop_marks_mm": 0.0, "pages": document.pages,
                **_written(document.pdf, job, path)}
    if layout.unit != "mm":
        raise ValueError("PDF output needs a print format (size_mm)")
    scale, user_unit = scale_for(job), user_unit_for(job)
    k = scale * PT_PER_MM / user_unit  # page units per mm of the finished piece
    bleed, marks = layout.bleed, mark_area_mm(job)
    outside = bleed + marks  # from the page edge to the trim
    page_w, page_h = (layout.width + 2 * outside) * k, (layout.height + 2 * outside) * k
    cmyk = dict(job.cmyk) if job.format.color_space == "cmyk" else None
    fonts = [item.font_path for item in layout.items if isinstance(item, TextItem)]
    first_font = reportlab_name(fonts[0]) if fonts else None
    for font_path in fonts:
        reportlab_name(font_path)
    # initialFontName keeps reportlab from putting an unembedded Helvetica in the page preamble;
    # enforceColorSpace makes reportlab refuse any colour that is not CMYK in a CMYK file
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h), invariant=1, pageCompression=1,
                    initialFontName=first_font or "Helvetica", enforceColorSpace="sep_cmyk" if cmyk else None,
                    pdfVersion=(1, 6) if user_unit != 1 else None)
    if scale != 1:
        scale_text, keywords = "1:10 (print at 10 x)", "scale=1:10"
    elif user_unit != 1:
        scale_text, keywords = f"1:1 (full size, /UserUnit {user_unit})", f"scale=1 user_unit={user_unit}"
    else:
        scale_text, keywords = "1:1 (full size)", "scale=1"
    canvas.setTitle(f"{job.design} {job.variant} {job.format.title} {job.unit}")
    canvas.setSubject(f"Scale {scale_text}; trim {layout.width:g} x {layout.height:g} mm; bleed {bleed:g} mm; "
                      f"{'CMYK' if cmyk else 'RGB'}{'; crop marks' if marks else ''}")
    canvas.setKeywords(keywords)
    canvas.setCreator(f"assets_pipeline {__version__}")
    canvas.setProducer(f"assets_pipeline {__version__}")
    canvas.setBleedBox((marks * k, marks * k, page_w - marks * k, page_h - marks * k))
    canvas.setTrimBox((outside * k, outside * k, page_w - outside * k, page_h - outside * k))

    pen = PdfPen(canvas, layout, k, outside, page_h, cmyk, job.press)
    pen.fill(canvas, layout.background)
    canvas.rect(marks * k, marks * k, page_w - 2 * marks * k, page_h - 2 * marks * k, stroke=0, fill=1)
    for item in layout.items:
        item.draw(pen)
    if marks:
        _crop_marks(canvas, layout, k, bleed, marks, cmyk is not None)
    canvas.showPage()
    if user_unit != 1:
        page = canvas._doc.Pages.pages[-1]  # reportlab has no API for /UserUnit: add it to the page dictionary
        page.__NoDefault__ = [*PDFPage.__NoDefault__, "UserUnit"]
        page.UserUnit = user_unit
    canvas.save()
    fields: dict[str, Any] = {"trim_mm": [layout.width, layout.height], "bleed_mm": bleed, "scale": scale,
                              "user_unit": user_unit, "color_space": "cmyk" if cmyk else "rgb",
                              "crop_marks_mm": marks, **_written(buffer.getvalue(), job, path)}
    images = [item for item in layout.items if isinstance(item, ImageItem)]
    if images:
        fields["image_dpi"] = [round(item.dpi_at(1.0), 1) for item in images]
    return fields


def _written(pdf: bytes, job: Job, path: Path) -> dict[str, Any]:
    """A CMYK print file goes out as PDF/X for the job's press; an RGB one (an office printer's) as it is."""
    if job.press is None:
        path.write_bytes(pdf)
        return {}
    from assets_pipeline.render.pdfx import finish

    return finish(pdf, job.press, path)


def _crop_marks(canvas: Canvas, layout: Layout, k: float, bleed: float, marks: float, cmyk: bool) -> None:
    """Eight short lines on the trim lines' extensions, in the mark area outside the bleed."""
    canvas.saveState()
    if cmyk:
        canvas.setStrokeColor(REGISTRATION)
    else:
        canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(MARK_LINE_PT)
    outside = bleed + marks
    xs = (outside * k, (outside + layout.width) * k)
    ys = (outside * k, (outside + layout.height) * k)
    page_w, page_h = (layout.width + 2 * outside) * k, (layout.height + 2 * outside) * k
    near, far = 0.0, MARK_LENGTH_MM * k  # each mark runs from the page edge to MARK_GAP_MM before the bleed
    lines = []
    for x in xs:
        lines += [(x, near, x, far), (x, page_h - far, x, page_h - near)]
    for y in ys:
        lines += [(near, y, far, y), (page_w - far, y, page_w - near, y)]
    canvas.lines(lines)
    canvas.restoreState()


class PdfPen:
    """reportlab's primitives for the items of a layout (blocks/base.py, `Pen`), in mm from the trim's
    top left; every colour through the job's CMYK values in a CMYK file."""

    def __init__(self, canvas: Canvas, layout: Layout, k: float, outside: float, page_h: float,
                 cmyk: dict[str, Any] | None, press: Press | None):
        self.canvas, self.layout, self.k, self.outside, self.page_h = canvas, layout, k, outside, page_h
        self.cmyk, self.press = cmyk, press

    def x_pt(self, x_mm: float) -> float:
        return (x_mm + self.outside) * self.k

    def y_pt(self, y_mm: float) -> float:
        return self.page_h - (y_mm + self.outside) * self.k

    def fill(self, target: Any, color: str) -> None:
        if self.cmyk is None:
            target.setFillColor(HexColor(color))
        else:
            target.setFillColorCMYK(*self.cmyk[color])

    def rect(self, box: Box, color: str) -> None:
        self.fill(self.canvas, color)
        self.canvas.rect(self.x_pt(box.x), self.y_pt(box.y + box.height), box.width * self.k, box.height * self.k,
                         stroke=0, fill=1)

    def ring(self, box: Box, color: str, width: float) -> None:
        """Two circles filled even-odd: the band, and the middle left clear."""
        path = self.canvas.beginPath()
        cx, cy, radius = self.x_pt(box.x + box.width / 2), self.y_pt(box.y + box.height / 2), box.width / 2 * self.k
        path.circle(cx, cy, radius)
        if width < 0.5:
            path.circle(cx, cy, radius * (1 - 2 * width))
        self.fill(self.canvas, color)
        self.canvas.drawPath(path, stroke=0, fill=1, fillMode=0)  # 0: even-odd

    def rects(self, boxes: list[Box], color: str) -> None:
        """One filled path of rectangles: sharp at any enlargement, and no bitmap for a RIP to resample."""
        path = self.canvas.beginPath()
        for box in boxes:
            path.rect(self.x_pt(box.x), self.y_pt(box.y + box.height), box.width * self.k, box.height * self.k)
        self.fill(self.canvas, color)
        self.canvas.drawPath(path, stroke=0, fill=1)

    def text(self, item: TextItem) -> None:
        size_pt = item.fitted.size * self.k
        text = self.canvas.beginText()
        text.setFont(reportlab_name(item.font_path), size_pt)
        self.fill(text, item.color)
        for line in item.fitted.lines:
            for offset_em, run in kerned_runs(line.text, item.font_path):
                text.setTextOrigin(self.x_pt(line.x) + offset_em * size_pt, self.y_pt(line.baseline))
                text.textOut(run)
        self.canvas.drawText(text)

    def image(self, item: ImageItem) -> None:
        box, k = item.box, self.k
        if self.cmyk is None:
            self.canvas.drawImage(ImageReader(rgba_image(item.path)), self.x_pt(box.x), self.y_pt(box.y + box.height),
                                  box.width * k, box.height * k, mask="auto")
        else:
            # layout units of a print format are mm: the pixels the image needs at PRINT_PPI
            needed = (math.ceil(box.width / MM_PER_INCH * PRINT_PPI), math.ceil(box.height / MM_PER_INCH * PRINT_PPI))
            beneath = self.cmyk[color_beneath(self.layout, item)]
            picture = _print_picture(item.path, content_digest(item.path), beneath, self.press, needed)
            self.canvas.drawImage(ImageReader(picture), self.x_pt(box.x), self.y_pt(box.y + box.height),
                                  box.width * k, box.height * k)


PRINT_PPI = 300  # no press prints finer; each pixel beyond is compressed again into every PDF


@functools.lru_cache(maxsize=32)
def _print_picture(path: str, digest: str, beneath, press, needed: tuple[int, int]):
    """The CMYK image, downsampled to `needed` pixels where it has more (the emblem is 1600 px, an A3
    poster prints it 83 mm wide: 980 px at 300 ppi); never enlarged. Lanczos overshoots at a sharp edge,
    each ink on its own: the ink limit is held again after it."""
    import numpy as np

    picture = flattened_cmyk(path, beneath, press)
    if picture.width <= needed[0] * 1.1 and picture.height <= needed[1] * 1.1:
        return picture
    resized = picture.resize(needed, Image.Resampling.LANCZOS)
    return Image.fromarray(limit_ink(np.asarray(resized), press.ink_limit), "CMYK")
