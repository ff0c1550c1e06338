"""Output media. Each renderer is one module exposing RENDERER; adding a medium touches that module and this registry.

File names are decided here, without loading the renderers: a build with nothing to render names
every file and never needs numpy, reportlab's canvas or ffmpeg.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from assets_pipeline.expand import Job
    from assets_pipeline.layout import Layout

EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "mp4": "mp4"}


@dataclass(frozen=True)
class Renderer:
    media: str
    # writes the file and returns the manifest fields that belong to this medium
    render: Callable[[Job, Layout, Path], dict[str, Any]]


def file_name(job: Job, media: str) -> str:
    """`<design>-<variant>__<format>.<ext>`; a print PDF too large for one page is 1:10 artwork and says so."""
    suffix = ""
    if media == "pdf":
        from assets_pipeline.render.pdf import scale_for

        suffix = "" if scale_for(job) == 1 else "_1-10"
    return f"{job.stem}{suffix}.{EXTENSIONS[media]}"


@functools.cache
def renderer(media: str) -> Renderer:
    if media not in EXTENSIONS:
        raise KeyError(f"no renderer for {media!r}")
    return importlib.import_module(f"assets_pipeline.render.{media}").RENDERER
