"""Build: plan every job (nothing is written if any spec is wrong), render, record the manifest."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from assets_pipeline.errors import ErrorList, SpecError
from assets_pipeline.expand import Job, Selection, expand
from assets_pipeline.layout import Layout, lay_out
from assets_pipeline.output import atomic_path, inside, read_manifest, sha256_of, write_manifest
from assets_pipeline.render import renderers
from assets_pipeline.specs import Specs, load_specs


@dataclass
class Plan:
    specs: Specs
    jobs: list[Job]
    layouts: list[Layout]


@dataclass
class BuildResult:
    assets: list[dict[str, Any]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0


def plan(root: Path, selection: Selection = Selection()) -> Plan:
    """Load, validate, expand and lay out everything; raise every problem at once."""
    specs = load_specs(root)
    jobs = expand(specs, selection)
    errors = ErrorList()
    layouts = []
    for job in jobs:
        try:
            layouts.append(lay_out(job))
        except SpecError as exc:
            errors.add(exc)
    errors.raise_if_any()
    return Plan(specs, jobs, layouts)


def media_for(job: Job) -> list[str]:
    # PDF is a print medium: a screen format gets its raster only; MP4 needs a video's clip
    return [m for m in job.media if (m != "pdf" or job.format.is_print) and (m != "mp4" or job.clip is not None)]


def relative_path(job: Job, media: str) -> str:
    return f"{job.unit}/{job.channel}/{renderers()[media].file_name(job)}"


def render_job(job: Job, layout: Layout, output: Path) -> list[dict[str, Any]]:
    """Write every medium of one job; runs in a worker process."""
    entries = []
    for media in media_for(job):
        renderer = renderers()[media]
        relative = relative_path(job, media)
        final = output / relative
        with atomic_path(final) as temporary:
            fields = renderer.render(job, layout, temporary)
            entry = {"path": relative, "unit": job.unit, "channel": job.channel, "design": job.design,
                     "variant": job.variant, "format": job.format_id, "media": media,
                     "bytes": temporary.stat().st_size, "sha256": sha256_of(temporary), "texts": layout.texts}
            if job.slide:
                entry["slide"] = job.slide
            entry.update(fields)
        entries.append(entry)
    return entries


def _run(jobs: list[Job], layouts: list[Layout], output: Path, workers: int) -> Iterable[list[dict[str, Any]]]:
    if workers <= 1 or len(jobs) <= 1:
        for job, layout in zip(jobs, layouts):
            yield render_job(job, layout, output)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(render_job, jobs, layouts, [output] * len(jobs), chunksize=1)


def build(root: Path, output: Path, selection: Selection = Selection(), workers: int | None = None,
          on_progress: Callable[[int, int], None] | None = None) -> BuildResult:
    started = time.monotonic()
    the_plan = plan(root, selection)
    output.mkdir(parents=True, exist_ok=True)
    result = BuildResult()
    workers = workers or os.cpu_count() or 1
    for done, entries in enumerate(_run(the_plan.jobs, the_plan.layouts, output, workers), start=1):
        result.assets.extend(entries)
        if on_progress:
            on_progress(done, len(the_plan.jobs))

    made = {a["path"] for a in result.assets}
    kept = []
    for entry in (read_manifest(output) or {}).get("assets", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or entry["path"] in made:
            continue
        path = inside(output, entry["path"])
        if path is None:
            continue
        if selection.wants(entry.get("design"), entry.get("unit"), entry.get("channel")):
            # in the part just built but no longer produced: an orphan of a removed design, unit or variant
            path.unlink(missing_ok=True)
            result.removed.append(entry["path"])
        elif path.is_file():
            kept.append(entry)
    campaign = the_plan.specs.campaign
    write_manifest(output, {"id": campaign.id, "title": campaign.title, "year": campaign.year,
                            "province": campaign.province}, kept + result.assets)
    result.elapsed_s = time.monotonic() - started
    return result


def default_workers() -> int:
    return os.cpu_count() or 1


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()
