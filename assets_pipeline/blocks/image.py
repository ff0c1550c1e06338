"""An image block (an emblem, a photo): where it sits, how sharp it is at final size, and how its
pixels are prepared for each medium.

In a PDF, transparency is flattened at build time, over the colour the image sits on: PDF/X-1a, the form
print shops accept most readily, has no transparency, and a CMYK file must not carry an RGB image.
Flattening happens in CMYK so that a transparent pixel becomes exactly the print value of the
colour beneath it, not a conversion of it that would show as a box around the emblem. The pixels go to
CMYK through the press's profile (core/press.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from PIL import Image
from pydantic import Field

from assets_pipeline.blocks.base import NAME, PRIORITY, SAFE_AREA_RULE, Area, BlockType, Checker, FractionBox, Frame, \
    Inspector, Item, Pen, ResolvedBlock, Resolver
from assets_pipeline.core.color import CMYK
from assets_pipeline.core.press import Press, cmyk_pixels
from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.geometry import MM_PER_INCH, Box
from assets_pipeline.core.i18n import N_, _
from assets_pipeline.core.raster import ImageProblem, read_image
from assets_pipeline.core.specmodel import SpecModel



class ImageBlock(SpecModel):
    type: Literal["image"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox = Field(description="x, y, width, height as fractions of the area; the image fits inside it.")
    area: Area = "safe"
    file: str = Field(min_length=1, description="A PNG or JPEG under specs/, e.g. `images/emblem.png`.")
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom"] = "middle"

    def check(self, checker: Checker) -> None:
        checker.image("file", self.file)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        return ResolvedBlock("image", self.box, self.area, "", ctx.where("file"), image_path=ctx.spec_file(self.file),
                             align=self.align, valign=self.valign, name=self.name, priority=self.priority)


@dataclass(frozen=True)
class ImageItem(Item):
    box: Box  # where the image is drawn, aspect kept, in the layout's unit
    path: str
    px: tuple[int, int]
    where: Where | None = field(default=None, compare=False, repr=False)  # the block's line, for reports

    def dpi_at(self, mm_per_unit: float) -> float:
        """Effective resolution at final size: pixels per inch of the placed width."""
        return self.px[0] / (self.box.width * mm_per_unit / MM_PER_INCH)

    def draw(self, pen: Pen) -> None:
        pen.image(self)

    def preflight(self, inspector: Inspector) -> None:
        """Inside the safe area (error); in print, at least the format's `min_image_dpi` at final size
        (warning: the file is still made, and the build says so)."""
        where = str(self.where)
        name = Path(self.path).name
        beyond = inspector.beyond_safe(self.box)
        if beyond is not None:
            inspector.report("safe-area", "error", where, N_("image {name} leaves the safe area ({beyond:.1f} {unit} beyond it)"),
                             name=name, beyond=beyond, unit=inspector.unit)
        if inspector.is_print:
            dpi = self.dpi_at(1.0)
            if inspector.min_image_dpi is not None and dpi < inspector.min_image_dpi:
                inspector.report("image-resolution", "warning", where,
                                 N_("image {name} is {dpi:.0f} dpi at final size, below the {minimum:g} dpi this format needs"),
                                 round(dpi, 1), inspector.min_image_dpi, name=name, dpi=dpi, minimum=inspector.min_image_dpi)


def rgba_image(path: str) -> Image.Image:
    """The image at `path` as it is now, in RGBA: decoded again when the file has changed."""
    return _rgba_image(path, content_digest(path))


@functools.lru_cache(maxsize=32)
def _rgba_image(path: str, digest: str) -> Image.Image:
    try:
        return read_image(path)
    except ImageProblem as exc:  # replaced since the specs were checked
        raise SpecError(_("image {name} {problem}", name=Path(path).name, problem=exc)) from None


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


def place(block: ResolvedBlock, box: Box, frame: Frame) -> ImageItem:
    assert block.image_path is not None
    return replace(place_image(block.image_path, box, block.align, block.valign), where=block.where)


def flattened_cmyk(path: str, beneath: CMYK, press: Press) -> Image.Image:
    """The image converted to the press's CMYK (from its embedded profile, else sRGB) and laid over the
    print value `beneath`. Both are within the ink limit, and so is every mix of the two."""
    return _flattened_cmyk(path, content_digest(path), beneath, press)


@functools.lru_cache(maxsize=16)
def _flattened_cmyk(path: str, digest: str, beneath: CMYK, press: Press) -> Image.Image:
    import numpy as np

    source = rgba_image(path)
    image = np.asarray(source)
    alpha = image[..., 3:4].astype(np.int32)
    ground = np.round(np.asarray(beneath) * 255).astype(np.int32)
    converted = cmyk_pixels(image[..., :3], press, source.info.get("icc_profile"))
    cmyk = (converted.astype(np.int32) * alpha + ground * (255 - alpha) + 127) // 255
    return Image.fromarray(cmyk.astype(np.uint8), mode="CMYK")


BLOCK = BlockType("image", ImageBlock, place, raster=True, rules=(
    SAFE_AREA_RULE, ("image-resolution", N_("effective dpi at final size >= format min_image_dpi (warning)"))))
