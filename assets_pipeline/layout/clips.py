"""A clip job's frames laid out: each slide an ordinary layout, the marquee's band and steps."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assets_pipeline.blocks.base import RASTER_GUARD_PX
from assets_pipeline.blocks.text import TextItem
from assets_pipeline.blocks.textfit import TextDoesNotFit, fit_text
from assets_pipeline.core.errors import ErrorList, SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.fonts import face
from assets_pipeline.core.geometry import Box
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.page import lay_out_page
from assets_pipeline.plan.clips import Clip, ClipMarquee
from assets_pipeline.plan.jobs import Job

MARQUEE_PAD = 0.12  # of the band's height, above and below the text's ink
MARQUEE_LEAD_EM = 0.5  # where the text starts on the first frame, from the panel's left edge


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
                _("the {transition} of slide '{slide}' takes {frames} frames but the slide has {length} in format "
                  "'{format}' ({seconds:.2f} s of the {loop_s:g} s loop): shorten the transition or give the slide a "
                  "larger share", transition=transition.type, slide=slide.job.slide, frames=transition_frames,
                  length=length, format=job.format_id, seconds=length / fps, loop_s=job.format.duration_s),
                slide.where))
        segments.append(Segment(bounds[index], length, transition.type, transition.direction, transition_frames))
    return tuple(segments)


def _lay_out_marquee(job: Job, spec: ClipMarquee) -> MarqueeLayout:
    width, height = (int(v) for v in job.format.size)
    fps, frames = job.format.frame_rate, job.format.frames
    band = max(4, round(spec.height * min(width, height)))
    top = height - band
    pad = MARQUEE_PAD * band
    block = spec.block
    assert block.text is not None and block.font_path is not None
    font = face(block.font_path)
    # one line as tall as the band allows; the width is unbounded because the text runs past the panel
    box = Box(0, top + pad + RASTER_GUARD_PX, 1e7, band - 2 * pad - 2 * RASTER_GUARD_PX)
    try:
        fitted = fit_text(block.text, font, box, max_lines=1, min_size=block.min_size, max_size=block.max_size,
                          line_height=1, align="left", valign="middle")
    except TextDoesNotFit as exc:
        raise SpecError(_("the marquee band of format '{format}' is {band} px tall: its text would be {size:.0f} px, "
                          "below the minimum {minimum:g} px (raise the band's height or lower min_size_px)",
                          format=job.format_id, band=band, size=exc.needed_size, minimum=block.min_size),
                        block.where) from None
    size = fitted.size
    text_px = font.advance(block.text) * size
    step = max(1, round(spec.speed_px_s / fps))
    travel = step * frames
    passes = math.floor(travel / (text_px + spec.gap_em * size))
    if passes < 1:
        needed_s = (text_px + spec.gap_em * size) / (step * fps)
        raise SpecError(_("the marquee text is {length:.0f} px long at {size:.0f} px in format '{format}': one pass "
                          "takes {seconds:.1f} s at {speed} px/s, longer than the {loop_s:g} s loop (shorten the text, "
                          "raise speed_px_s or lengthen the format's duration_s)", length=text_px, size=size,
                          format=job.format_id, seconds=needed_s, speed=step * fps, loop_s=job.format.duration_s),
                        block.where)
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
            slides.append(lay_out_page(slide.job))
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
                        _("text {text!r} runs under the marquee band in format '{format}' (its ink reaches row "
                          "{row:.0f}, the band starts at row {band_row}): keep the block's box above the band",
                          text=item.text, format=job.format_id, row=item.fitted.ink.y + item.fitted.ink.height,
                          band_row=marquee.top_px), block.where))
    errors.raise_if_any()
    names = []
    for slide in clip.slides:
        assert slide.job.slide is not None  # a clip's slides are named (plan/clips.py)
        names.append(slide.job.slide)
    return ClipLayout(tuple(slides), tuple(names), segments, marquee, job.format.frame_rate, job.format.frames)
