"""What the studio draws of one piece: a picture with its bleed, where its trim, safe area and preflight
findings lie on it, and a video format's loop as a small, quickly encoded proof.

These run in the studio's worker processes, one piece each, so that a design's formats are drawn side
by side on every core; they return plain data, which crosses the process boundary as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from assets_pipeline.core.errors import AssetsError
from assets_pipeline.core.geometry import Box
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.piece import lay_out
from assets_pipeline.layout.place import area_box
from assets_pipeline.layout.preflight import check_piece
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render import mp4, png

PROOF_PX = 640  # long side of the first, fast picture: enough for a card in the grid
LOOP_PX = 640  # long side of a video's proof loop


def draw_picture(job: Job, path: str, long_px: int | None) -> dict[str, Any]:
    """The piece at `long_px` on its long side with its bleed (None: the format's own proof size, a screen
    format at 1:1), written to `path`. A spec error is returned as its line, never raised."""
    try:
        layout = lay_out(job)
        geometry: dict[str, Any]
        if layout.document is not None:
            scale = long_px / max(layout.width, layout.height) if long_px else png.pixels_per_unit(job)
            image, geometry = png.printed_pages(png.document_pages(layout, scale), job), {}
        else:
            image, geometry = _with_bleed(job, layout, long_px)
        image.save(path, format="PNG", compress_level=1)
        return {"px": list(image.size), **geometry}
    except AssetsError as exc:
        return {"error": str(exc)}


def _with_bleed(job: Job, layout: Layout, long_px: int | None) -> tuple[Image.Image, dict[str, Any]]:
    """The bleed box drawn: the trim area as every renderer draws it, with the fills that run past it."""
    bleed = layout.bleed
    outer = (layout.width + 2 * bleed, layout.height + 2 * bleed)
    if long_px is None:
        scale = png.pixels_per_unit(job)
    else:
        scale = long_px / max(outer)
        if not job.format.is_print:
            scale = min(scale, 1.0)  # a screen format is never drawn larger than its pixels
    layout, press = png.as_printed(layout, job)  # a print piece as its press prints it
    image = png.draw(layout, scale, press)
    if bleed:
        trim = image
        edge = round(bleed * scale)
        image = Image.new("RGB", (trim.width + 2 * edge, trim.height + 2 * edge), layout.background)
        pen = png.PngPen(image, scale)
        for item in layout.items:
            if item.fill is not None:
                pen.rect(Box(item.box.x + bleed, item.box.y + bleed, item.box.width, item.box.height), item.fill)
        image.paste(trim, (edge, edge))

    def fraction(box: Box) -> list[float]:
        return [round((box.x + bleed) / outer[0], 5), round((box.y + bleed) / outer[1], 5),
                round(box.width / outer[0], 5), round(box.height / outer[1], 5)]

    boxes: dict[str, list[list[float]]] = {}  # where a finding points: the ink of the items of its line
    for item in layout.items:
        where = getattr(item, "where", None)
        if where is not None:
            boxes.setdefault(str(where), []).append(fraction(item.ink))
    findings, _ = check_piece(job, layout)
    return image, {
        "trim": fraction(Box(0, 0, layout.width, layout.height)),
        "safe": fraction(area_box(job, "safe")),
        "findings": [{"level": f.level, "rule": f.rule, "where": f.where, "message": f.message + f.reason,
                      "boxes": boxes.get(f.where, [])} for f in findings],
    }


def encode_loop(job: Job, path: str) -> dict[str, Any]:
    """The whole loop, small and fast (x264 ultrafast): to see its timing and motion, not its quality."""
    try:
        layout = lay_out(job)
        panel = (int(layout.width), int(layout.height))
        frames = mp4.Frames(layout.clip, panel)
        scale = LOOP_PX / max(panel)
        size = (2 * round(panel[0] * scale / 2), 2 * round(panel[1] * scale / 2))
        command = [mp4.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostats", "-y",
                   *mp4.raw_input_args(frames.width, frames.height, layout.clip.fps, "pipe:0"),
                   "-vf", f"crop={panel[0]}:{panel[1]}:0:0,scale={size[0]}:{size[1]}", "-an",
                   "-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p",
                   "-movflags", "+faststart", "-f", "mp4", path]
        failed = mp4.pipe_to_ffmpeg(command, frames)
        if failed is not None:
            return {"error": f"{job.describe()}: ffmpeg: {failed[1]}"}
        return {"px": list(size), "seconds": round(layout.clip.frames / layout.clip.fps, 2)}
    except AssetsError as exc:
        return {"error": str(exc)}


def remove_stale(folder: Path, keep: set[str]) -> None:
    """The studio's pictures of pieces no longer shown: each save makes new ones."""
    for path in folder.glob("*"):
        if path.name not in keep and path.suffix in (".png", ".mp4"):
            path.unlink(missing_ok=True)
