"""What bundling made: one Bundle per unit that has files, with the catalogue and thumbnails it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from assets_pipeline.delivery.catalog import Catalog, Member, UnitInfo
from assets_pipeline.delivery.thumbnails import Thumbnail


@dataclass
class Bundle:
    unit: UnitInfo
    members: list[Member]
    zip_path: str  # relative to output/
    zip_bytes: int
    proof_path: str

    @property
    def file_count(self) -> int:
        return len(self.members)


@dataclass
class BundleResult:
    catalog: Catalog
    thumbnails: dict[str, Thumbnail]
    bundles: list[Bundle] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    packed: int = 0  # bundles (zip and proof sheet) made again by this run; the others were current
