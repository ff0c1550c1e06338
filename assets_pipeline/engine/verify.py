"""`assets verify`: read every file of the manifest back with independent readers.

Pillow for rasters, pypdf for PDFs, ffprobe for video: each checks what the manifest claims
(bytes, SHA-256, pixel size, page boxes and scale, frames and duration). A file whose bytes were
already read back unchanged is not decoded again (the hash is always recomputed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from assets_pipeline.core.errors import SpecError
from assets_pipeline.engine.executors import map_shared
from assets_pipeline.engine.output import inside, read_manifest, sha256_of, write_bytes

CACHE = ".verified.json"
PT_PER_MM = 72 / 25.4


def check_raster(path: Path, entry: dict[str, Any]) -> list[str]:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            image.load()
            size = list(image.size)
            kind = image.format
    except Exception as exc:  # noqa: BLE001 — any decoder error is the finding
        return [f"not a readable image: {exc}"]
    problems = []
    if "px" in entry and size != list(entry["px"]):
        problems.append(f"is {size[0]}×{size[1]} px, manifest says {entry['px'][0]}×{entry['px'][1]}")
    expected = {"png": "PNG", "jpeg": "JPEG"}.get(entry.get("media"))
    if expected and kind != expected:
        problems.append(f"is {kind}, manifest says {entry['media']}")
    return problems


def check_pdf(path: Path, entry: dict[str, Any]) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(path, strict=True)
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001
        return [f"not a readable PDF: {exc}"]
    if not pages:
        return ["has no page"]
    problems = []
    if "pages" in entry and len(pages) != entry["pages"]:
        problems.append(f"has {len(pages)} pages, manifest says {entry['pages']}")
    if "trim_mm" in entry:
        scale = float(entry.get("scale", 1))
        for number, page in enumerate(pages, start=1):
            unit = float(page.get("/UserUnit", 1))
            trim = page.trimbox
            width_mm = float(trim.width) * unit / PT_PER_MM / scale
            height_mm = float(trim.height) * unit / PT_PER_MM / scale
            want_w, want_h = entry["trim_mm"]
            if abs(width_mm - want_w) > 0.5 or abs(height_mm - want_h) > 0.5:
                problems.append(f"page {number}: TrimBox is {width_mm:.1f}×{height_mm:.1f} mm at scale {scale:g}, "
                                f"manifest says {want_w:g}×{want_h:g} mm")
            bleed = float(entry.get("bleed_mm", 0))
            box = page.bleedbox
            bleed_w = float(box.width) * unit / PT_PER_MM / scale
            if abs(bleed_w - (want_w + 2 * bleed)) > 0.5:
                problems.append(f"page {number}: BleedBox is {bleed_w:.1f} mm wide, expected {want_w + 2 * bleed:g}")
    return problems


def _probe(path: Path) -> dict[str, Any] | None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    completed = subprocess.run(
        [ffprobe, "-v", "error", "-count_frames", "-show_entries",
         "stream=codec_type,codec_name,width,height,pix_fmt,r_frame_rate,nb_read_frames:format=duration",
         "-of", "json", str(path)], capture_output=True, text=True, timeout=300)
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1:] or ["ffprobe failed"]}
    return json.loads(completed.stdout)


def check_video(path: Path, entry: dict[str, Any]) -> list[str]:
    probe = _probe(path)
    if probe is None:
        from imageio_ffmpeg import count_frames_and_secs

        try:
            frames, _seconds = count_frames_and_secs(str(path))
        except Exception as exc:  # noqa: BLE001
            return [f"not a readable video: {exc}"]
        return [] if frames == entry.get("frames", frames) else [f"has {frames} frames, manifest says {entry['frames']}"]
    if "error" in probe:
        return [f"not a readable video: {' '.join(probe['error'])}"]
    video = [s for s in probe.get("streams", []) if s.get("codec_type") == "video"]
    if len(video) != 1:
        return [f"has {len(video)} video streams"]
    stream = video[0]
    problems = []
    size = entry.get("encoded_px") or entry.get("px")
    if size and [stream.get("width"), stream.get("height")] != list(size):
        problems.append(f"stream is {stream.get('width')}×{stream.get('height')}, manifest says {size[0]}×{size[1]}")
    if "frames" in entry and int(stream.get("nb_read_frames", -1)) != entry["frames"]:
        problems.append(f"has {stream.get('nb_read_frames')} frames, manifest says {entry['frames']}")
    if "fps" in entry and Fraction(stream.get("r_frame_rate", "0/1")) != Fraction(str(entry["fps"])):
        problems.append(f"runs at {stream.get('r_frame_rate')} fps, manifest says {entry['fps']}")
    duration = float(probe.get("format", {}).get("duration", 0))
    if "duration_s" in entry and "fps" in entry and abs(duration - entry["duration_s"]) > 1.5 / float(entry["fps"]):
        problems.append(f"lasts {duration:.3f} s, manifest says {entry['duration_s']}")
    return problems


CHECKS: dict[str, Callable[[Path, dict[str, Any]], list[str]]] = {
    "png": check_raster, "jpeg": check_raster, "pdf": check_pdf, "mp4": check_video,
}


def _seen(stat: os.stat_result, entry: dict[str, Any]) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:" + json.dumps(entry, sort_keys=True, ensure_ascii=False)


def _unchanged(output: Path, relative: Any, entry: dict[str, Any], cached: Any) -> bool:
    """Read back in full before, with the same size, time and manifest entry then as now. Only
    stat is called: nothing is read, so the path's safety is checked when the file is read."""
    if not isinstance(cached, str) or not isinstance(relative, str):
        return False
    try:
        stat = os.stat(os.path.join(output, relative))
    except OSError:
        return False
    return cached.endswith(_seen(stat, entry))


def _read_back(_: None, path: Path, entry: dict[str, Any], cached: Any) -> tuple[list[str], str]:
    """What is wrong with one file (nothing: []) and its fingerprint once read: hashed always,
    decoded unless it was read back with these very bytes before."""
    found = []
    stat = path.stat()
    seen = _seen(stat, entry)
    if stat.st_size != entry.get("bytes"):
        found.append(f"is {stat.st_size} bytes, manifest says {entry.get('bytes')}")
    digest = sha256_of(path)
    if digest != entry.get("sha256"):
        found.append("SHA-256 differs from the manifest")
    fingerprint = f"{digest}:{seen}"
    if not found and cached != fingerprint:
        found.extend(CHECKS.get(entry.get("media"), lambda p, e: [])(path, entry))
    return found, fingerprint


def verify(output: Path, changed_only: bool = False) -> tuple[int, list[str]]:
    """Check every file the manifest lists; returns how many were checked and every problem found.

    With `changed_only`, a file whose size and time are those it had when it was last read back
    in full is taken as read (`make all` does this after a build; `assets verify` reads all)."""
    try:
        manifest = read_manifest(output)
    except SpecError as exc:
        return 0, [str(exc)]
    if manifest is None:
        return 0, [f"{output / 'manifest.json'}: missing"]
    try:
        cache = json.loads((output / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    verified: dict[str, str] = {}
    found: list[tuple[Any, list[str]]] = []  # per entry, in the manifest's order
    to_read: list[tuple[int, tuple[Path, dict[str, Any], Any]]] = []
    for entry in manifest["assets"]:
        relative = entry.get("path", "?")
        if changed_only and _unchanged(output, relative, entry, cache.get(relative)):
            verified[relative] = cache[relative]
            continue
        path = inside(output, relative) if isinstance(relative, str) else None
        if path is None:
            found.append((relative, ["path leaves the output folder"]))
        elif not path.is_file():
            found.append((relative, ["missing"]))
        else:
            to_read.append((len(found), (path, entry, cache.get(relative))))
            found.append((relative, []))
    # decoding every image, PDF and video again is the longest part of verifying: on every core
    read = map_shared(_read_back, None, [task for _, task in to_read], chunksize=8)
    for (index, _), (messages, fingerprint) in zip(to_read, read):
        relative = found[index][0]
        found[index] = (relative, messages)
        if not messages:
            verified[relative] = fingerprint
    problems = [f"{relative}: {message}" for relative, messages in found for message in messages]
    if verified != cache:
        write_bytes(output / CACHE, json.dumps(verified, ensure_ascii=False).encode("utf-8"))
    return len(manifest["assets"]), problems
