"""`assets preview`: one piece in proof quality, in about a second, under output/preview/.

Nothing else is built and the manifest is not touched: a preview is for looking at.
"""

from __future__ import annotations

from pathlib import Path

from assets_pipeline.errors import SpecError
from assets_pipeline.expand import Job, Selection, expand
from assets_pipeline.layout import lay_out
from assets_pipeline.output import atomic_path
from assets_pipeline.render import png
from assets_pipeline.specs import did_you_mean, load_specs

PREVIEW_PX = 1200  # long side of a preview


def choose(jobs: list[Job], format_id: str | None, variant: str | None) -> Job:
    for key, wanted in (("format_id", format_id), ("variant", variant)):
        if wanted is not None:
            known = sorted({getattr(job, key) for job in jobs})
            if wanted not in known:
                raise SpecError(f"{key.split('_')[0]} '{wanted}' is not in this design" + did_you_mean(wanted, known))
            jobs = [job for job in jobs if getattr(job, key) == wanted]
    return jobs[0]


def preview(root: Path, output: Path, design: str, unit: str | None = None, format_id: str | None = None,
            variant: str | None = None, campaign: str | Path | None = None) -> Path:
    specs = load_specs(root, campaign)
    if design not in specs.designs:
        raise SpecError(f"design '{design}' is not defined" + did_you_mean(design, list(specs.designs)))
    if unit is None:
        unit = specs.units_for(specs.designs[design])[0].slug
    jobs = expand(specs, Selection(design=design, unit=unit))
    if not jobs:
        raise SpecError(f"design '{design}' makes nothing for unit '{unit}'")
    job = choose(jobs, format_id, variant)
    target = output / "preview" / f"{job.stem}__{job.unit}.png"
    strip = getattr(_video_module(), "contact_strip", None) if _is_video(job) else None
    with atomic_path(target) as temporary:
        if strip is not None:
            strip(job, temporary, PREVIEW_PX)
        else:
            layout = lay_out(job)
            image = png.draw(layout, PREVIEW_PX / max(layout.width, layout.height))
            image.save(temporary, format="PNG", compress_level=1)
    return target


def _is_video(job: Job) -> bool:
    return "mp4" in job.media


def _video_module():
    try:
        from assets_pipeline.render import mp4
    except ImportError:
        return None
    return mp4
