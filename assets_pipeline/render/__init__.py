"""Output media. A medium is one module here that writes a file from a layout, and its entry in the
media registry (core/media.py, re-exported here), which says what the other stages ask of it: its
extension, which pieces it is made for, how `assets verify` reads it back, how delivery describes it.
`register_medium` adds one at run time, from outside the package.

File names are decided in names.py, without loading the renderers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from assets_pipeline.core.media import MEDIA, Medium, code, medium, register_medium, unregister_medium

if TYPE_CHECKING:
    from assets_pipeline.layout.items import Layout
    from assets_pipeline.plan.jobs import Job

__all__ = ["MEDIA", "Medium", "register_medium", "renderer", "unregister_medium"]


def renderer(media: str) -> Callable[[Job, Layout, Path], dict[str, Any]]:
    """The function that writes a file of `media` and returns the manifest fields of its medium."""
    return code(medium(media).render)
