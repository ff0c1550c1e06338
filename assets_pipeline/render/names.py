"""The name of every file the build writes, in one place, decided without loading the renderers: a build
with nothing to render names every file and never needs numpy, reportlab's canvas or ffmpeg."""

from __future__ import annotations

from assets_pipeline.core.media import code, medium
from assets_pipeline.plan.jobs import Job
from assets_pipeline.specs.procedures import COMBINED_VARIANT


def file_name(job: Job, media: str) -> str:
    """`<design>-<variant>__<format>.<ext>`, the extension its medium's; a medium may add to the name
    before it (a print PDF too large for one page says how it is drawn: `pdf_suffix`)."""
    entry = medium(media)
    suffix = code(entry.name_suffix)(job) if entry.name_suffix is not None else ""
    return f"{job.stem}{suffix}.{entry.extension}"


def pdf_suffix(job: Job) -> str:
    """`_1-10` (1:10 artwork), or `_uu10` (full size in units of 10 points, /UserUnit 10) where its format asks."""
    from assets_pipeline.render.pdf import scale_for, user_unit_for

    return scale_suffix(scale_for(job), user_unit_for(job))


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
