"""A national plan: the 2025 units of every province (PyPI `vietnamadminunits`, about 3,300 communes
and wards), planned with the default designs under the 2025 campaign.

Measured: `assets check` (plan, lay out and preflight every piece) and `assets list` (plan only),
time and peak memory at 10 %, 50 % and 100 % of the communes (every province always): how they
grow, which should be linearly. Then a 1 % sample is rendered, channel by channel, and the cold
build of the whole country extrapolated, on 2 cores and on a Dask cluster of N workers.
Tiny mode (bench/measure.py): Tuyên Quang and one province more, 5 % and 10 % of their communes, the
designs of the commune channels only, one format each.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import REPO, TINY, one_format_each, run  # noqa: E402

sys.path.insert(0, str(REPO))
import yaml  # noqa: E402

from assets_pipeline.designer.units_import import merge, read_package, units_yaml  # noqa: E402
from assets_pipeline.specs.models import UnitsFile  # noqa: E402

CAMPAIGN = "specs/campaigns/2025.yaml"
FRACTIONS = (0.05, 0.1) if TINY else (0.1, 0.5, 1.0)
SAMPLE = 0.01  # of the communes, rendered
LIMITS = {"ASSETS_LIMIT_MAX_JOBS": "1000000"}  # the guard against a mistyped plan, lifted on purpose
COMMUNE_CHANNELS = ("banners", "posters", "notices")
TINY_DESIGNS = ("street-banner", "poster", "thong-bao-tthc")  # theirs


def national_units() -> list:
    """Every province and its communes, slugs unique across the country. The import starts from the
    campaign's own units file, as `assets units import` does: Tuyên Quang's units keep the slugs its
    certificates, procedures and pledge name (matched by GSO code)."""
    by_province: dict[str, list] = {}
    for row in read_package():
        by_province.setdefault(row.province_code, []).append(row)
    own = yaml.safe_load((REPO / "specs/campaigns/units-2025.yaml").read_text(encoding="utf-8"))
    units: list = list(UnitsFile.model_validate(own).units)
    listed = list(by_province.values())
    if TINY:  # the campaign's own province and one more
        own_code = next(u.code for u in units if u.kind == "province")
        listed = [by_province[own_code], next(rows for code, rows in by_province.items() if code != own_code)]
    for rows in listed:
        units, _ = merge(units, rows, None)
    return units


def copy_project(root: Path) -> None:
    """The default specs and fonts, with the procedures every commune's one-stop desk posts (the
    province's own rows name Tuyên Quang's units)."""
    shutil.copytree(REPO / "specs", root / "specs")
    shutil.copytree(REPO / "fonts", root / "fonts")
    csv = root / "specs/campaigns/procedures-2025.csv"
    csv.write_text("".join(line for line in csv.read_text(encoding="utf-8").splitlines(keepends=True)
                           if line.startswith(("#", "code,")) or ",every:" in line), encoding="utf-8")
    if TINY:  # the designs of the channels rendered per commune, one format each
        for design in (root / "specs/designs").glob("*.yaml"):
            if design.stem not in TINY_DESIGNS:
                design.unlink()
        one_format_each(root)


def write_project(root: Path, units: list, fraction: float) -> int:
    """The project with `fraction` of the communes (every n-th, so every province keeps some), and always
    those that issue the campaign's certificates."""
    step = round(1 / fraction)
    communes = [u for u in units if u.kind == "commune"]
    rows = (root / "specs/campaigns/awards-2025.csv").read_text(encoding="utf-8").splitlines()
    issuers = {row.split(",", 1)[0] for row in rows if row and not row.startswith(("#", "issued_by,"))}
    kept = {u.slug for u in communes[::step]} | issuers
    chosen = [u for u in units if u.kind != "commune" or u.slug in kept]
    (root / "specs/campaigns/units-2025.yaml").write_text(units_yaml(chosen, ""), encoding="utf-8")
    return len(kept)


def assets(root: Path, *args: str):
    return run([sys.executable, "-m", "assets_pipeline", *args, "--campaign", CAMPAIGN], cwd=root, env=LIMITS)


def main() -> None:
    units = national_units()
    provinces = sum(u.kind == "province" for u in units)
    print(f"units: {provinces} provinces, {len(units) - provinces} communes and wards (vietnamadminunits)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_project(root)

        rows = []
        for fraction in FRACTIONS:
            communes = write_project(root, units, fraction)
            check = assets(root, "check")
            listing = assets(root, "list")
            pieces = re.search(r"(\d+) pieces", check.stdout).group(1) + " pieces"
            rows.append((fraction, communes, pieces, check, len(listing.stdout.splitlines()), listing))
        print(f"{'share':>6} {'communes':>8} {'pieces':>16} {'check s':>8} {'check MB':>9} {'files':>7} "
              f"{'list s':>7} {'list MB':>8}")
        for fraction, communes, pieces, check, files, listing in rows:
            print(f"{fraction:6.0%} {communes:8d} {pieces:>16} {check.seconds:8.1f} {check.peak_mb:9.0f} "
                  f"{files:7d} {listing.seconds:7.1f} {listing.peak_mb:8.0f}")
        small, full = rows[0], rows[-1]
        growth = full[1] / small[1]
        print(f"{small[0] * 100:g} % → {full[0] * 100:g} %: {growth:.1f}× the communes; "
              f"check {full[3].seconds / small[3].seconds:.1f}× the time, "
              f"{full[3].peak_mb / small[3].peak_mb:.1f}× the memory; list {full[5].seconds / small[5].seconds:.1f}× "
              f"the time (linear would be ≤ {growth:.1f}×: every province's own pieces are in each run)")

        # a sample of the communes, rendered channel by channel on 2 cores
        sample = write_project(root, units, SAMPLE)
        spent = {}
        for channel in COMMUNE_CHANNELS:
            built = assets(root, "build", "--only", channel, "-j", "2", "--output", "output-sample")
            spent[channel] = built.seconds
        per_commune = {c: s / sample for c, s in spent.items()}
        print(f"{SAMPLE * 100:g} % sample: {sample} communes rendered, " + ", ".join(
            f"{c} {s:.1f} s ({per_commune[c]:.2f} s per commune)" for c, s in spent.items()))
        # the provinces' own pieces (LED loops, TV ident, pano, web, social): Tuyên Quang's, measured
        # by the default campaign's build (bench_build.py); here each province is priced as one
        # Tuyên Quang province build of every channel
        province = assets(root, "build", "--unit", "tuyen-quang", "-j", "2", "--output", "output-province")
        communes_total = len(units) - provinces
        wall_2 = provinces * province.seconds + communes_total * sum(per_commune.values())
        serial = full[3].seconds  # planning and laying out stay in one process (check's own time)
        print(f"one province's own pieces: {province.seconds:.0f} s on 2 cores")
        print(f"extrapolated cold build of the country, 2 cores: {wall_2 / 3600:.1f} h "
              f"({provinces} × {province.seconds:.0f} s + {communes_total} × {sum(per_commune.values()):.2f} s)")
        for workers in (8, 32, 128):
            wall = serial + max(wall_2 - serial, 0) * 2 / workers
            print(f"  on a Dask cluster of {workers} single-core workers: {wall / 60:.0f} min "
                  f"(planning and layout, {serial:.0f} s, stay on the scheduler's machine)")
        print("where the cost goes: " + ", ".join(f"{c} {s / sum(spent.values()):.0%}" for c, s in spent.items())
              + " of a commune's; the provinces' own pieces (LED loops, TV ident, pano, web, social) "
              + f"{provinces * province.seconds / wall_2:.0%} of the country's. The sample's channel builds "
              f"include the {provinces} provinces' own banners, posters and notices: the per-commune figures are upper bounds")


if __name__ == "__main__":
    main()
