"""What print-grade PDFs cost: a cold build of the print channels with colour management and PDF/X, against
the same build as it was made before them (the full-gcr formula, reportlab's PDF as written, proofs in
screen colours), measured in one run on this machine; and what the files weigh.

The province's and the districts' print pieces (no commune: the cost per file is what matters), each
build in a process of its own with one worker, so that the earlier way can be put back in that process
for the comparison. Target (issue 31): the print channels' cold build ≤ 1.5× the earlier way.
Tiny mode (bench/measure.py): the tiny test project.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import REPO, TINY, project, without_communes  # noqa: E402

sys.path.insert(0, str(REPO))
from assets_pipeline.engine.build import build  # noqa: E402
from assets_pipeline.plan.expand import Selection  # noqa: E402

CHANNELS = (("banners", "posters") if TINY  # the tiny project's print channels
            else ("banners", "pano", "posters", "notices", "commendations", "pledge", "leaflets"))


def cold_build(root: Path) -> tuple[float, int, int]:
    output = root / "output"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    for channel in CHANNELS:
        build(root, output, Selection(channel=channel), workers=1)
    seconds = time.perf_counter() - started
    pdfs = list(output.rglob("*.pdf"))
    return seconds, len(pdfs), sum(p.stat().st_size for p in pdfs)


def the_earlier_way(root: Path) -> None:
    """reportlab's bytes as written, proofs as drawn, RGB through the full-gcr formula."""
    from assets_pipeline.render import pdf, png

    pdf._written = lambda data, job, path: (path.write_bytes(data), {})[1]
    png.as_printed = lambda layout, job: (layout, None)
    png.printed_pages = lambda image, job: image
    campaign = root / "specs" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("cmyk_from_rgb: profile", "cmyk_from_rgb: full-gcr"), encoding="utf-8")


def measured(root: Path, earlier: bool) -> tuple[float, int, int]:
    args = [sys.executable, __file__, "build", str(root)] + (["earlier"] if earlier else [])
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    seconds, files, size = done.stdout.split()
    return float(seconds), int(files), int(size)


def main() -> int:
    if sys.argv[1:2] == ["build"]:
        root = Path(sys.argv[2])
        if sys.argv[3:] == ["earlier"]:
            the_earlier_way(root)
        print(*cold_build(root))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        root = project(Path(folder) / "project")
        if not TINY:
            without_communes(root)
        now, files, now_bytes = measured(root, earlier=False)
        before, _, before_bytes = measured(root, earlier=True)
    profile = (REPO / "assets_pipeline/core/profiles/FOGRA39L_coated.icc").read_bytes()
    print(f"print channels, cold, 1 process: {files} PDFs; PDF/X and colour management {now:.1f} s, "
          f"before them {before:.1f} s: {now / before:.2f}× (target ≤ 1.5×)")
    print(f"PDF bytes: {now_bytes / 1e6:.1f} MB, before {before_bytes / 1e6:.1f} MB: "
          f"{now_bytes / before_bytes:.2f}×, {(now_bytes - before_bytes) / files / 1e3:.0f} kB more per file "
          f"(the embedded output profile: {len(profile) / 1e3:.0f} kB, {len(zlib.compress(profile, 9)) / 1e3:.0f} kB deflated)")
    return 0 if TINY or now / before <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
