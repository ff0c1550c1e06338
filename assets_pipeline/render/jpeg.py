"""JPEG for web portals and social media: the same raster as the PNG, sRGB, within the format's budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render.png import drawn, pixels_per_unit, print_dpi
from assets_pipeline.render.web_image import save_jpeg


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    image = drawn(layout, None, pixels_per_unit(job))
    dpi = print_dpi(job) if job.format.is_print else None
    fields = save_jpeg(image, path, job.format.budget_kb, dpi)
    if dpi is not None:
        fields.update(proof=True, dpi=dpi)
    return fields
