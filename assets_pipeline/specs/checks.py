"""Checks across spec files: slogan, format, font, colour, unit and image references."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assets_pipeline.core.errors import ErrorList, SpecError
from assets_pipeline.core.files import resolved
from assets_pipeline.core.fonts import face
from assets_pipeline.core.i18n import _
from assets_pipeline.core.press import ProfileProblem, read_profile
from assets_pipeline.core.color import TRANSPARENT
from assets_pipeline.core.qr import BadAddress, check_url
from assets_pipeline.core.raster import ImageProblem, read_image
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.specs import templating
from assets_pipeline.specs.campaigns import HEADLINE, RESERVED_SLOGAN_IDS, slides_for
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design
from assets_pipeline.specs.indicators import indicators_for
from assets_pipeline.specs.models import HEX_COLOR, SLUG, Campaign, FormatsFile, Unit
from assets_pipeline.specs.yamlsource import Document


def _color_known(color: str, campaign: Campaign) -> bool:
    return color in campaign.palette or re.fullmatch(HEX_COLOR, color) is not None


def unknown_color(name: str, palette: list[str]) -> str:
    """What is wrong with a colour that is neither a palette name nor `#RRGGBB`."""
    if name.startswith("#"):
        return _("colour '{name}' is not #RRGGBB (# and six hex digits) nor a palette name ({names})", name=name,
                 names=", ".join(palette))
    return _("colour '{name}' is not in the palette", name=name) + did_you_mean(name, palette)


class BlockChecker:
    """What a block type checks (blocks/base.py, `Checker`), each problem said at the block's key."""

    def __init__(self, specs: Specs, doc: Document, path: tuple, errors: ErrorList):
        self.specs, self.doc, self.path, self.errors = specs, doc, path, errors

    def _error(self, key: str | int, message: str) -> None:
        self.errors.add(self.doc.error(self.path + (key,), message))

    def color(self, key: str, name: str) -> None:
        palette = self.specs.campaign.palette
        if not _color_known(name, self.specs.campaign):
            self._error(key, unknown_color(name, list(palette)))

    def font(self, key: str, font_id: str) -> None:
        fonts = self.specs.campaign.fonts
        if font_id not in fonts:
            self._error(key, _("font '{font}' is not defined", font=font_id) + did_you_mean(font_id, list(fonts)))

    def template(self, key: str | int, source: str) -> None:
        try:
            templating.compile_template(source)
        except SpecError as exc:
            self._error(key, exc.message)

    def slogan(self, key: str, slogan_id: str) -> None:
        slogans = self.specs.campaign.slogans
        if slogan_id not in slogans:
            self._error(key, _("slogan '{slogan}' is not defined", slogan=slogan_id) + did_you_mean(slogan_id, list(slogans)))

    def indicator(self, key: str, indicator_id: str) -> None:
        known = list(self.specs.indicators)
        if indicator_id not in known:
            self._error(key, _("indicator '{id}' is not in specs/indicators.yaml", id=indicator_id)
                        + did_you_mean(indicator_id, known))

    def image(self, key: str, file: str) -> None:
        specs_dir = (self.specs.root / "specs").resolve()
        try:
            path = resolved(specs_dir / file)
        except SpecError as exc:
            self._error(key, _("image {problem}", problem=exc.message))
            return
        if not path.is_relative_to(specs_dir):
            self._error(key, _("image '{file}' must be a file under specs/", file=file))
        elif not path.is_file():
            self._error(key, _("image file '{file}' does not exist", file=file))
        else:
            try:
                read_image(path)
            except ImageProblem as exc:
                self._error(key, _("image '{file}' {problem}", file=file, problem=exc))


def check_design(design_id: str, design: Design, doc: Document, specs: Specs, errors: ErrorList) -> None:
    campaign = specs.campaign
    for index, format_id in enumerate(design.formats):
        if format_id not in specs.formats:
            errors.add(doc.error(("formats", index),
                                 _("format '{format}' is not defined", format=format_id)
                                 + did_you_mean(format_id, list(specs.formats))))
    # (a typo in `formats` above is the one line to read, not every `units.formats` it leaves dangling)
    for kind, chosen in design.units.formats.items() if set(design.formats) <= set(specs.formats) else ():
        for index, format_id in enumerate(chosen):
            if format_id not in design.formats:
                errors.add(doc.error(("units", "formats", kind, index),
                                     _("format '{format}' is not one of the design's formats", format=format_id)
                                     + did_you_mean(format_id, design.formats)))
    slugs = [u.slug for u in specs.units]
    for index, slug in enumerate(design.units.slugs or []):
        if slug not in slugs:
            errors.add(doc.error(("units", "slugs", index), _("unit '{unit}' is not defined", unit=slug)
                                 + did_you_mean(slug, slugs)))
    if design.units.slugs is not None and not specs.units_for(design):  # (a campaign may hold no unit of a kind)
        errors.add(doc.error(("units",), _("no unit matches this selection")))
    if design.variants_from == "procedures" and not (specs.root / "specs" / campaign.procedures).is_file():
        errors.add(doc.error(("variants_from",), _("variants_from: procedures needs specs/{file}", file=campaign.procedures)))
    if design.variants_from == "awards" and not (specs.root / "specs" / campaign.awards).is_file():
        errors.add(doc.error(("variants_from",), _("variants_from: awards needs specs/{file}", file=campaign.awards)))
    for variant_id, variant in design.variants.items():
        if variant.slogan is not None and variant.slogan != HEADLINE and variant.slogan not in campaign.slogans:
            errors.add(doc.error(("variants", variant_id, "slogan"),
                                 _("slogan '{slogan}' is not defined", slogan=variant.slogan)
                                 + did_you_mean(variant.slogan, list(campaign.slogans))))
    for li, layout in enumerate(design.layouts):
        if layout.background == TRANSPARENT:
            if list(design.media) != ["png"] or any(f in specs.formats and specs.formats[f].is_print
                                                    for f in design.formats):
                errors.add(doc.error(("layouts", li, "background"),
                                     _("a transparent background is for PNG files of screen formats: media: [png], "
                                       "formats with size_px")))
        elif not _color_known(layout.background, campaign):
            errors.add(doc.error(("layouts", li, "background"),
                                 unknown_color(layout.background, list(campaign.palette))))
        for path, block in walk_blocks(layout.blocks, ("layouts", li, "blocks")):
            block.check(BlockChecker(specs, doc, path, errors))
    if design.video is not None or "mp4" in design.media:
        _check_video(design, doc, specs, errors)
    if design.document is not None or "txt" in design.media:
        _check_document(design, doc, specs, errors)


def _check_document(design: Design, doc: Document, specs: Specs, errors: ErrorList) -> None:
    document = design.document
    if document is None:
        errors.add(doc.error(("media",), _("txt is the medium of a radio text: it needs a 'document' section")))
        return
    checker = BlockChecker(specs, doc, ("document",), errors)
    checker.font("font", document.font)
    checker.font("bold", document.bold)
    checker.color("color", document.color)
    checker.color("accent", document.accent)
    for key in ("header", "title", "subtitle", "closing", "contact"):
        if getattr(document, key) is not None:
            checker.template(key, getattr(document, key))
    for index, paragraph in enumerate(document.paragraphs):
        BlockChecker(specs, doc, ("document", "paragraphs"), errors).template(index, paragraph)
    for index, format_id in enumerate(design.formats):
        fmt = specs.formats.get(format_id)
        if fmt is not None and not fmt.is_print:
            errors.add(doc.error(("formats", index), _("format '{format}' is not a print format (a document is set on "
                                                       "paper: size_mm)", format=format_id)))
    needs = {"radio": ("syllables_per_minute", "max_minutes"), "leaflet": ("services", "contact"), "pledge": (),
             "results": ()}
    for key in needs[document.kind]:
        if not getattr(document, key):
            errors.add(doc.error(("document",), _("a {kind} document needs '{key}'", kind=document.kind, key=key)))
    if ("txt" in design.media) != (document.kind == "radio"):
        errors.add(doc.error(("media",), _("a radio text is written as txt and pdf; other documents as pdf and png")))
    if document.kind == "results":
        if "xlsx" not in design.media:
            errors.add(doc.error(("media",), _("a results form is written as xlsx (and csv, pdf, png)")))
        for kind in design.units.kinds or ("province", "district", "commune"):
            if specs.indicators and not indicators_for(specs.indicators, kind):
                errors.add(doc.error(("units",), _("no indicator of specs/{file} is reported by units of kind '{kind}'",
                                                   file=specs.campaign.indicators, kind=kind)))
        if not specs.indicators:
            errors.add(doc.error(("document", "kind"), _("a results form needs specs/{file}: the indicators it asks",
                                                         file=specs.campaign.indicators)))
    elif {"xlsx", "csv"} & set(design.media):
        errors.add(doc.error(("media",), _("only a results form is written as xlsx or csv")))
    unreadable = not specs.services and (specs.root / "specs" / specs.campaign.services).is_file()  # said already
    for index, service in enumerate(document.services):
        if service not in specs.services and not unreadable:
            errors.add(doc.error(("document", "services", index),
                                 _("service '{service}' is not in specs/{file}", service=service,
                                   file=specs.campaign.services) + did_you_mean(service, list(specs.services))))


def check_documents(specs: Specs, campaign_key: str, services_file: str, errors: ErrorList) -> None:
    """The campaign's pledge names units that exist; the services' addresses can be printed as QR codes."""
    doc = specs.docs.get(campaign_key)
    pledge = specs.campaign.pledge
    known = [d.slug for d in specs.departments] + [u.slug for u in specs.units]
    if pledge is not None and doc is not None:
        for index, signer in enumerate(pledge.signers):
            if signer.unit not in known:
                errors.add(doc.error(("pledge", "signers", index, "unit"),
                                     _("unit '{unit}' is not a department or unit of the units file", unit=signer.unit)
                                     + did_you_mean(signer.unit, known)))
    services_doc = specs.docs.get(services_file)
    for service_id, service in specs.services.items():
        try:
            check_url(service.url)
        except BadAddress as exc:
            where = services_doc.error(("services", service_id, "url"), str(exc)) if services_doc else SpecError(str(exc))
            errors.add(where)


def _check_video(design: Design, doc: Document, specs: Specs, errors: ErrorList) -> None:
    campaign = specs.campaign
    if design.video is None:
        errors.add(doc.error(("media",), _("mp4 needs a 'video' section (its slides)")))
        return
    for index, format_id in enumerate(design.formats):
        fmt = specs.formats.get(format_id)
        if fmt is not None and not fmt.is_video:
            errors.add(doc.error(("formats", index), _("format '{format}' is not a video format (a video design needs "
                                                       "formats with size_px and duration_s)", format=format_id)))
    layout_names = sorted({layout.name for layout in design.layouts})
    seen: set[str] = set()
    for campaign_slide in slides_for(design.video, campaign):
        path: tuple[str | int, ...] = ("video", "slides", campaign_slide.index)
        if campaign_slide.name in seen:
            errors.add(doc.error(path, _("slide '{slide}' is named twice (a slide's name defaults to its slogan's id)",
                                         slide=campaign_slide.name)))
        seen.add(campaign_slide.name)
    for index, slide in enumerate(design.video.slides):
        path = ("video", "slides", index)
        if slide.layout not in layout_names:
            errors.add(doc.error(path + ("layout",), _("layout '{layout}' is not defined", layout=slide.layout)
                                 + did_you_mean(slide.layout, layout_names)))
        if slide.slogan is not None and slide.slogan not in RESERVED_SLOGAN_IDS and slide.slogan not in campaign.slogans:
            errors.add(doc.error(path + ("slogan",), _("slogan '{slogan}' is not defined", slogan=slide.slogan)
                                 + did_you_mean(slide.slogan, list(campaign.slogans))))
    marquee = design.video.marquee
    if marquee is not None:
        path = ("video", "marquee")
        for key in ("color", "background"):
            color = getattr(marquee, key)
            if not _color_known(color, campaign):
                errors.add(doc.error(path + (key,), unknown_color(color, list(campaign.palette))))
        for format_id in marquee.speed_px_s_by_format:
            if format_id not in design.formats:
                errors.add(doc.error(path + ("speed_px_s_by_format", format_id),
                                     _("format '{format}' is not one of this design's formats", format=format_id)
                                     + did_you_mean(format_id, design.formats)))
        if marquee.font not in campaign.fonts:
            errors.add(doc.error(path + ("font",), _("font '{font}' is not defined", font=marquee.font)
                                 + did_you_mean(marquee.font, list(campaign.fonts))))
        for key in ("text", "slogan"):
            source = getattr(marquee, key)
            if source is not None:
                try:
                    templating.compile_template(source)
                except SpecError as exc:
                    errors.add(doc.error(path + (key,), exc.message))
        if marquee.slogan is not None and "{" not in marquee.slogan and marquee.slogan not in campaign.slogans:
            errors.add(doc.error(path + ("slogan",), _("slogan '{slogan}' is not defined", slogan=marquee.slogan)
                                 + did_you_mean(marquee.slogan, list(campaign.slogans))))


def check_slogans(campaign: Campaign, doc: Document, errors: ErrorList) -> None:
    for slogan_id in campaign.slogans:
        if slogan_id in RESERVED_SLOGAN_IDS:
            errors.add(doc.error(("slogans", slogan_id), _("'{slogan}' is a word designs use for a slogan's role ({words}); "
                                                           "give the slogan another id", slogan=slogan_id,
                                                           words=", ".join(RESERVED_SLOGAN_IDS))))
        elif not re.fullmatch(SLUG, slogan_id):
            errors.add(doc.error(("slogans", slogan_id), _("slogan id '{slogan}' must be lower-case ASCII letters, digits "
                                                           "and '-' (it becomes part of file names)", slogan=slogan_id)))
    if campaign.headline is not None and campaign.headline not in campaign.slogans:
        errors.add(doc.error(("headline",), _("slogan '{slogan}' is not defined", slogan=campaign.headline)
                             + did_you_mean(campaign.headline, list(campaign.slogans))))


def check_cmyk(campaign: Campaign, doc: Document, errors: ErrorList) -> None:
    limit = campaign.print_settings.ink_limit
    for name, values in campaign.cmyk.items():
        if name not in campaign.palette:
            errors.add(doc.error(("cmyk", name), _("'{name}' is not a palette colour", name=name)
                                 + did_you_mean(name, list(campaign.palette))))
        elif sum(values) > limit:
            errors.add(doc.error(("cmyk", name), _("'{name}' carries {ink:g} % ink in all, more than the press takes "
                                                   "({limit:g} %, print.ink_limit)", name=name, ink=sum(values),
                                                   limit=limit)))


def check_print(campaign: Campaign, doc: Document, root: Path, errors: ErrorList) -> None:
    """The print shop's own profile, when the campaign names one: a CMYK output profile under specs/."""
    name = campaign.print_settings.profile
    if name is None:
        return
    specs_dir = (root / "specs").resolve()
    try:
        path = resolved(specs_dir / name)
    except SpecError as exc:
        errors.add(doc.error(("print", "profile"), _("profile {problem}", problem=exc.message)))
        return
    if not path.is_relative_to(specs_dir):
        errors.add(doc.error(("print", "profile"), _("profile '{file}' must be a file under specs/", file=name)))
    elif not path.is_file():
        errors.add(doc.error(("print", "profile"), _("profile file '{file}' does not exist", file=name)))
    else:
        try:
            read_profile(str(path))
        except ProfileProblem as exc:
            errors.add(doc.error(("print", "profile"), _("profile '{file}' {problem}", file=name, problem=exc)))


def walk_blocks(blocks: list[Any], path: tuple) -> list[tuple[tuple, Any]]:
    """Every block with its path in the YAML, a stack before its members."""
    found = []
    for index, block in enumerate(blocks):
        found.append((path + (index,), block))
        found.extend(walk_blocks(getattr(block, "blocks", []), path + (index, "blocks")))  # a stack's members
    return found


def check_fonts(campaign: Campaign, doc: Document, root: Path, errors: ErrorList) -> None:
    fonts_dir = (root / "fonts").resolve()
    for font_id, name in campaign.fonts.items():
        try:
            path = resolved(root / name)
        except SpecError as exc:
            errors.add(doc.error(("fonts", font_id), _("font {problem}", problem=exc.message)))
            continue
        if not path.is_relative_to(fonts_dir):
            errors.add(doc.error(("fonts", font_id), _("font '{file}' must be a file under fonts/", file=name)))
        elif not path.is_file():
            errors.add(doc.error(("fonts", font_id), _("font file '{file}' does not exist", file=name)))
        else:
            try:
                face(path)
            except SpecError as exc:
                errors.add(doc.error(("fonts", font_id), exc.message))


def check_formats(formats_file: FormatsFile, doc: Document, errors: ErrorList) -> None:
    """Each video format's platforms exist, and its loop keeps to what they accept."""
    for key, fmt in formats_file.formats.items():
        for index, platform in enumerate(fmt.platforms):
            if platform not in formats_file.platforms:
                errors.add(doc.error(("formats", key, "platforms", index),
                                     _("platform '{platform}' is not defined", platform=platform)
                                     + did_you_mean(platform, list(formats_file.platforms))))
        for problem in fmt.limit_problems():
            errors.add(doc.error(("formats", key, "duration_s"), problem))


def check_units(units: list[Unit], doc: Document, errors: ErrorList) -> None:
    seen: set[str] = set()
    for index, unit in enumerate(units):
        if unit.slug in seen:
            errors.add(doc.error(("units", index, "slug"), _("unit '{unit}' is defined twice", unit=unit.slug)))
        seen.add(unit.slug)
    codes: dict[str, str] = {}
    for index, unit in enumerate(units):
        if unit.code is None:
            continue
        if unit.code in codes:
            errors.add(doc.error(("units", index, "code"), _("GSO code {code} is also unit '{unit}'", code=unit.code,
                                                             unit=codes[unit.code])))
        codes.setdefault(unit.code, unit.slug)
    for index, unit in enumerate(units):
        if unit.parent is not None and unit.parent not in seen:
            errors.add(doc.error(("units", index, "parent"), _("parent '{unit}' is not a unit", unit=unit.parent)
                                 + did_you_mean(unit.parent, sorted(seen))))
