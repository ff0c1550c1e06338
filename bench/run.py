"""Run every benchmark (bench/bench_*.py) in turn, each in its own process, and say which failed.

    python bench/run.py [--tiny]

--tiny runs each on the smallest slice that still takes its every step (BENCH_TINY=1, bench/measure.py).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="each benchmark on a tiny slice, figures not judged")
    tiny = {"BENCH_TINY": "1"} if parser.parse_args().tiny else {}
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent, env={**os.environ, "ASSETS_LANG": "en", **tiny})
        if code != 0:
            print(f"!! {script.name} exited with {code}", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
