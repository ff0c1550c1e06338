"""What a build produced, read back from `output/manifest.json`, and which files each unit receives.

Everything after the build (bundles, the download page, proof sheets, the report) starts here and
knows channels and media only as data: a channel or medium added later needs no change here. It
reads the manifest alone, never specs/: the campaign, units, format titles and fonts are the ones
the build recorded (engine/build_record.py), so a spec edited after a build changes no bundle.

Which files go into a unit's bundle:
- every file made for the unit itself;
- for a design that was not made for the unit at all, the files of its nearest parent unit that
  has that design: a design made only for the province (the TV ident) is province-wide material
  that every district also shows. A design made for the unit itself never pulls in the parent's
  version of it, so a district gets its own banners, never the province's; and a design shares
  only with the kinds its `units.shared_with` names. Which those are is the plan's, said in each
  design: a commune has no LED screen, no billboard, no station and no portal of its own, so it
  receives none of its district's LED loops, pano, TV ident, web or social banners; its bundle is
  what the plan asks of a commune (banners, posters, QR notices, leaflets, radio, certificates).
"""

from __future__ import annotations

import functools
import hashlib
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assets_pipeline.core.errors import AssetsError
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.i18n import _
from assets_pipeline.core.media import MEDIA, Family
from assets_pipeline.engine.build_record import BuildRecord, CampaignRecord, UnitInfo
from assets_pipeline.core.specmodel import SLUG
from assets_pipeline.engine.output import inside, links_leaving, read_manifest
from assets_pipeline.render.entry import Entry, entry_problem, safe_relative_path
from assets_pipeline.specs.campaigns import check_output_campaign

# media a manifest may list that this version does not make (written by another tool or version):
# their family, as the registry's own media give theirs
OTHER_MEDIA: dict[str, Family] = {"jpg": "raster", "webp": "raster", "gif": "raster",
                                  "webm": "video", "mov": "video", "mkv": "video"}


def family_of(media: str) -> Family | None:
    """How delivery describes a file of `media`: as print, raster or video (core/media.py), or by its
    medium's own words (None)."""
    name = str(media).lower()
    return MEDIA[name].family if name in MEDIA else OTHER_MEDIA.get(name)


class CatalogError(AssetsError):
    """The output folder cannot be bundled as it is (no manifest, a file missing or changed)."""


class ManifestError(CatalogError):
    """manifest.json says what this tool never writes (edited by hand, or damaged): bad input."""

    exit_code = 2


@dataclass(frozen=True)
class Asset(Entry):
    """One manifest entry, with what delivery asks of it."""

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def stem(self) -> str:
        return posixpath.splitext(self.path)[0]

    @property
    def identity(self) -> tuple[str, str, str, str, str]:
        """The piece of artwork this file is one medium of."""
        return (self.unit, self.channel, self.design or "", self.variant or "", self.format or "")

    @property
    def family(self) -> Family | None:
        return family_of(self.media)

    @property
    def is_print(self) -> bool:
        return self.family == "print"

    @property
    def is_raster(self) -> bool:
        return self.family == "raster"

    @property
    def is_video(self) -> bool:
        return self.family == "video"

    @property
    def texts_list(self) -> list[str]:
        return [t for t in self.texts if isinstance(t, str)] if isinstance(self.texts, list) else []


@dataclass(frozen=True)
class Member:
    """A file in a unit's bundle; `shared_from` names the parent unit a province-wide file comes from."""

    asset: Asset
    shared_from: str | None = None


@dataclass
class Catalog:
    output: Path
    manifest: dict[str, Any]
    record: BuildRecord
    assets: list[Asset]
    units: list[UnitInfo] = field(default_factory=list)

    @property
    def campaign(self) -> CampaignRecord:
        return self.record.campaign

    @property
    def campaign_json(self) -> dict[str, Any]:
        return self.manifest["campaign"]

    @functools.cached_property
    def record_digest(self) -> str:
        """The build's record by content: what delivery is made from besides the files, hashed once."""
        return hashlib.sha256(json.dumps(self.record.as_json(), sort_keys=True).encode()).hexdigest()

    def font_path(self, face: str) -> Path:
        """A document face's file as the build kept it; a file changed since is refused."""
        font = self.record.fonts.get(face)
        path = self.output / font.path if font is not None and safe_relative_path(font.path) else None
        try:
            if font is not None and path is not None and content_digest(path) == font.sha256:
                return path
        except OSError:
            pass
        raise CatalogError(_("{manifest}: the {face} font the build recorded is missing or changed: run "
                             "`assets build` again", manifest=self.output / "manifest.json", face=face))

    def unit(self, slug: str) -> UnitInfo:
        return self._units[slug]

    @functools.cached_property
    def _units(self) -> dict[str, UnitInfo]:
        return {u.slug: u for u in self.units}

    def format_title(self, format_id: str | None) -> str | None:
        return self.record.format_titles.get(format_id or "")

    def by_identity(self, identity: tuple) -> list[Asset]:
        return self._identities.get(identity, [])

    @functools.cached_property
    def _identities(self) -> dict[tuple, list[Asset]]:
        index: dict[tuple, list[Asset]] = {}
        for asset in self.assets:
            index.setdefault(asset.identity, []).append(asset)
        return index

    def ancestors(self, slug: str) -> list[str]:
        chain: list[str] = []
        parent = self.unit(slug).parent
        known = {u.slug for u in self.units}
        while parent and parent in known and parent not in chain and parent != slug:
            chain.append(parent)
            parent = self.unit(parent).parent
        return chain

    def _shared_with(self, design: str | None, kind: str) -> bool:
        kinds = self.record.shared_with.get(design or "")
        return kinds is None or kind in kinds

    @functools.cached_property
    def _by_unit(self) -> dict[str, list[Asset]]:
        index: dict[str, list[Asset]] = {}
        for asset in self.assets:
            index.setdefault(asset.unit, []).append(asset)
        return index

    def members(self, slug: str) -> list[Member]:
        """The files of one unit's bundle, in path order (see the module's docstring for the rule)."""
        own = [Member(a) for a in self._by_unit.get(slug, [])]
        covered = {a.asset.design for a in own}
        kind = self.unit(slug).kind
        shared: list[Member] = []
        for ancestor in self.ancestors(slug):
            theirs = [a for a in self._by_unit.get(ancestor, [])
                      if a.design not in covered and self._shared_with(a.design, kind)]
            shared.extend(Member(a, shared_from=ancestor) for a in theirs)
            covered |= {a.design for a in theirs}
        return sorted(own + shared, key=lambda m: m.asset.path)

    def channels(self) -> list[str]:
        return sorted({a.channel for a in self.assets})


def load_catalog(output: Path, campaign_id: str | None = None) -> Catalog:
    """Read the manifest and the build's record in it; refuse an entry whose path could leave
    output/, and (with `campaign_id`) a manifest of another campaign."""
    manifest = read_manifest(output)
    if manifest is None:
        raise CatalogError(_("{manifest} is missing: run `assets build` first", manifest=output / "manifest.json"))
    if campaign_id is not None:
        check_output_campaign(output, manifest, campaign_id)
    try:
        record = BuildRecord.from_manifest(manifest)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ManifestError(_("{manifest} was written by an older build and lacks what delivery needs (units, "
                             "formats, fonts): run `assets build` again", manifest=output / "manifest.json")) from None
    where = output / "manifest.json"
    for unit in record.units:
        if not isinstance(unit.slug, str) or not re.fullmatch(SLUG, unit.slug):
            raise ManifestError(_("{manifest}: unit {unit!r} is not an id", manifest=where, unit=str(unit.slug)[:80]))
    links = links_leaving(output)
    if links:
        raise link_error(output, links[0])
    assets = []
    for index, entry in enumerate(manifest["assets"]):
        problem = entry_problem(entry)
        if problem is not None:
            raise ManifestError(_("{manifest}: entry {index} {problem}", manifest=where, index=index, problem=problem))
        if inside(output, entry["path"]) is None:
            raise link_error(output, entry["path"])
        asset = Asset.from_json(entry)
        assert asset is not None  # entry_problem said so
        assets.append(asset)
    assets.sort(key=lambda a: a.path)

    units = list(record.units)
    known = {u.slug for u in units}
    # a unit that left units.yaml but still has files in output/: keep showing what exists
    for slug in sorted({a.unit for a in assets} - known):
        units.append(UnitInfo(slug, slug, "unit", None))
    return Catalog(output, manifest, record, assets, units)


def link_error(output: Path, relative: str) -> CatalogError:
    return CatalogError(_("{path} is a link that leads outside {folder}: delivery neither writes nor reads through "
                          "it; put a folder or file in its place", path=output / relative, folder=output))
