"""Plain UTF-8 text: what an announcer reads from (a radio text), with Unix line ends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    if layout.document is None or not layout.document.plain:
        raise ValueError("text output needs a radio text")
    path.write_bytes(layout.document.plain.encode("utf-8"))
    return {}
