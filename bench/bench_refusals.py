"""A build that refuses a spec says so within a few seconds and ~1 GB: the worst of the hostile and
damaged inputs below, each run as `assets build` in its own process, with its peak memory (the
process and its children, from wait4) and its wall time. Tiny mode (bench/measure.py): the first input
of each kind (the first word of its name); time and memory are printed, not judged.

    python bench/bench_refusals.py
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from collections.abc import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import REPO as ROOT, TINY  # noqa: E402

TARGET_S, TARGET_MB = 5.0, 1024
DESIGN = "specs/designs/street-banner.yaml"
TEMPLATE_AT = '"Ủy ban nhân dân {{ unit.name }}"'


def _png(width: int, height: int, rows: int | None = None) -> bytes:
    """A PNG of width × height grey pixels; with `rows`, its data stops after that many rows."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + b"\x80" * width
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height if rows is None else rows)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def _template(source: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        path = root / DESIGN
        text = path.read_text(encoding="utf-8")
        if TEMPLATE_AT not in text:
            raise SystemExit(f"bench_refusals: no {TEMPLATE_AT} in {DESIGN} to replace: update TEMPLATE_AT")
        path.write_text(text.replace(TEMPLATE_AT, source, 1), encoding="utf-8")
    return write


def _under_the_limit(data: bytes) -> bytes:
    """`data` repeated as often as it fits in the 2 MB a spec file may weigh (core/limits.py), so that its rows
    are read, not the file refused for its size."""
    return data * (2_000_000 // len(data))


def _file(name: str, data: Callable[[Path], bytes]) -> Callable[[Path], None]:
    return lambda root: (root / name).write_bytes(data(root))


def _alias_bomb(root: Path) -> bytes:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{level}: &{level} [{', '.join(['*' + chr(ord(level) - 1)] * 9)}]" for level in "bcdefghi"]
    return ("\n".join(lines) + "\nunits: []\n").encode()


REPLACE_CHAIN = "'aaaaaaaaaa'" + "|replace('a','aaaaaaaaaa')" * 8
CASES: dict[str, Callable[[Path], None]] = {
    "YAML alias bomb": _file("specs/units.yaml", _alias_bomb),
    "YAML nested 5,000 deep": _file("specs/units.yaml", lambda r: b"units: " + b"[" * 5000 + b"]" * 5000),
    "YAML of 300,000 values": _file("specs/units.yaml", lambda r: b"units: [" + b"1," * 300_000 + b"1]"),
    "YAML over 2 MB": _file("specs/units.yaml", lambda r: b"# " + b"x" * 2_000_001),
    "CSV over 2 MB": _file("specs/procedures.csv", lambda r: (r / "specs/procedures.csv").read_bytes() * 800),
    "CSV of wrong rows, under 2 MB": _file("specs/procedures.csv",
                                           lambda r: _under_the_limit((r / "specs/procedures.csv").read_bytes())),
    "template: replace chain": _template(f'"{{{{ {REPLACE_CHAIN} }}}}"'),
    "template: 'a'.ljust(10**9)": _template("\"{{ 'a'.ljust(999999999) }}\""),
    "template: nested lists": _template('"{% set a = range(10000)|list %}{% set b = [a,a,a,a,a,a,a,a,a,a] %}'
                                        '{% set c = [b,b,b,b,b,b,b,b,b,b] %}{{ [c,c,c,c,c,c,c,c,c,c] }}"'),
    "template: loops": _template('"{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}"'),
    "image: header of 30,000 × 30,000 px": _file("specs/images/emblem-cds.png", lambda r: _png(30_000, 30_000, 1)),
    "image: 10,001 × 10,000 px": _file("specs/images/emblem-cds.png", lambda r: _png(10_001, 10_000)),
    "image: 10,000 × 9,999 px, truncated": _file("specs/images/emblem-cds.png",
                                                  lambda r: _png(10_000, 9_999)[:-5000]),
    "font: truncated": _file("fonts/BeVietnamPro-Bold.ttf",
                             lambda r: (r / "fonts/BeVietnamPro-Bold.ttf").read_bytes()[:60_000]),
    "format of 5 km": _file("specs/formats.yaml", lambda r: (r / "specs/formats.yaml").read_bytes()
                            .replace(b"size_mm: [5000, 800]", b"size_mm: [5000000, 800]", 1)),
}


def refuse(root: Path) -> tuple[int, float, float, str]:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "build", "--unit", "ham-yen",
                                "--only", "banners"], cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024, stderr.strip()


def chosen() -> dict[str, Callable[[Path], None]]:
    """Every case; in tiny mode the first of each kind (the first word of its name)."""
    if not TINY:
        return CASES
    first: dict[str, str] = {}
    for name in CASES:
        first.setdefault(name.split()[0].rstrip(":"), name)
    return {name: CASES[name] for name in first.values()}


def main() -> int:
    worst_s = worst_mb = 0.0
    wrong = []
    with tempfile.TemporaryDirectory() as scratch:
        pristine = Path(scratch) / "pristine"
        for part in ("specs", "fonts"):
            shutil.copytree(ROOT / part, pristine / part)
        for name, damage in chosen().items():
            root = Path(scratch) / "case"
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(pristine, root)
            damage(root)
            code, seconds, mb, said = refuse(root)
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
            print(f"{name:40} exit {code}  {seconds:5.2f} s  {mb:6.0f} MB  {said.splitlines()[0][:90] if said else ''}")
            if code != 2 or len(said.splitlines()) < 1 or "Traceback" in said:
                wrong.append(name)
    print(f"worst refusal: {worst_s:.2f} s (target {TARGET_S:g} s, ratio {worst_s / TARGET_S:.2f}), "
          f"{worst_mb:.0f} MB (target {TARGET_MB} MB, ratio {worst_mb / TARGET_MB:.2f})")
    if wrong:
        print("not refused cleanly: " + ", ".join(wrong))
    # a case not refused cleanly fails in tiny mode too: its damage may no longer be what its name says
    return 1 if wrong or (not TINY and (worst_s > TARGET_S or worst_mb > TARGET_MB)) else 0


if __name__ == "__main__":
    sys.exit(main())
