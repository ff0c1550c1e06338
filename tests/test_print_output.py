"""Banners read back as a print shop's tools would: pypdf for boxes, poppler for fonts and text. The
banners are the print test project's (tests/data/print: one design in three formats, one of them over
5,080 mm), built once for the module for its three units; the proofs' resolution is read on print_build."""

from __future__ import annotations

import hashlib
import json
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from assets_pipeline.engine.build import build
from assets_pipeline.plan.expand import Selection
from assets_pipeline.specs.load import load_specs
from tests.conftest import tiny_project

MM = 72 / 25.4
COMMUNES = ("xa",)  # the print project's commune; its other units are a province and a district


def pdfs(manifest: dict) -> list[dict]:
    return [a for a in manifest["assets"] if a["media"] == "pdf" and a["channel"] == "banners"]


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="module")
def banner_build(tmp_path_factory) -> tuple[Path, dict]:
    """The print test project's banners for every unit, and the manifest; the project is the output's parent."""
    root = tiny_project(tmp_path_factory.mktemp("banners"), "print")
    output = root / "output"
    build(root, output, Selection(channel="banners"), workers=2)
    return output, json.loads((output / "manifest.json").read_text(encoding="utf-8"))


def test_every_unit_and_slogan_is_built(banner_build):
    _, manifest = banner_build
    units = {a["unit"] for a in manifest["assets"]}
    assert units == {"tinh", "huyen", *COMMUNES}
    for unit in units:
        mine = [a for a in pdfs(manifest) if a["unit"] == unit]
        assert {a["variant"] for a in mine} == {"ngan", "dai"}
        formats = {"bang-ron-300x50", "bang-ron-doc-50x150"}  # a commune hangs no 6 m banner
        if unit not in COMMUNES:
            formats.add("bang-ron-600x60")
        assert {a["format"] for a in mine} == formats


def test_pdf_text_extraction_returns_slogan_and_unit_line_exactly(banner_build):
    output, manifest = banner_build
    for asset in pdfs(manifest):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", output / asset["path"], "-"],
                              capture_output=True, text=True, check=True).stdout
        extracted = collapse(text)
        for placed in asset["texts"]:
            assert placed in extracted, (asset["path"], placed, extracted)
        assert any(t.startswith("Ủy ban nhân dân ") for t in asset["texts"])


def test_trim_box_is_trim_size_times_scale(banner_build):
    output, manifest = banner_build
    for asset in pdfs(manifest):
        page = PdfReader(output / asset["path"]).pages[0]
        scale, bleed = asset["scale"], asset["bleed_mm"]
        width, height = asset["trim_mm"]
        trim = page.trimbox
        assert float(trim.width) == pytest.approx(width * scale * MM, abs=0.01)
        assert float(trim.height) == pytest.approx(height * scale * MM, abs=0.01)
        assert float(trim.left) == pytest.approx(bleed * scale * MM, abs=0.01)
        media = page.mediabox
        assert float(media.width) == pytest.approx((width + 2 * bleed) * scale * MM, abs=0.01)
        assert [float(v) for v in page.bleedbox] == [float(v) for v in media]
        # no page beyond the 200-inch limit of readers and RIPs
        assert max(float(media.width), float(media.height)) <= 200 * 72


def test_large_pieces_are_one_to_ten_artwork(banner_build):
    output, manifest = banner_build
    six_metre = [a for a in pdfs(manifest) if a["format"] == "bang-ron-600x60"]
    assert six_metre and all(a["scale"] == 0.1 and a["path"].endswith("_1-10.pdf") for a in six_metre)
    info = PdfReader(output / six_metre[0]["path"]).metadata
    assert "1:10" in info.subject and info.keywords == "scale=1:10"
    three_metre = [a for a in pdfs(manifest) if a["format"] == "bang-ron-300x50"]
    assert three_metre and all(a["scale"] == 1 for a in three_metre)


def test_every_font_is_embedded_and_no_base14_font_is_left(banner_build):
    output, manifest = banner_build
    for asset in pdfs(manifest)[:6]:
        listing = subprocess.run(["pdffonts", output / asset["path"]], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert listing
        for row in listing:
            name, *_rest = row.split()
            assert "BeVietnamPro" in name, row
            assert " yes yes yes " in row, row  # embedded, subset, ToUnicode


def test_png_proofs_match_manifest(banner_build):
    output, manifest = banner_build
    formats = load_specs(output.parent).formats
    for asset in manifest["assets"]:
        if asset["media"] != "png" or asset["channel"] != "banners":
            continue
        with Image.open(output / asset["path"]) as image:
            assert list(image.size) == asset["px"]
            assert max(image.size) == formats[asset["format"]].proof_px
            width, height = image.size
        pdf = next(a for a in pdfs(manifest) if a["path"].startswith(asset["path"][:-4]))
        assert width / height == pytest.approx(pdf["trim_mm"][0] / pdf["trim_mm"][1], rel=0.01)


def test_manifest_sha_and_bytes_match_files(banner_build):
    output, manifest = banner_build
    assert manifest["generator"]["name"] == "assets_pipeline"
    for asset in manifest["assets"]:
        data = (output / asset["path"]).read_bytes()
        assert len(data) == asset["bytes"]
        assert hashlib.sha256(data).hexdigest() == asset["sha256"]
        assert all(t == unicodedata.normalize("NFC", t) for t in asset["texts"])
        parts = Path(asset["path"]).parts
        assert parts[0] == asset["unit"] and parts[1] == asset["channel"]
        assert parts[2].startswith(f"{asset['design']}-{asset['variant']}__{asset['format']}")


def test_same_input_gives_byte_identical_files(banner_build, tmp_path):
    output, manifest = banner_build
    root = tiny_project(tmp_path / "again", "print")
    again = build(root, tmp_path / "output", Selection(channel="banners"), workers=1)
    first = {a["path"]: a["sha256"] for a in manifest["assets"]}
    assert {a.path: a.sha256 for a in again.assets} == first


def test_no_temporary_files_are_left(banner_build):
    output, _ = banner_build
    assert not list(output.rglob("*.tmp"))


def piece(asset: dict) -> tuple:
    """Which piece a file is of (a 1:10 PDF's name differs from its proof's)."""
    return asset["unit"], asset["design"], asset["variant"], asset["format"]


def test_every_raster_made_for_print_says_its_dpi_at_the_final_size(print_build):
    """The manifest's `dpi` (the output contract) and the PNG's own pHYs: pixels per inch of the trim."""
    output, manifest = print_build
    pdfs = {piece(a): a for a in manifest["assets"] if a["media"] == "pdf"}
    proofs = [a for a in manifest["assets"] if a["media"] == "png" and a.get("proof")]
    assert proofs
    for proof in proofs:
        trim_mm = pdfs[piece(proof)]["trim_mm"]
        assert proof["dpi"] == pytest.approx(proof["px"][0] / (trim_mm[0] / 25.4), abs=0.05), proof["path"]
        with Image.open(output / proof["path"]) as image:
            assert image.info["dpi"] == pytest.approx((proof["dpi"],) * 2, abs=0.5)
