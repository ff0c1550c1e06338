"""Layout: a job's blocks placed in the format's areas, text fitted, in the format's own unit.

The same Layout feeds every renderer (PDF, PNG, video frames), so all of them agree.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from assets_pipeline.errors import SpecError
from assets_pipeline.expand import PT_MM, Job, ResolvedBlock
from assets_pipeline.fonts import face
from assets_pipeline.textfit import Box, FittedText, TextDoesNotFit, fit_text


# FreeType's hinting may move a glyph's edge by up to a pixel on screen formats: keep text that far in.
RASTER_GUARD_PX = 1.0


@dataclass(frozen=True)
class Fill:
    box: Box
    color: str


@dataclass(frozen=True)
class TextItem:
    text: str
    font_path: str
    color: str
    fitted: FittedText
    slogan: str | None


@dataclass(frozen=True)
class Layout:
    width: float  # trim size, in `unit`
    height: float
    bleed: float
    unit: str  # "mm" or "px"
    background: str
    items: tuple[Fill | TextItem, ...]
    clip: Any = None  # a video's slide layouts and frame timeline (video.ClipLayout)

    @property
    def texts(self) -> list[str]:
        """Every text placed, in reading order: top to bottom, then left to right."""
        texts = [item for item in self.items if isinstance(item, TextItem)]
        texts.sort(key=lambda t: (round(t.fitted.ink.y, 3), round(t.fitted.ink.x, 3)))
        return [t.text for t in texts]


def area_box(job: Job, area: str) -> Box:
    width, height = job.format.size
    if area == "trim":
        return Box(0, 0, width, height)
    if area == "bleed":
        bleed = job.format.bleed_mm
        return Box(-bleed, -bleed, width + 2 * bleed, height + 2 * bleed)
    margin_x, margin_y = job.format.margins
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


def lay_out(job: Job) -> Layout:
    """Place every block; a text that cannot fit at its minimum size is a SpecError at its line."""
    items: list[Fill | TextItem] = []
    for block in job.blocks:
        box = block_box(job, block)
        if block.kind == "rect":
            items.append(Fill(box, block.color))
            continue
        assert block.text is not None and block.font_path is not None
        if not job.format.is_print:
            box = inset(box, RASTER_GUARD_PX)
        try:
            fitted = fit_text(block.text, face(block.font_path), box, max_lines=block.max_lines,
                              min_size=block.min_size, max_size=block.max_size, line_height=block.line_height,
                              align=block.align, valign=block.valign, keep_together=job.keep_together)
        except TextDoesNotFit as exc:
            reached = f"at most {_size_name(job, exc.needed_size)}" if exc.needed_size else "no size"
            raise SpecError(
                f"text {block.text!r} does not fit its box in format '{job.format_id}': {reached} in "
                f"{exc.lines or block.max_lines} line(s), below the minimum {_size_name(job, block.min_size)} "
                f"(make the box larger, allow more lines with max_lines, or lower the minimum size)",
                block.where) from None
        items.append(TextItem(block.text, block.font_path, block.color, fitted, block.slogan))
    width, height = job.format.size
    layout = Layout(width, height, job.format.bleed_mm, job.format.unit_name, job.background, tuple(items))
    if job.clip is not None:
        from assets_pipeline.video import lay_out_clip

        layout = dataclasses.replace(layout, clip=lay_out_clip(job))
    return layout
