"""Wall time and peak memory of a command and every process it starts (the build's workers, ffmpeg);
and the benchmarks' tiny mode.

Tiny mode (BENCH_TINY=1, `bench/run.py --tiny`, what `make test` runs through tests/test_benchmarks.py):
each benchmark takes its whole path once, on the smallest slice of the project that still has every
step, so that a benchmark that no longer runs fails the suite. It prints its figures and judges none:
a slice's figures say nothing about the targets.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TINY = os.environ.get("BENCH_TINY") == "1"
# a tiny run's project: two units and a commune, one design per feature, small formats
TINY_SPECS = REPO / "tests" / "data" / "tiny" / "specs"


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest sum of resident memory of the command's process tree, sampled
    stdout: str
    stderr: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _tree_rss_kb(pid: int) -> int:
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(tree.get(current, []))
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, check: bool = True) -> Run:
    started = time.perf_counter()
    # in English: the benchmarks read the tool's lines
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, "ASSETS_LANG": "en", **(env or {})},
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if check and process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}:\n{stderr[-2000:]}")
    return Run(seconds, peak[0] / 1024, stdout, stderr)


def verdict(value: float, target: float) -> str:
    if TINY:
        return "not judged (tiny)"
    return "ok" if value <= target else "OVER TARGET"


def project(root: Path) -> Path:
    """The project a benchmark measures, copied to `root`: the default campaign's specs, or in tiny mode
    the tiny test project's (tests/data/tiny), with the repository's fonts."""
    shutil.copytree(TINY_SPECS if TINY else REPO / "specs", root / "specs")
    shutil.copytree(REPO / "fonts", root / "fonts")
    return root


def without_communes(root: Path) -> None:
    """Cut a copy of the default campaign down to the province and its districts: its units file, the
    certificates the communes issue, the procedures they post, the pledge's commune signatories."""
    path = root / "specs" / "units.yaml"
    entries = re.split(r"(?m)^(?=  - |\S)", path.read_text(encoding="utf-8"))  # a unit, a comment, a key
    dropped = {m[1] for e in entries if "kind: commune" in e and (m := re.search(r"slug: (\S+)", e))}
    path.write_text("".join(e for e in entries if not ("kind: commune" in e and e.startswith("  - "))), encoding="utf-8")
    awards = root / "specs" / "awards.csv"
    rows = awards.read_text(encoding="utf-8").splitlines(keepends=True)
    awards.write_text("".join(r for r in rows if r.split(",", 1)[0] not in dropped), encoding="utf-8")
    procedures = root / "specs" / "procedures.csv"
    rows = procedures.read_text(encoding="utf-8").splitlines(keepends=True)
    procedures.write_text("".join(r for r in rows if r.startswith("#") or not set(next(csv.reader([r]), [])) & dropped),
                          encoding="utf-8")
    campaign = root / "specs" / "campaign.yaml"
    lines = campaign.read_text(encoding="utf-8").splitlines(keepends=True)
    campaign.write_text("".join(line for line in lines if line.strip().removeprefix("- unit: ") not in dropped),
                        encoding="utf-8")


def one_format_each(root: Path) -> None:
    """Each design of a copy keeps its last format, and those its file names elsewhere (a per-kind list of
    formats, a per-format setting), which must stay among its formats."""
    for path in sorted((root / "specs" / "designs").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        listed = re.search(r"^formats: \[(.*)\]$", text, flags=re.MULTILINE)
        if listed is None:
            raise SystemExit(f"{path.name}: no `formats: [...]` line to cut")
        ids = [f.strip() for f in listed[1].split(",")]
        elsewhere = text[:listed.start()] + text[listed.end():]
        kept = [f for f in ids if f == ids[-1] or re.search(rf"\b{re.escape(f)}\b", elsewhere)]
        path.write_text(f"{text[:listed.start()]}formats: [{', '.join(kept)}]{text[listed.end():]}", encoding="utf-8")
