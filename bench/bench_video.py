"""The 15 s 1920×1080 25 fps LED loop: the pipeline against x264 alone, and the pipeline's peak memory.

The floor is the same ffmpeg binary encoding the identical frames with the same settings, the frames
already yuv420p in a raw file written beforehand (and read once, so it sits in the page cache).
The pipeline's render is what `assets build` does for this clip once it is laid out: draw the
slides and the marquee strip, convert them to yuv420p, compose and pipe every frame, encode, write
and hash the file. Loading the specs and laying out (and Python's imports) are timed apart.

Floor and pipeline run alternately, each in a fresh process, and the best run of each is kept.
Both wall time and CPU time (user + system, every process involved) are reported: on a shared
machine the wall time is noisy and the CPU time is the steadier figure. Tiny mode (bench/measure.py):
the smallest LED panel's loop, one run; the ratios are printed, not judged, the bytes still compared (if
they differ, the floor no longer encodes what the pipeline does).

    python bench/bench_video.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import REPO as ROOT, TINY  # noqa: E402

UNIT, DESIGN = "tuyen-quang", "led-loop"
FORMAT = "led-p10-608x304" if TINY else "led-1920x1080"
TARGET_RATIO, TARGET_MB = 1.10, 700

# runs in a child process: the pipeline for one clip
PIPELINE = f"""
import json, resource, sys, time
def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
started = time.perf_counter()
from pathlib import Path
from assets_pipeline.engine.build import lay_out_all, plan, render_job
from assets_pipeline.plan.expand import Selection
the_plan = plan(Path({str(ROOT)!r}), Selection(channel="led", unit={UNIT!r}, design={DESIGN!r}))
job, layout = next((j, l) for j, l in zip(the_plan.jobs, lay_out_all(the_plan.jobs))
                   if j.format_id == {FORMAT!r} and l.clip is not None)
planned, planned_cpu = time.perf_counter(), cpu()
entries, failure = render_job(job, layout, Path(sys.argv[1]), [("mp4", "bench")])
assert failure is None, failure
done, done_cpu = time.perf_counter(), cpu()
print(json.dumps({{"plan_s": planned - started, "render_s": done - planned, "plan_cpu_s": planned_cpu,
                  "render_cpu_s": done_cpu - planned_cpu,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "ffmpeg_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "path": entries[0].path, "frames": entries[0].frames}}))
"""


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def write_raw_frames(path: Path) -> tuple[int, int, int]:
    """The clip's frames exactly as the pipeline pipes them, into a raw yuv420p file."""
    from assets_pipeline.engine.build import lay_out_all, plan
    from assets_pipeline.plan.expand import Selection
    from assets_pipeline.render.mp4 import Frames

    the_plan = plan(ROOT, Selection(channel="led", unit=UNIT, design=DESIGN))
    job, layout = next((j, lay) for j, lay in zip(the_plan.jobs, lay_out_all(the_plan.jobs))
                       if j.format_id == FORMAT and lay.clip is not None)
    frames = Frames(layout.clip, (int(layout.width), int(layout.height)))
    with open(path, "wb") as raw:
        for frame in frames:
            raw.write(frame)
    return frames.width, frames.height, layout.clip.fps


def floor(raw: Path, size: tuple[int, int, int], output: Path) -> dict:
    from assets_pipeline.render.mp4 import encoder_args, ffmpeg_exe, raw_input_args

    width, height, fps = size
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostats", "-y",
               *raw_input_args(width, height, fps, str(raw)), *encoder_args(fps, str(output))]
    cpu_before, started = children_cpu_s(), time.perf_counter()
    subprocess.run(command, check=True)
    return {"wall_s": time.perf_counter() - started, "cpu_s": children_cpu_s() - cpu_before}


def pipeline(output: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", PIPELINE, str(output)], cwd=ROOT, check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def listed(seconds) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1 if TINY else 3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-video-") as folder:
        folder = Path(folder)
        raw = folder / "frames.yuv"
        size = write_raw_frames(raw)
        with open(raw, "rb") as cached:  # into the page cache, so the floor reads memory, not disk
            while cached.read(1 << 24):
                pass
        floors, runs = [], []
        for _ in range(args.runs):
            floors.append(floor(raw, size, folder / "floor.mp4"))
            runs.append(pipeline(folder / "out"))
        same = (folder / "floor.mp4").read_bytes() == (folder / "out" / runs[0]["path"]).read_bytes()
    floor_wall, floor_cpu = min(f["wall_s"] for f in floors), min(f["cpu_s"] for f in floors)
    render_wall, render_cpu = min(r["render_s"] for r in runs), min(r["render_cpu_s"] for r in runs)
    plan_wall = min(r["plan_s"] for r in runs)
    peak_mb = max(r["self_mb"] + r["ffmpeg_mb"] for r in runs)
    ratio, cpu_ratio = render_wall / floor_wall, render_cpu / floor_cpu
    width, height, fps = size
    print(f"clip: {DESIGN} {FORMAT} ({width}×{height}, {fps} fps, {runs[0]['frames']} frames), unit {UNIT}; "
          f"best of {args.runs}")
    print(f"floor, x264 alone from a raw yuv420p file: {floor_wall:.2f} s wall, {floor_cpu:.2f} s CPU   "
          f"(runs: {listed(f['wall_s'] for f in floors)})")
    print(f"pipeline render, laid-out clip → MP4:      {render_wall:.2f} s wall, {render_cpu:.2f} s CPU   "
          f"(runs: {listed(r['render_s'] for r in runs)})")
    print(f"before it: imports, specs and layout:      {plan_wall:.2f} s wall")
    print(f"ratio: {ratio:.3f}× wall, {cpu_ratio:.3f}× CPU (target ≤ {TARGET_RATIO:.2f}×); "
          f"with imports, specs and layout: {(plan_wall + render_wall) / floor_wall:.3f}× wall")
    print(f"peak memory: {peak_mb:.0f} MB (python {max(r['self_mb'] for r in runs):.0f} MB + ffmpeg "
          f"{max(r['ffmpeg_mb'] for r in runs):.0f} MB; target < {TARGET_MB} MB)")
    print(f"same bytes as the floor's MP4: {'yes' if same else 'no'}")
    return 0 if same and (TINY or min(ratio, cpu_ratio) <= TARGET_RATIO and peak_mb < TARGET_MB) else 1


if __name__ == "__main__":
    sys.exit(main())
