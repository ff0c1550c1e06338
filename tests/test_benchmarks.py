"""Benchmarks that cannot rot unseen: each script loads, and the national plan's project, the one a
benchmark built from data outside this repository, still passes `assets check` on a 1 % sample."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_assets

BENCHMARKS = sorted((REPO / "bench").glob("bench_*.py"))


def load(path: Path):
    sys.path.insert(0, str(path.parent))
    try:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(path.parent))


@pytest.mark.parametrize("path", BENCHMARKS, ids=[p.stem for p in BENCHMARKS])
def test_every_benchmark_loads_and_has_a_main(path: Path):
    assert callable(load(path).main)


def test_the_national_plan_checks_on_a_one_percent_sample(tmp_path: Path):
    national = load(REPO / "bench" / "bench_national.py")
    units = national.national_units()
    assert sum(u.kind == "province" for u in units) == 34
    national.copy_project(tmp_path)
    communes = national.write_project(tmp_path, units, 0.01)
    assert communes >= 34
    result = run_assets("check", "--campaign", national.CAMPAIGN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert " pieces laid out" in result.stdout
