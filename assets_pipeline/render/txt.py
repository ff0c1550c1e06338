"""Plain text: what an announcer reads from (a radio text).

Written as README.txt is, for the commune office's Windows computer: UTF-8 with a byte-order mark
and CRLF line ends, so that Notepad of any version shows the Vietnamese and the paragraphs as they
are; without the mark an older Notepad reads the bytes as the ANSI code page, and a bare LF runs
every line together.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job

BOM = "\ufeff"


def notepad_bytes(text: str) -> bytes:
    """`text` as UTF-8 with a byte-order mark and CRLF line ends."""
    lines = text.replace("\r\n", "\n").split("\n")
    return (BOM + "\r\n".join(lines)).encode("utf-8")


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    if layout.document is None or not layout.document.plain:
        raise ValueError("text output needs a radio text")
    path.write_bytes(notepad_bytes(layout.document.plain))
    return {}
