"""A piece's layout: its page, and for a clip the frames of its slides and marquee."""

from __future__ import annotations

import dataclasses

from assets_pipeline.layout.clips import lay_out_clip
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.page import lay_out_page
from assets_pipeline.plan.jobs import Job


def lay_out(job: Job) -> Layout:
    layout = lay_out_page(job)
    if job.clip is not None:
        layout = dataclasses.replace(layout, clip=lay_out_clip(job))
    return layout
