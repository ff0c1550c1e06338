"""One block placed in its box: areas of the format, text fitted, QR modules sized."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.fonts import face
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.qr import module_size, smallest_module, symbol
from assets_pipeline.layout.images import ImageItem, place_image
from assets_pipeline.layout.items import RASTER_GUARD_PX, Fill, QrItem, TextItem
from assets_pipeline.layout.textfit import TextDoesNotFit, fit_text
from assets_pipeline.plan.jobs import PT_MM, Job, ResolvedBlock


def area_box(job: Job, area: str) -> Box:
    width, height = job.format.size
    if area == "trim":
        return Box(0, 0, width, height)
    if area == "bleed":
        bleed = job.format.bleed_mm
        return Box(-bleed, -bleed, width + 2 * bleed, height + 2 * bleed)
    margin_x, margin_y = job.format.margins
    if job.format.safe_box_px is not None:
        x, y, w, h = job.format.safe_box_px
        return Box(x + margin_x, y + margin_y, w - 2 * margin_x, h - 2 * margin_y)
    return Box(margin_x, margin_y, width - 2 * margin_x, height - 2 * margin_y)


def block_box(job: Job, block: ResolvedBlock) -> Box:
    area = area_box(job, block.area)
    x, y, w, h = block.box
    return Box(area.x + x * area.width, area.y + y * area.height,
               min(w, 1 - x) * area.width, min(h, 1 - y) * area.height)


def inset(box: Box, by: float) -> Box:
    return Box(box.x + by, box.y + by, max(box.width - 2 * by, by), max(box.height - 2 * by, by))


def _size_name(job: Job, size: float) -> str:
    return f"{size / PT_MM:.0f} pt" if job.format.is_print else f"{size:.0f} px"


def place_qr(job: Job, block: ResolvedBlock, box: Box) -> QrItem:
    """The largest QR code, quiet zone included, centred in `box`; on screen on whole pixels."""
    assert block.url is not None and block.background is not None
    code = symbol(block.url)
    pixels = not job.format.is_print
    module = module_size(min(box.width, box.height), code, pixels)
    if module < smallest_module(pixels):
        least = smallest_module(pixels) * code.modules_with_quiet_zone
        raise SpecError(
            f"QR code for {block.url!r} does not fit its box in format '{job.format_id}': it needs "
            f"{least:g} {job.format.unit_name} for {code.modules_with_quiet_zone} modules with the quiet zone "
            f"(make the box larger or the address shorter)", block.where)
    side = module * code.modules_with_quiet_zone
    x, y = box.x + (box.width - side) / 2, box.y + (box.height - side) / 2
    if pixels:
        x, y = float(round(x)), float(round(y))
    return QrItem(Box(x, y, side, side), module, code, block.color, block.background)


def place_block(job: Job, block: ResolvedBlock, box: Box) -> Fill | TextItem | ImageItem | QrItem:
    """One rect, text, image or QR block in `box`; a text or code that cannot fit is a SpecError at its line."""
    if block.kind == "rect":
        return Fill(box, block.color)
    if block.kind == "qr":
        return place_qr(job, block, box)
    if block.kind == "image":
        assert block.image_path is not None
        return replace(place_image(block.image_path, box, block.align, block.valign), where=block.where)
    assert block.text is not None and block.font_path is not None
    if not job.format.is_print:
        box = inset(box, RASTER_GUARD_PX)
    try:
        fitted = fit_text(block.text, face(block.font_path), box, max_lines=block.max_lines,
                          min_size=block.min_size, max_size=block.max_size, line_height=block.line_height,
                          align=block.align, valign=block.valign, keep_together=job.keep_together,
                          line_gap_em=block.line_gap_em)
    except TextDoesNotFit as exc:
        reached = f"at most {_size_name(job, exc.needed_size)}" if exc.needed_size else "no size"
        raise SpecError(
            f"text {block.text!r} does not fit its box in format '{job.format_id}': {reached} in "
            f"{exc.lines or block.max_lines} line(s), below the minimum {_size_name(job, block.min_size)} "
            f"(make the box larger, allow more lines with max_lines, or lower the minimum size)",
            block.where) from None
    except OSError as exc:  # FreeType failing on a glyph of a damaged font
        raise SpecError(f"font {Path(block.font_path).name} cannot draw {block.text!r}: {exc} (a damaged file?)",
                        block.where) from None
    return TextItem(block.text, block.font_path, block.color, fitted, block.slogan, block.where)
