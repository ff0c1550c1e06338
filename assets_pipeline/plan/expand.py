"""Expansion: each design × unit × variant × format becomes a Job with every text resolved.

Templates run here, once; the text that leaves this stage is final (NFC, whitespace collapsed).
"""

from __future__ import annotations

from dataclasses import dataclass

from assets_pipeline.blocks.textfit import PUNCTUATION
from assets_pipeline.core.color import CMYK
from assets_pipeline.core.errors import ErrorList, SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.plan.clips import expand_video
from assets_pipeline.plan.documents import resolve_document
from assets_pipeline.plan.jobs import Job
from assets_pipeline.plan.resolve import (all_blocks, context, palette_color, press_for, print_colors, resolve_any,
                                          unbreakable, variants_for)
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Variant


@dataclass(frozen=True)
class Selection:
    """Which part of the catalogue to build; None means all."""

    channel: str | None = None
    unit: str | None = None
    design: str | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        """`channel` names one channel or several, with commas (`web,social,notices`)."""
        return tuple(c.strip() for c in self.channel.split(",")) if self.channel is not None else ()

    def wants(self, design: str | None, unit: str, channel: str) -> bool:
        return ((self.design is None or design == self.design) and (self.unit is None or unit == self.unit)
                and (self.channel is None or channel in self.channels))


def too_many_pieces() -> str:
    return _("more than {count} pieces to build (designs × units × variants × formats); build part of them with "
             "--unit/--design/--only, or raise the limit with ASSETS_LIMIT_MAX_JOBS", count=LIMITS.max_jobs)


def check_selection(specs: Specs, selection: Selection) -> None:
    if selection.design is not None and selection.design not in specs.designs:
        raise SpecError(_("design '{design}' is not defined", design=selection.design)
                        + did_you_mean(selection.design, list(specs.designs)))
    slugs = [u.slug for u in specs.units]
    if selection.unit is not None and selection.unit not in slugs:
        raise SpecError(_("unit '{unit}' is not defined", unit=selection.unit) + did_you_mean(selection.unit, slugs))
    channels = sorted({f.channel for f in specs.formats.values()})
    for channel in selection.channels:
        if channel not in channels:
            raise SpecError(_("channel '{channel}' is not defined", channel=channel) + did_you_mean(channel, channels))



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
                if not selection.wants(design_id, unit.slug, fmt.channel) or not design.units.reaches(unit.kind, format_id):
                    continue
                if design.video is not None:
                    try:
                        jobs.extend(expand_video(specs, design_id, design, unit, format_id))
                    except SpecError as exc:
                        errors.add(exc)
                    continue
                if design.document is not None:
                    if design.document.kind == "pledge" and specs.campaign.pledge is None:
                        continue  # a campaign without a pledge has none to print
                    try:
                        jobs.append(_document_job(specs, design_id, design, doc, unit, units, format_id))
                    except SpecError as exc:
                        errors.add(exc)
                    continue
                width, height = fmt.size
                aspect = width / height
                layout_index = next((i for i, lay in enumerate(design.layouts) if lay.when.matches(aspect)), None)
                if layout_index is None:
                    errors.add(doc.error(("layouts",), _("no layout matches format '{format}' (width / height = {aspect:.2f})",
                                                       format=format_id, aspect=aspect)))
                    continue
                layout = design.layouts[layout_index]
                for variant_id, variant, extra, row in variants_for(specs, design, unit):
                    if len(jobs) >= LIMITS.max_jobs:
                        raise SpecError(too_many_pieces(), doc.where(()))
                    ctx = context(specs.campaign, unit, units, variant_id, variant, format_id, fmt)
                    ctx.update(extra)
                    blocks = []
                    for index, block in enumerate(layout.blocks):
                        try:
                            blocks.append(resolve_any(block, ("layouts", layout_index, "blocks", index),
                                                         specs, doc, ctx, fmt))
                        except SpecError as exc:
                            errors.add(exc)
                    background = palette_color(layout.background, specs.campaign)
                    cmyk: tuple[tuple[str, CMYK], ...] = ()
                    press = None
                    if fmt.is_print and fmt.color_space == "cmyk" and "pdf" in design.media:
                        press = press_for(specs, fmt)
                        try:
                            cmyk = print_colors(specs.campaign, press, background, blocks, doc,
                                                ("layouts", layout_index, "background"))
                        except SpecError as exc:
                            errors.add(exc)
                    jobs.append(Job(design_id, variant_id, unit.slug, format_id, fmt, tuple(design.media),
                                    layout.name, background, tuple(blocks), in_texts(keep_together, blocks), cmyk,
                                    press=press, row=row))
    errors.raise_if_any()
    return jobs


def _document_job(specs: Specs, design_id: str, design, doc, unit, units, format_id: str) -> Job:
    """One document per unit and format: its texts see what the unit does in the campaign (the
    procedures its one-stop desk posts, the awards it gives) beside what a block's template sees."""
    fmt = specs.formats[format_id]
    ctx = context(specs.campaign, unit, units, "", Variant(), format_id, fmt)
    ctx["procedures"] = [p.template_data() for p in specs.procedures if p.posted_by(unit.slug, unit.kind)]
    ctx["awards"] = [a.template_data() for a in specs.awards if a.issued_by == unit.slug]
    document = resolve_document(specs, design, doc, unit, ctx)
    colors = {document.color, document.accent, "#FFFFFF"}
    cmyk: tuple[tuple[str, CMYK], ...] = ()
    press = None
    if fmt.color_space == "cmyk":
        press = press_for(specs, fmt)
        cmyk = print_colors(specs.campaign, press, "#FFFFFF", [], doc, ("document",), extra=sorted(colors))
    return Job(design_id, unit.slug, unit.slug, format_id, fmt, tuple(design.media), "document", "#FFFFFF",
               (), unbreakable(specs, unit), cmyk, press=press, document=document)


def in_texts(phrases: tuple[str, ...], blocks: list) -> tuple[str, ...]:
    """The phrases that occur in the piece's texts: a piece's key then names only what it sets, so a
    district renamed makes again the district's files, not those of its communes."""
    def words(text: str) -> str:  # as glued_gaps compares them: punctuation off, case folded
        return " " + " ".join(w.strip(PUNCTUATION).casefold() for w in text.split()) + " "

    texts = [words(b.text) for b in all_blocks(blocks) if isinstance(b.text, str)]
    return tuple(p for p in phrases if any(words(p) in t for t in texts))
