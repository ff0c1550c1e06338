"""`assets check`: validate and preflight every piece without rendering, as fast as a designer types.

Three things make it fast, all keyed by content, so that none can answer for specs that changed:
- a piece's findings are known by its preflight key (engine/preflight_files.py): only pieces whose
  key is new are laid out;
- a design's pieces (their preflight keys, names and files) are known by the content of its own file
  and of everything else the pieces are made of (every other file under specs/ but the designs, the
  fonts, the code and libraries, the settings, the selection): only designs edited since are expanded
  and keyed again;
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
from assets_pipeline.engine.keys import library_versions
from assets_pipeline.engine.output import read_manifest, write_bytes
from assets_pipeline.layout import preflight
from assets_pipeline.plan.expand import Selection

STAMP = ".check-stamp.json"
DESIGNS = ".check-designs.json"
DESIGN_FILE = "designs/{}.yaml"


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
    from assets_pipeline.specs.campaigns import check_output_campaign  # loaded only when the stamp cannot answer

    now = _inputs(root, selection, strict, campaign)
    checked = _last_check(output, now)
    if checked is None:
        from assets_pipeline.specs.load import load_specs

        specs = load_specs(root, campaign)
        check_output_campaign(output, read_manifest(output), specs.campaign.id)
        known = preflight_files.KnownFindings(output)
        report = _preflight(specs, selection, now, known, strict, output)
        output.mkdir(parents=True, exist_ok=True)
        known.save()  # findings are facts of their key, errors too: a fix and a revert find them again
        preflight_files.write(report, output, by_check=True)
        checked = Checked(len(specs.designs), len(report.pieces), report)
        stamp = {"inputs": now, "designs": checked.designs, "report": _digest(output / preflight_files.CHECK_JSON)}
        write_bytes(output / STAMP, json.dumps(stamp, ensure_ascii=False).encode("utf-8"))
    preflight.enforce(checked.report)
    return checked


def _design_digests(specs, now: dict[str, Any]) -> dict[str, str]:
    """Each design's pieces are a function of its own file and of everything in `now` but the designs."""
    designs = {DESIGN_FILE.format(d) for d in specs.designs}
    shared = json.dumps({**now, "specs": {k: v for k, v in now["specs"].items() if k not in designs},
                         "libraries": library_versions()}, sort_keys=True, ensure_ascii=False)
    return {d: hashlib.sha256(f"{shared}\n{now['specs'].get(DESIGN_FILE.format(d))}".encode()).hexdigest()
            for d in specs.designs}


def _preflight(specs, selection: Selection, now: dict[str, Any], known: preflight_files.KnownFindings,
               strict: bool, output: Path) -> preflight.Report:
    """Every piece's findings: a design unchanged since the last check, whose findings are all known,
    is not expanded; the others are expanded, keyed, and laid out where their keys are new."""
    from assets_pipeline.core.errors import ErrorList, SpecError
    from assets_pipeline.core.limits import LIMITS
    from assets_pipeline.engine.build import files_of, preflight_all
    from assets_pipeline.engine.keys import preflight_key
    from assets_pipeline.plan.expand import check_selection, expand, too_many_pieces
    from assets_pipeline.plan.jobs import Job

    check_selection(specs, selection)
    try:
        cached = json.loads((output / DESIGNS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cached = {}
    digests, errors = _design_digests(specs, now), ErrorList()
    wanted = [d for d in specs.designs if selection.design in (None, d)]
    pieces: dict[str, list[preflight.PieceReport]] = {}
    remembered: dict[str, Any] = {}
    expanded: list[tuple[str, list[Job]]] = []
    for design in wanted:
        entry = cached.get(design) if isinstance(cached, dict) else None
        if isinstance(entry, dict) and entry.get("digest") == digests[design]:
            found = [(known.get(key), name, files) for key, name, files in entry["pieces"]]
            if all(f is not None for f, _, _ in found):
                pieces[design] = [preflight.PieceReport(name, files, *f) for f, name, files in found]  # type: ignore[misc]
                remembered[design] = entry
                continue
        try:
            expanded.append((design, expand(specs, Selection(selection.channel, selection.unit, design))))
        except SpecError as exc:
            errors.add(exc)
    errors.raise_if_any()
    if sum(map(len, pieces.values())) + sum(len(jobs) for _, jobs in expanded) > LIMITS.max_jobs:
        raise SpecError(too_many_pieces())
    jobs = [job for _, some in expanded for job in some]
    keys = [preflight_key(job) for job in jobs]
    judged = iter(zip(keys, jobs, preflight_all(jobs, {}, known, strict, None, keys).pieces))  # laid out together
    for design, some in expanded:
        mine = [next(judged) for _ in some]
        pieces[design] = [piece for _, _, piece in mine]
        remembered[design] = {"digest": digests[design],
                              "pieces": [[key, job.describe(), files_of(job)] for key, job, _ in mine]}
    if remembered != cached:
        write_bytes(output / DESIGNS, json.dumps(remembered, ensure_ascii=False).encode("utf-8"))
    return preflight.Report([p for design in wanted for p in pieces[design]], strict)
