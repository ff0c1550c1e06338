"""Boxes in a layout's unit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


PT_MM = 25.4 / 72  # one typographic point in mm
