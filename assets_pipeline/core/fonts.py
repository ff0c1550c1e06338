"""Fonts as the layout sees them: glyph coverage, advances with kerning, and the ink of a line.

Every measurement is taken once at the font's own units-per-em size, where FreeType's outlines are
unhinted and advances are exact, and returned in ems so that any renderer can scale it.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import ImageFont, features
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.i18n import _

# Images in every PDF of the package are binary streams, not ASCII85: the pure-Python encoder was a
# sixth of the time of every PDF with the emblem, binary streams are a quarter smaller, and a setting
# of reportlab's module made here, where each module that writes a PDF gets its fonts, is the same in
# every process: a proof sheet is the same bytes whether a renderer ran before it in that process or not.
rl_config.useA85 = 0

if TYPE_CHECKING:  # numpy loads only when a function needs it: start-up stays short
    import numpy as np

# HarfBuzz shaping (RAQM) gives kerning; without it Pillow's basic layout has none. Both the
# layout and every renderer use the same engine, so PNG, PDF and video always agree.
HAS_RAQM = features.check("raqm")
LAYOUT_ENGINE = ImageFont.Layout.RAQM if HAS_RAQM else ImageFont.Layout.BASIC
# Ligatures are off: the PDF draws characters one by one and must match the raster exactly.
FEATURES = ["-liga", "-clig", "-dlig"] if HAS_RAQM else None
# Every letter of Vietnamese with each tone, and the digits: what a slogan may hold, checked when a font loads
PROBE = sorted({unicodedata.normalize("NFC", vowel + tone) for vowel in "AĂÂEÊIOÔƠUƯYaăâeêioôơuưy"
                for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")}
               | set("BCDĐGHKLMNPQRSTVXbcdđghklmnpqrstvx0123456789"))
PROBE_PX = 24
MASK_PX = 128  # em size of the rasters that measure the gap between two lines: 0.08 em is 10 px


@dataclass(frozen=True)
class Ink:
    """A line's ink in ems, relative to its origin on the baseline; `top` is above, `bottom` below."""

    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left


class Face:
    """One font file, measured."""

    def __init__(self, path: Path, digest: str):
        self.path = path
        try:
            # registered with reportlab under a name of its content: two fonts of one file name in
            # different folders, or a font replaced, never take each other's place
            self.reportlab = TTFont(f"{path.stem}-{digest[:12]}", str(path))
        except (TTFError, OSError, ValueError, KeyError, IndexError, AssertionError) as exc:
            raise SpecError(_("{name} is not a usable TrueType font: {problem}", name=path.name, problem=exc)) from None
        self.units_per_em = int(self.reportlab.face.unitsPerEm)
        self.cmap = frozenset(self.reportlab.face.charToGlyph)
        try:
            self.pil = ImageFont.truetype(str(path), self.units_per_em, layout_engine=LAYOUT_ENGINE)
            self.mask_font = ImageFont.truetype(str(path), MASK_PX, layout_engine=LAYOUT_ENGINE)
            empty = self._damaged_glyphs()
        except (OSError, ValueError) as exc:
            raise SpecError(_("{name} is not a usable TrueType font: {problem}", name=path.name, problem=exc)) from None
        if empty:
            letters = ", ".join(repr(c) for c in empty[:5]) + (" …" if len(empty) > 5 else "")
            raise SpecError(_("{name} is damaged: {letters} have no outline (a truncated or corrupted file?)",
                              name=path.name, letters=letters))

    def _damaged_glyphs(self) -> list[str]:
        """Letters and digits of Vietnamese the font maps but draws as nothing (a truncated glyph table
        keeps every advance and loses every outline); FreeType's own errors are raised."""
        probe = [c for c in PROBE if ord(c) in self.cmap]
        small = ImageFont.truetype(str(self.path), PROBE_PX, layout_engine=LAYOUT_ENGINE)  # outlines, cheaply drawn
        small.getmask("".join(probe))
        return [c for c in probe if (lambda box: box[2] <= box[0] or box[3] <= box[1])(small.getbbox(c))]

    def missing(self, text: str) -> list[str]:
        """Characters of `text` that the font has no glyph for (spaces are always fine)."""
        return sorted({c for c in text if ord(c) not in self.cmap and c != " "})

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (a face lives as long as the process: one per font file)
    def advance(self, text: str) -> float:
        return self.pil.getlength(text, features=FEATURES) / self.units_per_em

    @functools.lru_cache(maxsize=16384)  # noqa: B019 (as above)
    def ink(self, text: str) -> Ink:
        left, top, right, bottom = self.pil.getbbox(text, anchor="ls", features=FEATURES)
        upm = self.units_per_em
        return Ink(left / upm, right / upm, -top / upm, bottom / upm)

    def glyph_positions(self, text: str) -> list[float]:
        """The x of every character's origin, in ems, kerning included."""
        return [self.advance(text[: i + 1]) - self.advance(text[i]) for i in range(len(text))]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (as above)
    def mask(self, text: str) -> tuple[np.ndarray, int, int]:
        """The line's ink at MASK_PX per em, with the pixel offset of its top-left from the origin."""
        import numpy as np

        mask, offset = self.mask_font.getmask2(text, anchor="ls", features=FEATURES)
        array = np.frombuffer(bytes(mask), dtype=np.uint8).reshape(mask.size[1], mask.size[0]) > 32
        return array, offset[0], offset[1]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (as above)
    def profile(self, text: str) -> tuple[int, np.ndarray, np.ndarray]:
        """The line's ink column by column at MASK_PX per em: the x of its first column from the
        origin, then each column's top and bottom ink edge below the baseline (y grows downwards;
        +inf and -inf where a column has no ink)."""
        import numpy as np

        mask, left, top = self.mask(text)
        inked = mask.any(axis=0)
        rows = np.arange(mask.shape[0])[:, None]
        tops = np.where(inked, np.where(mask, rows, mask.shape[0]).min(axis=0) + top, np.inf)
        bottoms = np.where(inked, np.where(mask, rows, -1).max(axis=0) + 1 + top, -np.inf)
        return left, tops, bottoms


def face(path: Path | str) -> Face:
    """The font at `path` as it is now: loaded again when the file has changed."""
    try:
        digest = content_digest(path)
    except OSError as exc:
        raise SpecError(_("{name} is not a usable TrueType font: {problem}", name=Path(path).name, problem=exc)) from None
    return _face(str(path), digest)


@functools.lru_cache(maxsize=64)
def _face(path: str, digest: str) -> Face:
    return Face(Path(path), digest)


def reportlab_name(font_path: str) -> str:
    """The font's name in reportlab's registry, registered on first use (the name is of its content)."""
    font = face(font_path)
    if font.reportlab.fontName not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(font.reportlab)
    return font.reportlab.fontName
