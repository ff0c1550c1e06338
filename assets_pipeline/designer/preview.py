"""`assets preview`: one piece in proof quality, in about a second, under output/preview/.

Nothing else is built and the manifest is not touched: a preview is for looking at.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.engine.output import atomic_path
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.piece import lay_out
from assets_pipeline.plan.expand import Selection, expand
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render import png
from assets_pipeline.specs.load import load_specs

PREVIEW_PX = 1200  # long side of a preview


def choose(jobs: list[Job], format_id: str | None, variant: str | None) -> Job:
    for key, wanted in (("format_id", format_id), ("variant", variant)):
        if wanted is not None:
            known = sorted({getattr(job, key) for job in jobs})
            if wanted not in known:
                said = (_("format '{format}' is not in this design", format=wanted) if key == "format_id" else
                        _("variant '{variant}' is not in this design", variant=wanted))
                raise SpecError(said + did_you_mean(wanted, known))
            jobs = [job for job in jobs if getattr(job, key) == wanted]
    return jobs[0]


def preview(root: Path, output: Path, design: str, unit: str | None = None, format_id: str | None = None,
            variant: str | None = None, campaign: str | Path | None = None) -> Path:
    specs = load_specs(root, campaign)
    if design not in specs.designs:
        raise SpecError(_("design '{design}' is not defined", design=design) + did_you_mean(design, list(specs.designs)))
    if unit is None:
        unit = specs.units_for(specs.designs[design])[0].slug
    jobs = expand(specs, Selection(design=design, unit=unit))
    if not jobs:
        raise SpecError(_("design '{design}' makes nothing for unit '{unit}'", design=design, unit=unit))
    job = choose(jobs, format_id, variant)
    target = output / "preview" / f"{job.stem}__{job.unit}.png"
    layout = lay_out(job)
    with atomic_path(target) as temporary:
        label_font = specs.root / next(iter(specs.campaign.fonts.values()))
        if layout.clip is not None:
            image = contact_strip(layout, label_font)
        else:  # a print piece as its press prints it
            proofed, press = png.as_printed(layout, job)
            image = png.draw(proofed, PREVIEW_PX / max(layout.width, layout.height), press)
        image.save(temporary, format="PNG", compress_level=1)
    return target


def contact_strip(layout: Layout, label_font: Path, count: int = 8, columns: int = 4) -> Image.Image:
    """A video as `count` frames spread over the loop, in a grid, each with its time."""
    from assets_pipeline.render.mp4 import Frames

    clip = layout.clip
    frames = Frames(clip, (round(layout.width), round(layout.height)))
    wanted = {round(i * clip.frames / count) for i in range(count)}
    cell_w = PREVIEW_PX // columns
    cell_h = round(cell_w * layout.height / layout.width)
    label_h = 28
    rows = -(-len(wanted) // columns)
    sheet = Image.new("RGB", (cell_w * columns, rows * (cell_h + label_h)), "white")
    canvas = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(label_font), 16)
    placed = 0
    for number, buffer in enumerate(frames):
        if number not in wanted:
            continue
        frame = _yuv420_to_rgb(np.frombuffer(buffer, np.uint8), frames.width, frames.height)
        x, y = (placed % columns) * cell_w, (placed // columns) * (cell_h + label_h)
        sheet.paste(frame.crop((0, 0, round(layout.width), round(layout.height))).resize((cell_w, cell_h)), (x, y))
        canvas.text((x + 6, y + cell_h + 4), f"{number / clip.fps:5.2f} s · khung {number}", fill="#231F20", font=font)
        placed += 1
    return sheet


def _yuv420_to_rgb(buffer: np.ndarray, width: int, height: int) -> Image.Image:
    """BT.709 limited range, as the encoder's frames are."""
    y = buffer[:width * height].reshape(height, width).astype(np.float32) - 16
    u = buffer[width * height:width * height * 5 // 4].reshape(height // 2, width // 2).astype(np.float32) - 128
    v = buffer[width * height * 5 // 4:].reshape(height // 2, width // 2).astype(np.float32) - 128
    u, v = (plane.repeat(2, axis=0).repeat(2, axis=1) for plane in (u, v))
    rgb = np.stack([1.164 * y + 1.793 * v, 1.164 * y - 0.213 * u - 0.533 * v, 1.164 * y + 2.112 * u], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
