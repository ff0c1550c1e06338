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


def encode_png(image: Image.Image, palette: bool = False, smallest: bool = False) -> bytes:
    out = io.BytesIO()
    if palette:
        # median cut takes no alpha channel; a transparent frame's palette comes of the octree
        method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
        image = image.quantize(PNG_PALETTE_COLOURS, method=method, dither=Image.Dither.NONE)
    # zlib's default level is within a few per cent of `optimize` at a fraction of its time
    image.save(out, format="PNG", optimize=smallest, compress_level=6, icc_profile=srgb_icc())
    return out.getvalue()


def encode_jpeg(image: Image.Image, quality: int, optimize: bool = True, dpi: float | None = None) -> bytes:
    out = io.BytesIO()
    # 4:4:4: chroma subsampling smears thin red-on-yellow strokes of Vietnamese marks
    image.save(out, format="JPEG", quality=quality, subsampling=0, optimize=optimize, icc_profile=srgb_icc(),
               **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()


def save_png(image: Image.Image, path: Path, budget_kb: int | None) -> dict[str, Any]:
    data = encode_png(image)
    palette = False
    if budget_kb is not None and len(data) > budget_kb * BYTES_PER_KB:
        data = min(data, encode_png(image, smallest=True), key=len)
    if budget_kb is not None and len(data) > budget_kb * BYTES_PER_KB:
        smaller = encode_png(image, palette=True, smallest=True)
        if len(smaller) < len(data):
            data, palette = smaller, True
    path.write_bytes(data)
    fields: dict[str, Any] = {"px": list(image.size), "color_space": "sRGB"}
    if image.mode == "RGBA":
        fields["transparent"] = True
    if palette:
        fields["palette_colors"] = PNG_PALETTE_COLOURS
    fields.update(_budget_fields(len(data), budget_kb))
    return fields


def save_jpeg(image: Image.Image, path: Path, budget_kb: int | None, dpi: float | None = None) -> dict[str, Any]:
    """The best quality within the budget, by bisection (file size grows with quality).

    The search encodes without Huffman optimisation, which is quicker and never smaller; the file
    is then written optimised, so it is within the budget whenever the search's attempt was."""
    quality = JPEG_QUALITY_BEST
    if budget_kb is not None and len(encode_jpeg(image, quality, optimize=False)) > budget_kb * BYTES_PER_KB:
        low, high = JPEG_QUALITY_LEAST, JPEG_QUALITY_BEST - 1
        quality = low  # nothing fits: the least quality, reported
        while low <= high:
            middle = (low + high) // 2
            if len(encode_jpeg(image, middle, optimize=False)) <= budget_kb * BYTES_PER_KB:
                quality, low = middle, middle + 1
            else:
                high = middle - 1
    data = encode_jpeg(image, quality, dpi=dpi)
    path.write_bytes(data)
    fields: dict[str, Any] = {"px": list(image.size), "color_space": "sRGB", "quality": quality}
    fields.update(_budget_fields(len(data), budget_kb))
    return fields
