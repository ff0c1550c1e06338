"""A job's blocks placed in the format's areas, text fitted, in the format's own unit."""

from __future__ import annotations

from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.resize import place_blocks
from assets_pipeline.plan.jobs import Job


def lay_out_page(job: Job) -> Layout:
    """Place every block; blocks with a priority drop out, lowest first, when the format is too small
    for them (see resize.py); any other text that cannot fit at its minimum size is a SpecError."""
    items, dropped = place_blocks(job)
    width, height = job.format.size
    return Layout(width, height, job.format.bleed_mm, job.format.unit_name, job.background, tuple(items),
                  tuple(dropped))
