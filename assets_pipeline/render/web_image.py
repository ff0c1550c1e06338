"""Web and social images: sRGB with its ICC profile, written within the format's file-size budget.

Ad servers and portals reject or slow down heavy files (IAB display ads: about 150 KB), so each
screen format may carry `budget_kb`. JPEG searches for the highest quality that fits; PNG falls back
to a 256-colour palette, which a flat-colour banner barely shows. A file that still does not fit is
written anyway and reported: the build names it and the manifest says `within_budget: false`.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

from PIL import Image, ImageCms

BYTES_PER_KB = 1000
JPEG_QUALITY_BEST = 95
JPEG_QUALITY_LEAST = 50  # below this, red-on-yellow text rings visibly
PNG_PALETTE_COLOURS = 256


@functools.lru_cache(maxsize=1)
def srgb_icc() -> bytes:
    """LittleCMS's sRGB profile with its creation date fixed, so that builds stay byte-identical."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # ICC header bytes 24-35: creation dateTime (six big-endian uint16); the profile ID (84-99) is
    # zero, "not computed", so nothing else depends on it
    profile[24:36] = bytes.fromhex("07d0 0001 0001 0000 0000 0000".replace(" ", ""))
    return bytes(profile)


def _budget_fields(size: int, budget_kb: int | None) -> dict[str, Any]:
    if budget_kb is None:
        return {}
    return {"budget_kb": budget_kb, "within_budget": size <= budget_kb * BYTES_PER_KB}


def encode_png(image: Image.Image, palette: bool) -> bytes:
    out = io.BytesIO()
    if palette:
        image = image.quantize(PNG_PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(out, format="PNG", optimize=True, icc_profile=srgb_icc())
    return out.getvalue()


def encode_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # 4:4:4: chroma subsampling smears thin red-on-yellow strokes of Vietnamese marks
    image.save(out, format="JPEG", quality=quality, subsampling=0, optimize=True, icc_profile=srgb_icc())
    return out.getvalue()


def save_png(image: Image.Image, path: Path, budget_kb: int | None) -> dict[str, Any]:
    data = encode_png(image, palette=False)
    palette = False
    if budget_kb is not None and len(data) > budget_kb * BYTES_PER_KB:
        smaller = encode_png(image, palette=True)
        if len(smaller) < len(data):
            data, palette = smaller, True
    path.write_bytes(data)
    fields: dict[str, Any] = {"px": list(image.size), "color_space": "sRGB"}
    if palette:
        fields["palette_colors"] = PNG_PALETTE_COLOURS
    fields.update(_budget_fields(len(data), budget_kb))
    return fields


def save_jpeg(image: Image.Image, path: Path, budget_kb: int | None) -> dict[str, Any]:
    """The best quality within the budget, by bisection (file size grows with quality)."""
    quality, data = JPEG_QUALITY_BEST, encode_jpeg(image, JPEG_QUALITY_BEST)
    if budget_kb is not None and len(data) > budget_kb * BYTES_PER_KB:
        low, high = JPEG_QUALITY_LEAST, JPEG_QUALITY_BEST - 1
        quality, data = low, encode_jpeg(image, low)
        while low <= high:
            middle = (low + high) // 2
            attempt = encode_jpeg(image, middle)
            if len(attempt) <= budget_kb * BYTES_PER_KB:
                quality, data, low = middle, attempt, middle + 1
            else:
                high = middle - 1
    path.write_bytes(data)
    fields: dict[str, Any] = {"px": list(image.size), "color_space": "sRGB", "quality": quality}
    fields.update(_budget_fields(len(data), budget_kb))
    return fields
