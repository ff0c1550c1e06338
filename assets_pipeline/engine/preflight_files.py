"""The preflight report as files, and the findings known by content key.

- `output/preflight.json` (machine-readable) and `output/preflight.txt` (for people): the build's
  report on the pieces in output/.
- `output/preflight-check.json` and `.txt`: what the last `assets check` found. A check never
  overwrites the build's report: it judges the specs as they are, the build's report the files.
- `output/.preflight-cache.json`: each piece's findings under its preflight key (engine/keys.py), so
  an unchanged piece is never laid out again to be judged, and a spec put back as it was finds its
  old findings again whatever ran in between.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assets_pipeline.engine.output import write_bytes
from assets_pipeline.layout.preflight import Finding, PieceReport, Report

REPORT_JSON = "preflight.json"
REPORT_TEXT = "preflight.txt"
CHECK_JSON = "preflight-check.json"
CHECK_TEXT = "preflight-check.txt"
CACHE = ".preflight-cache.json"
CACHE_AT_LEAST = 20_000  # entries kept besides those of the last run: a few campaigns' worth of edits


def write(report: Report, output: Path, *, by_check: bool = False) -> None:
    """Both reports, each written atomically, and only when they say something new (a build with
    nothing to do leaves output/ as it was)."""
    text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    names = (CHECK_JSON, CHECK_TEXT) if by_check else (REPORT_JSON, REPORT_TEXT)
    for name, data in zip(names, (text.encode("utf-8"), report.human().encode("utf-8"))):
        try:
            if (output / name).read_bytes() == data:
                continue
        except OSError:
            pass
        write_bytes(output / name, data)


def _piece(data: dict[str, Any]) -> PieceReport:
    return PieceReport(data["piece"], list(data["files"]), [Finding.from_json(f) for f in data["findings"]],
                       dict(data.get("measures", {})))


def read_pieces(path: Path) -> list[PieceReport]:
    """The piece reports of a report file; raises OSError, ValueError, KeyError or TypeError."""
    return [_piece(p) for p in json.loads(path.read_text(encoding="utf-8"))["pieces"]]


def previous_pieces(output: Path) -> dict[str, PieceReport]:
    """The piece reports of the last build, by piece: those of the files other builds left."""
    try:
        return {p.piece: p for p in read_pieces(output / REPORT_JSON)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


class KnownFindings:
    """Findings and measures by preflight key, read from and saved to `output/.preflight-cache.json`."""

    def __init__(self, output: Path):
        self.path = output / CACHE
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.known: dict[str, Any] = known if isinstance(known, dict) else {}
        self.used: dict[str, Any] = {}

    def get(self, key: str) -> tuple[list[Finding], dict[str, Any]] | None:
        entry = self.used.get(key) or self.known.get(key)
        try:
            found = [Finding.from_json(f) for f in entry["findings"]], dict(entry["measures"])  # type: ignore[index]
        except (KeyError, TypeError, ValueError):
            return None  # none, or not of this tool
        self.used[key] = entry
        return found

    def put(self, key: str, findings: list[Finding], measures: dict[str, Any]) -> None:
        # without the message as said now: a finding is said in the language of whoever reads it
        self.used[key] = {"findings": [{k: v for k, v in f.as_json().items() if k != "message"} for f in findings],
                          "measures": measures}

    def save(self) -> None:
        """The entries of this run first, then older ones up to a bound."""
        kept = dict(self.used)
        bound = max(CACHE_AT_LEAST, 2 * len(kept))
        for key, entry in self.known.items():
            if len(kept) >= bound:
                break
            kept.setdefault(key, entry)
        if kept != self.known:
            write_bytes(self.path, json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
            self.known = kept
