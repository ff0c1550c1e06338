"""A piece's layout: its page, and for a clip the frames of its slides and marquee."""

from __future__ import annotations

import dataclasses

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.layout.clips import lay_out_clip
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.page import lay_out_page
from assets_pipeline.plan.jobs import Job


def lay_out(job: Job) -> Layout:
    if job.document is not None:
        from assets_pipeline.layout.documents import typeset  # platypus loads only when a document is made

        width, height = job.format.size
        return Layout(width, height, job.format.bleed_mm, job.format.unit_name, job.background, (),
                      document=typeset(job))
    try:
        layout = lay_out_page(job)
    except SpecError as exc:
        if job.row is None:
            raise
        # a piece made from a data row (an awardee's name too long): the row is what the user fixes
        raise SpecError(_("{problem} (the block at {where})", problem=exc.message, where=exc.where), job.row) from None
    if job.clip is not None:
        layout = dataclasses.replace(layout, clip=lay_out_clip(job))
    return layout
