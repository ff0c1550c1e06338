"""Video designs: slides, transitions and a marquee, as jobs, layouts and a frame-exact timeline.

A video design's `video` section names its slides; each slide is an ordinary layout of the design,
so a slide's PNG still and the video's frames come from the same Layout and agree pixel for pixel.
One design × unit × variant × format expands into a clip job (the MP4) and one still job per slide.

The timeline is counted in frames, never in seconds, so the loop is exact: slide boundaries fall on
frames, a transition takes the last frames of the slide it leaves, and the last slide's transition
ends exactly where the first frame begins. The marquee moves a whole number of pixels per frame
(a fractional step makes LED text judder by a pixel) and its travel over the loop is a whole number
of passes of the text, so frame 0 follows the last frame exactly as any frame follows the one before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from assets_pipeline.campaigns import CampaignSlide, slides_for
from assets_pipeline.errors import ErrorList, SpecError, Where
from assets_pipeline.expand import Job, ResolvedBlock, _color, _resolve_block, context, unbreakable, variants_for
from assets_pipeline.fonts import face
from assets_pipeline.layout import RASTER_GUARD_PX, Layout, TextItem, lay_out
from assets_pipeline.specs import Design, Specs, TextBlock, Transition, Unit, Variant
from assets_pipeline.textfit import Box, TextDoesNotFit, fit_text

MARQUEE_PAD = 0.12  # of the band's height, above and below the text's ink
MARQUEE_LEAD_EM = 0.5  # where the text starts on the first frame, from the panel's left edge


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
    for variant_id, variant, _ in variants_for(specs, design, unit):
        slides = []
        for number, campaign_slide in enumerate(slides_for(design.video, specs.campaign), start=1):
            slide = campaign_slide.slide
            path = ("video", "slides", campaign_slide.index)
            layout_index = next((i for i, lay in enumerate(design.layouts)
                                 if lay.name == slide.layout and lay.when.matches(aspect)), None)
            if layout_index is None:
                errors.add(doc.error(path + ("layout",), f"no layout '{slide.layout}' matches format "
                                     f"'{format_id}' (width / height = {aspect:.2f})"))
                continue
            layout = design.layouts[layout_index]
            ctx = _slide_context(specs, unit, variant_id, variant, format_id, campaign_slide, number)
            blocks = []
            for block_index, block in enumerate(layout.blocks):
                try:
                    blocks.append(_resolve_block(block, ("layouts", layout_index, "blocks", block_index),
                                                 specs, doc, ctx, fmt))
                except SpecError as exc:
                    errors.add(exc)
            still = Job(design_id, variant_id, unit.slug, format_id, fmt, ("png",), layout.name,
                        _color(layout.background, specs.campaign), tuple(blocks), keep_together,
                        slide=f"{number:02d}-{campaign_slide.name}")
            slides.append(ClipSlide(still, slide.share, slide.transition, doc.where(path + ("transition",))))
        marquee = None
        spec = design.video.marquee
        if spec is not None:
            as_block = TextBlock(type="text", box=(0, 0, 1, 1), text=spec.text, slogan=spec.slogan, font=spec.font,
                                 color=spec.color, min_size_px=spec.min_size_px, max_size_px=spec.max_size_px)
            try:
                resolved = _resolve_block(as_block, ("video", "marquee"), specs, doc,
                                          _slide_context(specs, unit, variant_id, variant, format_id, None, 0), fmt)
                speed_px_s = spec.speed_px_s_by_format.get(format_id, spec.speed_px_s)
                marquee = ClipMarquee(resolved, _color(spec.background, specs.campaign), spec.height,
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

@dataclass(frozen=True)
class Segment:
    """One slide's frames, the last `transition_frames` of them leading into the next slide."""

    start: int
    frames: int
    transition: str  # cut, crossfade, push
    direction: str
    transition_frames: int


@dataclass(frozen=True)
class MarqueeLayout:
    top_px: int  # the band's top row on the panel; it runs to the panel's bottom edge
    height_px: int
    text: str
    font_path: str
    color: str
    background: str
    size_px: float
    baseline_px: float  # below the band's top
    first_x_px: float  # the text's origin on frame 0
    text_px: float  # advance width of the text
    period_px: float  # from one pass of the text to the next
    passes: int  # per loop
    step_px: int  # travel per frame
    separator: str | None

    @property
    def travel_px(self) -> int:
        """Travel over one loop: a whole number of periods, so the strip wraps exactly."""
        return round(self.period_px * self.passes)


@dataclass(frozen=True)
class ClipLayout:
    slides: tuple[Layout, ...]
    names: tuple[str, ...]
    segments: tuple[Segment, ...]
    marquee: MarqueeLayout | None
    fps: int
    frames: int

    def state(self, frame: int) -> tuple[int, int, float]:
        """(slide, next slide, progress): progress 0 shows the slide alone, 1 would be the next alone."""
        frame %= self.frames
        for index, segment in enumerate(self.segments):
            if segment.start <= frame < segment.start + segment.frames:
                following = (index + 1) % len(self.segments)
                into = frame - (segment.start + segment.frames - segment.transition_frames)
                if into < 0:
                    return index, following, 0.0
                # n transition frames sit strictly between the two pure slides: steps of 1 / (n + 1)
                return index, following, (into + 1) / (segment.transition_frames + 1)
        raise AssertionError(frame)

    def texts(self) -> list[str]:
        """Every text in playing order: each slide's in reading order, then the marquee."""
        texts = [text for slide in self.slides for text in slide.texts]
        return texts + ([self.marquee.text] if self.marquee else [])


def _schedule(job: Job, errors: ErrorList) -> tuple[Segment, ...]:
    clip: Clip = job.clip
    fps, frames = job.format.frame_rate, job.format.frames
    total = sum(s.share for s in clip.slides)
    bounds, running = [0], 0.0
    for slide in clip.slides:
        running += slide.share
        bounds.append(round(frames * running / total))
    segments = []
    for index, slide in enumerate(clip.slides):
        length = bounds[index + 1] - bounds[index]
        transition = slide.transition
        transition_frames = 0 if transition.type == "cut" else max(1, round(transition.duration_s * fps))
        if transition_frames >= length:
            errors.add(SpecError(
                f"the {transition.type} of slide '{slide.job.slide}' takes {transition_frames} frames but the slide "
                f"has {length} in format '{job.format_id}' ({length / fps:.2f} s of the {job.format.duration_s:g} s "
                f"loop): shorten the transition or give the slide a larger share", slide.where))
        segments.append(Segment(bounds[index], length, transition.type, transition.direction, transition_frames))
    return tuple(segments)


def _lay_out_marquee(job: Job, spec: ClipMarquee) -> MarqueeLayout:
    width, height = (int(v) for v in job.format.size)
    fps, frames = job.format.frame_rate, job.format.frames
    band = max(4, round(spec.height * min(width, height)))
    top = height - band
    pad = MARQUEE_PAD * band
    block = spec.block
    font = face(block.font_path)
    # one line as tall as the band allows; the width is unbounded because the text runs past the panel
    box = Box(0, top + pad + RASTER_GUARD_PX, 1e7, band - 2 * pad - 2 * RASTER_GUARD_PX)
    try:
        fitted = fit_text(block.text, font, box, max_lines=1, min_size=block.min_size, max_size=block.max_size,
                          line_height=1, align="left", valign="middle")
    except TextDoesNotFit as exc:
        raise SpecError(f"the marquee band of format '{job.format_id}' is {band} px tall: its text would be "
                        f"{exc.needed_size:.0f} px, below the minimum {block.min_size:g} px "
                        f"(raise the band's height or lower min_size_px)", block.where) from None
    size = fitted.size
    text_px = font.advance(block.text) * size
    step = max(1, round(spec.speed_px_s / fps))
    travel = step * frames
    passes = math.floor(travel / (text_px + spec.gap_em * size))
    if passes < 1:
        needed_s = (text_px + spec.gap_em * size) / (step * fps)
        raise SpecError(f"the marquee text is {text_px:.0f} px long at {size:.0f} px in format '{job.format_id}': "
                        f"one pass takes {needed_s:.1f} s at {step * fps} px/s, longer than the "
                        f"{job.format.duration_s:g} s loop (shorten the text, raise speed_px_s or lengthen "
                        f"the format's duration_s)", block.where)
    return MarqueeLayout(top, band, block.text, block.font_path, block.color, spec.background, size,
                         fitted.lines[0].baseline - top, MARQUEE_LEAD_EM * size, text_px, travel / passes, passes,
                         step, spec.separator)


def lay_out_clip(job: Job) -> ClipLayout:
    """Lay out every slide and the marquee, and count the timeline in frames; raise every problem at once."""
    clip: Clip = job.clip
    errors = ErrorList()
    slides = []
    for slide in clip.slides:
        try:
            slides.append(lay_out(slide.job))
        except SpecError as exc:
            errors.add(exc)
    segments = _schedule(job, errors)
    marquee = None
    if clip.marquee is not None:
        try:
            marquee = _lay_out_marquee(job, clip.marquee)
        except SpecError as exc:
            errors.add(exc)
    if marquee is not None and len(slides) == len(clip.slides):
        for slide, layout in zip(clip.slides, slides):
            for block, item in zip(slide.job.blocks, layout.items):
                if isinstance(item, TextItem) and item.fitted.ink.y + item.fitted.ink.height > marquee.top_px:
                    errors.add(SpecError(
                        f"text {item.text!r} runs under the marquee band in format '{job.format_id}' (its ink "
                        f"reaches row {item.fitted.ink.y + item.fitted.ink.height:.0f}, the band starts at row "
                        f"{marquee.top_px}): keep the block's box above the band", block.where))
    errors.raise_if_any()
    names = tuple(slide.job.slide for slide in clip.slides)
    return ClipLayout(tuple(slides), names, segments, marquee, job.format.frame_rate, job.format.frames)
