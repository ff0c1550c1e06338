"""Incremental builds on the default catalogue: full, no-op and one-unit-edited `make all`.

Targets: a no-op `make all` after a full one under 1 s wall; editing one unit's name re-renders
only that unit's files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def make_all(root: Path) -> tuple[float, str]:
    """The command `make all` runs (build, bundles, report, verify), timed wall-clock."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "assets_pipeline", "all", "--root", str(root)],
                          capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(REPO / "specs", root / "specs")
        shutil.copytree(REPO / "fonts", root / "fonts")
        full_s, _ = make_all(root)
        files = len(json.loads((root / "output/manifest.json").read_text())["assets"])
        noop_s, noop_out = make_all(root)
        units = root / "specs/units.yaml"
        units.write_text(units.read_text(encoding="utf-8").replace("huyện Na Hang", "huyện Na Hang mới"),
                         encoding="utf-8")
        edit_s, edit_out = make_all(root)
        summary = next(line for line in edit_out.splitlines() if line.startswith("rendered"))
        print(f"full make all:   {full_s:6.2f} s  ({files} files)")
        print(f"no-op make all:  {noop_s:6.2f} s  ({noop_s / full_s:.3f}× the full build; target < 1 s)"
              f"  {'ok' if noop_s < 1 else 'OVER TARGET'}")
        print(f"one unit edited: {edit_s:6.2f} s  ({edit_s / full_s:.3f}× the full build)  {summary}")


if __name__ == "__main__":
    main()
