"""Benchmarks that cannot rot unseen: each runs end to end in tiny mode (BENCH_TINY=1, bench/measure.py), on
the smallest slice of the project that still takes its every step, as `bench/run.py` starts it. Its figures
are printed, not judged; a benchmark that no longer runs fails here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BENCHMARKS = sorted((REPO / "bench").glob("bench_*.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_benchmark_runs_end_to_end_on_a_tiny_slice(script: Path):
    done = subprocess.run([sys.executable, str(script.relative_to(REPO))], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "BENCH_TINY": "1"}, timeout=300)
    assert done.returncode == 0, (f"{script.name} exited with {done.returncode}\n"
                                  f"--- stdout:\n{done.stdout[-3000:]}\n--- stderr:\n{done.stderr[-3000:]}")
    assert done.stdout.strip(), f"{script.name} printed no figures"
