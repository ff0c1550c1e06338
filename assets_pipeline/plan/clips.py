"""Video designs as jobs: slides, transitions and a marquee, on a frame-exact timeline.

A video design's `video` section names its slides; each slide is an ordinary layout of the design,
so a slide's PNG still and the video's frames come from the same Layout and agree pixel for pixel.
One design × unit × variant × format expands into a clip job (the MP4) and one still job per slide.

The timeline is counted in frames, never in seconds, so the loop is exact: slide boundaries fall on
frames, a transition takes the last frames of the slide it leaves, and the last slide's transition
ends exactly where the first frame begins. The marquee moves a whole number of pixels per frame
(a fractional step makes LED text judder by a pixel) and its travel over the loop is a whole number
of passes of the text, so frame 0 follows the last frame exactly as any frame follows the one before."""

from __future__ import annotations

from dataclasses import dataclass

from assets_pipeline.blocks.base import ResolvedBlock
from assets_pipeline.blocks.text import TextBlock
from assets_pipeline.core.errors import ErrorList, SpecError, Where
from assets_pipeline.core.i18n import _
from assets_pipeline.plan.jobs import Job
from assets_pipeline.plan.resolve import BlockResolver, context, palette_color, resolve_any, unbreakable, variants_for
from assets_pipeline.specs.campaigns import CampaignSlide, slides_for
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design, Transition, Variant
from assets_pipeline.specs.models import Unit


@dataclass(frozen=True)
class ClipSlide:
    job: Job  # the slide as a still: its blocks, background and file name
    share: float
    transition: Transition
    where: Where  # the transition's line, for timing errors


@dataclass(frozen=True)
class ClipMarquee:
    block: ResolvedBlock  # text, font and colour, resolved like any text block
    background: str
    height: float
    speed_px_s: float
    gap_em: float
    separator: str | None
    where: Where


@dataclass(frozen=True)
class Clip:
    slides: tuple[ClipSlide, ...]
    marquee: ClipMarquee | None


def _slide_context(specs: Specs, unit: Unit, variant_id: str, variant: Variant, format_id: str,
                   slide: CampaignSlide | None, number: int) -> dict:
    units = {u.slug: u for u in specs.units}
    fmt = specs.formats[format_id]
    ctx = context(specs.campaign, unit, units, variant_id, variant, format_id, fmt)
    if slide is not None:
        ctx["slide"] = {"name": slide.name, "slogan": slide.slogan, "number": number}
    return ctx


def expand_video(specs: Specs, design_id: str, design: Design, unit: Unit, format_id: str) -> list[Job]:
    """The clip job and the slide stills of one design × unit × format, for every variant."""
    assert design.video is not None
    doc = specs.docs[f"designs/{design_id}.yaml"]
    fmt = specs.formats[format_id]
    width, height = fmt.size
    aspect = width / height
    keep_together = unbreakable(specs, unit)
    errors = ErrorList()
    jobs: list[Job] = []
    for variant_id, variant, *_rest in variants_for(specs, design, unit):
        slides = []
        for number, campaign_slide in enumerate(slides_for(design.video, specs.campaign), start=1):
            slide = campaign_slide.slide
            path = ("video", "slides", campaign_slide.index)
            layout_index = next((i for i, lay in enumerate(design.layouts)
                                 if lay.name == slide.layout and lay.when.matches(aspect)), None)
            if layout_index is None:
                errors.add(doc.error(path + ("layout",), _("no layout '{layout}' matches format '{format}' (width / height "
                                                            "= {aspect:.2f})", layout=slide.layout, format=format_id,
                                                            aspect=aspect)))
                continue
            layout = design.layouts[layout_index]
            ctx = _slide_context(specs, unit, variant_id, variant, format_id, campaign_slide, number)
            blocks = []
            for block_index, block in enumerate(layout.blocks):
                try:
                    blocks.append(resolve_any(block, ("layouts", layout_index, "blocks", block_index),
                                              specs, doc, ctx, fmt))
                except SpecError as exc:
                    errors.add(exc)
            still = Job(design_id, variant_id, unit.slug, format_id, fmt, ("png",), layout.name,
                        palette_color(layout.background, specs.campaign), tuple(blocks), keep_together,
                        slide=f"{number:02d}-{campaign_slide.name}")
            slides.append(ClipSlide(still, slide.share, slide.transition, doc.where(path + ("transition",))))
        marquee = None
        spec = design.video.marquee
        if spec is not None:
            as_block = TextBlock(type="text", box=(0, 0, 1, 1), text=spec.text, slogan=spec.slogan, font=spec.font,
                                 color=spec.color, min_size_px=spec.min_size_px, max_size_px=spec.max_size_px)
            try:
                resolved = as_block.resolve(BlockResolver(
                    specs, doc, ("video", "marquee"), _slide_context(specs, unit, variant_id, variant, format_id, None, 0), fmt))
                speed_px_s = spec.speed_px_s_by_format.get(format_id, spec.speed_px_s)
                marquee = ClipMarquee(resolved, palette_color(spec.background, specs.campaign), spec.height,
                                      speed_px_s, spec.gap_em, spec.separator, doc.where(("video", "marquee")))
            except SpecError as exc:
                errors.add(exc)
        if errors.errors:
            continue
        clip = Clip(tuple(slides), marquee)
        if "mp4" in design.media:
            jobs.append(Job(design_id, variant_id, unit.slug, format_id, fmt, ("mp4",), "video",
                            slides[0].job.background, (), keep_together, clip=clip))
        if "png" in design.media:
            jobs.extend(slide.job for slide in slides)
    errors.raise_if_any()
    return jobs


# ---------------------------------------------------------------- layout and timeline
