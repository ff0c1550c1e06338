"""Expansion: each design × unit × variant × format becomes a Job with every text resolved.

Templates run here, once; the text that leaves this stage is final (NFC, whitespace collapsed).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from assets_pipeline import templating
from assets_pipeline.campaigns import headline_of, resolve_slogan, slogan_variants
from assets_pipeline.errors import ErrorList, SpecError, Where
from assets_pipeline.fonts import face
from assets_pipeline.limits import LIMITS
from assets_pipeline.print_color import CMYK, full_gcr
from assets_pipeline.qr import BadAddress, check_url
from assets_pipeline.specs import (Campaign, Design, Format, ImageBlock, QrBlock, RectBlock, Specs, StackBlock,
                                   TextBlock, Unit, Variant, did_you_mean)

PT_MM = 25.4 / 72


@dataclass(frozen=True)
class ResolvedBlock:
    """A block of one job with its text and colour final; sizes in the format's unit (mm or px)."""

    kind: str  # "rect" or "text"
    box: tuple[float, float, float, float]
    area: str
    color: str  # palette name resolved to #RRGGBB
    where: Where = field(repr=False, compare=False)  # for errors only: moving a line changes no output
    text: str | None = None
    slogan: str | None = None  # the slogan id, when the text is an official slogan
    font_path: str | None = None
    align: str = "center"
    valign: str = "middle"
    max_lines: int = 1
    line_height: float = 1.15
    line_gap_em: float = 0.08
    min_size: float = 0.0
    max_size: float = 0.0
    image_path: str | None = None  # an image block's file, resolved under specs/
    name: str | None = None
    priority: int | None = None  # None: never dropped
    url: str | None = None  # a QR code's data
    background: str | None = None  # a QR code's light modules
    members: tuple["ResolvedBlock", ...] = ()  # a stack's blocks
    direction: str = "column"
    gap: float = 0.0
    shares: tuple[float, ...] = ()

    @property
    def label(self) -> str:
        """What the build calls this block when it drops it."""
        return self.name or f"{self.kind} block at line {self.where.line}"


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
    # the print value of every colour the job uses, for CMYK formats: (#RRGGBB, (c, m, y, k) in 0…1)
    cmyk: tuple[tuple[str, CMYK], ...] = ()
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
            "issuer": campaign.issuer, "texts": dict(campaign.texts), "headline": headline_of(campaign),
            "period": {"start": campaign.period.start.strftime("%d/%m/%Y"),
                       "end": campaign.period.end.strftime("%d/%m/%Y")},
            "events": {event_id: {"title": e.title, "place": e.place, "host": e.host,
                                  "date": e.date.strftime("%d/%m/%Y"),
                                  "date_long": f"ngày {e.date.day} tháng {e.date.month} năm {e.date.year}"}
                       for event_id, e in campaign.events.items()},
        },
        "slogans": dict(campaign.slogans),
        "unit": unit_data(unit),
        "variant": {"id": variant_id, "slogan": resolve_slogan(variant.slogan, campaign), "vars": dict(variant.vars)},
        "format": {"id": format_id, "title": fmt.title, "channel": fmt.channel,
                   "width": width, "height": height, "unit": fmt.unit_name},
    }


def _color(name: str, campaign: Campaign) -> str:
    return campaign.palette.get(name, name).upper()


def _resolve_block(block: RectBlock | TextBlock, path: tuple, specs: Specs, doc, ctx: dict, fmt: Format) -> ResolvedBlock:
    campaign = specs.campaign
    if isinstance(block, ImageBlock):
        file = _resolved(specs.root / "specs" / block.file)
        return ResolvedBlock("image", block.box, block.area, "", doc.where(path + ("file",)), image_path=str(file),
                             align=block.align, valign=block.valign)
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
    font_path = _resolved(specs.root / font_file)
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
        line_gap_em=block.line_gap_em,
        min_size=min_size, max_size=max_size,
    )


def _resolve_any(block: Any, path: tuple, specs: Specs, doc, ctx: dict, fmt: Format) -> ResolvedBlock:
    """Any block type: stacks resolve their members, QR codes their address."""
    campaign = specs.campaign
    if isinstance(block, StackBlock):
        members = tuple(_resolve_any(member, path + ("blocks", i), specs, doc, ctx, fmt)
                        for i, member in enumerate(block.blocks))
        return ResolvedBlock("stack", block.box, block.area, "", doc.where(path), name=block.name, members=members,
                             direction=block.direction, gap=block.gap,
                             shares=tuple(block.shares or [1.0] * len(block.blocks)))
    if isinstance(block, QrBlock):
        where = doc.where(path + ("url",))
        try:
            url = templating.render(block.url, ctx)
            check_url(url)
        except SpecError as exc:
            raise SpecError(exc.message, where) from None
        except BadAddress as exc:
            raise SpecError(f"QR code: {exc}", where) from None
        return ResolvedBlock("qr", block.box, block.area, _color(block.color, campaign), doc.where(path),
                             name=block.name, priority=block.priority, url=url,
                             background=_color(block.background, campaign))
    resolved = _resolve_block(block, path, specs, doc, ctx, fmt)
    return replace(resolved, name=block.name, priority=block.priority)


def variants_for(specs: Specs, design: Design, unit: Unit) -> list[tuple[str, Variant, dict[str, Any]]]:
    """A design's variants for one unit, with what each adds to the template context: the design's own,
    or one per procedure the unit posts (`variants_from: procedures`), or one per campaign slogan
    (`variants_from: slogans`)."""
    if design.variants_from == "procedures":
        return [(p.variant_id, Variant(), {"procedure": p.template_data()})
                for p in specs.procedures if p.unit == unit.slug]
    if design.variants_from == "slogans":
        return [(slogan_id, Variant(slogan=slogan_id), {}) for slogan_id in slogan_variants(specs.campaign)]
    return [(variant_id, variant, {}) for variant_id, variant in design.variants.items()]


@functools.lru_cache(maxsize=256)
def _resolved(path: Path) -> Path:
    return path.resolve()


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


def all_blocks(blocks) -> Iterator[ResolvedBlock]:
    """Blocks and the members of stacks, depth first."""
    for block in blocks:
        yield block
        yield from all_blocks(block.members)


def print_colors(campaign: Campaign, background: str, blocks: list[ResolvedBlock], doc,
                 background_path: tuple) -> tuple[tuple[str, CMYK], ...]:
    """Each colour's CMYK: the campaign's own value for a palette colour, else the stated conversion."""
    explicit = {campaign.palette[name].upper(): tuple(v / 100 for v in values)
                for name, values in campaign.cmyk.items() if name in campaign.palette}
    every = list(all_blocks(blocks))
    wanted = [(background, doc.where(background_path))]
    for b in every:
        if b.kind in ("rect", "text", "qr"):
            wanted.append((b.color, b.where))
        if b.kind == "qr" and b.background:
            wanted.append((b.background, b.where))
    if any(b.kind == "image" for b in every) and campaign.cmyk_from_rgb == "none":
        where = next(b.where for b in every if b.kind == "image")
        raise SpecError("an image in a CMYK format needs a conversion: set cmyk_from_rgb in campaign.yaml", where)
    found: dict[str, CMYK] = {}
    for color, where in wanted:
        if color in explicit:
            found[color] = explicit[color]
        elif campaign.cmyk_from_rgb == "full-gcr":
            found[color] = full_gcr(color)
        else:
            raise SpecError(f"colour {color} has no CMYK value: give it one under 'cmyk' in campaign.yaml "
                            f"or state a conversion with cmyk_from_rgb", where)
    return tuple(sorted(found.items()))


def unbreakable(specs: Specs, unit: Unit) -> tuple[str, ...]:
    """What no line may break inside: the campaign's compound words, and the names of the unit
    and the units above it ("huyện Chiêm Hóa" stays on one line). Only the unit's own chain, so
    renaming one unit changes no other unit's files."""
    names, current = [], unit
    while current is not None:
        names.append(current.name)
        current = next((u for u in specs.units if u.slug == current.parent), None)
    return tuple(specs.campaign.phrases) + tuple(names)


def expand(specs: Specs, selection: Selection = Selection()) -> list[Job]:
    """Every job the specs describe within `selection`; raises every problem found at once."""
    check_selection(specs, selection)
    errors = ErrorList()
    jobs: list[Job] = []
    units = {u.slug: u for u in specs.units}
    for design_id, design in specs.designs.items():
        doc = specs.docs[f"designs/{design_id}.yaml"]
        for unit in specs.units_for(design):
            keep_together = unbreakable(specs, unit)
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
                for variant_id, variant, extra in variants_for(specs, design, unit):
                    if len(jobs) >= LIMITS.max_jobs:
                        raise SpecError(f"more than {LIMITS.max_jobs} pieces to build (designs × units × variants × "
                                        f"formats); build part of them with --unit/--design/--only, or raise the "
                                        f"limit with ASSETS_LIMIT_MAX_JOBS", doc.where(()))
                    ctx = context(specs.campaign, unit, units, variant_id, variant, format_id, fmt)
                    ctx.update(extra)
                    blocks = []
                    for index, block in enumerate(layout.blocks):
                        try:
                            blocks.append(_resolve_any(block, ("layouts", layout_index, "blocks", index),
                                                         specs, doc, ctx, fmt))
                        except SpecError as exc:
                            errors.add(exc)
                    background = _color(layout.background, specs.campaign)
                    cmyk: tuple[tuple[str, CMYK], ...] = ()
                    if fmt.is_print and fmt.color_space == "cmyk" and "pdf" in design.media:
                        try:
                            cmyk = print_colors(specs.campaign, background, blocks, doc,
                                                ("layouts", layout_index, "background"))
                        except SpecError as exc:
                            errors.add(exc)
                    jobs.append(Job(design_id, variant_id, unit.slug, format_id, fmt, tuple(design.media),
                                    layout.name, background, tuple(blocks), keep_together, cmyk))
    errors.raise_if_any()
    return jobs
