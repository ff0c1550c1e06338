"""Run every benchmark (bench/bench_*.py) in turn, each in its own process; stop at the first failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        if code != 0:
            print(f"!! {script.name} exited with {code}", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
