"""Video clips for social networks keep to the limits of the platforms they are posted on: read back with
ffprobe against each platform's limits as formats.yaml states them, refused by `assets verify` when a
file leaves them, and a format whose loop could not keep to them is an error at its line. On the tiny
project (tests/data/tiny) with a square and a vertical clip format added."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from assets_pipeline.engine.verify import verify
from tests.conftest import assets, edit, line_of, tiny_project

PLATFORMS = """platforms:
  ngan:
    title: Nền tảng thử, video ngắn
    source: tests/test_social_video.py
    min_duration_s: 2
    max_duration_s: 10
    max_mb: 2
    min_fps: 10
    max_fps: 30
    audio: true
  dai:
    title: Nền tảng thử, video dài
    source: tests/test_social_video.py
    max_duration_s: 600
"""
CLIP_FORMATS = """  clip-vuong-360x360:
    title: Video vuông 360 × 360
    channel: social
    size_px: [360, 360]
    safe_px: 18
    fps: 10
    duration_s: 4
    platforms: [ngan, dai]
  clip-doc-360x640:
    title: Video dọc 360 × 640
    channel: social
    size_px: [360, 640]
    safe_px: 8
    safe_box_px: [16, 80, 300, 440]
    fps: 10
    duration_s: 4
    platforms: [ngan]
"""
CLIPS = {"clip-vuong-360x360": (360, 360), "clip-doc-360x640": (360, 640)}


def with_clips(project: Path) -> Path:
    formats = project / "specs" / "formats.yaml"
    formats.write_text(formats.read_text(encoding="utf-8").replace("formats:\n", PLATFORMS + "formats:\n", 1)
                       + CLIP_FORMATS, encoding="utf-8")
    loop = (project / "specs" / "designs" / "loop.yaml").read_text(encoding="utf-8")
    clip = loop.replace("formats: [led-320x160]", f"formats: [{', '.join(CLIPS)}]")
    clip = clip[:clip.index("  marquee:")] + clip[clip.index("\nlayouts:"):]  # a phone's captions cover the bottom
    (project / "specs" / "designs" / "clip.yaml").write_text(clip, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    project = with_clips(tiny_project(tmp_path_factory.mktemp("clips") / "tiny"))
    done = assets("build", "--design", "clip", "-j", "1", cwd=project)
    assert done.returncode == 0, done.stderr
    return project


def probe(path: Path) -> dict:
    said = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height,"
                           "r_frame_rate,sample_rate,channels:format=duration,size", "-of", "json", str(path)],
                          capture_output=True, text=True, check=True).stdout
    return json.loads(said)


def test_each_clip_keeps_to_the_strictest_limits_of_its_platforms(clips: Path):
    output = clips / "output"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    videos = {a["format"]: a for a in manifest["assets"] if a["media"] == "mp4"}
    assert set(videos) == set(CLIPS)
    for format_id, entry in videos.items():
        assert entry["limits"] == {"min_duration_s": 2.0, "max_duration_s": 10.0, "max_mb": 2.0, "min_fps": 10,
                                   "max_fps": 30, "audio": True}
        said = probe(output / entry["path"])
        video = [s for s in said["streams"] if s["codec_type"] == "video"]
        audio = [s for s in said["streams"] if s["codec_type"] == "audio"]
        assert [(s["codec_name"], s["width"], s["height"], s["r_frame_rate"]) for s in video] == [
            ("h264", *CLIPS[format_id], "10/1")]
        assert [(s["codec_name"], s["sample_rate"], s["channels"]) for s in audio] == [("aac", "48000", 2)]
        assert 2 <= float(said["format"]["duration"]) <= 10 and abs(float(said["format"]["duration"]) - 4) < 0.05
        assert int(said["format"]["size"]) <= 2_000_000
    checked, problems = verify(output)
    assert checked and not problems


def test_a_clip_without_its_audio_track_is_refused_by_verify(clips: Path, tmp_path: Path):
    """The manifest's size and hash made to match: only reading the streams finds it."""
    output = tmp_path / "output"
    shutil.copytree(clips / "output", output)
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    entry = next(a for a in manifest["assets"] if a["format"] == "clip-doc-360x640" and a["media"] == "mp4")
    clip = output / entry["path"]
    silent = tmp_path / "silent.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-an", "-c:v", "copy", "-movflags", "+faststart",
                    str(silent)], check=True)
    shutil.move(silent, clip)
    entry["bytes"], entry["sha256"] = clip.stat().st_size, hashlib.sha256(clip.read_bytes()).hexdigest()
    (output / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _, problems = verify(output)
    assert problems == [f"{entry['path']}: has no AAC audio track, which its platforms require"]


@pytest.mark.parametrize("old, new, needle, said", [
    ("    duration_s: 4\n    platforms: [ngan]", "    duration_s: 12\n    platforms: [ngan]", "duration_s: 12",
     "duration_s 12 is outside 2–10 s, what its platforms accept"),
    ("platforms: [ngan, dai]", "platforms: [ngam, dai]", "platforms: [ngam, dai]",
     "platform 'ngam' is not defined (did you mean 'ngan'?)"),
], ids=["loop longer than a platform takes", "unknown platform"])
def test_a_format_its_platforms_would_refuse_is_an_error_at_its_line(tmp_path: Path, old, new, needle, said):
    project = with_clips(tiny_project(tmp_path / "tiny"))
    edit(project, "specs/formats.yaml", old, new)
    done = assets("check", cwd=project)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip().splitlines() == [f"specs/formats.yaml:{line_of(project, 'specs/formats.yaml', needle)}: {said}"]
