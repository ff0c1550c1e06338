"""Fitting text into a box: the largest size at which it fits in at most N lines.

Rules of Vietnamese typesetting kept here, once, for every renderer:
- lines break only at spaces, so `10/10` is never split; and since Vietnamese writes a space
  between the syllables of one word, no line breaks inside a word of several syllables: those a
  word segmenter finds (`người dân`, `cuộc sống`, words.py), the campaign's `phrases`
  (`chuyển đổi số`) and the unit's names;
- lines are balanced (the widest line is as narrow as it can be) and the last line is never a
  lone word when the text has more;
- vertical fit measures ink, not the font's ascent: the marks of Ể, Ỗ, Ậ rise above the cap
  height and the dots below sink under the baseline;
- consecutive lines are moved apart until their ink, marks and dots included, is at least
  `line_gap_em` apart in every direction.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from assets_pipeline.core.fonts import MASK_PX, Face
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.words import compound_words

if TYPE_CHECKING:  # numpy loads only when a function needs it: start-up stays short
    pass

# The least gap between the ink of two consecutive lines, in every direction: closer, the stacked
# marks of Ấ Ố Ổ under a letter above or the dots of Ộ Ẹ over a mark below touch on paper, and
# "VÌ" reads "VỊ". A design may ask for more (`line_gap_em`), never for less.
LINE_GAP_EM = 0.08
MORE_LINES_GAIN = 1.03  # another line must make the text 3 % larger to be worth it
SPREAD_MAX_EM = 0.6
PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’…-–—"  # `valign: spread` opens each line gap by at most this much
SPACED_DASHES = ("-", "–", "—")  # a dash standing between spaces, as in "nhanh hơn - hiệu quả hơn"



@dataclass(frozen=True)
class PlacedLine:
    text: str
    x: float  # origin on the baseline, in layout units
    baseline: float


@dataclass(frozen=True)
class FittedText:
    size: float  # em size, in layout units
    lines: tuple[PlacedLine, ...]
    ink: Box  # the block's ink, conservatively


class TextDoesNotFit(Exception):
    def __init__(self, needed_size: float, lines: int):
        super().__init__(needed_size, lines)
        self.needed_size = needed_size  # the largest size that fits, below the minimum
        self.lines = lines


def glued_gaps(words: Sequence[str], keep_together: tuple[str, ...]) -> frozenset[int]:
    """Indices i such that no line may break between words[i-1] and words[i]."""
    # punctuation clings to words ("(Quyết", "phủ).") but does not change which word it is
    folded = [w.strip(PUNCTUATION).casefold() for w in words]
    glued: set[int] = set()
    for phrase in keep_together:
        parts = phrase.casefold().split()
        for start in range(len(folded) - len(parts) + 1):
            if folded[start:start + len(parts)] == parts:
                glued.update(range(start + 1, start + len(parts)))
    # a spaced dash ("nhanh hơn - hiệu quả hơn") ends its line, never starts one
    glued.update(i for i, word in enumerate(words) if i and word in SPACED_DASHES)
    return frozenset(glued)


@functools.lru_cache(maxsize=8192)
def _balanced_breaks(face: Face, words: tuple[str, ...], count: int, glued: frozenset[int]) -> tuple[str, ...] | None:
    """Split words into `count` lines minimising the widest line, then the raggedness. Cached: every
    unit's banner sets the same slogan."""
    n = len(words)
    if count > n:
        return None
    widths: dict[tuple[int, int], float] = {}

    def width(i: int, j: int) -> float:
        if (i, j) not in widths:
            ink = face.ink(" ".join(words[i:j]))
            widths[i, j] = ink.right - min(0.0, ink.left)
        return widths[i, j]

    inf = (float("inf"), float("inf"))
    best: list[list[tuple[float, float]]] = [[inf] * (n + 1) for _ in range(count + 1)]
    choice = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, 0.0)
    for k in range(1, count + 1):
        for j in range(k, n + 1):
            if j in glued:
                continue
            for i in range(k - 1, j):
                if best[k - 1][i] == inf:
                    continue
                if k == count and count > 1 and j - i == 1 and n > count:
                    continue  # a lone word on the last line
                w = width(i, j)
                candidate = (max(best[k - 1][i][0], w), best[k - 1][i][1] + w * w)
                if candidate < best[k][j]:
                    best[k][j], choice[k][j] = candidate, i
    if best[count][n] == inf:
        return None
    lines, j = [], n
    for k in range(count, 0, -1):
        i = choice[k][j]
        lines.append(" ".join(words[i:j]))
        j = i
    return tuple(lines[::-1])


ALIGN_SHIFT = {"left": 0.0, "center": 0.5, "right": 1.0}


def _extent(face: Face, line: str) -> tuple[float, float]:
    """Where a line's extent starts left of its origin, and its width, in ems: its advance widened
    to its ink where a mark or a horn (Ư) reaches past it. Lines are aligned by their extents."""
    ink = face.ink(line)
    left = min(0.0, ink.left)
    return left, max(ink.right, face.advance(line)) - left


@functools.lru_cache(maxsize=16384)
def _pitch(face: Face, upper: str, lower: str, line_height: float, align: str, gap_em: float) -> float:
    """Baseline distance in ems: the designer's line height, or more if the ink of the two lines
    would come closer than `gap_em` in any direction.

    Lines come as close as their ink allows, column by column (optical leading), so a line of plain
    capitals under a line without descenders sits tighter than a stacked mark under a dot below.
    Each column's lowest ink of the upper line and highest ink of the lower one are compared with
    the columns up to `gap_em` either side, so a mark diagonally next to a letter keeps the gap too.
    Ink is taken whole-pixel at MASK_PX per em, which can only make the gap larger than asked.
    """
    import numpy as np

    upper_x, _, upper_bottom = face.profile(upper)
    lower_x, lower_top, _ = face.profile(lower)
    # the lower line's origin right of the upper one's, as fit_text places them
    shift = ALIGN_SHIFT[align]
    (upper_left, upper_width), (lower_left, lower_width) = _extent(face, upper), _extent(face, lower)
    dx = round((shift * (upper_width - lower_width) - lower_left + upper_left) * MASK_PX)
    least_px = round(line_height * MASK_PX)
    radius = gap_em * MASK_PX + 0.5  # half a pixel for the rounding of `dx`
    # both lines' columns on one axis
    left = min(upper_x, lower_x + dx)
    width = max(upper_x + len(upper_bottom), lower_x + dx + len(lower_top)) - left
    bottom = np.full(width, -np.inf)
    bottom[upper_x - left:upper_x - left + len(upper_bottom)] = upper_bottom
    top = np.full(width, np.inf)
    top[lower_x + dx - left:lower_x + dx - left + len(lower_top)] = lower_top
    needed = -np.inf
    for k in range(-math.ceil(radius) - 1, math.ceil(radius) + 2):
        across = max(0, abs(k) - 1)  # the horizontal gap between pixels of columns c and c + k
        if across >= radius or abs(k) >= width:
            continue
        # upper ink in column c, lower ink in column c + k
        closest = np.max(bottom[:width - k] - top[k:]) if k >= 0 else np.max(bottom[-k:] - top[:width + k])
        needed = max(needed, closest + math.sqrt(radius * radius - across * across))
    if not math.isfinite(needed):  # a line without ink, or no columns near each other: nothing to keep apart
        return least_px / MASK_PX
    return max(least_px, math.ceil(needed)) / MASK_PX


def _layout(face: Face, lines: tuple[str, ...], line_height: float, align: str,
            gap_em: float) -> tuple[float, float, list[float]]:
    """Width and height in ems of a block of lines, and each line's baseline below the ink top."""
    inks = [face.ink(line) for line in lines]
    width = max(_extent(face, line)[1] for line in lines)
    baselines = [inks[0].top]
    for upper, lower in zip(lines, lines[1:]):
        baselines.append(baselines[-1] + _pitch(face, upper, lower, line_height, align, gap_em))
    height = baselines[-1] + inks[-1].bottom
    return width, height, baselines


def fit_text(
    text: str,
    face: Face,
    box: Box,
    *,
    max_lines: int,
    min_size: float,
    max_size: float,
    line_height: float,
    align: Literal["left", "center", "right"] = "center",
    valign: Literal["top", "middle", "bottom", "spread"] = "middle",
    keep_together: tuple[str, ...] = (),
    line_gap_em: float = LINE_GAP_EM,
) -> FittedText:
    """The largest setting of `text` in `box`, or TextDoesNotFit with the best size reached."""
    words = tuple(text.split())
    if max_lines > 1:  # the segmenter's words, then the designer's phrases and unit names
        keep_together = compound_words(text) + keep_together
    glued = glued_gaps(words, keep_together)
    best: tuple[float, tuple[str, ...], tuple[float, float, list[float]]] | None = None
    for count in range(1, min(max_lines, len(words)) + 1):
        lines = _balanced_breaks(face, words, count, glued)
        if lines is None:
            continue
        width, height, baselines = _layout(face, lines, line_height, align, line_gap_em)
        size = min(box.width / width, box.height / height, max_size)
        if best is None or size > best[0] * MORE_LINES_GAIN:
            best = (size, lines, (width, height, baselines))
    if best is None or best[0] < min_size:
        raise TextDoesNotFit(best[0] if best else 0.0, len(best[1]) if best else 0)
    size, lines, (width, height, baselines) = best
    if valign == "spread" and len(lines) > 1:
        # tall formats: share the spare height between the lines instead of leaving it empty
        gap = min((box.height / size - height) / (len(lines) - 1), SPREAD_MAX_EM)
        baselines = [b + i * gap for i, b in enumerate(baselines)]
        height += gap * (len(lines) - 1)
    top = box.y + {"top": 0.0, "middle": 0.5, "spread": 0.5, "bottom": 1.0}[valign] * (box.height - height * size)
    placed = []
    for line, baseline in zip(lines, baselines):
        extent_left, extent = _extent(face, line)
        x = box.x + ALIGN_SHIFT[align] * (box.width - extent * size) - extent_left * size
        placed.append(PlacedLine(line, x, top + baseline * size))
    ink_box = Box(box.x + ALIGN_SHIFT[align] * (box.width - width * size),
                  top, width * size, height * size)
    return FittedText(size, tuple(placed), ink_box)
