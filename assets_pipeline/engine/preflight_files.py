"""The preflight report as files: `output/preflight.json` (machine-readable) and `output/preflight.txt` (for people)."""

from __future__ import annotations

import json
from pathlib import Path

from assets_pipeline.engine.output import write_bytes
from assets_pipeline.layout.preflight import Finding, PieceReport, Report

REPORT_JSON = "preflight.json"
REPORT_TEXT = "preflight.txt"


def write(report: Report, output: Path) -> None:
    """Both reports, each written atomically."""
    text = json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n"
    write_bytes(output / REPORT_JSON, text.encode("utf-8"))
    write_bytes(output / REPORT_TEXT, report.human().encode("utf-8"))



def previous_pieces(output: Path) -> dict[str, PieceReport]:
    """The piece reports of the last build, by piece: an unchanged piece has unchanged findings."""
    try:
        data = json.loads((output / REPORT_JSON).read_text(encoding="utf-8"))
        return {p["piece"]: PieceReport(p["piece"], list(p["files"]), [Finding(**f) for f in p["findings"]],
                                        dict(p.get("measures", {})))
                for p in data["pieces"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
