"""Build: plan every job, render only what is stale, record the manifest as files land.

Nothing is written when any spec is wrong: every job is expanded and every stale one laid out
before the first file is touched. Up-to-date files (same content key) are not rendered again.
The manifest only ever lists files whose bytes it describes, so a build killed at any moment
leaves a consistent record, and the next build finishes the work.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from assets_pipeline.blocks.base import label_shown
from assets_pipeline.core.errors import ErrorList, SpecError, machine_fault
from assets_pipeline.core.i18n import _, ngettext
from assets_pipeline.core.files import RACY_NS
from assets_pipeline.engine import build_stamp, preflight_files
from assets_pipeline.engine.build_record import record_of
from assets_pipeline.engine.combine import combined_paths, write_combined
from assets_pipeline.engine.executors import map_shared, run_dask, run_local
from assets_pipeline.engine.keys import input_files, job_key, job_keys, preflight_key
from assets_pipeline.engine.output import (
    MANIFEST,
    atomic_path,
    inside,
    ManifestRoom,
    output_lock,
    read_manifest,
    remove_temporaries,
    sha256_of,
    write_manifest,
)
from assets_pipeline.layout import preflight
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.piece import lay_out
from assets_pipeline.plan.expand import Selection, expand
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render import MEDIA, renderer
from assets_pipeline.render.entry import Entry
from assets_pipeline.render.names import relative_path
from assets_pipeline.specs.campaigns import check_output_campaign
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.load import load_specs

MANIFEST_EVERY_S = 1.0  # how often a running build records what has landed


@dataclass
class Plan:
    specs: Specs
    jobs: list[Job]


@dataclass
class Failure:
    job: str
    message: str
    paths: list[str] = field(default_factory=list)  # the files of the job that were not written
    traceback: str = ""  # the whole of it, for `assets --debug`


@dataclass
class BuildResult:
    rendered: list[Entry] = field(default_factory=list)
    reused: list[Entry] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    preflight: preflight.Report | None = None
    notes: list[str] = field(default_factory=list)  # blocks dropped, files over their size budget

    @property
    def assets(self) -> list[Entry]:
        return self.rendered + self.reused

    def summary(self) -> str:
        return _("rendered {rendered}, reused {reused}, failed {failed}, {seconds:.1f} s", rendered=len(self.rendered),
                 reused=len(self.reused), failed=len(self.failed), seconds=self.elapsed_s)


def plan(root: Path, selection: Selection = Selection(), campaign: str | Path | None = None) -> Plan:
    specs = load_specs(root, campaign)
    return Plan(specs, expand(specs, selection))


def _lay_out_one(_: None, job: Job) -> Layout | SpecError:
    try:
        return lay_out(job)
    except SpecError as exc:
        return exc


def lay_out_all(jobs: list[Job], workers: int | None = None) -> list[Layout]:
    """Lay out every job, on every core (or `workers` of them); raise every problem at once."""
    errors = ErrorList()
    layouts = []
    for laid_out in map_shared(_lay_out_one, None, [(job,) for job in jobs], workers, chunksize=16):
        if isinstance(laid_out, SpecError):
            errors.add(laid_out)
        else:
            layouts.append(laid_out)
    errors.raise_if_any()
    return layouts


def media_for(job: Job) -> list[str]:
    """The job's media that are made for it, as each medium says (PDF for print formats, MP4 for a clip)."""
    return [m for m in job.media if MEDIA[m].applies(job)]


def render_job(job: Job, layout: Layout, output: Path, media_keys: list[tuple[str, str]]) -> tuple[list[Entry], Failure | None]:
    """Write the given media of one job; runs in a worker. A failure is returned, not raised,
    so that one bad job never stops the others."""
    entries: list[Entry] = []
    try:
        for media, key in media_keys:
            relative = relative_path(job, media)
            final = inside(output, relative)
            if final is None:  # a folder of output/ replaced by a link elsewhere
                raise OSError(_("{path} would be written outside {folder}", path=relative, folder=output))
            with atomic_path(final) as temporary:
                fields = renderer(media)(job, layout, temporary)
                entry = Entry(**{"texts": layout.texts, **fields}, path=relative, unit=job.unit, channel=job.channel,
                              design=job.design, variant=job.variant, format=job.format_id, media=media,
                              bytes=temporary.stat().st_size, sha256=sha256_of(temporary), key=key,
                              dropped=list(layout.dropped) or None, qr=layout.qr_data or None, slide=job.slide or None)
            entries.append(entry)
    except Exception as exc:  # noqa: BLE001 — reported per job, the build goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        missing = [relative_path(job, media) for media, _ in media_keys[len(entries):]]
        fault = machine_fault(exc) if isinstance(exc, OSError) else None  # a full disk, a read-only folder
        said = fault or f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
        return entries, Failure(job.describe(), said, missing, "".join(traceback.format_exception(exc)))
    return entries, None


def planned_paths(root: Path, selection: Selection, campaign: str | Path | None = None) -> list[str]:
    """Every file a build of `selection` would write, in the plan's order (`assets list`)."""
    the_plan = plan(root, selection, campaign)
    return ([relative_path(job, media) for job in the_plan.jobs for media in media_for(job)]
            + combined_paths(the_plan.specs, the_plan.jobs))


def plain_relative(path: str) -> bool:
    """A relative path with no '..', '.' or empty part: joined to output/ it stays inside (links
    aside, which the writer checks)."""
    parts = path.split("/")
    return not path.startswith("/") and all(part not in ("", ".", "..") for part in parts)


def _up_to_date(entry: Entry | None, key: str, output: Path, recorded_ns: int) -> bool:
    """Made with the same key, and unchanged since: a file touched after the manifest was last
    written is hashed again, so an edited or damaged file is made anew."""
    if not entry or entry.key != key:
        return False
    path = output / entry.path if plain_relative(entry.path) else None
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return False
    if path is None or stat is None or stat.st_size != entry.bytes:
        return False
    # the change time too: a copy that keeps the old modification time is still read again; and a file
    # changed within a tick of the clock before the manifest was written could carry its time: read too
    return (max(stat.st_mtime_ns, stat.st_ctime_ns) <= recorded_ns - RACY_NS
            or sha256_of(path) == entry.sha256)


def _cost(job: Job) -> float:
    """Rough work of a job, so the long ones start first and the short ones fill the gaps."""
    width, height = job.format.size
    seconds = getattr(job.format, "duration_s", None) or 0
    return (1 + 25 * seconds) * (width * height if not job.format.is_print else job.format.proof_px ** 2 / 4)


def files_of(job: Job) -> list[str]:
    return [relative_path(job, media) for media in media_for(job)]


def preflight_all(jobs: list[Job], stale: dict[int, Layout], known: preflight_files.KnownFindings, strict: bool,
                  workers: int | None, keys: list[str] | None = None) -> preflight.Report:
    """Preflight every piece: by its preflight key (`keys`, if the caller has them) from what is
    known, else laid out (if it is not already) and judged."""
    keys = keys if keys is not None else [preflight_key(job) for job in jobs]
    found = {i: known.get(key) for i, key in enumerate(keys)}
    missing = [i for i, job in enumerate(jobs) if found[i] is None and i not in stale]
    stale = {**stale, **dict(zip(missing, lay_out_all([jobs[i] for i in missing], workers)))}
    for i, layout in stale.items():
        if found[i] is None:
            found[i] = findings = preflight.check_piece(jobs[i], layout)
            known.put(keys[i], *findings)
    return preflight.Report([preflight.PieceReport(job.describe(), files_of(job), *found[i])  # type: ignore[misc]
                             for i, job in enumerate(jobs)], strict)


def build(root: Path, output: Path, selection: Selection = Selection(), workers: int | None = None, *,
          executor: str = "local", scheduler: str | None = None, media_only: set[str] | None = None,
          strict: bool = False, on_event: Callable[[str, Any], None] | None = None,
          campaign: str | Path | None = None) -> BuildResult:
    """Bring `output/` up to date with the specs for `selection`; see the module's docstring.
    `campaign` is the campaign file (default specs/campaign.yaml)."""
    started = time.monotonic()
    emit = on_event or (lambda kind, data: None)
    now = build_stamp.inputs(root, campaign, selection, media_only, strict)
    with output_lock(output, on_wait=lambda message: emit("wait", message)):
        last = build_stamp.last_build(output, now)
        if last is not None:
            return _as_last_time(output, last, strict, started)
        build_stamp.forget(output)
    the_plan = plan(root, selection, campaign)
    result = BuildResult()

    with output_lock(output, on_wait=lambda message: emit("wait", message)):
        remove_temporaries(output)
        manifest = read_manifest(output)
        check_output_campaign(output, manifest, the_plan.specs.campaign.id)  # never two campaigns in one folder
        old = {e.path: e for e in map(Entry.from_json, (manifest or {}).get("assets", [])) if e is not None}
        try:
            recorded_ns = (output / MANIFEST).stat().st_mtime_ns
        except OSError:
            recorded_ns = 0
        wanted: set[str] = set()
        stale: list[tuple[Job, list[tuple[str, str]]]] = []
        stale_index: list[int] = []
        bases = [job_key(job) for job in the_plan.jobs]  # each job's content key, for its files and its preflight
        for index, job in enumerate(the_plan.jobs):
            todo = []
            keys = job_keys(job, media_for(job), bases[index])
            for media, key in keys.items():
                relative = relative_path(job, media)
                wanted.add(relative)
                if media_only is not None and media not in media_only:
                    continue
                if _up_to_date(old.get(relative), key, output, recorded_ns):
                    result.reused.append(old[relative])
                else:
                    todo.append((media, key))
            if todo:
                stale.append((job, todo))
                stale_index.append(index)
        wanted.update(combined_paths(the_plan.specs, the_plan.jobs))
        layouts = lay_out_all([job for job, _ in stale], workers)  # a bad spec stops here, before any write
        known = preflight_files.KnownFindings(output)
        result.preflight = preflight_all(the_plan.jobs, dict(zip(stale_index, layouts)), known, strict, workers,
                                         [preflight_key(job, base) for job, base in zip(the_plan.jobs, bases)])
        preflight.enforce(result.preflight)  # so does a failed preflight
        known.save()

        kept: dict[str, Entry] = {}
        reused = {entry.path for entry in result.reused}
        for relative, entry in old.items():
            if relative in reused:
                continue
            path = inside(output, relative)
            if path is None:
                continue
            if relative in wanted:
                if media_only is not None and entry.media not in media_only and path.is_file():
                    kept[relative] = entry  # another pass's medium: left as it is
                # otherwise it is about to be rendered again: not listed until it lands
            elif selection.wants(entry.design, entry.unit, entry.channel):
                path.unlink(missing_ok=True)  # a removed design, unit, variant or format
                result.removed.append(relative)
            elif path.is_file():
                kept[relative] = entry
        # the report covers every piece on disk: this build's, and those of other parts kept as they were
        built_here = {p.piece for p in result.preflight.pieces}
        result.preflight.pieces += [p for name, p in preflight_files.previous_pieces(output).items()
                                    if name not in built_here and p.files and all(f in kept for f in p.files)]
        preflight_files.write(result.preflight, output)
        build_record = record_of(the_plan.specs, output).as_json()
        # a manifest whose record is out of date is written again even when no file changes
        recorded = dict(old) if manifest is None or _recorded_fields(manifest) == build_record else None

        room: ManifestRoom | None = None

        def record() -> None:
            nonlocal recorded
            entries = {e.path: e for e in list(kept.values()) + result.assets}
            if entries != recorded:  # a build with nothing to do leaves the record as it is
                if room is None:
                    write_manifest(output, build_record, list(entries.values()))
                else:
                    room.write(output, build_record, list(entries.values()))
                recorded = entries

        if stale or result.removed or recorded is None:
            record()  # stale entries leave the record before their files are touched
        if stale:
            room = ManifestRoom(output, manifest_room(output, old, sum(len(todo) for _, todo in stale)))
        emit("start", {"stale": sum(len(t) for _, t in stale), "reused": len(result.reused),
                       "jobs": len(stale)})
        order = sorted(range(len(stale)), key=lambda i: -_cost(stale[i][0]))
        tasks = [(stale[i][0], layouts[i], output, stale[i][1]) for i in order]
        if executor == "dask":
            fonts = sorted({p for job, _ in stale for p in input_files(job) if p.endswith((".ttf", ".otf"))})
            results = run_dask(render_job, tasks, scheduler, fonts, workers)
        else:
            results = run_local(render_job, tasks, workers or os.cpu_count() or 1)
        last_record = time.monotonic()
        try:
            for entries, failure in results:
                result.rendered.extend(entries)
                for entry in entries:
                    emit("rendered", entry)
                if failure is not None:
                    result.failed.append(failure)
                    emit("failed", failure)
                    for relative in failure.paths:  # the file from before is still there, untouched
                        previous = old.get(relative)
                        path = inside(output, relative)
                        if previous and path is not None and path.is_file() and path.stat().st_size == previous.bytes:
                            kept[relative] = previous
                if time.monotonic() - last_record > MANIFEST_EVERY_S:
                    record()
                    last_record = time.monotonic()
            if media_only is None:
                combined, reused_combined = write_combined(the_plan.specs, the_plan.jobs, result.assets, output, old)
                result.rendered.extend(combined)
                for entry in combined:  # said as the pieces are: the progress adds up to the summary
                    emit("rendered", entry)
                result.reused.extend(reused_combined)
        finally:
            record()  # whatever stopped the loop, what has landed is recorded
            if room is not None:
                room.release()
        if not result.failed:
            build_stamp.record(output, now, sorted(entry.path for entry in result.assets))
    result.notes = build_notes(result.rendered)
    result.elapsed_s = time.monotonic() - started
    return result


def manifest_room(output: Path, old: dict[str, Entry], new_files: int) -> int:
    """Bytes the manifest may need once `new_files` more files are listed: what it holds now, and twice
    its largest entry (a leaflet's or a radio text's texts are long) for each file to come."""
    try:
        now = (output / MANIFEST).stat().st_size
    except OSError:
        now = 0
    largest = max((len(json.dumps(e.as_json(), ensure_ascii=False, indent=2)) for e in old.values()), default=0)
    return now + new_files * max(2048, 2 * largest) + 65536


def _as_last_time(output: Path, last: dict[str, Any], strict: bool, started: float) -> BuildResult:
    """A build with nothing to do: every file the last build answered for, reused."""
    reused = set(last["reused"])
    manifest = read_manifest(output) or {"assets": []}
    pieces = preflight_files.read_pieces(output / preflight_files.REPORT_JSON)
    return BuildResult(reused=[e for e in map(Entry.from_json, manifest["assets"]) if e is not None and e.path in reused],
                       preflight=preflight.Report(pieces, strict), elapsed_s=time.monotonic() - started)


def _recorded_fields(manifest: dict[str, Any] | None) -> dict[str, Any] | None:
    """The build record a manifest holds (all but its generator and assets)."""
    if manifest is None:
        return None
    return {k: v for k, v in manifest.items() if k not in ("generator", "assets")}


def build_notes(assets: list[Entry]) -> list[str]:
    """What a designer should know about a build that succeeded: blocks dropped for lack of room
    (once per design, format and set of blocks) and files over their size budget."""
    dropped: dict[tuple[str | None, str | None, tuple[str, ...]], int] = {}
    for asset in assets:
        if asset.dropped:
            key = (asset.design, asset.format, tuple(asset.dropped))
            dropped[key] = dropped.get(key, 0) + 1
    notes = [ngettext("note: {design} on {format}: dropped {blocks}, the format is too small for them ({count} file)",
                      "note: {design} on {format}: dropped {blocks}, the format is too small for them ({count} files)",
                      count, design=design, format=format_id, blocks=", ".join(map(label_shown, blocks)), count=count)
             for (design, format_id, blocks), count in sorted(dropped.items())]
    for asset in sorted(assets, key=lambda a: a.path):
        if asset.within_budget is False:
            notes.append(_("warning: {path} is {size:.0f} KB, over its budget of {budget} KB", path=asset.path,
                           size=asset.bytes / 1000, budget=asset.budget_kb))
    for asset in assets:
        if asset.encoded_px not in (None, asset.px):
            assert asset.px is not None and asset.encoded_px is not None  # a video's entry has both
            (w, h), (ew, eh) = asset.px, asset.encoded_px
            notes.append(_("note: {path}: the {width}×{height} px panel is encoded as {encoded_width}×{encoded_height} "
                           "(H.264 yuv420p needs even sides; the extra row/column is background, not a resize)",
                           path=asset.path, width=w, height=h, encoded_width=ew, encoded_height=eh))
    return notes
