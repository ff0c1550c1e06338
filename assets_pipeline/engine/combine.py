"""Combined PDFs: for a design with `combine_pdf: true`, one multi-page PDF per unit and format,
every variant a page, in the order the variants come (for notices: the rows of procedures.csv).

A commune office prints one file instead of ten; the single-page PDFs stay for posting one at a time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assets_pipeline.engine.keys import code_fingerprint
from assets_pipeline.engine.output import atomic_path, sha256_of
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render.entry import Entry
from assets_pipeline.render.names import combined_path, relative_path
from assets_pipeline.render.pdfx import combine
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.procedures import COMBINED_VARIANT


def _groups(specs: Specs, jobs: list[Job]) -> dict[tuple[str, str, str], list[Job]]:
    groups: dict[tuple[str, str, str], list[Job]] = {}
    for job in jobs:
        design = specs.designs[job.design]
        if design.combine_pdf and "pdf" in job.media and job.format.is_print:
            groups.setdefault((job.unit, job.design, job.format_id), []).append(job)
    return groups


# this module decides what a combined file holds: its own code is part of the file's key (the merging
# itself is render/pdfx.py's, which the code fingerprint covers)
MERGING_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def combined_paths(specs: Specs, jobs: list[Job]) -> list[str]:
    return [combined_path(group[0]) for group in _groups(specs, jobs).values()]


def write_combined(specs: Specs, jobs: list[Job], assets: list[Entry], output: Path,
                   previous: dict[str, Entry]) -> tuple[list[Entry], list[Entry]]:
    """Merge the single-page PDFs of each unit; returns the entries written and those reused
    (same pages, same code: the previous file stands). A unit whose pages did not all land waits
    for the next build."""
    by_path = {a.path: a for a in assets}
    entries, reused = [], []
    for (unit, design, format_id), group in _groups(specs, jobs).items():
        paths = [relative_path(job, "pdf") for job in group]
        if not all(path in by_path for path in paths):
            continue
        pages = [by_path[path] for path in paths]
        relative = combined_path(group[0])
        key = hashlib.sha256((code_fingerprint() + MERGING_CODE + "".join(p.sha256 for p in pages)).encode()).hexdigest()[:32]
        before = previous.get(relative)
        if before and before.key == key and (output / relative).is_file() \
                and (output / relative).stat().st_size == before.bytes:
            reused.append(before)
            continue
        with atomic_path(output / relative) as temporary:
            # every page is PDF/X for the same press, its subsets tagged by content (render/pdfx.py)
            fields = combine([output / page.path for page in pages], group[0].press, temporary,
                             title=f"{design} {unit} ({len(pages)} pages)")
            first = pages[0]
            entry = Entry(path=relative, unit=unit, channel=group[0].channel, design=design, variant=COMBINED_VARIANT,
                          format=format_id, media="pdf", bytes=temporary.stat().st_size, sha256=sha256_of(temporary),
                          texts=[t for page in pages for t in page.texts or []], pages=len(pages),
                          page_variants=[page.variant for page in pages], trim_mm=first.trim_mm,
                          bleed_mm=first.bleed_mm, scale=first.scale, key=key, color_space=first.color_space,
                          **fields,
                          qr=[q for page in pages for q in page.qr or []] or None)
        entries.append(entry)
    return entries, reused
