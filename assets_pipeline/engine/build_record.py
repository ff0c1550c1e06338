"""What delivery needs to know besides the files, recorded by the build in manifest.json.

Bundles, the download page, proof sheets and the report are made from the manifest alone: the
campaign's printed fields, every unit (name, kind, parent, GSO code), each format's title, which
kinds of unit a design is shared with, and the fonts the documents are set in. The build writes
them beside the assets, from the specs it built from, and copies those fonts under `output/.fonts/`
(named by content): a spec or font edited after the build changes no bundle until it is built.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assets_pipeline.core.files import content_digest
from assets_pipeline.engine.output import write_bytes
from assets_pipeline.render.entry import fits

FONTS_DIR = ".fonts"
# the faces documents are set in, by role, each the first of its campaign font ids that exists
DOCUMENT_FACES = {"regular": ("regular", "medium"), "bold": ("bold", "semibold", "extrabold", "regular")}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class CampaignRecord:
    id: str
    title: str
    year: int
    province: str
    issuer: str
    period: Period
    report_to: str | None = None
    report_before: dt.date | None = None


@dataclass(frozen=True)
class UnitInfo:
    slug: str
    name: str                           # as the pieces print it (the display form, if any)
    kind: str
    parent: str | None
    code: str | None = None             # GSO code
    official_name: str | None = None    # GSO's spelling, where the display form differs


@dataclass(frozen=True)
class FontFile:
    path: str  # relative to output/
    sha256: str


@dataclass(frozen=True)
class BuildRecord:
    campaign: CampaignRecord
    units: tuple[UnitInfo, ...] = ()
    format_titles: dict[str, str] = field(default_factory=dict)
    shared_with: dict[str, list[str] | None] = field(default_factory=dict)  # design → unit kinds, None: all
    fonts: dict[str, FontFile] = field(default_factory=dict)  # document face → file

    def as_json(self) -> dict[str, Any]:
        """The manifest's fields besides `generator` and `assets`."""
        return json.loads(json.dumps({
            "campaign": asdict(self.campaign), "units": [asdict(u) for u in self.units],
            "formats": {k: {"title": v} for k, v in self.format_titles.items()},
            "designs": {k: {"shared_with": v} for k, v in self.shared_with.items()},
            "fonts": {k: asdict(v) for k, v in self.fonts.items()},
        }, default=str))

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> BuildRecord:
        """Raises KeyError, TypeError or ValueError for a manifest without a whole record."""
        c = manifest["campaign"]
        before = c.get("report_before")
        campaign = CampaignRecord(
            str(c["id"]), str(c["title"]), int(c["year"]), str(c["province"]), str(c["issuer"]),
            Period(dt.date.fromisoformat(c["period"]["start"]), dt.date.fromisoformat(c["period"]["end"])),
            c.get("report_to"), dt.date.fromisoformat(before) if before else None)
        if not isinstance(c.get("report_to"), (str, type(None))):
            raise TypeError("report_to")
        units = tuple(UnitInfo(**u) for u in manifest["units"])
        for unit in units:  # every field as its type says: delivery prints them, and names files after slugs
            for name, hint in typing.get_type_hints(UnitInfo).items():
                if not fits(getattr(unit, name), hint):
                    raise TypeError(name)
        shared = {str(k): v["shared_with"] for k, v in manifest["designs"].items()}
        if not all(fits(kinds, list[str] | None) for kinds in shared.values()):
            raise TypeError("shared_with")
        return cls(campaign, units, {str(k): str(v["title"]) for k, v in manifest["formats"].items()}, shared,
                   {str(k): FontFile(str(v["path"]), str(v["sha256"])) for k, v in manifest["fonts"].items()})


def record_of(specs: Any, output: Path) -> BuildRecord:
    """The record of `specs` (a Specs), with the document fonts copied under output/.fonts/."""
    c = specs.campaign
    campaign = CampaignRecord(c.id, c.title, c.year, c.province, c.issuer, Period(c.period.start, c.period.end),
                              c.report_to, c.report_before)
    units = tuple(UnitInfo(u.slug, u.shown, u.kind, u.parent, u.code, u.name if u.display_name else None)
                  for u in specs.units)
    fonts = {face: _kept_font(path, output) for face, path in document_font_files(specs).items()}
    kept = {output / f.path for f in fonts.values()}
    for old in (output / FONTS_DIR).iterdir():
        if old not in kept:
            old.unlink()
    return BuildRecord(campaign, units, {k: f.shown_title for k, f in specs.formats.items()},
                       {k: None if d.units.shared_with is None else list(d.units.shared_with)
                        for k, d in specs.designs.items()}, fonts)


def document_font_files(specs: Any) -> dict[str, Path]:
    """The campaign's font file for each document face."""
    fonts = specs.campaign.fonts
    return {face: specs.root / next((fonts[w] for w in wanted if w in fonts), next(iter(fonts.values())))
            for face, wanted in DOCUMENT_FACES.items()}


def _kept_font(source: Path, output: Path) -> FontFile:
    """The font copied under output/.fonts/ by its content: a font replaced later is another file."""
    digest = content_digest(source)
    relative = f"{FONTS_DIR}/{digest[:16]}-{source.name}"
    kept = output / relative
    if not (kept.is_file() and content_digest(kept) == digest):
        write_bytes(kept, source.read_bytes())
    return FontFile(relative, digest)
