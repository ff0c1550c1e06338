"""JPEG for web portals and social media: the same raster as the PNG, sRGB, within the format's budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render import Renderer
from assets_pipeline.render.png import drawn, pixels_per_unit
from assets_pipeline.render.web_image import save_jpeg


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    image = drawn(layout, pixels_per_unit(job))
    fields = save_jpeg(image, path, job.format.budget_kb)
    if job.format.is_print:
        fields["proof"] = True
    return fields


RENDERER = Renderer("jpeg", render)
