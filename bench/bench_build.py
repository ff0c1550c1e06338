"""`make all` of the whole default catalogue (the province, 7 districts, 138 communes), on this machine.

Targets (issue: every commune): cold ≤ 10 min on 2 cores; nothing changed ≤ 0.2 s; every spec
saved unchanged ≤ 2 s; one commune renamed makes again only that commune's files and what shows
them (its bundle and proof sheet, the download page, the report, the manifest); peak memory of
the build's processes ≤ 1.5 GB. Tiny mode (bench/measure.py): the tiny test project, its commune
renamed, one run each.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import TINY, project, run, verdict  # noqa: E402

RUNS = 1 if TINY else 5  # the median is reported, and the slowest
COMMUNE = (("xa", "name: xã Quỳnh Lâm\n", "name: xã Quỳnh Lâm Mới\n") if TINY
           else ("xa-kim-phu", "name: xã Kim Phú\n", "name: xã Kim Phú Mới\n"))


def make_all(root: Path):
    return run([sys.executable, "-m", "assets_pipeline", "all", "--root", str(root)], cwd=root)


def touch_specs(root: Path) -> None:
    """Save every spec file without changing it, as an editor or a checkout does."""
    now = time.time_ns()
    for path in (root / "specs").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(now, now))


def timed_runs(root: Path, before_each=None):
    runs = []
    for _ in range(RUNS):
        if before_each:
            before_each(root)
        runs.append(make_all(root))
    times = [r.seconds for r in runs]
    return statistics.median(times), max(times), runs[-1].stdout


def digests(output: Path) -> dict[str, str]:
    return {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in output.rglob("*") if p.is_file() and ".assets" not in p.parts}


def first_line(out: str, start: str) -> str:
    return next((line for line in out.splitlines() if line.startswith(start)), out.strip()[-200:])


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project(root)
        cold = make_all(root)
        manifest = json.loads((root / "output/manifest.json").read_text())
        files, units = len(manifest["assets"]), len({a["unit"] for a in manifest["assets"]})
        noop_s, noop_max_s, noop_out = timed_runs(root)
        saved_s, saved_max_s, saved_out = timed_runs(root, touch_specs)

        slug, old, new = COMMUNE
        before = digests(root / "output")
        units_file = root / "specs/units.yaml"
        text = units_file.read_text(encoding="utf-8")
        if old not in text:
            raise SystemExit(f"bench_build: no '{old.strip()}' in specs/units.yaml to rename: update COMMUNE")
        units_file.write_text(text.replace(old, new), encoding="utf-8")
        edit = make_all(root)
        after = digests(root / "output")
        changed = sorted(p for p in after.keys() | before.keys() if before.get(p) != after.get(p))
        theirs = (f"{slug}/", f"thumbnails/{slug}/", f"bundles/{slug}.zip", f"proofs/{slug}.pdf")
        shows_all = ("index.html", "manifest.json", "report/", "preflight.")
        bookkeeping = [p for p in changed if p.startswith(".") or p == "thumbnails/index.json"]
        others = [p for p in changed if not p.startswith(theirs) and not p.startswith(shows_all)
                  and p not in bookkeeping]

        print(f"cold make all:       {cold.seconds:7.1f} s  ({files} files, {units} units; target ≤ 600 s)  "
              f"{verdict(cold.seconds, 600)}")
        print(f"peak memory:         {cold.peak_mb:7.0f} MB (the build's processes together; target ≤ 1536 MB)  "
              f"{verdict(cold.peak_mb, 1536)}")
        for label, median, slowest, line, target in (
                ("nothing changed:", noop_s, noop_max_s, first_line(noop_out, "nothing changed"), 0.2),
                ("specs saved as is:", saved_s, saved_max_s, first_line(saved_out, "nothing changed"), 2.0)):
            print(f"{label:20} {median:7.2f} s  median of {RUNS}, slowest {slowest:.2f} s "
                  f"({median / cold.seconds:.5f}× the cold build; target ≤ {target} s)  "
                  f"{verdict(slowest, target)}  [{line}]")
        print(f"one commune renamed: {edit.seconds:7.1f} s  ({edit.seconds / cold.seconds:.3f}× the cold build)  "
              f"[{first_line(edit.stdout, 'rendered')}]")
        print(f"  files changed: {len(changed)}: {sum(p.startswith(theirs) for p in changed)} of {slug}, "
              f"{sum(p.startswith(shows_all) for p in changed)} that show every unit "
              f"({', '.join(sorted({p.split('/')[0] for p in changed if p.startswith(shows_all)}))}), "
              f"{len(bookkeeping)} of the tool's own records ({', '.join(bookkeeping)}), "
              f"{len(others)} others  {'ok' if not others else 'OTHERS CHANGED: ' + ', '.join(others[:5])}")


if __name__ == "__main__":
    main()
