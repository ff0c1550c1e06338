"""`assets all` (`make all`): build, bundle, report and verify what changed, in one process.

A run whose inputs (specs, fonts, code) and outputs are those of the last complete run does nothing
and says so; any other run forgets that stamp first, so a run stopped half-way never looks complete.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from assets_pipeline.core.i18n import _, ngettext
from assets_pipeline.engine import uptodate
from assets_pipeline.engine.output import output_lock


@dataclass
class Everything:
    up_to_date: dict[str, Any] | None = None  # the last run's summary, when nothing changed since
    checked: int = 0  # files read back against the manifest
    problems: list[str] = field(default_factory=list)


def said_when_up_to_date(summary: dict[str, Any], output: Path) -> tuple[str, str | None]:
    """What `assets all` prints when nothing changed: a line for stdout, and one for stderr or None."""
    said = _("nothing changed since the last run: {count} files up to date in {folder}", count=summary["files"],
             folder=output)
    warned = preflight_warnings(summary["warnings"], output / "preflight.txt") if summary.get("warnings") else None
    return said, warned


def preflight_warnings(count: int, report: Path) -> str:
    """The line a build or `assets all` prints when the preflight warned."""
    return ngettext("preflight: {count} warning (assets check lists them; report in {report})",
                    "preflight: {count} warnings (assets check lists them; report in {report})", count, count=count,
                    report=report)


def step_progress(step: str, say: Callable[[str], None]) -> Callable[[int, int], None]:
    """A long step's progress as lines for `say`: at each tenth of the way and at the end, so that a
    log stays short and a terminal never sits silent for minutes."""
    last_tenth = -1

    def heard(done: int, total: int) -> None:
        nonlocal last_tenth
        tenth = done * 10 // max(total, 1)
        if tenth != last_tenth or done == total:
            last_tenth = tenth
            say(_("{step}: {done} of {total}", step=step, done=done, total=total))
    return heard


def accepted_warnings(count: int) -> str:
    """The line a build prints once when it rendered pieces whose warnings their designs accept."""
    return ngettext("preflight: {count} accepted warning (the design says why; assets check lists it)",
                    "preflight: {count} accepted warnings (the designs say why; assets check lists them)", count,
                    count=count)


def last_run_if_current(root: Path, output: Path, campaign: str | None = None,
                        on_wait: Callable[[str], None] | None = None) -> dict[str, Any] | None:
    """The last clean run's summary if nothing has changed since (read under the output's lock)."""
    now = uptodate.inputs(root, campaign)
    with output_lock(output, on_wait=on_wait):
        stamp = uptodate.current(output, now)
    return stamp["summary"] if stamp is not None else None


def make_everything(root: Path, output: Path, build: Callable[[], Any], campaign: str | None = None,
                    on_wait: Callable[[str], None] | None = None,
                    say: Callable[[str], None] = lambda line: None) -> Everything:
    """`build` runs the build (the caller shows its progress) and returns its BuildResult; `say` hears
    what each long step after it is doing and what it did, so no stretch of minutes is silent."""
    now = uptodate.inputs(root, campaign)
    with output_lock(output, on_wait=on_wait):
        stamp = uptodate.current(output, now)
        if stamp is None:
            uptodate.forget(output)
    if stamp is not None:
        return Everything(up_to_date=stamp["summary"])
    # loaded only now: a run with nothing to do answers from the stamp without them
    from assets_pipeline.delivery.bundles import bundle_all
    from assets_pipeline.delivery.report import write_report
    from assets_pipeline.engine.verify import verify

    built = build()
    say(_("bundles: the units' zips, proof sheets and download page…"))
    started = time.monotonic()
    bundled = bundle_all(output, on_progress=step_progress(_("bundles"), say))  # what the build recorded
    say(_("bundles: {packed} of {count} packed again, {seconds:.1f} s", packed=bundled.packed,
          count=len(bundled.bundles), seconds=time.monotonic() - started))
    write_report(output)
    say(_("verify: reading back the files that changed…"))
    started = time.monotonic()
    checked, problems = verify(output, changed_only=True, on_progress=step_progress(_("verify"), say))
    say(_("verify: {count} files checked against the manifest, {seconds:.1f} s", count=checked,
          seconds=time.monotonic() - started))
    if not problems:
        warnings = built.preflight.count("warning") if built.preflight else 0
        with output_lock(output):
            uptodate.record(output, now, {"files": checked, "warnings": warnings})
    return Everything(None, checked, problems)
