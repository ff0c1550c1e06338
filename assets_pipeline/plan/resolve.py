"""Blocks resolved for one job: texts templated, colours named, paths made absolute."""

from __future__ import annotations

from typing import Any, cast
from collections.abc import Iterator, Sequence

from assets_pipeline.blocks import BLOCK_TYPES
from assets_pipeline.blocks.base import ResolvedBlock
from assets_pipeline.core.color import CMYK, TRANSPARENT
from assets_pipeline.core.press import DEFAULT_CONDITION, DEFAULT_PROFILE, REGISTRY, Press, cmyk_of, profile_name
from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.i18n import _
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.core.vietnamese import long_date, short_date
from assets_pipeline.specs import templating
from assets_pipeline.specs.campaigns import headline_of, resolve_slogan, slogan_variants
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design, Variant
from assets_pipeline.specs.models import Campaign, Format, Unit
from assets_pipeline.specs.yamlsource import Document


def context(campaign: Campaign, unit: Unit, units: dict[str, Unit], variant_id: str, variant: Any,
            format_id: str, fmt: Format) -> dict[str, Any]:
    """What a template can see: plain data only."""
    def unit_data(u: Unit | None) -> dict[str, Any] | None:
        if u is None:
            return None
        # `name` is what pieces print (the display form where local usage differs); `official_name` is GSO's
        return {"slug": u.slug, "name": u.shown, "official_name": u.name, "short_name": u.short_name,
                "level": u.level, "code": u.code, "kind": u.kind,
                "authority": u.authority,
                "parent": unit_data(units.get(u.parent)) if u.parent else None}

    width, height = fmt.size
    return {
        "campaign": {
            "id": campaign.id, "title": campaign.title, "year": campaign.year, "province": campaign.province,
            "issuer": campaign.issuer, "texts": dict(campaign.texts), "headline": headline_of(campaign),
            "period": {"start": short_date(campaign.period.start), "end": short_date(campaign.period.end)},
            "events": {event_id: {"title": e.title, "place": e.place, "host": e.host,
                                  "date": short_date(e.date), "date_long": long_date(e.date)}
                       for event_id, e in campaign.events.items()},
        },
        "slogans": dict(campaign.slogans),
        "unit": unit_data(unit),
        "variant": {"id": variant_id, "slogan": resolve_slogan(variant.slogan, campaign), "vars": dict(variant.vars)},
        "format": {"id": format_id, "title": fmt.title, "channel": fmt.channel,
                   "width": width, "height": height, "unit": fmt.unit_name},
    }


def palette_color(name: str, campaign: Campaign) -> str:
    return TRANSPARENT if name == TRANSPARENT else campaign.palette.get(name, name).upper()


class BlockResolver:
    """What a block type asks while it resolves (blocks/base.py, `Resolver`), for the block at `path`."""

    def __init__(self, specs: Specs, doc: Document, path: tuple, ctx: dict[str, Any], fmt: Format):
        self.specs, self.doc, self.path, self.ctx, self.fmt = specs, doc, path, ctx, fmt
        self.is_print = fmt.is_print

    def where(self, *key: Any) -> Where:
        return self.doc.where(self.path + key)

    def render(self, key: str, source: str) -> str:
        try:
            return templating.render(source, self.ctx)
        except SpecError as exc:
            raise SpecError(exc.message, self.where(key)) from None

    def color(self, name: str) -> str:
        return palette_color(name, self.specs.campaign)

    def slogan(self, key: str, slogan_id: str) -> str:
        slogans = self.specs.campaign.slogans
        if slogan_id not in slogans:
            raise SpecError(_("slogan '{slogan}' is not defined", slogan=slogan_id) + did_you_mean(slogan_id, list(slogans)),
                            self.where(key))
        return " ".join(slogans[slogan_id].split())

    def font_file(self, font_id: str) -> tuple[str, str]:
        name = self.specs.campaign.fonts[font_id]
        return name, str(self.specs.resolved(self.specs.root / name))

    def spec_file(self, file: str) -> str:
        return str(self.specs.resolved(self.specs.root / "specs" / file))

    def member(self, index: int, block: Any) -> ResolvedBlock:
        return resolve_any(block, self.path + ("blocks", index), self.specs, self.doc, self.ctx, self.fmt)

    def results(self) -> UnitResults:
        return UnitResults(self.specs, self.specs.unit(self.ctx["unit"]["slug"]))


class UnitResults:
    """A unit's results as the infographic's blocks draw them (specs/ket-qua.csv): its own totals, and
    those of the units under it."""

    def __init__(self, specs: Specs, unit: Unit):
        self.specs, self.unit = specs, unit

    def indicator(self, key: str) -> Any:
        """The indicator `key` of specs/indicators.yaml; None if there is none."""
        return self.specs.indicators.get(key)

    def value(self, key: str, unit: str | None = None) -> int | None:
        return self.specs.totals.get(unit or self.unit.slug, {}).get(key)

    def children(self) -> list[Unit]:
        """The units under this one that have results, in the units file's order."""
        return [u for u in self.specs.units if u.parent == self.unit.slug and u.slug in self.specs.totals]


def resolve_any(block: Any, path: tuple, specs: Specs, doc: Document, ctx: dict[str, Any], fmt: Format) -> ResolvedBlock:
    """Any block type, by the type's own `resolve`."""
    return block.resolve(BlockResolver(specs, doc, path, ctx, fmt))


def variants_for(specs: Specs, design: Design, unit: Unit) -> list[tuple[str, Variant, dict[str, Any], Where | None]]:
    """A design's variants for one unit, with what each adds to the template context and the data row it
    comes from (a text of that row that cannot fit is said at the row): the design's own,
    or one per procedure the unit posts (`variants_from: procedures`), or one per campaign slogan
    (`variants_from: slogans`)."""
    if design.variants_from == "procedures":
        posted = {p.variant_id: p for p in specs.procedures if p.unit == unit.slug}
        for p in specs.procedures:  # an `every:` row, unless the unit has its own row of that code
            if p.posted_by(unit.slug, unit.kind):
                posted.setdefault(p.variant_id, p)
        return [(p.variant_id, Variant(), {"procedure": p.template_data()}, Where(p.file, p.line))
                for p in sorted(posted.values(), key=lambda p: p.line)]
    if design.variants_from == "awards":
        return [(a.variant_id, Variant(), {"award": a.template_data()}, a.where)
                for a in specs.awards if a.issued_by == unit.slug]
    if design.variants_from == "slogans":
        return [(slogan_id, Variant(slogan=slogan_id), {}, None) for slogan_id in slogan_variants(specs.campaign)]
    return [(variant_id, variant, {}, None) for variant_id, variant in design.variants.items()]



def all_blocks(blocks) -> Iterator[ResolvedBlock]:
    """Blocks and the members of stacks, depth first."""
    for block in blocks:
        yield block
        yield from all_blocks(block.members)


def press_for(specs: Specs, fmt: Format) -> Press:
    """The press a print format's files are made for: the campaign's profile and settings, the format's
    PDF/X level where it asks for one."""
    settings = specs.campaign.print_settings
    if settings.profile is None:
        path, (identifier, condition), registry = DEFAULT_PROFILE, DEFAULT_CONDITION, REGISTRY
    else:
        path = str(specs.resolved(specs.root / "specs" / settings.profile))
        identifier = settings.condition or profile_name(path)
        condition, registry = profile_name(path), ""
    return Press(path, identifier, condition, registry, settings.intent, settings.ink_limit,
                 specs.campaign.cmyk_from_rgb, fmt.pdfx or settings.pdfx, specs.campaign.period.start.isoformat())


def print_colors(campaign: Campaign, press: Press, background: str, blocks: list[ResolvedBlock], doc,
                 background_path: tuple, extra: Sequence[str] = ()) -> tuple[tuple[str, CMYK], ...]:
    """Each colour's CMYK: the campaign's own value for a palette colour, else through the press."""
    explicit = {campaign.palette[name].upper(): cast(CMYK, tuple(v / 100 for v in values))
                for name, values in campaign.cmyk.items() if name in campaign.palette}
    every = list(all_blocks(blocks))
    wanted = [(background, doc.where(background_path))] + [(color, doc.where(background_path)) for color in extra]
    wanted += [(color, b.where) for b in every for color in BLOCK_TYPES[b.kind].colors(b)]
    rasters = [b for b in every if BLOCK_TYPES[b.kind].raster]
    if rasters and campaign.cmyk_from_rgb == "none":
        where = rasters[0].where
        raise SpecError(_("an image in a CMYK format needs a conversion: set cmyk_from_rgb in campaign.yaml"), where)
    found: dict[str, CMYK] = {}
    for color, where in wanted:
        if color in explicit:
            found[color] = explicit[color]
        elif campaign.cmyk_from_rgb != "none":
            found[color] = cmyk_of(color, press)
        else:
            raise SpecError(_("colour {color} has no CMYK value: give it one under 'cmyk' in campaign.yaml or state a "
                              "conversion with cmyk_from_rgb", color=color), where)
    return tuple(sorted(found.items()))


def unbreakable(specs: Specs, unit: Unit) -> tuple[str, ...]:
    """What no line may break inside: the campaign's compound words, and the names of the unit
    and the units above it ("huyện Chiêm Hóa" stays on one line). Only the unit's own chain, so
    renaming one unit changes no other unit's files."""
    names: list[str] = []
    current: Unit | None = unit
    while current is not None:
        names.append(current.shown)
        current = specs.unit(current.parent) if current.parent else None
    return tuple(specs.campaign.phrases) + tuple(names)
