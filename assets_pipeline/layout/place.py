"""One block placed in its box: the areas of the format, and the block type's own placement."""

from __future__ import annotations

from assets_pipeline.blocks import BLOCK_TYPES
from assets_pipeline.blocks.base import ResolvedBlock
from assets_pipeline.core.geometry import Box
from assets_pipeline.layout.items import Item
from assets_pipeline.plan.jobs import Job


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


def place_block(job: Job, block: ResolvedBlock, box: Box) -> Item:
    """One block in `box`, by its type's own placement; one that cannot fit is a SpecError at its line."""
    place = BLOCK_TYPES[block.kind].place
    assert place is not None  # a container's members are placed, never the container (resize.py)
    return place(block, box, job.frame)
