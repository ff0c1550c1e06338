"""What a layout holds: the placed items of its blocks (filled rectangles, fitted texts, images,
QR codes: blocks/), in the format's unit.

The same Layout feeds every renderer (PDF, PNG, video frames), so all of them agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assets_pipeline.blocks.image import ImageItem
from assets_pipeline.blocks.qr import QrItem
from assets_pipeline.blocks.rect import Fill
from assets_pipeline.blocks.text import TextItem

Item = Fill | TextItem | ImageItem | QrItem


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
        return [item.symbol.data for item in self.items if isinstance(item, QrItem)]

    @property
    def texts(self) -> list[str]:
        """Every text placed, in reading order: top to bottom, then left to right."""
        if self.document is not None:
            return list(self.document.texts)
        texts = [item for item in self.items if isinstance(item, TextItem)]
        texts.sort(key=lambda t: (round(t.fitted.ink.y, 3), round(t.fitted.ink.x, 3)))
        return [t.text for t in texts]


def color_beneath(layout: Layout, item: Item) -> str:
    """The colour an item sits on: the last fill drawn before it that covers its centre."""
    box = item.box if not isinstance(item, TextItem) else item.fitted.ink
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    color = layout.background
    for other in layout.items:
        if other is item:
            break
        if isinstance(other, Fill) and (other.box.x <= cx <= other.box.x + other.box.width
                                        and other.box.y <= cy <= other.box.y + other.box.height):
            color = other.color
    return color
