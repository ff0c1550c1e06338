"""`assets build` with nothing to do finds out from a stamp, without planning or keying a piece.

Loading the specs, expanding and keying the default campaign's 4,103 files takes seconds. Yet a
build's content keys are a function of what it reads: every file under specs/ and fonts/ (by
content), the code, the drawing libraries, the ASSETS_* settings, the campaign and the selection.
So a build that ends with nothing failed records those with the size, times and inode of every file
it answers for (the manifest, the preflight report, each file the manifest lists, the document fonts
it keeps). A build that finds them all as they were would reuse every file: it answers from the
stamp. Any difference, and the build decides by content as always.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from assets_pipeline.core.files import RACY_NS, file_stamp
from assets_pipeline.engine import preflight_files, uptodate
from assets_pipeline.engine.keys import library_versions
from assets_pipeline.engine.output import MANIFEST, read_manifest, write_bytes
from assets_pipeline.plan.expand import Selection

STAMP = ".build-stamp.json"


def inputs(root: Path, campaign: str | Path | None, selection: Selection, media_only: set[str] | None,
           strict: bool) -> dict[str, Any]:
    return {**uptodate.inputs(root, None if campaign is None else str(campaign)), "libraries": library_versions(),
            "selection": [selection.channel, selection.unit, selection.design],
            "media_only": sorted(media_only) if media_only is not None else None, "strict": strict}


def _files(output: Path) -> dict[str, list[int]] | None:
    manifest = read_manifest(output)
    if manifest is None:
        return None
    fonts = manifest.get("fonts")
    paths = [MANIFEST, preflight_files.REPORT_JSON, preflight_files.REPORT_TEXT,
             *(entry["path"] for entry in manifest["assets"]),
             *(font["path"] for font in (fonts.values() if isinstance(fonts, dict) else []) if isinstance(font, dict))]
    found = {}
    for path in paths:
        try:
            found[path] = list(file_stamp((output / path).stat()))
        except (OSError, TypeError, ValueError):
            return None
    return found


def last_build(output: Path, now: dict[str, Any]) -> dict[str, Any] | None:
    """What the last clean build answered, if it was of the same inputs and left files as they are."""
    try:
        stamp = json.loads((output / STAMP).read_text(encoding="utf-8"))
        if stamp["inputs"] == now and stamp["files"] == _files(output):
            return stamp
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def forget(output: Path) -> None:
    (output / STAMP).unlink(missing_ok=True)


def record(output: Path, now: dict[str, Any], reused: list[str]) -> None:
    """After a build with nothing failed: `now` as taken before it, the files as it left them, and the
    files it answers for (all reused, next time)."""
    files = _files(output)
    # a file written within a tick of the file system's clock of now could be written again keeping its
    # times: the stamp waits for a build that finds every file older (the next one with nothing to do)
    if files is not None and time.time_ns() - max(max(s[3], s[4]) for s in files.values()) >= RACY_NS:
        stamp = {"inputs": now, "files": files, "reused": reused}
        write_bytes(output / STAMP, json.dumps(stamp, ensure_ascii=False).encode("utf-8"))
