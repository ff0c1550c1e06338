"""Raster images a design places, read whole and bounded: a file that is not an image, is truncated or
would decode to more pixels than the limit (a decompression bomb) is refused before it costs memory."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from assets_pipeline.core.files import content_digest
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.i18n import _


class ImageProblem(Exception):
    """Why an image cannot be used, in a phrase that follows "image 'x' …"."""


def read_image(path: str | Path) -> Image.Image:
    """The image at `path`, decoded in full and converted to RGBA (once per content: several blocks
    place one emblem)."""
    try:
        digest = content_digest(path)
    except OSError as exc:
        raise ImageProblem(_("cannot be read: {problem}", problem=exc)) from None
    return _read_image(str(path), digest)


@functools.lru_cache(maxsize=8)
def _read_image(path: str, digest: str) -> Image.Image:
    previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # the limit is ours, checked below
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > LIMITS.max_image_pixels:
                    raise ImageProblem(_("is {width} × {height} px, more than the {limit:,} pixels an image may have "
                                         "(ASSETS_LIMIT_MAX_IMAGE_PIXELS)", width=width, height=height,
                                         limit=LIMITS.max_image_pixels))
                image.load()  # every byte decoded: a truncated file fails here, not in a renderer
                return image.convert("RGBA")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageProblem(_("would decode to too many pixels: {problem}", problem=exc)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageProblem(_("cannot be read: {problem}", problem=exc)) from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous
