"""`assets check`: validate and preflight every piece without rendering, as fast as a designer types.

Two things make it fast, both keyed by content, so that neither can answer for specs that changed:
- a piece's findings are known by its preflight key (engine/preflight_files.py): only pieces whose
  key is new are laid out;
- a check whose inputs (every file under specs/ and fonts/ by content, the code and libraries, the
  campaign, the selection, --strict) are those of the last check answers from that check's report,
  without loading a spec.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets_pipeline.engine import preflight_files, uptodate
from assets_pipeline.engine.output import read_manifest, write_bytes
from assets_pipeline.layout import preflight
from assets_pipeline.plan.expand import Selection

STAMP = ".check-stamp.json"


@dataclass
class Checked:
    designs: int
    pieces: int
    report: preflight.Report


def _inputs(root: Path, selection: Selection, strict: bool, campaign: str | Path | None) -> dict[str, Any]:
    return {**uptodate.inputs(root, None if campaign is None else str(campaign)),
            "selection": [selection.channel, selection.unit, selection.design], "strict": strict}


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _last_check(output: Path, now: dict[str, Any]) -> Checked | None:
    """The last check, if it was of the same inputs and its report is as it wrote it."""
    try:
        stamp = json.loads((output / STAMP).read_text(encoding="utf-8"))
        if stamp["inputs"] != now or stamp["report"] != _digest(output / preflight_files.CHECK_JSON):
            return None
        pieces = preflight_files.read_pieces(output / preflight_files.CHECK_JSON)
        return Checked(stamp["designs"], len(pieces), preflight.Report(pieces, now["strict"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check(root: Path, output: Path, selection: Selection = Selection(), strict: bool = False,
          campaign: str | Path | None = None) -> Checked:
    """Validate, lay out what is new and preflight everything; write the check's report (never the
    build's); raise every problem at once."""
    from assets_pipeline.engine.build import plan, preflight_all  # loaded only when the stamp cannot answer
    from assets_pipeline.specs.campaigns import check_output_campaign

    now = _inputs(root, selection, strict, campaign)
    checked = _last_check(output, now)
    if checked is None:
        the_plan = plan(root, selection, campaign)
        check_output_campaign(output, read_manifest(output), the_plan.specs.campaign.id)
        known = preflight_files.KnownFindings(output)
        report = preflight_all(the_plan.jobs, {}, known, strict, None)
        output.mkdir(parents=True, exist_ok=True)
        known.save()  # findings are facts of their key, errors too: a fix and a revert find them again
        preflight_files.write(report, output, by_check=True)
        checked = Checked(len(the_plan.specs.designs), len(the_plan.jobs), report)
        stamp = {"inputs": now, "designs": checked.designs, "report": _digest(output / preflight_files.CHECK_JSON)}
        write_bytes(output / STAMP, json.dumps(stamp, ensure_ascii=False).encode("utf-8"))
    preflight.enforce(checked.report)
    return checked
