"""The designer's loop on the whole default campaign, and Dask against the local pool.

Targets (issue 30), on 2 cores:
- `assets check` with nothing changed ≤ 1 s; with one design edited (each time a change never seen,
  so its pieces are laid out and judged anew) ≤ 3 s;
- `assets build` with nothing to do ≤ 1 s;
- the posters (680 files) on a local Dask cluster of as many workers as the local pool, ≤ 1.15× the
  local pool's wall time, bytes identical.
Tiny mode (bench/measure.py): the tiny test project, one run each.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import TINY, project, run, verdict  # noqa: E402

RUNS = 1 if TINY else 5
DESIGN = "specs/designs/poster.yaml"
# the poster's slogan block, spaced anew each round: the lines kept and the lines replaced
KEPT = "        max_lines: 3\n" if TINY else "        max_lines: 6\n"
EDITED = KEPT if TINY else KEPT + "        line_height: 1.1\n"


def assets(root: Path, *args: str):
    return run([sys.executable, "-m", "assets_pipeline", *args, "--root", str(root)], cwd=root)


def median_of(root: Path, *args: str, before_each=None) -> tuple[float, float, str]:
    times, last = [], ""
    for round_ in range(RUNS):
        if before_each:
            before_each(round_)
        done = assets(root, *args)
        times.append(done.seconds)
        last = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]
    return statistics.median(times), max(times), last


def digests(output: Path) -> dict[str, str]:
    return {str(p.relative_to(output)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(output.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project(root)
        design = root / DESIGN
        original = design.read_text(encoding="utf-8")
        assert EDITED in original, "the poster's block to edit has moved: update EDITED"

        cold = assets(root, "build", "-j", "2")
        files = len(json.loads((root / "output/manifest.json").read_text(encoding="utf-8"))["assets"])
        assets(root, "build")  # files older than a tick of the clock now: this one leaves the stamp
        noop, noop_max, noop_line = median_of(root, "build")
        assets(root, "check")
        same, same_max, _ = median_of(root, "check")

        def edit(round_: int) -> None:
            spaced = f"{KEPT}        line_height: {1.11 + round_ / 100:.2f}\n"
            design.write_text(original.replace(EDITED, spaced, 1), encoding="utf-8")

        edited, edited_max, edited_line = median_of(root, "check", before_each=edit)
        design.write_text(original, encoding="utf-8")

        local = run([sys.executable, "-m", "assets_pipeline", "build", "--only", "posters", "-j", "2", "--output",
                     str(root / "local")], cwd=root)
        dask = run([sys.executable, "-m", "assets_pipeline", "build", "--only", "posters", "-j", "2", "--executor",
                    "dask", "--output", str(root / "dask")], cwd=root)
        same_bytes = digests(root / "local") == digests(root / "dask")

    print(f"cold build:                  {cold.seconds:6.1f} s  ({files:,} files, -j 2)")
    for label, median, slowest, target, line in (
            ("build, nothing to do:", noop, noop_max, 1.0, noop_line),
            ("check, nothing changed:", same, same_max, 1.0, ""),
            ("check, one design edited:", edited, edited_max, 3.0, edited_line)):
        print(f"{label:28} {median:6.2f} s  median of {RUNS}, slowest {slowest:.2f} s "
              f"({median / cold.seconds:.4f}× the cold build; target ≤ {target} s)  {verdict(median, target)}"
              + (f"  [{line}]" if line else ""))
    ratio = dask.seconds / local.seconds
    print(f"posters on Dask:             {dask.seconds:6.1f} s  against {local.seconds:.1f} s on the local pool: "
          f"{ratio:.3f}× (target ≤ 1.15×)  {verdict(ratio, 1.15)}; bytes {'identical' if same_bytes else 'DIFFER'}")


if __name__ == "__main__":
    main()
