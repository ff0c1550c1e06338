"""Print colour: every colour of a CMYK file as the print shop will mix it.

A campaign gives CMYK values for its palette names (`cmyk:`, in percent) and states, in
`cmyk_from_rgb:`, how any other colour (a `#RRGGBB` written in a design, the pixels of an image)
becomes CMYK:

- `none`: it does not; a print colour without an explicit CMYK value is an error;
- `full-gcr`: the uncalibrated formula with full grey-component replacement, no ICC profile:
  K = 1 − max(R, G, B); C = (1 − R − K) / (1 − K), M and Y alike (R, G, B in 0…1).
  Good enough for flat graphics; a photograph needs the print shop's profile instead.

Contrast (preflight) is measured on the RGB values, which are what the designer chose and saw.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads only when a function needs it: start-up stays short
    import numpy as np


CMYK = tuple[float, float, float, float]  # each 0…1
CONVERSIONS = ("none", "full-gcr")
# a layout's background that is no colour at all: a PNG with an alpha channel (a profile-picture frame)
TRANSPARENT = "transparent"


def hex_rgb(color: str) -> tuple[int, int, int]:
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def full_gcr(color: str) -> CMYK:
    r, g, b = (v / 255 for v in hex_rgb(color))
    k = 1 - max(r, g, b)
    if k >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    c, m, y = (round((1 - v - k) / (1 - k), 4) for v in (r, g, b))
    return c, m, y, round(k, 4)


def full_gcr_pixels(rgb: np.ndarray) -> np.ndarray:
    """The same formula over an H × W × 3 uint8 array, in integers: H × W × 4 uint8 (0…255 = 0…100 %).

    With M = max(R, G, B): K = 255 − M and C = (M − R) / M, so no division by 1 − K is needed.
    """
    import numpy as np

    values = rgb.astype(np.int32)
    most = values.max(axis=2, keepdims=True)
    cmy = ((most - values) * 255 + most // 2) // np.maximum(most, 1)
    return np.concatenate([cmy, 255 - most], axis=2).astype(np.uint8)


def relative_luminance(color: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    r, g, b = (linear_srgb(v) for v in hex_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def linear_srgb(channel: int) -> float:
    """An 8-bit sRGB channel as linear light, 0…1 (the sRGB transfer function undone)."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio, 1 … 21."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
