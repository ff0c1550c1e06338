"""`assets results collect`: read the returns, then write output/results/ anew from them.

Everything under results/ is made again on every run from the folder of returns, which is never
written to: a bad file that arrives takes nothing away from what was collected, and a rerun after a
unit sends its form again is all it takes. The files are written each whole or not at all (a temporary
renamed over the old), under the output folder's lock, and files of an earlier run that this one does
not make (a district no longer in the units file) are removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from assets_pipeline.core.errors import SpecError, Where, display_path
from assets_pipeline.core.i18n import _
from assets_pipeline.engine.output import output_lock, remove_temporaries, write_bytes
from assets_pipeline.render.txt import notepad_bytes
from assets_pipeline.results.collect import Collection, collect
from assets_pipeline.results.report import report_docx, report_of, report_pdf
from assets_pipeline.results.tables import chase_list, numeric_form, scopes, totals_csv, totals_data
from assets_pipeline.specs.load import load_specs

FOLDER = "results"
NUMERIC, CHASE, PROBLEMS, TOTALS, REPORT = "tong-hop.xlsx", "don-doc", "kiem-tra.txt", "tong-hop.json", "bao-cao"
TOTALS_CSV = "ket-qua.csv"  # in the form of specs/ket-qua.csv (specs/totals.py)


@dataclass
class Collected:
    collection: Collection
    expected: int  # units that return a form
    written: list[Path] = field(default_factory=list)


def collect_results(root: Path, returns: Path, output: Path, campaign: str | None, today: dt.date,
                    on_wait=None, update_specs: bool = False) -> Collected:
    shown = display_path(returns, Path.cwd()) if returns.resolve().is_relative_to(Path.cwd().resolve()) else str(returns)
    if not returns.is_dir():
        raise SpecError(_("not a folder of returns"), Where(shown))
    specs = load_specs(root, campaign)
    if not specs.indicators:
        raise SpecError(_("the campaign asks no results: specs/{file} is missing", file=specs.campaign.indicators))
    collection = collect(specs, returns, shown)
    named = specs.campaign.fonts
    # what no line of a report breaks inside: the day's name, the campaign's phrases, every unit's name
    keep_together = (specs.campaign.title, *specs.campaign.phrases, *(u.shown for u in specs.units))
    regular, bold = (str(specs.root / named.get(key, next(iter(named.values())))) for key in ("regular", "bold"))
    files: dict[str, bytes] = {}
    every = scopes(specs)
    for scope in every:
        prefix = f"{scope.folder}/" if scope.folder else ""
        files[prefix + NUMERIC] = numeric_form(specs, collection, scope, today)
        files[prefix + CHASE + ".xlsx"], files[prefix + CHASE + ".csv"] = chase_list(specs, collection, scope, today)
        files[prefix + TOTALS] = totals_data(specs, collection, scope, today)
        report = report_of(specs, collection, scope, today)
        files[prefix + REPORT + ".docx"] = report_docx(report, dt.datetime.combine(today, dt.time()))
        files[prefix + REPORT + ".pdf"] = report_pdf(report, regular, bold, keep_together)
    files[PROBLEMS] = notepad_bytes("".join(f"{p}\n" for p in collection.problems))
    files[TOTALS_CSV] = totals_csv(specs, collection, every)
    found = Collected(collection, len(every[0].units))
    output.mkdir(parents=True, exist_ok=True)
    with output_lock(output, on_wait):
        remove_temporaries(output)
        folder = output / FOLDER
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, data)
            found.written.append(path)
        if update_specs:  # what the infographic draws from (specs/designs/ket-qua.yaml)
            target = root / "specs" / specs.campaign.results
            write_bytes(target, files[TOTALS_CSV])
            found.written.append(target)
        kept = set(found.written)
        for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            if path.is_file() and path not in kept:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return found
