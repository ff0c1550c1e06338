"""LED loops and the TV ident, read back as a player would: ffprobe for the streams, ffmpeg to decode.

Probing and decoding use Debian's ffprobe and ffmpeg (`apt-get install ffmpeg`, done by .ci/run), not
the ffmpeg that encoded the files. The clips are the tiny project with the video overlay
(tests/data/video: the product's LED loop and TV ident cut down) on small odd-sized formats and short
loops, so the whole module takes a few seconds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from assets_pipeline.engine.build import lay_out_all, plan
from assets_pipeline.engine.verify import verify
from assets_pipeline.plan.expand import Selection
from tests.conftest import assets, snapshot, tiny_project

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe (apt-get install ffmpeg)")

UNIT, PROVINCE = "huyen", "tinh"  # the loop is the district's, the ident the province's
PANEL, ENCODED, FRAMES, STEP_PX = (481, 241), (482, 242), 100, 8
LED_CLIP = "led-loop-khau-hieu__led-test-481x241.mp4"
TV_CLIP = "tv-ident-chuyen-muc__tv-test-384x216.mp4"


def video_project(destination: Path) -> Path:
    """The tiny project with the LED loop and TV ident on small test formats (marquee 200 px/s: 8 px a frame)."""
    return tiny_project(destination, "video")


@pytest.fixture(scope="module")
def led_build(tmp_path_factory) -> tuple[Path, dict, str]:
    root = video_project(tmp_path_factory.mktemp("led"))
    result = assets("build", "--only", "led", "--unit", UNIT, cwd=root)
    assert result.returncode == 0, result.stderr
    tv = assets("build", "--only", "tv", cwd=root)
    assert tv.returncode == 0, tv.stderr
    manifest = json.loads((root / "output/manifest.json").read_text(encoding="utf-8"))
    return root, manifest, result.stdout + result.stderr  # the build says what it padded


def probe(path: Path) -> dict:
    result = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_streams", "-show_format",
                             "-of", "json", str(path)], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def decode_luma(path: Path, size: tuple[int, int]) -> np.ndarray:
    """Every frame's Y plane, as the stream holds it (no colour conversion in the way)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"],
                         capture_output=True, check=True).stdout
    width, height = size
    frames = np.frombuffer(raw, np.uint8).reshape(-1, width * height * 3 // 2)
    return frames[:, :width * height].reshape(-1, height, width).astype(np.int16)


def decode_rgb(path: Path, frame: int, size: tuple[int, int]) -> np.ndarray:
    """One frame as full-range RGB, read with the BT.709 matrix the stream declares."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf",
                          f"select=eq(n\\,{frame}),scale=in_color_matrix=bt709:in_range=tv:out_range=pc,format=rgb24",
                          "-frames:v", "1", "-f", "rawvideo", "-"], capture_output=True, check=True).stdout
    width, height = size
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3).astype(np.int16)


def top_level_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8:offset + 16])[0]
        boxes.append(kind.decode("ascii"))
        offset += size if size else len(data)
    return boxes


def entry(manifest: dict, name: str) -> dict:
    return next(a for a in manifest["assets"] if a["path"].endswith(name))


def timeline(root: Path):
    the_plan = plan(root, Selection(channel="led", unit=UNIT))
    return next(layout.clip for layout in lay_out_all(the_plan.jobs) if layout.clip is not None)


def test_led_loop_stream_is_what_players_accept(led_build):
    root, _, _ = led_build
    info = probe(root / "output" / UNIT / "led" / LED_CLIP)
    assert len(info["streams"]) == 1  # no audio track
    video = info["streams"][0]
    assert (video["codec_type"], video["codec_name"], video["profile"]) == ("video", "h264", "Main")
    assert video["pix_fmt"] == "yuv420p"
    assert (video["width"], video["height"]) == ENCODED
    assert video["r_frame_rate"] == video["avg_frame_rate"] == "25/1"
    assert int(video["nb_read_frames"]) == int(video["nb_frames"]) == FRAMES
    assert float(video["duration"]) == pytest.approx(4.0, abs=1e-6)
    assert float(info["format"]["duration"]) == pytest.approx(4.0, abs=1e-6)
    assert video["has_b_frames"] == 0
    assert (video["color_space"], video["color_range"]) == ("bt709", "tv")
    assert "mp4" in info["format"]["format_name"]
    assert "creation_time" not in info["format"].get("tags", {})


def test_index_comes_before_the_media_data(led_build):
    root, _, _ = led_build
    for clip in (root / "output" / UNIT / "led" / LED_CLIP, root / "output" / PROVINCE / "tv" / TV_CLIP):
        boxes = top_level_boxes(clip)
        assert boxes.index("moov") < boxes.index("mdat"), boxes


def test_keyframe_on_the_first_frame_and_every_two_seconds(led_build):
    root, _, _ = led_build
    result = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=key_frame",
                             "-of", "csv=p=0", str(root / "output" / UNIT / "led" / LED_CLIP)],
                            capture_output=True, text=True, check=True)
    keys = [i for i, flag in enumerate(result.stdout.split()) if flag.strip(",") == "1"]
    assert keys == [0, 50]


def test_odd_panel_is_padded_recorded_and_said(led_build):
    root, manifest, stdout = led_build
    clip = entry(manifest, LED_CLIP)
    assert clip["px"] == list(PANEL) and clip["encoded_px"] == list(ENCODED)
    assert (clip["fps"], clip["duration_s"], clip["frames"]) == (25, 4.0, FRAMES)
    assert f"{LED_CLIP}: the 481×241 px panel is encoded as 482×242" in stdout
    # the extra column and row carry the background: the slide's red, the band's deep red
    frame = decode_rgb(root / "output" / UNIT / "led" / LED_CLIP, 0, ENCODED)
    red, deep_red = np.array([0xDA, 0x25, 0x1D]), np.array([0xA3, 0x16, 0x1A])
    assert np.abs(frame[10:150, 481] - red).max() <= 6
    assert np.abs(frame[241, 0:6] - deep_red).max() <= 6


def test_manifest_records_the_exact_texts_in_playing_order(led_build):
    _, manifest, _ = led_build
    texts = entry(manifest, LED_CLIP)["texts"]
    assert texts.index("CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN") < texts.index(
        "CHUYỂN ĐỔI SỐ GIẢI QUYẾT CÁC VẤN ĐỀ CỦA XÃ HỘI VÌ CUỘC SỐNG TỐT ĐẸP HƠN")
    assert "Ủy ban nhân dân huyện Đồi Núi" in texts
    assert texts[-1].endswith("Ủy ban nhân dân huyện Đồi Núi")  # the marquee


def test_a_still_of_every_slide_at_the_panel_size(led_build):
    root, manifest, _ = led_build
    stills = sorted(a["path"] for a in manifest["assets"] if a["path"].startswith(f"{UNIT}/led/")
                    and a["media"] == "png")
    assert [Path(p).name for p in stills] == [
        "led-loop-khau-hieu-01-mo-dau__led-test-481x241.png",
        "led-loop-khau-hieu-02-ngan__led-test-481x241.png",
        "led-loop-khau-hieu-03-dai__led-test-481x241.png",
    ]
    for path in stills:
        with Image.open(root / "output" / path) as image:
            assert image.size == PANEL
    assert entry(manifest, "02-ngan__led-test-481x241.png")["slide"] == "02-ngan"


def test_the_loop_is_seamless(led_build):
    root, _, _ = led_build
    clip = timeline(root)
    band_top = clip.marquee.top_px + 2  # clear of the band's edge, where chroma rows are shared
    frames = decode_luma(root / "output" / UNIT / "led" / LED_CLIP, ENCODED)
    assert len(frames) == FRAMES
    # the marquee: every frame, the last into the first included, is the one before moved left 8 px,
    # to the pixel: what is left is the encoder's noise, far below a one-pixel slip
    for k in range(FRAMES):
        before, after = frames[k, band_top:PANEL[1]], frames[(k + 1) % FRAMES, band_top:PANEL[1]]
        errors = {shift: np.abs(after[:, :PANEL[0] - 40] - before[:, shift:PANEL[0] - 40 + shift]).mean()
                  for shift in range(0, 20)}
        assert min(errors, key=errors.get) == STEP_PX, (k, errors)
        assert errors[STEP_PX] < 3 and errors[STEP_PX] < 0.25 * min(errors[STEP_PX - 1], errors[STEP_PX + 1]), \
            (k, errors)
    # the slides: the last frame is one crossfade step from the first, like the steps before it
    upper = frames[:, :clip.marquee.top_px - 2].astype(np.float64)
    steps = [np.abs(upper[(k + 1) % FRAMES] - upper[k]).mean() for k in range(FRAMES)]
    fade = clip.segments[-1].transition_frames
    assert clip.segments[-1].transition == "crossfade"
    inside = steps[FRAMES - fade - 1:FRAMES - 1]
    assert steps[FRAMES - 1] <= 1.5 * np.median(inside)
    assert np.abs(upper[FRAMES - 1] - upper[0]).mean() < np.abs(upper[FRAMES - fade] - upper[0]).mean() / 5
    # and nothing moves in the slides while a slide is shown alone
    first = clip.segments[0]
    assert max(steps[1:first.frames - first.transition_frames - 2]) < 0.2


def test_slogan_frame_matches_its_still(led_build):
    root, _, _ = led_build
    clip = timeline(root)
    segment = clip.segments[1]
    assert clip.names[1] == "02-ngan"
    frame_index = segment.start + (segment.frames - segment.transition_frames) // 2
    frame = decode_rgb(root / "output" / UNIT / "led" / LED_CLIP, frame_index, ENCODED)
    with Image.open(root / "output" / UNIT / "led" / "led-loop-khau-hieu-02-ngan__led-test-481x241.png") as im:
        still = np.asarray(im.convert("RGB")).astype(np.int16)
    rows = clip.marquee.top_px - 2
    frame = frame[:rows, :PANEL[0]]
    # compared in luma: yuv420p keeps colour at half resolution, so red/yellow edges differ in RGB by design
    weights = np.array([0.2126, 0.7152, 0.0722])
    difference = np.abs(frame @ weights - still[:rows] @ weights)
    psnr = 10 * np.log10(255 ** 2 / (difference ** 2).mean())
    assert difference.mean() < 3 and psnr > 35, (difference.mean(), psnr)
    # the text is there: yellow slogan pixels in the still are yellow in the frame
    yellow = (still[:rows, :, 0] > 200) & (still[:rows, :, 1] > 200) & (still[:rows, :, 2] < 60)
    assert yellow.sum() > 2000
    assert np.abs(frame[yellow] - still[:rows][yellow]).mean() < 12


def test_tv_ident_keeps_titles_in_the_title_safe_area(led_build):
    root, manifest, _ = led_build
    clip = entry(manifest, TV_CLIP)
    assert (clip["px"], clip["encoded_px"], clip["frames"], clip["duration_s"]) == ([384, 216], [384, 216], 250, 10.0)
    info = probe(root / "output" / PROVINCE / "tv" / TV_CLIP)
    assert int(info["streams"][0]["nb_read_frames"]) == 250 and len(info["streams"]) == 1
    the_plan = plan(root, Selection(channel="tv"))
    layout = next(lay for lay in lay_out_all(the_plan.jobs) if lay.clip is not None)
    for slide in layout.clip.slides:
        for item in slide.items:
            if hasattr(item, "fitted"):
                ink = item.fitted.ink
                assert ink.x >= 19 and ink.y >= 11 and ink.x + ink.width <= 384 - 19 and ink.y + ink.height <= 216 - 11


def test_builds_are_reproducible_to_the_byte(led_build, tmp_path):
    root, manifest, _ = led_build
    again = assets("build", "--only", "led", "--unit", UNIT, "--output", str(tmp_path / "again"), cwd=root)
    assert again.returncode == 0, again.stderr
    second = json.loads((tmp_path / "again/manifest.json").read_text(encoding="utf-8"))
    assert entry(second, LED_CLIP)["sha256"] == entry(manifest, LED_CLIP)["sha256"]


# ---------------------------------------------------------------- mistakes in video specs

LED = "specs/designs/led-loop.yaml"
BAD = {
    # name: (file, text to replace, replacement, the line to expect it on, what the message says)
    "transition longer than its slide": (LED, "{type: push, direction: left, duration_s: 0.6}",
                                         "{type: push, direction: left, duration_s: 3}", "duration_s: 3",
                                         "takes 75 frames but the slide has 29"),
    "marquee longer than the loop": (LED, "      led-test-481x241: 200\n", "      led-test-481x241: 60\n",
                                     "text: \"{{ campaign.title }}", "longer than the 4 s loop"),
    "unknown slide layout": (LED, "    - layout: khau-hieu    # one slide per campaign slogan",
                             "    - layout: khau-hiu    # one slide per campaign slogan", "layout: khau-hiu",
                             "layout 'khau-hiu' is not defined (did you mean 'khau-hieu'?)"),
    "text under the marquee band": (LED, "ngày {{ campaign.period.end }}\"\n        box: [0.1, 0.73, 0.8, 0.12]",
                                    "ngày {{ campaign.period.end }} \"\n        box: [0.1, 0.85, 0.8, 0.14]",
                                    "{{ campaign.period.end }} \"", "runs under the marquee band"),
    "fps on a print format": ("specs/formats.yaml", "    proof_px: 600\n", "    proof_px: 600\n    fps: 25\n",
                              "bang-ron-200x40:", "a print format (size_mm) takes no fps"),
    "loop not a whole number of frames": ("specs/formats.yaml", "    fps: 25\n    duration_s: 4\n",
                                          "    fps: 25\n    duration_s: 4.01\n", "led-test-481x241:",
                                          "must be a whole number of frames"),
    "video design on a print format": (LED, "formats: [led-test-481x241]", "formats: [led-test-481x241, bang-ron-200x40]",
                                       "formats: [led-test-481x241, bang-ron-200x40]",
                                       "format 'bang-ron-200x40' is not a video format"),
}


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_video_spec_mistakes_are_one_line_and_write_nothing(tmp_path: Path, case: str):
    root = video_project(tmp_path / "project")
    (root / "output").mkdir()
    (root / "output/keep.txt").write_text("earlier output", encoding="utf-8")
    before = snapshot(root / "output")
    file, old, new, expect_line_of, message = BAD[case]
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = assets("build", "--only", "led", "--unit", UNIT, cwd=root)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert message in lines[0], lines[0]
    assert lines[0].startswith(f"{file}:{line_of(path, expect_line_of)}:"), lines[0]
    assert snapshot(root / "output") == before


@pytest.mark.parametrize("encoding, said", [
    (["-pix_fmt", "yuv444p", "-profile:v", "high444"], "pixel format is yuv444p, expected yuv420p"),
    (["-pix_fmt", "yuv420p", "-bf", "3"], "B-frame delay is"),
    (["-pix_fmt", "yuv420p", "-movflags", "-faststart"], "index (moov) after the media data"),
])
def test_verify_refuses_a_loop_re_encoded_as_players_do_not_take_it(led_build, tmp_path, encoding, said):
    """The manifest's size and hash updated to match: only reading the stream finds it."""
    root, _, _ = led_build
    output = tmp_path / "output"
    shutil.copytree(root / "output", output)
    clip = output / UNIT / "led" / LED_CLIP
    redone = tmp_path / "redone.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-c:v", "libx264", *encoding, str(redone)], check=True)
    shutil.move(redone, clip)
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    record = entry(manifest, LED_CLIP)
    record["bytes"], record["sha256"] = clip.stat().st_size, hashlib.sha256(clip.read_bytes()).hexdigest()
    (output / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _, problems = verify(output)
    assert [p for p in problems if said in p and LED_CLIP in p], problems


@pytest.mark.parametrize("encoding, said", [
    (["-c:v", "mpeg4"], "codec is mpeg4, expected h264"),
    (["-c:v", "libx264", "-pix_fmt", "yuv420p", "-profile:v", "high", "-bf", "2"], "B-frame delay"),
    (["-c:v", "libx264", "-pix_fmt", "yuv444p", "-profile:v", "high444"], "pixel format is yuv444p, expected yuv420p"),
], ids=["mpeg4", "b-frames", "4:4:4"])
def test_verify_refuses_a_video_a_player_may_not_take(tmp_path: Path, encoding, said):
    """A file in place of a loop, its manifest entry made to match: verify reads the stream itself."""
    import imageio_ffmpeg

    from assets_pipeline.engine.verify import check_video

    path = tmp_path / "loop.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=64x64:rate=25", "-t", "1", *encoding, "-movflags", "+faststart", str(path)],
                   check=True)
    problems = check_video(path, {"media": "mp4", "fps": 25, "duration_s": 1.0, "frames": 25, "px": [64, 64]})
    assert any(said in problem for problem in problems), problems
