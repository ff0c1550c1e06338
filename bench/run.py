"""Run every benchmark (bench/bench_*.py) in turn; each prints its own figures and ratios."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    chosen = sys.argv[1:]
    for script in sorted(HERE.glob("bench_*.py")):
        if chosen and not any(name in script.stem for name in chosen):
            continue
        print(f"== {script.stem}", flush=True)
        runpy.run_path(str(script), run_name="__main__")
