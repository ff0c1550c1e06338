"""LED boards as they are built: a board is whole modules, so its pixels follow from the module type.

An outdoor or indoor LED board is assembled from standard modules (the HUB75 modules every maker
sells): a P10 module is 320 × 160 mm and 32 × 16 px, a P5 module the same size with 64 × 32 px. A
"6 × 3 m P10 board" is 19 × 19 modules, 6.08 × 3.04 m and 608 × 304 px, never 600 × 300: a file one
module off is scaled by the sending card. The sizes below are the modules' common sizes as the
makers' data sheets give them; the pitch is the distance between two pixels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Module:
    size_mm: tuple[int, int]
    px: tuple[int, int]

    @property
    def pitch_mm(self) -> float:
        return self.size_mm[0] / self.px[0]


MODULES = {
    "p10": Module((320, 160), (32, 16)),  # outdoor, read from 10 m and more
    "p8": Module((256, 128), (32, 16)),
    "p6": Module((192, 96), (32, 16)),
    "p5": Module((320, 160), (64, 32)),
    "p4": Module((256, 128), (64, 32)),
    "p3": Module((192, 192), (64, 64)),
    "p2.5": Module((320, 160), (128, 64)),  # indoor
    "p2": Module((256, 128), (128, 64)),
}


def modules_for(module: str, size_m: tuple[float, float]) -> tuple[int, int]:
    """The whole modules nearest to a board of `size_m` metres (at least one each way)."""
    width_mm, height_mm = MODULES[module].size_mm
    return max(1, round(size_m[0] * 1000 / width_mm)), max(1, round(size_m[1] * 1000 / height_mm))


def board_px(module: str, count: tuple[int, int]) -> tuple[int, int]:
    px = MODULES[module].px
    return count[0] * px[0], count[1] * px[1]


def board_m(module: str, count: tuple[int, int]) -> tuple[float, float]:
    size = MODULES[module].size_mm
    return count[0] * size[0] / 1000, count[1] * size[1] / 1000
