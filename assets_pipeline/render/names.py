"""The name of every file the build writes, in one place, decided without loading the renderers: a build
with nothing to render names every file and never needs numpy, reportlab's canvas or ffmpeg."""

from __future__ import annotations

from assets_pipeline.plan.jobs import Job
from assets_pipeline.render import EXTENSIONS
from assets_pipeline.specs.procedures import COMBINED_VARIANT


def file_name(job: Job, media: str) -> str:
    """`<design>-<variant>__<format>.<ext>`; a print PDF too large for one page says how it is drawn:
    `_1-10` (1:10 artwork), or `_uu10` (full size in units of 10 points, /UserUnit 10) where its format asks."""
    suffix = ""
    if media == "pdf":
        from assets_pipeline.render.pdf import scale_for, user_unit_for

        suffix = scale_suffix(scale_for(job), user_unit_for(job))
    return f"{job.stem}{suffix}.{EXTENSIONS[media]}"


def scale_suffix(scale: float, user_unit: float) -> str:
    """What a PDF's name says of how it is drawn: `_1-10` for 1:10 artwork, `_uu10` for /UserUnit 10, else nothing."""
    if scale != 1:
        return f"_1-{round(1 / scale)}"
    return f"_uu{user_unit:g}" if user_unit != 1 else ""


def relative_path(job: Job, media: str) -> str:
    """Where a piece's file lies under output/: `<unit>/<channel>/<file name>`."""
    return f"{job.unit}/{job.channel}/{file_name(job, media)}"


def combined_path(job: Job) -> str:
    """The multi-page PDF of one unit's pages of a design and format (the QR notices)."""
    return f"{job.unit}/{job.channel}/{job.design}-{COMBINED_VARIANT}__{job.format_id}.pdf"
