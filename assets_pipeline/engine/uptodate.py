"""`assets all` with nothing to do finds out from a stamp, without loading a spec.

The build, the bundles and the report each know by content keys what is current, but asking them
means loading every spec and expanding every piece. So a run of `assets all` that ends cleanly
records a stamp: the size and SHA-256 of every file under specs/ and fonts/ (a few hundred kB, read in
milliseconds, so a spec saved without a change is no change), the code, the ASSETS_* settings, and the
size and times (modification and change) of every file it left under output/. The next run that finds
the same stamp has nothing to do. Any difference (a spec edited, a font replaced, a file of output/ edited or removed) and the
full run decides by content what to make again.
"""

from __future__ import annotations

import json
import os
from stat import S_ISREG
from pathlib import Path
from typing import Any

from assets_pipeline.core.files import content_digest
from assets_pipeline.engine.keys import extensions_fingerprint, package_fingerprint
from assets_pipeline.engine.output import write_bytes

STAMP = ".up-to-date.json"
# output/studio/ holds the pictures `assets studio` draws as a designer saves: never the build's
STUDIO = "studio"


def _files(folder: Path, leave_out: str | None = None, by_content: bool = False,
           leave_out_folder: str | None = None) -> dict[str, list[Any]]:
    """Every file under `folder` (links followed to what they point at; linked folders are not
    entered, as os.walk does not): size and times, or size and SHA-256 `by_content`.
    Walked with scandir and names joined by hand: for some 7,500 outputs, os.walk and relpath were
    most of a run that has nothing to do."""
    found = {}
    pending = [(str(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            relative = prefix + entry.name
            try:
                if entry.is_dir():
                    if not entry.is_symlink() and relative != leave_out_folder:
                        pending.append((entry.path, relative + "/"))
                    continue
                if relative == leave_out:
                    continue
                stat = entry.stat()
                # a pipe or a device is never read here: it would keep the run waiting
                by_bytes = by_content and S_ISREG(stat.st_mode)
                found[relative] = ([stat.st_size, content_digest(entry.path)] if by_bytes
                                   else [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns])
            except OSError:
                continue  # a dangling link (or a file that cannot be read): nothing the build could read
    return found


def inputs(root: Path, campaign: str | None) -> dict[str, Any]:
    """What `assets all` reads, besides output/ itself."""
    return {
        "root": str(root.resolve()),
        "campaign": campaign,
        "code": package_fingerprint() + extensions_fingerprint(),
        # the language of the messages changes no file a build writes: a run in another language has nothing to do
        "settings": {k: v for k, v in sorted(os.environ.items()) if k.startswith("ASSETS_") and k != "ASSETS_LANG"},
        "specs": _files(root / "specs", by_content=True),
        "fonts": _files(root / "fonts", by_content=True),
    }


def outputs(output: Path) -> dict[str, list[int]]:
    return _files(output, leave_out=STAMP, leave_out_folder=STUDIO)


def current(output: Path, now: dict[str, Any]) -> dict[str, Any] | None:
    """The stamp of the last clean run, if nothing has changed since; else None."""
    try:
        stamp = json.loads((output / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("inputs") != now or stamp.get("outputs") != outputs(output):
        return None
    return stamp


def forget(output: Path) -> None:
    (output / STAMP).unlink(missing_ok=True)


def record(output: Path, now: dict[str, Any], summary: dict[str, Any]) -> None:
    """After a clean run: `now` as taken before it, output/ as it left it."""
    stamp = {"inputs": now, "outputs": outputs(output), "summary": summary}
    write_bytes(output / STAMP, json.dumps(stamp, ensure_ascii=False).encode("utf-8"))
