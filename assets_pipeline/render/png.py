"""Raster with Pillow: screen formats at their exact pixel size, print formats as proofs."""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from assets_pipeline.blocks.image import ImageItem, rgba_image
from assets_pipeline.blocks.text import TextItem
from assets_pipeline.core.color import TRANSPARENT
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.fonts import FEATURES, LAYOUT_ENGINE
from assets_pipeline.core.geometry import MM_PER_INCH, PT_PER_MM, Box
from assets_pipeline.core.press import Press
from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job

SUPERSAMPLE = 4
SUPERSAMPLE_BELOW_PX = 64


def pixels_per_unit(job: Job) -> float:
    """Screen formats are drawn 1:1; a print proof's long side is the format's proof_px."""
    if not job.format.is_print:
        return 1.0
    return job.format.proof_px / max(job.format.size)


def print_dpi(job: Job) -> float:
    """A print piece's raster: its pixels per inch at the piece's final size (the manifest's `dpi`,
    and the file's own, so that an image editor opens it at its print size)."""
    return round(pixels_per_unit(job) * MM_PER_INCH, 2)


def _font(path: str, size_px: float) -> ImageFont.FreeTypeFont:
    return _sized_font(path, content_digest(path), size_px)


@functools.lru_cache(maxsize=256)
def _sized_font(path: str, digest: str, size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size_px, layout_engine=LAYOUT_ENGINE)


class PngPen:
    """Pillow's primitives for the items of a layout (blocks/base.py, `Pen`), `scale` pixels per layout unit.
    Rectangles sit on whole pixels, with no antialiasing: a QR scanner sees crisp edges."""

    def __init__(self, image: Image.Image, scale: float, press: Press | None = None):
        self.target, self.scale, self.canvas, self.press = image, scale, ImageDraw.Draw(image), press

    def rect(self, box: Box, color: str) -> None:
        scale = self.scale
        left, top = round(box.x * scale), round(box.y * scale)
        right, bottom = round((box.x + box.width) * scale), round((box.y + box.height) * scale)
        if right > left and bottom > top:  # narrower than half a pixel: nothing to draw at this size
            self.canvas.rectangle((left, top, right - 1, bottom - 1), fill=color)

    def rects(self, boxes: list[Box], color: str) -> None:
        for box in boxes:
            self.rect(box, color)

    def ring(self, box: Box, color: str, width: float) -> None:
        """Drawn SUPERSAMPLE times larger and averaged down: a smooth edge on the clear middle too."""
        scale, factor = self.scale, SUPERSAMPLE
        left, top = math.floor(box.x * scale), math.floor(box.y * scale)
        right, bottom = math.ceil((box.x + box.width) * scale), math.ceil((box.y + box.height) * scale)
        mask = Image.new("L", ((right - left) * factor, (bottom - top) * factor))
        draw = ImageDraw.Draw(mask)
        outer = ((box.x * scale - left) * factor, (box.y * scale - top) * factor,
                 ((box.x + box.width) * scale - left) * factor, ((box.y + box.height) * scale - top) * factor)
        draw.ellipse(outer, fill=255)
        inset = box.width * width * scale * factor
        if width < 0.5:
            draw.ellipse((outer[0] + inset, outer[1] + inset, outer[2] - inset, outer[3] - inset), fill=0)
        fill_mask(self.target, color, (left, top), mask.reduce(factor))

    def text(self, item: TextItem) -> None:
        size_px = item.fitted.size * self.scale
        for line in item.fitted.lines:
            draw_line(self.target, line.x * self.scale, line.baseline * self.scale, line.text, item.font_path,
                      size_px, item.color)

    def image(self, item: ImageItem) -> None:
        draw_image(self.target, item, self.scale, self.press)


def draw(layout: Layout, scale: float, press: Press | None = None) -> Image.Image:
    """The layout's trim area as an RGB image, `scale` pixels per layout unit; its images as `press`
    prints them, if given (a soft proof)."""
    size = (round(layout.width * scale), round(layout.height * scale))
    transparent = layout.background == TRANSPARENT
    image = Image.new("RGBA", size, (0, 0, 0, 0)) if transparent else Image.new("RGB", size, layout.background)
    pen = PngPen(image, scale, press)
    for item in layout.items:
        item.draw(pen)
    return image


_last_drawn: tuple[Layout, Press | None, float, Image.Image] | None = None


def drawn(layout: Layout, press: Press | None, scale: float) -> Image.Image:
    """`draw`, remembering the last image: PNG and JPEG of one piece are drawn once."""
    global _last_drawn
    if _last_drawn is not None and _last_drawn[:3] == (layout, press, scale):
        return _last_drawn[3]
    image = draw(layout, scale, press)
    _last_drawn = (layout, press, scale, image)
    return image


def draw_image(image: Image.Image, item: ImageItem, scale: float, press: Press | None = None) -> None:
    box = item.box
    left, top = round(box.x * scale), round(box.y * scale)
    size = (max(1, round((box.x + box.width) * scale) - left), max(1, round((box.y + box.height) * scale) - top))
    picture, alpha = _resized(item.path, content_digest(item.path), size, press)
    image.paste(picture, (left, top), alpha)


@functools.lru_cache(maxsize=32)
def _resized(path: str, digest: str, size: tuple[int, int], press: Press | None) -> tuple[Image.Image, Image.Image]:
    """An image at the size it is drawn (as `press` prints it, if given), and its alpha: every unit's
    poster of a format draws the emblem at one size."""
    picture = rgba_image(path).resize(size, Image.Resampling.LANCZOS)
    rgb = picture.convert("RGB")
    if press is not None:
        from assets_pipeline.render.soft_proof import proofed_picture

        rgb = proofed_picture(rgb, press)
    return rgb, picture.getchannel("A")


def fill_mask(image: Image.Image, color: str, origin: tuple[int, int], mask: Image.Image) -> None:
    """`color` through `mask` onto `image`; on a transparent image, composited ("over"), so that an
    edge pixel half covered is the colour at half opacity, never a darker fringe."""
    if image.mode != "RGBA":
        image.paste(color, origin, mask)
        return
    layer = Image.new("RGBA", mask.size, color)
    layer.putalpha(mask)
    image.alpha_composite(layer, origin)


def draw_line(image: Image.Image, x: float, baseline: float, text: str, font_path: str, size_px: float,
              color: str) -> None:
    """Draw one line with its origin at (x, baseline), sub-pixel exact.

    Small text is drawn SUPERSAMPLE times larger and averaged down: at 12 px FreeType's hinting
    lifts a stacked mark (Ỗ) by two pixels, out of the ink the layout measured, and Pillow rounds
    the baseline to a whole pixel. Large text is drawn directly; hinting moves it by under a pixel.
    """
    if size_px >= SUPERSAMPLE_BELOW_PX and image.mode != "RGBA":
        ImageDraw.Draw(image).text((x, baseline), text, fill=color, font=_font(font_path, round(size_px * 64) / 64),
                                   anchor="ls", features=FEATURES)
        return
    factor = SUPERSAMPLE
    big = _font(font_path, round(size_px * factor * 64) / 64)
    mask, (offset_x, offset_y) = big.getmask2(text, anchor="ls", features=FEATURES)
    if mask.size[0] == 0 or mask.size[1] == 0:
        return
    left, top = x + offset_x / factor, baseline + offset_y / factor
    target_x, target_y = math.floor(left), math.floor(top)
    shift_x, shift_y = round((left - target_x) * factor), round((top - target_y) * factor)
    width = -(-(mask.size[0] + shift_x) // factor) * factor
    height = -(-(mask.size[1] + shift_y) // factor) * factor
    # drawn again by Pillow onto the canvas, rather than copied out of `mask` (bytes() of a mask
    # goes pixel by pixel: 20 ms a line of a poster's message); the same pixels
    canvas = Image.new("L", (width, height))
    ImageDraw.Draw(canvas).text((shift_x - offset_x, shift_y - offset_y), text, fill=255, font=big, anchor="ls",
                                features=FEATURES)
    fill_mask(image, color, (target_x, target_y), canvas.reduce(factor))


def document_pages(layout: Layout, scale: float) -> Image.Image:
    """A typeset document's pages side by side, each cut at its trim, `scale` pixels per mm."""
    import pypdfium2  # loaded only when a document is rasterised

    pdf = pypdfium2.PdfDocument(layout.document.pdf)
    try:
        pages = []
        for page in pdf:
            bitmap = page.render(scale=scale / PT_PER_MM).to_pil().convert("RGB")
            bleed = round(layout.bleed * scale)
            pages.append(bitmap.crop((bleed, bleed, bitmap.width - bleed, bitmap.height - bleed)))
    finally:
        pdf.close()
    gap = round(4 * scale)
    sheet = Image.new("RGB", (sum(p.width for p in pages) + gap * (len(pages) - 1), pages[0].height), "#BFBFBF")
    x = 0
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + gap
    return sheet


def as_printed(layout: Layout, job: Job) -> tuple[Layout, Press | None]:
    """What a piece's proof draws: a CMYK print piece in the colours its press prints
    (render/soft_proof.py), with the press its images go through; any other as designed."""
    if job.press is None or layout.document is not None:
        return layout, None
    from assets_pipeline.render.soft_proof import proofed

    return proofed(layout, job), job.press


def printed_pages(image: Image.Image, job: Job) -> Image.Image:
    """A typeset document's pages as its press prints them."""
    if job.press is None:
        return image
    from assets_pipeline.render.soft_proof import rendered_pixels, soft_proof

    return soft_proof(image, job.press, rendered_pixels(job.cmyk))


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    if layout.document is not None:
        image = printed_pages(document_pages(layout, pixels_per_unit(job)), job)
        image.save(path, format="PNG", optimize=False, compress_level=6, dpi=(print_dpi(job),) * 2)
        return {"px": list(image.size), "proof": True, "pages": layout.document.pages, "dpi": print_dpi(job)}
    image = drawn(*as_printed(layout, job), pixels_per_unit(job))
    if not job.format.is_print:
        from assets_pipeline.render.web_image import save_png

        return save_png(image, path, job.format.budget_kb)
    image.save(path, format="PNG", optimize=False, compress_level=6, dpi=(print_dpi(job),) * 2)
    return {"px": list(image.size), "proof": True, "dpi": print_dpi(job)}
