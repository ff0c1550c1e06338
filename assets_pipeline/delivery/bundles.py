"""Bundles: one zip per unit with its files, a README, its part of the manifest, checksums and a proof sheet.

```
output/bundles/<unit>.zip
    README.txt  SHA256SUMS  manifest.json  to-duyet-mau.pdf
    <unit>/<channel>/<file>            the unit's own files, at their manifest path
    <province>/<channel>/<file>        province-wide files that apply to it (see catalog.py)
output/proofs/<unit>.pdf               the proof sheet again, to open from the download page
```

A member's path inside the zip is its `path` in the manifest, so the unit's manifest.json checks
the unzipped folder as it is. Then the download page is written from the same data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assets_pipeline import __version__
from assets_pipeline.delivery.archive import ZipMember, sha256sums, write_zip
from assets_pipeline.delivery.bundle_readme import PROOF_SHEET, README, SUMS, UNIT_MANIFEST, readme_bytes
from assets_pipeline.delivery.catalog import Catalog, Member, UnitInfo, load_catalog
from assets_pipeline.delivery.download_page import PAGE, write_download_page
from assets_pipeline.delivery.freshness import BUNDLES, manifest_digest, record_delivered
from assets_pipeline.delivery.results import Bundle, BundleResult
from assets_pipeline.delivery.thumbnails import Thumbnail, make_thumbnails
from assets_pipeline.engine.executors import map_shared
from assets_pipeline.engine.keys import extensions_fingerprint, package_fingerprint
from assets_pipeline.engine.made import Made
from assets_pipeline.engine.output import output_lock, remove_temporaries

BUNDLE_DIR = "bundles"
PROOF_DIR = "proofs"


def unit_manifest(catalog: Catalog, unit: UnitInfo, members: list[Member]) -> dict[str, Any]:
    """The unit's part of manifest.json: the build's entries unchanged, plus who the bundle is for."""
    return {
        "campaign": catalog.campaign_json,
        "generator": {"name": "assets_pipeline", "version": __version__},
        "unit": {"slug": unit.slug, "name": unit.name, "kind": unit.kind, "parent": unit.parent, "code": unit.code},
        "shared_from": {m.asset.path: m.shared_from for m in members if m.shared_from},
        "assets": [m.asset.as_json() for m in members],
    }


def bundle_key(catalog: Catalog, unit: UnitInfo, members: list[Member], thumbnails: dict[str, Thumbnail]) -> str:
    """Everything a unit's zip is made from: its files (by SHA-256), the build's record (campaign,
    units, format titles, fonts), what each thumbnail was drawn from, the code."""
    described = json.dumps([unit_manifest(catalog, unit, members), catalog.record_digest,
                            [thumbnails[m.asset.path].source for m in members]], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256((package_fingerprint() + extensions_fingerprint() + described).encode("utf-8")).hexdigest()


def _untouched(output: Path, zip_path: str, members: list[Member]) -> bool:
    """No member file was written after the zip (a changed file is checked anew)."""
    try:
        made = (output / zip_path).stat()
        made_ns = max(made.st_mtime_ns, made.st_ctime_ns)
        for member in members:
            stat = (output / member.asset.path).stat()
            if max(stat.st_mtime_ns, stat.st_ctime_ns) > made_ns or stat.st_size != member.asset.bytes:
                return False
    except OSError:
        return False
    return True


def _paths(unit: UnitInfo) -> tuple[str, str]:
    return f"{BUNDLE_DIR}/{unit.slug}.zip", f"{PROOF_DIR}/{unit.slug}.pdf"


def _write_bundle(shared: tuple[Catalog, dict[str, Thumbnail]], unit: UnitInfo, members: list[Member]) -> int:
    """The unit's proof sheet and zip (in a worker); returns the zip's size."""
    from assets_pipeline.delivery.proofsheet import write_proof_sheet  # reportlab's platypus, only to make a sheet

    catalog, thumbnails = shared
    output = catalog.output
    zip_path, proof_path = _paths(unit)
    write_proof_sheet(output / proof_path, catalog, unit, members, thumbnails)
    proof = (output / proof_path).read_bytes()
    readme = readme_bytes(catalog, unit, members)
    manifest = (json.dumps(unit_manifest(catalog, unit, members), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    extras = {README: readme, UNIT_MANIFEST: manifest, PROOF_SHEET: proof}
    sums = sha256sums([(m.asset.path, m.asset.sha256) for m in members] + list(extras.items()))
    zip_members = [ZipMember(m.asset.path, source=output / m.asset.path, expected_sha256=m.asset.sha256)
                   for m in members]
    zip_members += [ZipMember(name, data=data) for name, data in extras.items()]
    zip_members.append(ZipMember(SUMS, data=sums))
    write_zip(output / zip_path, zip_members)
    return (output / zip_path).stat().st_size


def bundle_all(output: Path, campaign_id: str | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> BundleResult:
    """Thumbnails, proof sheets and a zip for every unit that has files; stale ones are removed.
    `campaign_id`: refuse an output folder of another campaign; `on_progress(done, of)` hears each
    bundle made again as it lands."""
    with output_lock(output):  # never beside a build, nor another bundling, of the same folder
        remove_temporaries(output)  # of a run that was killed
        return _bundle_all(output, campaign_id, on_progress)


def _bundle_all(output: Path, campaign_id: str | None, on_progress: Callable[[int, int], None] | None) -> BundleResult:
    made_from = manifest_digest(output)
    catalog = load_catalog(output, campaign_id)
    thumbnails = make_thumbnails(catalog, catalog.font_path("regular"))
    result = BundleResult(catalog, thumbnails)
    made = Made(output, "bundles")
    try:
        stale: list[tuple[int, str]] = []  # (index in result.bundles, key)
        for unit in catalog.units:
            members = catalog.members(unit.slug)
            if not members:
                continue
            zip_path, proof_path = _paths(unit)
            key = bundle_key(catalog, unit, members, thumbnails)
            current = made.current(unit.slug, key) and _untouched(output, zip_path, members)
            size = (output / zip_path).stat().st_size if current else 0
            if not current:
                stale.append((len(result.bundles), key))
            result.bundles.append(Bundle(unit, members, zip_path, size, proof_path))
        # a unit's sheet and zip are its own: every core makes some
        sizes = map_shared(_write_bundle, (catalog, thumbnails),
                           [(result.bundles[i].unit, result.bundles[i].members) for i, _ in stale], chunksize=1,
                           on_done=None if on_progress is None else lambda done: on_progress(done, len(stale)))
        result.packed = len(stale)
        for (index, key), size in zip(stale, sizes):
            bundle = result.bundles[index]
            bundle.zip_bytes = size
            made.record(bundle.unit.slug, key, [bundle.zip_path, bundle.proof_path])
        _remove_stale(result)
        write_download_page(result, made)
        made.keep_only({b.unit.slug for b in result.bundles} | {PAGE})
    finally:
        made.save()  # what was made is recorded, whatever stopped the loop
    record_delivered(output, BUNDLES, made_from)
    return result


def _remove_stale(result: BundleResult) -> None:
    """Zips and proof sheets of units that no longer have files."""
    output = result.catalog.output
    wanted = {output / b.zip_path for b in result.bundles} | {output / b.proof_path for b in result.bundles}
    for folder, pattern in ((BUNDLE_DIR, "*.zip"), (PROOF_DIR, "*.pdf")):
        for stale in sorted((output / folder).glob(pattern)):
            if stale not in wanted:
                stale.unlink()
                result.removed.append(str(stale.relative_to(output)))
