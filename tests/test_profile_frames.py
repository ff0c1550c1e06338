"""Profile-picture frames: transparent PNGs whose round middle is clear for the face, with the band and the
ribbon's slogan opaque around it, read back pixel by pixel, composited over a test photo and read by
tesseract; their line in the bundle's README. Built from the tiny project with the documents' specs
(tests/data/documents), which hold the frame's design."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageOps

from assets_pipeline.engine.verify import verify
from tests.conftest import assets, tiny_project
from tests.test_typography import ocr

UNIT, UNIT_NAME = "xa", "xã Quỳnh Lâm"  # the tiny project's commune
FRAMES = {"avatar-1080x1080": 1080, "avatar-720x720": 720}
SLOGAN = "CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN"  # the headline of tests/data/documents/specs/campaign.yaml
# the clear middle as the design gives it (tests/data/documents/specs/designs/khung-avatar.yaml, as the
# product's): a circle of the square's side × FACE_R about (0.5, FACE_Y)
FACE_Y, FACE_R = 0.40, 0.29


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """A throw-away tiny project with the documents' specs, which hold the frame's design."""
    return tiny_project(tmp_path / "documents", "documents")


def built(project: Path) -> Path:
    done = assets("build", "--design", "khung-avatar", "--unit", UNIT, "--deliver", "-j", "1", cwd=project)
    assert done.returncode == 0, done.stderr
    return project / "output"


def test_the_middle_is_clear_and_the_band_and_ribbon_opaque(documents, tmp_path):
    output = built(documents)
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    frames = {a["format"]: a for a in manifest["assets"] if a["channel"] == "avatar"}
    assert set(frames) == set(FRAMES)
    for format_id, side in FRAMES.items():
        entry = frames[format_id]
        assert entry["media"] == "png" and entry["transparent"] is True
        assert entry["texts"] == [SLOGAN, UNIT_NAME]
        with Image.open(output / entry["path"]) as image:
            assert image.mode == "RGBA" and image.size == (side, side)
            alpha = np.asarray(image.getchannel("A"))
        y, x = np.mgrid[0:side, 0:side] / side
        face = (x - 0.5) ** 2 + (y - FACE_Y) ** 2 <= FACE_R ** 2
        assert alpha[face].max() == 0  # not a pixel over the face
        band = np.abs(np.hypot(x - 0.5, y - 0.5) - 0.47) < 0.02  # the red band round the edge
        assert alpha[band].min() == 255
        assert alpha[round(side * 0.82), round(side * 0.21):round(side * 0.79)].min() == 255  # the ribbon
        corner = np.hypot(x + 0.5 / side - 0.5, y + 0.5 / side - 0.5) > 0.5 + 1 / side  # pixel centres, past the edge's pixel
        assert alpha[corner & (y < 0.7)].max() == 0  # outside the circle the platforms crop to
    checked, problems = verify(output)
    assert checked and not problems

    # over a photo, as the platforms show it: the slogan reads on the ribbon
    with Image.open(output / frames["avatar-1080x1080"]["path"]) as frame:
        photo = Image.new("RGBA", frame.size, "#6A8CAF")
        ImageDraw.Draw(photo).ellipse((360, 200, 720, 640), fill="#E0B48C")
        photo.alpha_composite(frame)
    ribbon = ImageOps.invert(photo.convert("RGB").crop((205, 768, 875, 905)).convert("L"))
    read = " ".join(ocr(ribbon.resize((ribbon.width * 2, ribbon.height * 2)), tmp_path / "ribbon").split())
    # its two lines (tesseract takes ĐỔI's hook at this size for an acute: that word is left out)
    assert "CHUYỂN" in read and "VÌ NGƯỜI DÂN" in read, read

    with zipfile.ZipFile(output / "bundles" / f"{UNIT}.zip") as archive:
        readme = archive.read("README.txt").decode("utf-8-sig")
    flowing = " ".join(readme.split())  # its lines joined
    assert "[Khung ảnh đại diện]" in flowing and "khuôn mặt nằm trong vòng tròn giữa khung" in flowing


def test_text_on_the_transparent_part_is_refused(documents):
    design = documents / "specs" / "designs" / "khung-avatar.yaml"
    text = design.read_text(encoding="utf-8")
    ribbon = text[text.index("      - type: rect            # the ribbon"):text.index("      - type: text")]
    design.write_text(text.replace(ribbon, ""), encoding="utf-8")
    done = assets("check", "--design", "khung-avatar", cwd=documents)
    assert done.returncode == 2
    assert "is set on the transparent background: put a band of colour under it" in done.stderr
