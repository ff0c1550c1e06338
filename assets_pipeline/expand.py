"""Expansion: each design × unit × variant × format becomes a Job with every text resolved.

Templates run here, once; the text that leaves this stage is final (NFC, whitespace collapsed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets_pipeline import templating
from assets_pipeline.errors import ErrorList, SpecError, Where
from assets_pipeline.fonts import face
from assets_pipeline.specs import Campaign, Design, Format, RectBlock, Specs, TextBlock, Unit, did_you_mean

PT_MM = 25.4 / 72


@dataclass(frozen=True)
class ResolvedBlock:
    """A block of one job with its text and colour final; sizes in the format's unit (mm or px)."""

    kind: str  # "rect" or "text"
    box: tuple[float, float, float, float]
    area: str
    color: str  # palette name resolved to #RRGGBB
    where: Where
    text: str | None = None
    slogan: str | None = None  # the slogan id, when the text is an official slogan
    font_path: str | None = None
    align: str = "center"
    valign: str = "middle"
    max_lines: int = 1
    line_height: float = 1.15
    min_size: float = 0.0
    max_size: float = 0.0


@dataclass(frozen=True)
class Job:
    """One piece of artwork: rendered once, written in each of `media`."""

    design: str
    variant: str
    unit: str
    format_id: str
    format: Format
    media: tuple[str, ...]
    layout: str
    background: str
    blocks: tuple[ResolvedBlock, ...]
    keep_together: tuple[str, ...]
    slide: str | None = None  # a video's slide, for its still: `NN-name`
    clip: Any = None  # a video's slides, transitions and marquee (video.Clip)

    @property
    def channel(self) -> str:
        return self.format.channel

    @property
    def stem(self) -> str:
        slide = f"-{self.slide}" if self.slide else ""
        return f"{self.design}-{self.variant}{slide}__{self.format_id}"

    def describe(self) -> str:
        return f"{self.unit}/{self.channel}/{self.stem}"


def context(campaign: Campaign, unit: Unit, units: dict[str, Unit], variant_id: str, variant: Any,
            format_id: str, fmt: Format) -> dict[str, Any]:
    """What a template can see: plain data only."""
    def unit_data(u: Unit | None) -> dict[str, Any] | None:
        if u is None:
            return None
        return {"slug": u.slug, "name": u.name, "kind": u.kind,
                "parent": unit_data(units.get(u.parent)) if u.parent else None}

    width, height = fmt.size
    return {
        "campaign": {
            "id": campaign.id, "title": campaign.title, "year": campaign.year, "province": campaign.province,
            "issuer": campaign.issuer, "texts": dict(campaign.texts),
            "period": {"start": campaign.period.start.strftime("%d/%m/%Y"),
                       "end": campaign.period.end.strftime("%d/%m/%Y")},
        },
        "slogans": dict(campaign.slogans),
        "unit": unit_data(unit),
        "variant": {"id": variant_id, "slogan": variant.slogan, "vars": dict(variant.vars)},
        "format": {"id": format_id, "title": fmt.title, "channel": fmt.channel,
                   "width": width, "height": height, "unit": fmt.unit_name},
    }


def _color(name: str, campaign: Campaign) -> str:
    return campaign.palette.get(name, name).upper()


def _resolve_block(block: RectBlock | TextBlock, path: tuple, specs: Specs, doc, ctx: dict, fmt: Format) -> ResolvedBlock:
    campaign = specs.campaign
    color = _color(block.color, campaign)
    if isinstance(block, RectBlock):
        return ResolvedBlock("rect", block.box, block.area, color, doc.where(path))
    key = "slogan" if block.slogan is not None else "text"
    where = doc.where(path + (key,))
    try:
        rendered = templating.render(getattr(block, key), ctx)
    except SpecError as exc:
        raise SpecError(exc.message, where) from None
    slogan_id = None
    if key == "slogan":
        slogan_id = rendered
        if slogan_id not in campaign.slogans:
            raise SpecError(f"slogan '{slogan_id}' is not defined" + did_you_mean(slogan_id, list(campaign.slogans)), where)
        text = " ".join(campaign.slogans[slogan_id].split())
    else:
        text = rendered
    if not text:
        raise SpecError("the text is empty", where)
    font_file = campaign.fonts[block.font]
    font_path = (specs.root / font_file).resolve()
    try:
        missing = face(font_path).missing(text)
    except SpecError as exc:
        raise SpecError(f"font '{block.font}': {exc.message}", doc.where(path + ("font",))) from None
    if missing:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
        raise SpecError(f"font '{block.font}' ({font_file}) has no glyph for {shown} in {text!r}", where)
    if fmt.is_print:
        min_size, max_size = block.min_size_pt * PT_MM, block.max_size_pt * PT_MM
    else:
        min_size, max_size = block.min_size_px, block.max_size_px
    return ResolvedBlock(
        "text", block.box, block.area, color, where, text=text, slogan=slogan_id, font_path=str(font_path),
        align=block.align, valign=block.valign, max_lines=block.max_lines, line_height=block.line_height,
        min_size=min_size, max_size=max_size,
    )


@dataclass(frozen=True)
class Selection:
    """Which part of the catalogue to build; None means all."""

    channel: str | None = None
    unit: str | None = None
    design: str | None = None

    def wants(self, design: str, unit: str, channel: str) -> bool:
        return ((self.design is None or design == self.design) and (self.unit is None or unit == self.unit)
                and (self.channel is None or channel == self.channel))


def check_selection(specs: Specs, selection: Selection) -> None:
    if selection.design is not None and selection.design not in specs.designs:
        raise SpecError(f"design '{selection.design}' is not defined" + did_you_mean(selection.design, list(specs.designs)))
    slugs = [u.slug for u in specs.units]
    if selection.unit is not None and selection.unit not in slugs:
        raise SpecError(f"unit '{selection.unit}' is not defined" + did_you_mean(selection.unit, slugs))
    channels = sorted({f.channel for f in specs.formats.values()})
    if selection.channel is not None and selection.channel not in channels:
        raise SpecError(f"channel '{selection.channel}' is not defined" + did_you_mean(selection.channel, channels))


def expand(specs: Specs, selection: Selection = Selection()) -> list[Job]:
    """Every job the specs describe within `selection`; raises every problem found at once."""
    check_selection(specs, selection)
    errors = ErrorList()
    jobs: list[Job] = []
    units = {u.slug: u for u in specs.units}
    keep_together = tuple(specs.campaign.phrases)
    for design_id, design in specs.designs.items():
        doc = specs.docs[f"designs/{design_id}.yaml"]
        for unit in specs.units_for(design):
            for format_id in design.formats:
                fmt = specs.formats[format_id]
                if not selection.wants(design_id, unit.slug, fmt.channel):
                    continue
                if design.video is not None:
                    from assets_pipeline.video import expand_video

                    try:
                        jobs.extend(expand_video(specs, design_id, design, unit, format_id))
                    except SpecError as exc:
                        errors.add(exc)
                    continue
                width, height = fmt.size
                aspect = width / height
                layout_index = next((i for i, lay in enumerate(design.layouts) if lay.when.matches(aspect)), None)
                if layout_index is None:
                    errors.add(doc.error(("layouts",), f"no layout matches format '{format_id}' "
                                         f"(width / height = {aspect:.2f})"))
                    continue
                layout = design.layouts[layout_index]
                for variant_id, variant in design.variants.items():
                    ctx = context(specs.campaign, unit, units, variant_id, variant, format_id, fmt)
                    blocks = []
                    for index, block in enumerate(layout.blocks):
                        try:
                            blocks.append(_resolve_block(block, ("layouts", layout_index, "blocks", index),
                                                         specs, doc, ctx, fmt))
                        except SpecError as exc:
                            errors.add(exc)
                    jobs.append(Job(design_id, variant_id, unit.slug, format_id, fmt, tuple(design.media),
                                    layout.name, _color(layout.background, specs.campaign), tuple(blocks),
                                    keep_together))
    errors.raise_if_any()
    return jobs
