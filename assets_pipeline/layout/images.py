"""Placed raster images (an emblem, a photo): where they sit, how sharp they are at final size,
and how their pixels are prepared for each medium.

In a PDF, transparency is flattened at build time, over the colour the image sits on: PDF/X-1a, the form
print shops accept most readily, has no transparency, and a CMYK file must not carry an RGB image.
Flattening happens in CMYK so that a transparent pixel becomes exactly the print value of the
colour beneath it, not a conversion of it that would show as a box around the emblem.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from assets_pipeline.core.color import CMYK, full_gcr_pixels
from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.raster import ImageProblem, read_image

if TYPE_CHECKING:  # numpy loads only when a function needs it: start-up stays short
    pass

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class ImageItem:
    box: Box  # where the image is drawn, aspect kept, in the layout's unit
    path: str
    px: tuple[int, int]
    where: Where | None = field(default=None, compare=False, repr=False)  # the block's line, for reports

    def dpi_at(self, mm_per_unit: float) -> float:
        """Effective resolution at final size: pixels per inch of the placed width."""
        return self.px[0] / (self.box.width * mm_per_unit / MM_PER_INCH)


def rgba_image(path: str) -> Image.Image:
    """The image at `path` as it is now, in RGBA: decoded again when the file has changed."""
    return _rgba_image(path, content_digest(path))


@functools.lru_cache(maxsize=32)
def _rgba_image(path: str, digest: str) -> Image.Image:
    try:
        return read_image(path)
    except ImageProblem as exc:  # replaced since the specs were checked
        raise SpecError(f"image {Path(path).name} {exc}") from None


def image_size(path: str) -> tuple[int, int]:
    return rgba_image(path).size


def place_image(path: str, box: Box, align: str, valign: str) -> ImageItem:
    """The largest placement of the image inside `box`, aspect kept."""
    width_px, height_px = image_size(path)
    factor = min(box.width / width_px, box.height / height_px)
    width, height = width_px * factor, height_px * factor
    x = box.x + {"left": 0.0, "center": 0.5, "right": 1.0}[align] * (box.width - width)
    y = box.y + {"top": 0.0, "middle": 0.5, "bottom": 1.0}[valign] * (box.height - height)
    return ImageItem(Box(x, y, width, height), path, (width_px, height_px))


def flattened_cmyk(path: str, beneath: CMYK) -> Image.Image:
    """The image converted to CMYK (full-gcr) and laid over the print value `beneath`."""
    return _flattened_cmyk(path, content_digest(path), beneath)


@functools.lru_cache(maxsize=16)
def _flattened_cmyk(path: str, digest: str, beneath: CMYK) -> Image.Image:
    import numpy as np

    image = np.asarray(rgba_image(path))
    alpha = image[..., 3:4].astype(np.int32)
    ground = np.round(np.asarray(beneath) * 255).astype(np.int32)
    cmyk = (full_gcr_pixels(image[..., :3]).astype(np.int32) * alpha + ground * (255 - alpha) + 127) // 255
    return Image.fromarray(cmyk.astype(np.uint8), mode="CMYK")
