"""The soft proof: a print piece's PNG as the press will print it, not as the screen colours were chosen.

Every colour goes to the press's CMYK as the PDF carries it (a palette colour: its campaign value
exactly; an image: through the profile) and back to sRGB through the same profile. A drawn piece is
drawn in those colours (`proofed`): no pixel is converted twice. A typeset document's pages are
rasterised from its PDF, so its pixels are proofed one by one (`soft_proof`). A designer sees the flag
red and the gold as they come off the press, on the proof sheets, the download page and in the studio alike.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any
from collections.abc import Iterable

from PIL import Image

from assets_pipeline.core.color import CMYK, hex_rgb
from assets_pipeline.core.press import Press, printed_pixels, screen_color
from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job


def proofed(layout: Layout, job: Job) -> Layout:
    """The layout in the colours its press prints: every colour with a print value replaced by it, seen
    through the profile."""
    press = job.press
    assert press is not None
    printed = {color: screen_color(value, press) for color, value in job.cmyk}

    def recolored(item: Any) -> Any:
        changes = {name: printed[getattr(item, name)] for name in ("color", "background")
                   if getattr(item, name, None) in printed}
        return dataclasses.replace(item, **changes) if changes else item

    return dataclasses.replace(layout, background=printed.get(layout.background, layout.background),
                               items=tuple(recolored(item) for item in layout.items))


def proofed_picture(picture: Image.Image, press: Press) -> Image.Image:
    """An RGB image as printed through the press's profile."""
    import numpy as np

    return Image.fromarray(printed_pixels(np.asarray(picture), press), "RGB")


def soft_proof(image: Image.Image, press: Press, exact: Iterable[tuple[tuple[int, int, int], CMYK]]) -> Image.Image:
    """`image` (RGB) as printed: pixels of a colour in `exact` take its print value, the others go
    through the profile."""
    import numpy as np

    rgb = np.asarray(image.convert("RGB"))
    printed = np.array(printed_pixels(rgb, press))
    packed = (rgb[..., 0].astype(np.uint32) << 16) | (rgb[..., 1].astype(np.uint32) << 8) | rgb[..., 2]
    for (r, g, b), value in exact:
        printed[packed == (r << 16 | g << 8 | b)] = hex_rgb(screen_color(value, press))
    return Image.fromarray(printed, "RGB")


def rendered_pixels(cmyk: tuple[tuple[str, CMYK], ...]) -> list[tuple[tuple[int, int, int], CMYK]]:
    """A typeset document's colours as PDFium paints their print values on screen: its pages are
    rasterised from the PDF, where only the CMYK values are."""
    return [(_pdfium_rgb(value), value) for _, value in cmyk]


@functools.lru_cache(maxsize=64)
def _pdfium_rgb(value: CMYK) -> tuple[int, int, int]:
    import io

    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(8, 8), invariant=1)
    canvas.setFillColorCMYK(*value)
    canvas.rect(0, 0, 8, 8, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    pdf = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        pixel = pdf[0].render(scale=1).to_pil().convert("RGB").getpixel((4, 4))
    finally:
        pdf.close()
    return tuple(pixel)
