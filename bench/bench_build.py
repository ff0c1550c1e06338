"""Incremental builds on the default catalogue: full, no-op and one-unit-edited `make all`.

Targets: a no-op `make all` after a full one under 1 s wall, both when nothing was touched (the
stamp of uptodate.py answers) and when every spec was saved unchanged (every content key is
checked, nothing is made); editing one unit's name re-renders only that unit's files.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 5  # no-op runs: the median is reported, and the slowest


def make_all(root: Path) -> tuple[float, str]:
    """The command `make all` runs (build, bundles, report, verify), timed wall-clock."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assets_pipeline", "all", "--root", str(root)],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def touch_specs(root: Path) -> None:
    """Save every spec file without changing it, as an editor or a checkout does."""
    now = time.time_ns()
    for path in (root / "specs").rglob("*"):
        if path.is_file():
            os.utime(path, ns=(now, now))


def timed_runs(root: Path, before_each=None) -> tuple[float, float, str]:
    times, out = [], ""
    for _ in range(RUNS):
        if before_each:
            before_each(root)
        seconds, out = make_all(root)
        times.append(seconds)
    return statistics.median(times), max(times), out


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(REPO / "specs", root / "specs")
        shutil.copytree(REPO / "fonts", root / "fonts")
        full_s, _ = make_all(root)
        files = len(json.loads((root / "output/manifest.json").read_text())["assets"])
        noop_s, noop_max_s, noop_out = timed_runs(root)
        saved_s, saved_max_s, saved_out = timed_runs(root, touch_specs)
        units = root / "specs/units.yaml"
        units.write_text(units.read_text(encoding="utf-8").replace("huyện Na Hang", "huyện Na Hang mới"),
                         encoding="utf-8")
        edit_s, edit_out = make_all(root)

        def first_line(out: str, start: str) -> str:
            return next(line for line in out.splitlines() if line.startswith(start))

        print(f"full make all:      {full_s:6.2f} s  ({files} files)")
        for label, median, slowest, line in (
                ("no-op make all:", noop_s, noop_max_s, first_line(noop_out, "nothing changed")),
                ("specs saved as is:", saved_s, saved_max_s, first_line(saved_out, "nothing changed"))):
            print(f"{label:19} {median:6.2f} s  median of {RUNS}, slowest {slowest:.2f} s "
                  f"({median / full_s:.4f}× the full build; target < 1 s)  "
                  f"{'ok' if slowest < 1 else 'OVER TARGET'}  [{line}]")
        print(f"one unit edited:    {edit_s:6.2f} s  ({edit_s / full_s:.3f}× the full build)  "
              f"[{first_line(edit_out, 'rendered')}]")


if __name__ == "__main__":
    main()
