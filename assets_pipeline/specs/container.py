"""Every spec of one campaign, loaded and cross-checked: what the later stages read."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from assets_pipeline.specs.designs import Design
from assets_pipeline.specs.documents import Department, Service
from assets_pipeline.specs.models import Campaign, Format, Unit
from assets_pipeline.specs.awards import Award
from assets_pipeline.specs.indicators import Indicator
from assets_pipeline.specs.procedures import Procedure
from assets_pipeline.specs.yamlsource import Document


@dataclass
class Specs:
    root: Path
    campaign: Campaign
    units: list[Unit]
    formats: dict[str, Format]
    designs: dict[str, Design]
    docs: dict[str, Document] = field(default_factory=dict)
    procedures: list[Procedure] = field(default_factory=list)  # from specs/procedures.csv, if present
    awards: list[Award] = field(default_factory=list)  # from specs/awards.csv, if present
    departments: list[Department] = field(default_factory=list)  # the units file's sở, ban, ngành
    services: dict[str, Service] = field(default_factory=dict)  # from specs/services.yaml, if present
    indicators: dict[str, Indicator] = field(default_factory=dict)  # from specs/indicators.yaml, if present
    indicator_sections: dict[str, str] = field(default_factory=dict)  # its plan sections' titles
    totals: dict[str, dict[str, int]] = field(default_factory=dict)  # specs/ket-qua.csv: unit → indicator → value
    _resolved: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)

    def resolved(self, path: Path) -> Path:
        """`path` with its links followed, once per loading of the specs: `watch` and the studio load
        them again on every change, so a link pointed elsewhere is followed anew."""
        found = self._resolved.get(path)
        if found is None:
            found = self._resolved[path] = path.resolve()
        return found

    def unit(self, slug: str) -> Unit:
        return self._by_slug[slug]

    @functools.cached_property
    def _by_slug(self) -> dict[str, Unit]:  # a country has some 3,300 units
        return {u.slug: u for u in self.units}

    def units_for(self, design: Design) -> list[Unit]:
        selector = design.units
        return [u for u in self.units
                if (selector.kinds is None or u.kind in selector.kinds)
                and (selector.slugs is None or u.slug in selector.slugs)
                and (not selector.with_results or u.slug in self.totals)]
