"""Blocks resolved for one job: texts templated, colours named, paths made absolute."""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from assets_pipeline.core.color import CMYK, full_gcr
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.fonts import face
from assets_pipeline.core.qr import BadAddress, check_url
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.plan.jobs import PT_MM, ResolvedBlock
from assets_pipeline.specs import templating
from assets_pipeline.specs.campaigns import headline_of, resolve_slogan, slogan_variants
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design, ImageBlock, QrBlock, RectBlock, StackBlock, TextBlock, Variant
from assets_pipeline.specs.models import Campaign, Format, Unit


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


def palette_color(name: str, campaign: Campaign) -> str:
    return campaign.palette.get(name, name).upper()


def resolve_block(block: RectBlock | TextBlock, path: tuple, specs: Specs, doc, ctx: dict, fmt: Format) -> ResolvedBlock:
    campaign = specs.campaign
    if isinstance(block, ImageBlock):
        file = _resolved(specs.root / "specs" / block.file)
        return ResolvedBlock("image", block.box, block.area, "", doc.where(path + ("file",)), image_path=str(file),
                             align=block.align, valign=block.valign)
    color = palette_color(block.color, campaign)
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


def resolve_any(block: Any, path: tuple, specs: Specs, doc, ctx: dict, fmt: Format) -> ResolvedBlock:
    """Any block type: stacks resolve their members, QR codes their address."""
    campaign = specs.campaign
    if isinstance(block, StackBlock):
        members = tuple(resolve_any(member, path + ("blocks", i), specs, doc, ctx, fmt)
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
        return ResolvedBlock("qr", block.box, block.area, palette_color(block.color, campaign), doc.where(path),
                             name=block.name, priority=block.priority, url=url,
                             background=palette_color(block.background, campaign))
    resolved = resolve_block(block, path, specs, doc, ctx, fmt)
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
