"""Output media. Each renderer is one module exposing RENDERER; adding a medium touches that module and this registry.

File names are decided in names.py, without loading the renderers.
"""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

if TYPE_CHECKING:
    from assets_pipeline.layout.items import Layout
    from assets_pipeline.plan.jobs import Job

EXTENSIONS = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "mp4": "mp4", "txt": "txt"}


@dataclass(frozen=True)
class Renderer:
    media: str
    # writes the file and returns the manifest fields that belong to this medium
    render: Callable[[Job, Layout, Path], dict[str, Any]]


@functools.cache
def renderer(media: str) -> Renderer:
    if media not in EXTENSIONS:
        raise KeyError(f"no renderer for {media!r}")
    return importlib.import_module(f"assets_pipeline.render.{media}").RENDERER
