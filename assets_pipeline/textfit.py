"""Fitting text into a box: the largest size at which it fits in at most N lines.

Rules of Vietnamese typesetting kept here, once, for every renderer:
- lines break only at spaces, so `10/10` is never split; and since Vietnamese writes a space
  between the syllables of one word, the campaign lists its compound words (`chuyển đổi số`,
  `người dân`), and no line breaks inside one of them;
- lines are balanced (the widest line is as narrow as it can be) and the last line is never a
  lone word when the text has more;
- vertical fit measures ink, not the font's ascent: the marks of Ể, Ỗ, Ậ rise above the cap
  height and the dots below sink under the baseline;
- consecutive lines are moved apart until their marks cannot touch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass
from typing import Literal


from assets_pipeline.fonts import MASK_PX, Face

if TYPE_CHECKING:  # numpy loads only when a function needs it: start-up stays short
    import numpy as np

LINE_CLEARANCE_EM = 0.04  # the least gap between the ink of two lines
MORE_LINES_GAIN = 1.03  # another line must make the text 3 % larger to be worth it
SPREAD_MAX_EM = 0.6
PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’…-–—"  # `valign: spread` opens each line gap by at most this much
SPACED_DASHES = ("-", "–", "—")  # a dash standing between spaces, as in "nhanh hơn - hiệu quả hơn"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


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


def glued_gaps(words: list[str], keep_together: tuple[str, ...]) -> frozenset[int]:
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


def _balanced_breaks(face: Face, words: list[str], count: int, glued: frozenset[int]) -> list[str] | None:
    """Split words into `count` lines minimising the widest line, then the raggedness."""
    n = len(words)
    if count > n:
        return None

    def width(i: int, j: int) -> float:
        return face.ink(" ".join(words[i:j])).right - min(0.0, face.ink(" ".join(words[i:j])).left)

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
    return lines[::-1]


def _pitch(face: Face, upper: str, lower: str, line_height: float, align: str) -> float:
    """Baseline distance in ems: the designer's line height, or more if the marks would touch."""
    import numpy as np

    a, ax, ay = face.mask(upper)
    b, bx, by = face.mask(lower)
    shift = {"left": 0.0, "center": 0.5, "right": 1.0}[align]
    dx = round((face.advance(upper) - face.advance(lower)) * shift * MASK_PX)
    clearance = max(1, round(LINE_CLEARANCE_EM * MASK_PX))
    pitch_px = round(line_height * MASK_PX)
    while pitch_px < 4 * MASK_PX:
        # place both masks on one canvas: upper's baseline at 0, lower's at pitch_px
        top = min(ay, pitch_px + by)
        left = min(ax, bx + dx)
        height = max(ay + a.shape[0], pitch_px + by + b.shape[0]) - top + clearance
        width = max(ax + a.shape[1], bx + dx + b.shape[1]) - left
        canvas = np.zeros((height, width), dtype=bool)
        ya, xa = ay - top, ax - left
        canvas[ya:ya + a.shape[0] + clearance, xa:xa + a.shape[1]] |= np.pad(a, ((0, clearance), (0, 0)))
        yb, xb = pitch_px + by - top, bx + dx - left
        if not (canvas[yb:yb + b.shape[0], xb:xb + b.shape[1]] & b).any():
            return pitch_px / MASK_PX
        pitch_px += 1
    return pitch_px / MASK_PX


def _layout(face: Face, lines: list[str], line_height: float, align: str) -> tuple[float, float, list[float]]:
    """Width and height in ems of a block of lines, and each line's baseline below the ink top."""
    inks = [face.ink(line) for line in lines]
    width = max(max(ink.right, face.advance(line)) - min(0.0, ink.left) for ink, line in zip(inks, lines))
    baselines = [inks[0].top]
    for upper, lower in zip(lines, lines[1:]):
        baselines.append(baselines[-1] + _pitch(face, upper, lower, line_height, align))
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
) -> FittedText:
    """The largest setting of `text` in `box`, or TextDoesNotFit with the best size reached."""
    words = text.split()
    glued = glued_gaps(words, keep_together)
    best: tuple[float, list[str], tuple[float, float, list[float]]] | None = None
    for count in range(1, min(max_lines, len(words)) + 1):
        lines = _balanced_breaks(face, words, count, glued)
        if lines is None:
            continue
        width, height, baselines = _layout(face, lines, line_height, align)
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
        ink = face.ink(line)
        extent_left = min(0.0, ink.left)
        extent = max(ink.right, face.advance(line)) - extent_left
        slack = box.width - extent * size
        x = box.x + {"left": 0.0, "center": 0.5, "right": 1.0}[align] * slack - extent_left * size
        placed.append(PlacedLine(line, x, top + baseline * size))
    ink_box = Box(box.x + {"left": 0.0, "center": 0.5, "right": 1.0}[align] * (box.width - width * size),
                  top, width * size, height * size)
    return FittedText(size, tuple(placed), ink_box)
