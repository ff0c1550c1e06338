"""`assets verify`: read every file of the manifest back with independent readers.

Pillow for rasters, pypdf and pikepdf for PDFs, ffprobe for video: each checks what the manifest claims
(bytes, SHA-256, pixel size, pixels and colour profile, page boxes and scale, the rules of its PDF/X level
(engine/pdfx_preflight.py), frames and duration, and the
encoding a player needs: H.264 Main, yuv420p, no B-frames, BT.709, a constant rate, the index first). A file whose bytes were
already read back unchanged is not decoded again (the hash is always recomputed).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from fractions import Fraction
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.geometry import MAX_PAGE_MM, PT_PER_MM
from assets_pipeline.core.i18n import N_, _
from assets_pipeline.core.media import MEDIA, code
from assets_pipeline.engine.executors import map_shared
from assets_pipeline.engine.output import inside, read_manifest, sha256_of, write_bytes
from assets_pipeline.render.names import scale_suffix
from assets_pipeline.render.entry import entry_problem
from assets_pipeline.specs.models import VideoLimits

CACHE = ".verified.json"


def check_raster(path: Path, entry: dict[str, Any]) -> list[str]:
    from PIL import Image, ImageCms, JpegImagePlugin

    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            image.load()
            size, kind, mode = list(image.size), image.format, image.mode
            icc, dpi = image.info.get("icc_profile"), image.info.get("dpi")
            sampling = JpegImagePlugin.get_sampling(image) if kind == "JPEG" else None
    except Exception as exc:  # noqa: BLE001 — any decoder error is the finding
        return [_("not a readable image: {problem}", problem=exc)]
    problems = []
    if "px" in entry and size != list(entry["px"]):
        problems.append(_("is {width}×{height} px, manifest says {want_width}×{want_height}", width=size[0],
                          height=size[1], want_width=entry["px"][0], want_height=entry["px"][1]))
    medium = MEDIA.get(entry.get("media", ""))
    expected = Image.registered_extensions().get(f".{medium.extension}") if medium is not None else None
    if expected and kind != expected:
        problems.append(_("is {kind}, manifest says {media}", kind=kind, media=entry["media"]))
    # what the renderers write: RGB, or a palette where the manifest says so (a PNG over its budget)
    wanted = "P" if "palette_colors" in entry else "RGBA" if entry.get("transparent") else "RGB"
    if mode != wanted:
        problems.append(_("has {mode} pixels, expected {wanted}", mode=mode, wanted=wanted))
    if "dpi" in entry and not (dpi and all(abs(float(d) - float(entry["dpi"])) <= 0.5 for d in dpi)):
        problems.append(_("says {dpi} dpi, manifest says {want}", dpi=dpi, want=entry["dpi"]) if dpi
                        else _("says no dpi, manifest says {want}", want=entry["dpi"]))
    if sampling not in (None, 0):  # 4:4:4: subsampled chroma smears thin red-on-yellow marks
        problems.append(_("has subsampled chroma, expected 4:4:4"))
    if entry.get("color_space") == "sRGB":
        try:
            described = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))) if icc else ""
        except (OSError, ImageCms.PyCMSError):
            described = ""
        if "sRGB" not in described:
            problems.append(_("carries no sRGB profile, manifest says sRGB"))
    return problems


def check_pdf(path: Path, entry: dict[str, Any]) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(path, strict=True)
        pages = list(reader.pages)
    except Exception as exc:  # noqa: BLE001
        return [_("not a readable PDF: {problem}", problem=exc)]
    if not pages:
        return [_("has no page")]
    problems = []
    if "pages" in entry and len(pages) != entry["pages"]:
        problems.append(_("has {count} pages, manifest says {want}", count=len(pages), want=entry["pages"]))
    if "trim_mm" in entry:
        scale = float(entry.get("scale", 1))
        for number, page in enumerate(pages, start=1):
            unit = float(page.get("/UserUnit", 1))
            trim = page.trimbox
            width_mm = float(trim.width) * unit / PT_PER_MM / scale
            height_mm = float(trim.height) * unit / PT_PER_MM / scale
            want_w, want_h = entry["trim_mm"]
            if abs(width_mm - want_w) > 0.5 or abs(height_mm - want_h) > 0.5:
                problems.append(_("page {number}: TrimBox is {width:.1f}×{height:.1f} mm at scale {scale:g}, manifest "
                                  "says {want_width:g}×{want_height:g} mm", number=number, width=width_mm,
                                  height=height_mm, scale=scale, want_width=want_w, want_height=want_h))
            bleed = float(entry.get("bleed_mm", 0))
            box = page.bleedbox
            bleed_w = float(box.width) * unit / PT_PER_MM / scale
            if abs(bleed_w - (want_w + 2 * bleed)) > 0.5:
                problems.append(_("page {number}: BleedBox is {width:.1f} mm wide, expected {want:g}", number=number,
                                  width=bleed_w, want=want_w + 2 * bleed))
            problems.extend(_scale_convention(path.name, page, scale, number))
    if entry.get("pdfx"):
        from assets_pipeline.engine.pdfx_preflight import pdfx_problems

        problems.extend(pdfx_problems(path, entry["pdfx"], entry.get("ink_limit"), entry.get("output_intent")))
    return problems


def _scale_convention(name: str, page: Any, scale: float, number: int) -> list[str]:
    """A page over 200 inches (5,080 mm) is only in a file that says how it is drawn: `_uu10` with
    /UserUnit 10; and 1:10 artwork is always named `_1-10`."""
    unit = float(page.get("/UserUnit", 1))
    longest_mm = max(float(page.mediabox.width), float(page.mediabox.height)) / PT_PER_MM
    problems = []
    if longest_mm > MAX_PAGE_MM + 0.5:
        problems.append(_("page {number}: is {length:.0f} mm long, more than a PDF page may be ({limit:,} mm)",
                          number=number, length=longest_mm, limit=5080))
    said = scale_suffix(scale, unit)
    if said and not name.endswith(f"{said}.pdf"):
        problems.append(_("page {number}: is drawn at 1:{scale}, and its name does not end {suffix}", number=number,
                          scale=round(1 / scale), suffix=said) if scale != 1 else
                        _("page {number}: is drawn with /UserUnit {unit:g}, and its name does not end {suffix}",
                          number=number, unit=unit, suffix=said))
    return problems


def _probe(path: Path) -> dict[str, Any] | None:
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    completed = subprocess.run(
        [ffprobe, "-v", "error", "-count_frames", "-show_entries",
         "stream=codec_type,codec_name,profile,width,height,pix_fmt,has_b_frames,r_frame_rate,avg_frame_rate,"
         "nb_read_frames,color_range,color_space,color_transfer,color_primaries:format=duration",
         "-of", "json", str(path)], capture_output=True, text=True, timeout=300)
    if completed.returncode != 0:
        return {"error": completed.stderr.strip().splitlines()[-1:] or [_("ffprobe failed")]}
    return json.loads(completed.stdout)


# what render/mp4.py encodes and what LED players and TV playout accept, as ffprobe names it
PLAYER_SAFE = (("codec_name", "h264", N_("codec")), ("profile", "Main", N_("profile")),
               ("pix_fmt", "yuv420p", N_("pixel format")), ("has_b_frames", "0", N_("B-frame delay")),
               ("color_primaries", "bt709", N_("colour primaries")), ("color_transfer", "bt709", N_("transfer")),
               ("color_space", "bt709", N_("colour matrix")), ("color_range", "tv", N_("range")))


INDEX_LAST = N_("has its index (moov) after the media data: a player must read the whole file first")


def _stream_as_ffmpeg_says(path: Path) -> list[str]:
    """Without ffprobe: the stream as the bundled ffmpeg describes it
    (`Video: h264 (Main) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), …`)."""
    import imageio_ffmpeg

    said = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True, timeout=60).stderr
    line = next((x for x in said.splitlines() if "Video:" in x), "")
    wanted = ("Video: h264 (Main)", "yuv420p(tv, bt709")
    return [] if all(w in line for w in wanted) else [_("is not H.264 Main, yuv420p, BT.709: {stream}", stream=line.strip())]


def _index_first(path: Path) -> bool:
    """The file's top-level boxes hold `moov` before `mdat` (ffmpeg's +faststart)."""
    with path.open("rb") as stream:
        while header := stream.read(8):
            if len(header) < 8:
                return False
            size, name = int.from_bytes(header[:4], "big"), header[4:]
            if name in (b"moov", b"mdat"):
                return name == b"moov"
            if size == 1:
                size = int.from_bytes(stream.read(8), "big") - 8
            if size < 8:
                return False
            stream.seek(size - 8, os.SEEK_CUR)
    return False


def check_video(path: Path, entry: dict[str, Any]) -> list[str]:
    probe = _probe(path)
    if probe is None:
        from imageio_ffmpeg import count_frames_and_secs

        try:
            frames, _seconds = count_frames_and_secs(str(path))
        except Exception as exc:  # noqa: BLE001
            return [_("not a readable video: {problem}", problem=exc)]
        problems = [] if frames == entry.get("frames", frames) else [
            _("has {count} frames, manifest says {want}", count=frames, want=entry["frames"])]
        return problems + _stream_as_ffmpeg_says(path) + ([] if _index_first(path) else [_(INDEX_LAST)])
    if "error" in probe:
        return [_("not a readable video: {problem}", problem=" ".join(probe["error"]))]
    video = [s for s in probe.get("streams", []) if s.get("codec_type") == "video"]
    if len(video) != 1:
        return [_("has {count} video streams", count=len(video))]
    stream = video[0]
    problems = []
    size = entry.get("encoded_px") or entry.get("px")
    if size and [stream.get("width"), stream.get("height")] != list(size):
        problems.append(_("stream is {width}×{height}, manifest says {want_width}×{want_height}",
                          width=stream.get("width"), height=stream.get("height"), want_width=size[0], want_height=size[1]))
    if "frames" in entry and int(stream.get("nb_read_frames", -1)) != entry["frames"]:
        problems.append(_("has {count} frames, manifest says {want}", count=stream.get("nb_read_frames"),
                          want=entry["frames"]))
    if "fps" in entry and Fraction(stream.get("r_frame_rate", "0/1")) != Fraction(str(entry["fps"])):
        problems.append(_("runs at {fps} fps, manifest says {want}", fps=stream.get("r_frame_rate"), want=entry["fps"]))
    problems += [_("{what} is {value}, expected {want}", what=_(said), value=str(stream.get(field)), want=wanted)
                 for field, wanted, said in PLAYER_SAFE if str(stream.get(field)) != wanted]
    if stream.get("r_frame_rate") != stream.get("avg_frame_rate"):
        problems.append(_("has a variable frame rate ({fps} on average)", fps=stream.get("avg_frame_rate")))
    if not _index_first(path):
        problems.append(_(INDEX_LAST))
    duration = float(probe.get("format", {}).get("duration", 0))
    if "duration_s" in entry and "fps" in entry and abs(duration - entry["duration_s"]) > 1.5 / float(entry["fps"]):
        problems.append(_("lasts {seconds:.3f} s, manifest says {want}", seconds=duration, want=entry["duration_s"]))
    if isinstance(entry.get("limits"), dict):
        problems += _beyond_limits(path, entry["limits"], duration, Fraction(stream.get("r_frame_rate", "0/1")),
                                   [s for s in probe.get("streams", []) if s.get("codec_type") == "audio"])
    return problems


def _beyond_limits(path: Path, recorded: dict[str, Any], duration: float, fps: Fraction,
                   audio: list[dict[str, Any]]) -> list[str]:
    """Where the file leaves what its platforms accept (formats.yaml's `platforms`, recorded in the entry)."""
    try:
        limits = VideoLimits.model_validate(recorded)
    except ValueError:
        return [_("field '{field}' is not of its type ({value!r})", field="limits", value=str(recorded)[:60])]
    problems = []
    if not limits.takes_duration(duration):
        problems.append(_("lasts {seconds:.3f} s, its platforms accept {least:g}–{most:g} s", seconds=duration,
                          least=limits.min_duration_s, most=limits.max_duration_s or 0))
    size = path.stat().st_size
    if limits.max_mb is not None and size > limits.max_mb * 1_000_000:
        problems.append(_("is {size:,} bytes, its platforms accept {most:g} MB", size=size, most=limits.max_mb))
    if not limits.takes_fps(float(fps)):
        problems.append(_("runs at {fps} fps, its platforms accept {least}–{most}", fps=str(fps),
                          least=limits.min_fps or 1, most=limits.max_fps or "…"))
    if limits.audio and not any(a.get("codec_name") == "aac" for a in audio):
        problems.append(_("has no AAC audio track, which its platforms require"))
    return problems


def check_xlsx(path: Path, entry: dict[str, Any]) -> list[str]:
    """A return form's workbook: readable, with the form's sheet and its id where the collector reads it."""
    from openpyxl import load_workbook

    from assets_pipeline.plan.return_form import FIELDS, SHEET

    try:
        book = load_workbook(path, read_only=True)
        try:
            if SHEET not in book.sheetnames:
                return [_("has no sheet '{sheet}'", sheet=SHEET)]
            form_id = book[SHEET][f"C{FIELDS['form'][0]}"].value
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 — any reader error is the finding
        return [_("not a readable spreadsheet: {problem}", problem=exc)]
    return [] if isinstance(form_id, str) and form_id.count("/") == 2 else [_("carries no form id")]


def check_csv(path: Path, entry: dict[str, Any]) -> list[str]:
    """A return form as CSV: UTF-8 with its byte-order mark, and the table's headings."""
    from assets_pipeline.plan.return_form import CSV_COLUMNS

    data = path.read_bytes()
    if not data.startswith(b"\xef\xbb\xbf"):
        return [_("has no UTF-8 byte-order mark (Excel would misread its Vietnamese)")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [_("is not UTF-8")]
    return [] if ",".join(CSV_COLUMNS) in text else [_("has no table of indicators")]


def check_file(path: Path, entry: dict[str, Any]) -> list[str]:
    """The file read back by its medium's own check (core/media.py); a medium without one, or
    unknown to this version, by its bytes alone."""
    medium = MEDIA.get(entry.get("media", ""))
    if medium is None or medium.check is None:
        return []
    return list(code(medium.check)(path, entry))


def _seen(stat: os.stat_result, entry: dict[str, Any]) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:" + json.dumps(entry, sort_keys=True, ensure_ascii=False)


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


def _read_back(_shared: None, path: Path, entry: dict[str, Any], cached: Any) -> tuple[list[str], str]:
    """What is wrong with one file (nothing: []) and its fingerprint once read: hashed always,
    decoded unless it was read back with these very bytes before."""
    found = []
    stat = path.stat()
    seen = _seen(stat, entry)
    if stat.st_size != entry.get("bytes"):
        found.append(_("is {count} bytes, manifest says {want}", count=stat.st_size, want=entry.get("bytes")))
    digest = sha256_of(path)
    if digest != entry.get("sha256"):
        found.append(_("SHA-256 differs from the manifest"))
    fingerprint = f"{digest}:{seen}"
    if not found and cached != fingerprint:
        found.extend(check_file(path, entry))
    return found, fingerprint


def verify(output: Path, changed_only: bool = False,
           on_progress: Callable[[int, int], None] | None = None) -> tuple[int, list[str]]:
    """Check every file the manifest lists; returns how many were checked and every problem found.

    With `changed_only`, a file whose size and time are those it had when it was last read back
    in full is taken as read (`make all` does this after a build; `assets verify` reads all).
    `on_progress(done, of)` hears each file read back as it is."""
    try:
        manifest = read_manifest(output)
    except SpecError as exc:
        return 0, [str(exc)]
    if manifest is None:
        return 0, [f"{output / 'manifest.json'}: {_('missing')}"]
    try:
        cache = json.loads((output / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cache = {}
    verified: dict[str, str] = {}
    found: list[tuple[Any, list[str]]] = []  # per entry, in the manifest's order
    to_read: list[tuple[int, tuple[Path, dict[str, Any], Any]]] = []
    for index, entry in enumerate(manifest["assets"]):
        problem = entry_problem(entry)
        if problem is not None:
            found.append((_("entry {index}", index=index), [problem]))
            continue
        relative = entry["path"]
        if changed_only and _unchanged(output, relative, entry, cache.get(relative)):
            verified[relative] = cache[relative]
            continue
        path = inside(output, relative)
        if path is None:
            found.append((relative, [_("path leaves the output folder")]))
        elif not path.is_file():
            found.append((relative, [_("missing")]))
        else:
            to_read.append((len(found), (path, entry, cache.get(relative))))
            found.append((relative, []))
    # decoding every image, PDF and video again is the longest part of verifying: on every core
    read = map_shared(_read_back, None, [task for _, task in to_read], chunksize=8,
                      on_done=None if on_progress is None else lambda done: on_progress(done, len(to_read)))
    for (index, _task), (messages, fingerprint) in zip(to_read, read):
        relative = found[index][0]
        found[index] = (relative, messages)
        if not messages:
            verified[relative] = fingerprint
    problems = [f"{relative}: {message}" for relative, messages in found for message in messages]
    if verified != cache:
        write_bytes(output / CACHE, json.dumps(verified, ensure_ascii=False).encode("utf-8"))
    return len(manifest["assets"]), problems
