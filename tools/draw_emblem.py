"""Draw specs/images/emblem-cds.png, the campaign mark used by the pano, poster and stage designs.

An original drawing made for this project (not the official logo of the day): a white disc with a
gold ring, a red five-pointed star, and circuit traces ending in nodes for "digital". Run it again
to redraw the file: `python tools/draw_emblem.py`.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

SIZE_PX = 1600
SUPERSAMPLE = 4
RED = (218, 37, 29, 255)
DEEP_RED = (163, 22, 26, 255)
GOLD = (255, 222, 0, 255)
WHITE = (255, 255, 255, 255)


def star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw() -> Image.Image:
    n = SIZE_PX * SUPERSAMPLE
    c = n / 2
    image = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse((0, 0, n - 1, n - 1), fill=GOLD)
    ring = n * 0.045
    pen.ellipse((ring, ring, n - 1 - ring, n - 1 - ring), fill=WHITE)
    # circuit traces: from the star outwards, each bending once and ending in a node
    trace_w = round(n * 0.018)
    node_r = n * 0.032
    for i in range(10):
        angle = -math.pi / 2 + math.pi / 5 * (i + 0.5)
        r0, r1 = n * 0.20, n * 0.31
        x0, y0 = c + r0 * math.cos(angle), c + r0 * math.sin(angle)
        x1, y1 = c + r1 * math.cos(angle), c + r1 * math.sin(angle)
        bend = angle + (0.22 if i % 2 else -0.22)
        x2, y2 = c + n * 0.38 * math.cos(bend), c + n * 0.38 * math.sin(bend)
        pen.line([(x0, y0), (x1, y1), (x2, y2)], fill=DEEP_RED, width=trace_w, joint="curve")
        pen.ellipse((x2 - node_r, y2 - node_r, x2 + node_r, y2 + node_r), fill=DEEP_RED)
    pen.polygon(star(c, c * 1.03, n * 0.27, n * 0.11), fill=RED)
    return image.resize((SIZE_PX, SIZE_PX), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "specs" / "images" / "emblem-cds.png"
    draw().save(target, optimize=True)
    print(target)
