"""Files of channels other than banners, written into a built output/ as their renderers would.

Bundling must work from the manifest alone, whatever channels and media exist: these add a
province-wide LED loop (MP4 with a still, and one without), a province web banner (JPEG), a
district's two-page QR notice (PDF whose proof has another stem) and a medium nobody knows (glb).
They are real files made with real tools (ffmpeg, Pillow, reportlab), for the units of
tests/data/delivery (the province `tinh`, the district `ho-sen`); the LED loop and the web banner
are of its designs led-loop and web-banner, which share them with districts only, and the QR notice
and the scene of designs the project does not have, which share with every kind of unit.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import imageio_ffmpeg
from PIL import Image, ImageDraw
from reportlab.pdfgen.canvas import Canvas

SLOGAN = "CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN"  # the slogan `ngan` of tests/data/delivery/specs/campaign.yaml


def _entry(output: Path, path: str, unit: str, channel: str, design: str, fmt: str, media: str,
           texts: list[str], **fields) -> dict:
    data = (output / path).read_bytes()
    return {"path": path, "unit": unit, "channel": channel, "design": design, "variant": "ngan",
            "format": fmt, "media": media, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "texts": texts, **fields}


def _picture(path: Path, size: tuple[int, int], fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, "#DA251D")
    ImageDraw.Draw(image).rectangle((size[0] // 8, size[1] // 3, size[0] * 7 // 8, size[1] * 2 // 3), fill="#FFDE00")
    image.save(path, format=fmt)


def _video(path: Path, size: tuple[int, int], duration_s: int, fps: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi",
                    "-i", f"testsrc=size={size[0]}x{size[1]}:rate={fps}", "-t", str(duration_s),
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-threads", "1", "-movflags", "+faststart",
                    "-map_metadata", "-1", "-fflags", "+bitexact", str(path)], check=True, timeout=120)


def add_other_channels(output: Path) -> list[dict]:
    added = []
    led = "tinh/led"
    _video(output / f"{led}/led-loop-ngan__led-96x48.mp4", (96, 48), 2, 10)
    _picture(output / f"{led}/led-loop-ngan__led-96x48-slide-1.png", (96, 48), "PNG")
    added.append(_entry(output, f"{led}/led-loop-ngan__led-96x48.mp4", "tinh", "led", "led-loop",
                        "led-96x48", "mp4", [SLOGAN], px=[96, 48], fps=10, duration_s=2, frames=20))
    added.append(_entry(output, f"{led}/led-loop-ngan__led-96x48-slide-1.png", "tinh", "led",
                        "led-loop", "led-96x48", "png", [SLOGAN], px=[96, 48]))
    _video(output / f"{led}/led-loop-ngan__led-64x32.mp4", (64, 32), 2, 10)
    added.append(_entry(output, f"{led}/led-loop-ngan__led-64x32.mp4", "tinh", "led", "led-loop",
                        "led-64x32", "mp4", [SLOGAN], px=[64, 32], fps=10, duration_s=2, frames=20))

    _picture(output / "tinh/web/web-banner-ngan__web-1200x630.jpg", (1200, 630), "JPEG")
    added.append(_entry(output, "tinh/web/web-banner-ngan__web-1200x630.jpg", "tinh", "web",
                        "web-banner", "web-1200x630", "jpeg", [SLOGAN], px=[1200, 630]))

    qr = output / "ho-sen/notices/qr-notice-ngan__qr-a4.pdf"
    qr.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(qr), pagesize=(595, 842), invariant=1)
    for _ in range(2):
        canvas.rect(100, 300, 400, 400, fill=1)
        canvas.showPage()
    canvas.save()
    _picture(output / "ho-sen/notices/qr-notice-ngan__qr-a4-page-1.png", (210, 297), "PNG")
    added.append(_entry(output, "ho-sen/notices/qr-notice-ngan__qr-a4.pdf", "ho-sen", "notices", "qr-notice", "qr-a4",
                        "pdf", ["Thủ tục hành chính"], trim_mm=[210, 297], bleed_mm=3, scale=1, pages=2))
    added.append(_entry(output, "ho-sen/notices/qr-notice-ngan__qr-a4-page-1.png", "ho-sen", "notices", "qr-notice",
                        "qr-a4", "png", ["Thủ tục hành chính"], px=[210, 297], proof=True))

    scene = output / "ho-sen/ar/scene-ngan__ar-room.glb"
    scene.parent.mkdir(parents=True, exist_ok=True)
    scene.write_bytes(b"glTF\x02\x00\x00\x00" + bytes(range(64)))
    added.append(_entry(output, "ho-sen/ar/scene-ngan__ar-room.glb", "ho-sen", "ar", "scene", "ar-room",
                        "glb", []))

    manifest_path = output / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["assets"] = sorted(manifest["assets"] + added, key=lambda a: a["path"])
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return added
