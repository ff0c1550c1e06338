"""What a layout holds: the placed items of its blocks (filled rectangles, fitted texts, images,
QR codes, and any type registered: blocks/), in the format's unit.

The same Layout feeds every renderer (PDF, PNG, video frames), so all of them agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assets_pipeline.blocks.base import Item

__all__ = ["Item", "Layout", "color_beneath"]


@dataclass(frozen=True)
class Layout:
    width: float  # trim size, in `unit`
    height: float
    bleed: float
    unit: str  # "mm" or "px"
    background: str
    items: tuple[Item, ...]
    dropped: tuple[str, ...] = ()  # blocks left out because the format is too small for them
    clip: Any = None  # a video's slide layouts and frame timeline (video.ClipLayout)
    document: Any = None  # a document's typeset pages (documents.TypesetDocument)

    @property
    def qr_data(self) -> list[str]:
        if self.document is not None:
            return list(self.document.qr)
        return [data for item in self.items for data in item.encoded]

    @property
    def texts(self) -> list[str]:
        """Every text placed, in reading order: top to bottom, then left to right."""
        if self.document is not None:
            return list(self.document.texts)
        placed = [(item.ink, text) for item in self.items for text in item.texts]
        placed.sort(key=lambda p: (round(p[0].y, 3), round(p[0].x, 3)))
        return [text for _, text in placed]


def color_beneath(layout: Layout, item: Item) -> str:
    """The colour an item sits on: the last fill drawn before it that covers its centre."""
    box = item.ink
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    color = layout.background
    for other in layout.items:
        if other is item:
            break
        if other.fill is not None and (other.box.x <= cx <= other.box.x + other.box.width
                                       and other.box.y <= cy <= other.box.y + other.box.height):
            color = other.fill
    return color
