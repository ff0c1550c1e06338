"""The gap between two lines' ink, measured on rendered pixels as a reader's eye would see it.

Each line of a text block is drawn alone by the PNG renderer; the gap between two lines is the least
distance between an inked pixel of one and an inked pixel of the other, in any direction.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assets_pipeline.blocks.text import TextItem
from assets_pipeline.layout.items import Layout
from assets_pipeline.render.png import draw

INKED = 128  # a pixel at least half covered is ink


def line_masks(item: TextItem, scale: float) -> list[np.ndarray]:
    """Each line of `item` drawn alone by the PNG renderer, white on black, at `scale` px per layout
    unit, on a canvas holding the block's ink and half an em around it."""
    margin = item.fitted.size / 2
    ink = item.fitted.ink
    masks = []
    for line in item.fitted.lines:
        moved = replace(line, x=line.x - ink.x + margin, baseline=line.baseline - ink.y + margin)
        alone = replace(item, color="#FFFFFF", fitted=replace(item.fitted, lines=(moved,)))
        layout = Layout(ink.width + 2 * margin, ink.height + 2 * margin, 0, "px", "#000000", (alone,))
        masks.append(np.asarray(draw(layout, scale).convert("L")) >= INKED)
    return masks


def least_gap_px(upper: np.ndarray, lower: np.ndarray) -> float:
    """The least edge-to-edge distance in pixels between the ink of two masks (0 where they touch)."""
    from scipy.ndimage import distance_transform_edt

    if not upper.any() or not lower.any():
        return float("inf")
    # every pixel's distance to the nearest ink of the upper line, centre to centre
    distance = distance_transform_edt(~upper)
    return max(0.0, float(distance[lower].min()) - 1.0)  # less one pixel: edge to edge


def line_gaps_em(item: TextItem, em_px: float | None = None, scale: float = 1.0) -> list[float]:
    """The gap between each pair of consecutive lines of `item`, in ems of its size: drawn at
    `em_px` pixels per em if given, else at `scale` pixels per layout unit."""
    if em_px is not None:
        scale = em_px / item.fitted.size
    masks = line_masks(item, scale)
    size_px = item.fitted.size * scale
    return [least_gap_px(upper, lower) / size_px for upper, lower in zip(masks, masks[1:])]
