"""Output media. Each renderer is one module exposing RENDERER; adding a medium touches that module and this registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from assets_pipeline.expand import Job
from assets_pipeline.layout import Layout


@dataclass(frozen=True)
class Renderer:
    media: str
    file_name: Callable[[Job], str]
    # writes the file and returns the manifest fields that belong to this medium
    render: Callable[[Job, Layout, Path], dict[str, Any]]


def renderers() -> dict[str, Renderer]:
    from assets_pipeline.render import jpeg, mp4, pdf, png

    return {r.media: r for r in (pdf.RENDERER, png.RENDERER, jpeg.RENDERER, mp4.RENDERER)}
