"""H.264 in MP4 for LED players and television: frames made with Pillow and numpy, encoded by ffmpeg.

What players accept: H.264 Main profile, yuv420p, constant frame rate, the index (moov) at the front
(`+faststart`), no audio track (a silent one where a platform requires one), no B-frames (so no
composition offsets or edit-list shift for a player to get wrong at the loop point), a closed GOP with
a keyframe every two seconds and on frame 0.

Speed: x264 is the floor, so nothing else may cost much. Each slide is drawn once (the same
`png.draw` as its still) and converted to yuv420p once; a frame is the current slide's planes, a
transition mixes two of them, and the marquee band is a slice of a strip drawn once. Frames go to
ffmpeg as raw yuv420p through a pipe, so ffmpeg converts nothing.

Reproducible bytes: bitexact muxing, no creation time, no metadata, and a fixed x264 thread count
(x264's output depends on its thread count).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator

import imageio_ffmpeg
import numpy as np
from PIL import Image

from assets_pipeline.core.fonts import face
from assets_pipeline.layout.clips import ClipLayout, MarqueeLayout
from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job
from assets_pipeline.render.png import draw, draw_line

CRF = 18
# At CRF 18 these flat, mostly still frames lose nothing visible to a faster search: for the 3840 × 1080
# loop, veryfast is 0.5 dB below medium in luma PSNR (55.2 against 55.7 dB) and its file 15 % larger,
# for half of x264's time (13.5 s of CPU against 27.2 s), which is most of a campaign's build.
PRESET = "veryfast"
# two encodes run at once on a 2-core machine: more threads each would only hold more frames (~40 MB a
# thread at 3840 × 1080)
ENCODER_THREADS = 2
KEYFRAME_INTERVAL_S = 2
PROFILE = "main"
LOOKAHEAD_FRAMES = 20  # x264's default 40 holds ~200 MB more of 1080p frames for no visible gain here
# x264's macroblock tree (mbtree) gives the last frames of a stream less quality, since nothing refers
# to them; in a loop that shows as a step in quality at the seam, so it is off (files ~3 % larger)
# BT.709, limited range: what HD players and broadcast expect; the stream says so in its VUI
KR, KB = 0.2126, 0.0722
# where a platform requires an audio track (VideoLimits.audio): silence, as AAC-LC stereo at 48 kHz and
# 128 kb/s, what Facebook's and TikTok's upload guides recommend
AUDIO_RATE = 48_000
AUDIO_BITRATE = "128k"


def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def encoded_size(width: int, height: int) -> tuple[int, int]:
    """yuv420p needs even sides: an odd panel side gets one more row or column, never a resize."""
    return width + width % 2, height + height % 2


def raw_input_args(width: int, height: int, fps: int, source: str) -> list[str]:
    # the frames are BT.709 limited range (rgb_to_yuv420); saying so here puts it in the stream's VUI
    return ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}", "-r", str(fps),
            "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-color_range", "tv",
            "-i", source]


def silent_audio_input(seconds: float) -> list[str]:
    """A silent stereo track as long as the video, for platforms that refuse a video without audio."""
    return ["-f", "lavfi", "-t", f"{seconds:.6f}", "-i", f"anullsrc=channel_layout=stereo:sample_rate={AUDIO_RATE}"]


def encoder_args(fps: int, output: str, audio: bool = False) -> list[str]:
    """Everything after the inputs: the same for the pipeline and for the benchmark's floor; `audio`:
    the second input (silent_audio_input) as AAC."""
    keyframes = KEYFRAME_INTERVAL_S * fps
    sound = (["-map", "0:v", "-map", "1:a", "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-flags:a", "+bitexact"]
             if audio else ["-an"])
    return [
        *sound, "-map_metadata", "-1",
        "-c:v", "libx264", "-preset", PRESET, "-crf", str(CRF), "-profile:v", PROFILE, "-pix_fmt", "yuv420p",
        "-bf", "0", "-g", str(keyframes), "-keyint_min", str(keyframes), "-sc_threshold", "0",
        "-threads", str(ENCODER_THREADS), "-x264-params", f"rc-lookahead={LOOKAHEAD_FRAMES}:mbtree=0",
        "-flags:v", "+bitexact", "-fflags", "+bitexact", "-movflags", "+faststart",
        "-f", "mp4", output,
    ]


KG = 1 - KR - KB
_Y, _C = 219 / 255, 224 / 255
# RGB → Y′CbCr as one affine matrix, which Pillow applies in C
BT709_LIMITED = (
    KR * _Y, KG * _Y, KB * _Y, 16.0,
    -KR / (2 * (1 - KB)) * _C, -KG / (2 * (1 - KB)) * _C, 0.5 * _C, 128.0,
    0.5 * _C, -KG / (2 * (1 - KR)) * _C, -KB / (2 * (1 - KR)) * _C, 128.0,
)


def rgb_to_yuv420(image: Image.Image) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An RGB image with even sides as BT.709 limited-range Y, U and V planes (uint8)."""
    y = np.asarray(image.convert("RGB", BT709_LIMITED).getchannel(0))
    # chroma from the 2 × 2 average: the subsampling and the colour transform are both linear
    chroma = image.reduce(2).convert("RGB", BT709_LIMITED)
    return y, np.asarray(chroma.getchannel(1)), np.asarray(chroma.getchannel(2))


def _padded(image: Image.Image, size: tuple[int, int], color: str) -> Image.Image:
    if image.size == size:
        return image
    canvas = Image.new("RGB", size, color)
    canvas.paste(image, (0, 0))
    return canvas


def smoothstep(p: float) -> float:
    return p * p * (3 - 2 * p)


class MarqueeStrip:
    """The band's pixels for a whole loop: the text drawn once along a strip, sliced per frame.

    The strip is `travel` columns longer than the frame and repeats with period `travel`, so the
    slice at offset `travel` equals the one at 0 and the loop closes seamlessly.
    """

    def __init__(self, marquee: MarqueeLayout, width: int, top: int, height: int):
        self.step = marquee.step_px
        self.travel = marquee.travel_px
        self.width = width
        # every slice lies in [0, width + travel); chroma wants even lengths, from column 0 and from 1
        even_width = width + self.travel + self.travel % 2
        strip_width = even_width + 1
        image = Image.new("RGB", (strip_width, height), marquee.background)
        baseline = marquee.baseline_px + (marquee.top_px - top)
        period, passes = marquee.period_px, marquee.passes
        first = int(np.floor((-marquee.text_px - marquee.first_x_px) / period)) - 1
        last = int(np.ceil((strip_width - marquee.first_x_px) / period)) + 1
        for k in range(first, last + 1):
            # a copy and the one `passes` later are exactly `travel` apart, to the last bit
            x = marquee.first_x_px + (k % passes) * period + (k // passes) * self.travel
            draw_line(image, x, baseline, marquee.text, marquee.font_path, marquee.size_px, marquee.color)
            if marquee.separator:
                sep_px = face(marquee.font_path).advance(marquee.separator) * marquee.size_px
                middle = x + marquee.text_px + (period - marquee.text_px) / 2
                draw_line(image, middle - sep_px / 2, baseline, marquee.separator, marquee.font_path,
                          marquee.size_px, marquee.color)
        self.y, self.u, self.v = rgb_to_yuv420(image.crop((0, 0, even_width, height)))
        # an odd offset needs chroma sampled from the strip shifted by one column
        self.u_odd: np.ndarray | None
        self.v_odd: np.ndarray | None
        self.u_odd, self.v_odd = rgb_to_yuv420(image.crop((1, 0, even_width + 1, height)))[1:] \
            if self.step % 2 or self.travel % 2 else (None, None)

    def put(self, frame: int, y: np.ndarray, u: np.ndarray, v: np.ndarray) -> None:
        offset = (frame * self.step) % self.travel
        y[:] = self.y[:, offset:offset + self.width]
        half = self.width // 2
        if offset % 2 == 0:
            u[:] = self.u[:, offset // 2:offset // 2 + half]
            v[:] = self.v[:, offset // 2:offset // 2 + half]
        else:
            assert self.u_odd is not None and self.v_odd is not None  # an odd offset comes of an odd step or travel
            u[:] = self.u_odd[:, offset // 2:offset // 2 + half]
            v[:] = self.v_odd[:, offset // 2:offset // 2 + half]


class Frames:
    """Every frame of a clip as raw yuv420p, drawn once per slide and composed per frame."""

    def __init__(self, clip: ClipLayout, panel_px: tuple[int, int]):
        self.clip = clip
        self.panel_px = panel_px
        self.width, self.height = encoded_size(*panel_px)
        marquee = clip.marquee
        # the band starts on an even row so that its chroma rows are its own
        self.band_top = self.height if marquee is None else marquee.top_px - marquee.top_px % 2
        self._slides: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.strip = None
        if marquee is not None:
            self.strip = MarqueeStrip(marquee, self.width, self.band_top, self.height - self.band_top)
        self._mix: dict[tuple[int, int], list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}

    def slide(self, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A slide's planes above the band, drawn when first shown (while ffmpeg encodes the frames before)."""
        if index not in self._slides:
            layout = self.clip.slides[index]
            still = _padded(draw(layout, 1.0), (self.width, self.height), layout.background)
            self._slides[index] = rgb_to_yuv420(still.crop((0, 0, self.width, self.band_top)))
        return self._slides[index]

    @property
    def frame_bytes(self) -> int:
        return self.width * self.height * 3 // 2

    def _planes(self, buffer: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        w, h = self.width, self.height
        y = buffer[:w * h].reshape(h, w)
        u = buffer[w * h:w * h * 5 // 4].reshape(h // 2, w // 2)
        v = buffer[w * h * 5 // 4:].reshape(h // 2, w // 2)
        return y, u, v

    def _crossfade(self, a: int, b: int, p: float, out: tuple[np.ndarray, ...]) -> None:
        if (a, b) not in self._mix:
            # a + (b − a) · w / 128 in int16: (b − a) · 128 stays within int16
            self._mix[(a, b)] = [(pa.astype(np.int16), pb.astype(np.int16) - pa, np.empty(pa.shape, np.int16))
                                 for pa, pb in zip(self.slide(a), self.slide(b))]
        weight = round(p * 128)
        for (base, delta, scratch), target in zip(self._mix[(a, b)], out):
            np.multiply(delta, weight, out=scratch)
            scratch += 64
            scratch >>= 7
            scratch += base
            np.copyto(target, scratch, casting="unsafe")

    def _push(self, a: int, b: int, p: float, direction: str, out: tuple[np.ndarray, ...]) -> None:
        along_x = direction in ("left", "right")
        extent = self.width if along_x else self.band_top
        shift = 2 * round(smoothstep(p) * extent / 2)  # even, so chroma moves by whole samples
        for plane, (pa, pb, target) in enumerate(zip(self.slide(a), self.slide(b), out)):
            s = shift if plane == 0 else shift // 2
            if not along_x:
                pa, pb, target = pa.T, pb.T, target.T
            n = pa.shape[1]
            if direction in ("left", "up"):
                target[:, :n - s] = pa[:, s:]
                target[:, n - s:] = pb[:, :s]
            else:
                target[:, s:] = pa[:, :n - s]
                target[:, :s] = pb[:, n - s:]

    def __iter__(self) -> Iterator[memoryview]:
        """The frames in order; each is valid until the next is asked for (one buffer, reused)."""
        buffer = np.empty(self.frame_bytes, np.uint8)
        y, u, v = self._planes(buffer)
        upper = (y[:self.band_top], u[:self.band_top // 2], v[:self.band_top // 2])
        band = (y[self.band_top:], u[self.band_top // 2:], v[self.band_top // 2:])
        shown = None
        for frame in range(self.clip.frames):
            a, b, p = self.clip.state(frame)
            if p == 0:
                if shown != a:
                    for target, source in zip(upper, self.slide(a)):
                        target[:] = source
                    shown = a
            else:
                segment = self.clip.segments[a]
                if segment.transition == "crossfade":
                    self._crossfade(a, b, p, upper)
                else:
                    self._push(a, b, p, segment.direction, upper)
                shown = None
            if self.strip is not None:
                self.strip.put(frame, *band)
            yield buffer.data


def pipe_to_ffmpeg(command: list[str], frames: Iterable[Any]) -> tuple[int, str] | None:
    """Start ffmpeg first (x264 sets up while the first frame is drawn), then pipe it every frame;
    its exit code and what it said, if it failed."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        assert process.stdin is not None
        try:
            for frame in frames:
                process.stdin.write(frame)
            process.stdin.close()
        except BrokenPipeError:  # ffmpeg stopped: what it said is the reason
            pass
        code = process.wait()
        if code == 0:
            return None
        errors.seek(0)
        return code, errors.read().decode(errors="replace").strip()


def encode(clip: ClipLayout, panel_px: tuple[int, int], path: Path, audio: bool = False) -> Frames:
    width, height = encoded_size(*panel_px)
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostats",
               *raw_input_args(width, height, clip.fps, "pipe:0"),
               *(silent_audio_input(clip.frames / clip.fps) if audio else []), *encoder_args(clip.fps, str(path), audio)]
    frames = Frames(clip, panel_px)
    failed = pipe_to_ffmpeg(command, frames)
    if failed is not None:
        raise RuntimeError(f"ffmpeg failed ({failed[0]}): {failed[1]}")
    return frames


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    clip: ClipLayout = layout.clip
    if clip is None:
        raise ValueError("MP4 output needs a video design and a video format (duration_s)")
    panel_px = (int(layout.width), int(layout.height))
    limits = job.format.limits
    frames = encode(clip, panel_px, path, audio=limits is not None and limits.audio)
    fields: dict[str, Any] = {
        "px": list(panel_px), "encoded_px": [frames.width, frames.height],
        "fps": clip.fps, "duration_s": clip.frames / clip.fps, "frames": clip.frames,
        "texts": clip.texts(), "slides": list(clip.names),
    }
    if limits is not None:  # what `assets verify` holds the file to
        fields["platforms"] = list(job.format.platforms)
        fields["limits"] = limits.model_dump()
    if clip.marquee is not None:
        fields["marquee_px_s"] = clip.marquee.step_px * clip.fps
    return fields
