"""Boxes in a layout's unit, and the units of print: the one home of points and millimetres."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4
PT_PER_MM = 72 / MM_PER_INCH  # a PostScript point is 1/72 inch
# A PDF page cannot exceed 200 inches in most readers and RIPs (and in PDF 1.3's own limit of 14,400 units)
MAX_PAGE_MM = 200 * MM_PER_INCH


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


PT_MM = 25.4 / 72  # one typographic point in mm
