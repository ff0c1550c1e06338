"""A design's document (radio text, pledge, leaflet, results form) resolved for one unit: every text templated and
final, fonts as files, colours as values — what layout/documents.py typesets, and what the job's key holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.i18n import _
from assets_pipeline.core.vietnamese import long_date, nfc
from assets_pipeline.plan.return_form import ReturnForm, form_for
from assets_pipeline.specs import templating
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design
from assets_pipeline.specs.models import Unit
from assets_pipeline.specs.yamlsource import Document as SourceDoc


@dataclass(frozen=True)
class SignatureBlock:
    org: tuple[str, ...]  # the signing body's lines, upper case: ("TM. ỦY BAN NHÂN DÂN", "HUYỆN SƠN DƯƠNG")
    title: str  # its head's title: "GIÁM ĐỐC"
    name: str  # blank: the head writes it
    to_confirm: bool


@dataclass(frozen=True)
class ServiceSteps:
    id: str
    name: str
    url: str
    steps: tuple[str, ...]
    to_confirm: bool
    wheres: tuple[Where, ...] = field(default=(), compare=False, repr=False)  # each step's line
    url_where: Where | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ResolvedDocument:
    kind: str  # radio | pledge | leaflet | results
    font_path: str
    bold_path: str
    color: str  # #RRGGBB
    accent: str
    size_pt: float
    leading: float
    header: str | None
    title: str
    subtitle: str | None
    paragraphs: tuple[str, ...]
    closing: str | None
    place_date: str  # "Tuyên Quang, ngày 10 tháng 10 năm 2022"
    draft: bool  # its text is not the official one yet: it says DỰ THẢO
    articles: tuple[str, ...] = ()  # pledge
    signers: tuple[SignatureBlock, ...] = ()
    services: tuple[ServiceSteps, ...] = ()  # leaflet
    contact: str | None = None
    syllables_per_minute: int | None = None  # radio
    form: ReturnForm | None = None  # results
    where: Where | None = field(default=None, compare=False, repr=False)

    @property
    def syllables(self) -> int:
        """Spoken syllables (tiếng) of a radio text: Vietnamese writes each syllable as one word."""
        return sum(len(WORD.findall(text)) for text in self.spoken)

    @property
    def spoken(self) -> list[str]:
        return [t for t in (self.title, self.subtitle, *self.paragraphs, self.closing) if t]

    @property
    def minutes(self) -> float:
        return self.syllables / self.syllables_per_minute if self.syllables_per_minute else 0.0


WORD = re.compile(r"\w+")


def final(text: str) -> str:
    """What leaves this stage: NFC, whitespace collapsed."""
    return " ".join(nfc(text).split())


def reading_time(minutes: float) -> str:
    whole, seconds = divmod(round(minutes * 60), 60)
    return f"{whole} phút {seconds:02d} giây"


def resolve_document(specs: Specs, design: Design, doc: SourceDoc, unit: Unit, ctx: dict[str, Any]) -> ResolvedDocument:
    document = design.document
    assert document is not None  # only a design with a document section gets here (expand.py)
    campaign = specs.campaign

    def text(key: Any, source: str, *path: Any) -> str:
        try:
            return final(templating.render(source, ctx))
        except SpecError as exc:
            raise SpecError(exc.message, doc.where(("document", key, *path))) from None

    def optional(key: str) -> str | None:
        source = getattr(document, key)
        return text(key, source) if source is not None else None

    def font(font_id: str) -> str:
        return str((specs.root / campaign.fonts[font_id]).resolve())

    def color(name: str) -> str:
        return campaign.palette.get(name, name).upper()

    event = next(iter(campaign.events.values()), None)
    day = event.date if event is not None else campaign.period.end
    place = campaign.province if unit.parent is None else _place_name(unit, specs)
    common: dict[str, Any] = dict(
        kind=document.kind, font_path=font(document.font), bold_path=font(document.bold),
        color=color(document.color), accent=color(document.accent), size_pt=document.size_pt,
        leading=document.leading, header=optional("header"), title=text("title", document.title),
        subtitle=optional("subtitle"),
        paragraphs=tuple(text("paragraphs", p, i) for i, p in enumerate(document.paragraphs)),
        closing=optional("closing"), place_date=f"{place}, {long_date(day)}",
        draft=False, where=doc.where(("document",)))
    if document.kind == "pledge":
        pledge = campaign.pledge
        assert pledge is not None  # a campaign without a pledge prints none (expand.py)
        departments = {d.slug: d for d in specs.departments}
        signers = []
        for signer in pledge.signers:
            if signer.unit in departments:
                d = departments[signer.unit]
                signers.append(SignatureBlock((d.name.upper(),), d.head_title, signer.name or "", d.to_confirm is not None))
            else:
                u = specs.unit(signer.unit)
                signers.append(SignatureBlock(("TM. ỦY BAN NHÂN DÂN", u.shown.upper()), "CHỦ TỊCH", signer.name or "", False))
        common.update(subtitle=final(pledge.title), paragraphs=(final(pledge.intro),),
                      articles=tuple(final(a) for a in pledge.articles), signers=tuple(signers),
                      draft=pledge.to_confirm is not None)
    elif document.kind == "leaflet":
        source = specs.docs.get(campaign.services)
        services = []
        for s in document.services:
            service = specs.services[s]
            wheres = tuple(source.where(("services", s, "steps", i)) if source else Where(f"specs/{campaign.services}")
                           for i in range(len(service.steps)))
            url_where = source.where(("services", s, "url")) if source else Where(f"specs/{campaign.services}")
            services.append(ServiceSteps(s, service.name, service.url, tuple(final(step) for step in service.steps),
                                         service.to_confirm is not None, wheres, url_where))
        common.update(services=tuple(services), contact=optional("contact"),
                      draft=any(s.to_confirm for s in services))
    elif document.kind == "results":  # dated when it is filled in
        common.update(form=form_for(specs, unit), place_date=f"{place}, ngày …… tháng …… năm {campaign.year}")
    else:
        common.update(syllables_per_minute=document.syllables_per_minute)
    resolved = ResolvedDocument(**common)
    if document.kind == "radio":
        assert document.max_minutes is not None  # a radio text needs it (checks.py)
        if resolved.minutes > document.max_minutes:
            raise SpecError(_("the radio text of {unit} takes {time} to read at {rate} syllables a minute ({syllables} "
                              "syllables); the design allows {minutes:g} minutes", unit=unit.shown,
                              time=reading_time(resolved.minutes), rate=document.syllables_per_minute,
                              syllables=resolved.syllables, minutes=document.max_minutes),
                            doc.where(("document", "max_minutes")))
    return resolved


def _place_name(unit: Unit, specs: Specs) -> str:
    """Where a unit's document is dated: its own short name (a district, a commune)."""
    return unit.short_name or unit.shown
