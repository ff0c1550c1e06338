"""Pano, stage backdrop and posters (the print test project, tests/data/print, built by the session's
`print_build`) read back as a print shop's tools would: pypdf for page boxes, /UserUnit and the operators
of the content streams; poppler for fonts, images and text."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from assets_pipeline.specs.load import load_specs

PT_PER_MM = 72 / 25.4
MARK_AREA_MM = 10.0
# colour operators that set an RGB or grey colour; a CMYK file may only use k / K
NOT_CMYK_OPERATORS = {b"rg", b"RG", b"g", b"G", b"sc", b"SC", b"scn", b"SCN", b"cs", b"CS"}
# the units print_build builds, and the line that names each one on its pieces
UNIT_LINES = {"tinh": "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "huyen": "ỦY BAN NHÂN DÂN HUYỆN ĐỒI NÚI"}


def pdfs(manifest: dict) -> list[dict]:
    return [a for a in manifest["assets"] if a["media"] == "pdf"]


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def poppler(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def specs_of(output: Path):
    """The specs of the project `output` was built from (its parent)."""
    return load_specs(output.parent)


def test_every_print_piece_is_built(print_build):
    _, manifest = print_build
    built = {(a["unit"], a["design"], a["variant"], a["format"]) for a in pdfs(manifest)}
    for unit in UNIT_LINES:
        for fmt in ("pano-600x300", "pano-300x150", "pano-doc-60x120"):
            assert {(unit, "pano", "ngan", fmt), (unit, "pano", "dai", fmt)} <= built
        for fmt in ("poster-a4", "poster-a5"):
            assert {(unit, "poster", "ngan", fmt), (unit, "poster", "dai", fmt)} <= built
    # the event is the province's: the district has no backdrop of its own
    assert [b for b in built if b[1] == "stage-backdrop"] == [("tinh", "stage-backdrop", "le-phat-dong",
                                                                "phong-san-khau-600x300")]
    assert {a["channel"] for a in pdfs(manifest)} == {"pano", "posters"}


def test_boxes_are_trim_bleed_and_crop_marks(print_build):
    output, manifest = print_build
    formats = specs_of(output).formats
    for asset in pdfs(manifest):
        page = PdfReader(output / asset["path"]).pages[0]
        fmt = formats[asset["format"]]
        k = asset["scale"] * PT_PER_MM / asset["user_unit"]
        width, height = fmt.size_mm
        bleed, marks = fmt.bleed_mm, asset["crop_marks_mm"]
        assert asset["trim_mm"] == [width, height] and asset["bleed_mm"] == bleed
        assert marks == (MARK_AREA_MM if fmt.crop_marks else 0)
        expected = {
            "trimbox": (bleed + marks, bleed + marks, bleed + marks + width, bleed + marks + height),
            "bleedbox": (marks, marks, 2 * bleed + marks + width, 2 * bleed + marks + height),
            "mediabox": (0, 0, 2 * (bleed + marks) + width, 2 * (bleed + marks) + height),
        }
        for name, box_mm in expected.items():
            got = [float(v) for v in getattr(page, name)]
            assert got == pytest.approx([v * k for v in box_mm], abs=0.01), (asset["path"], name)
        # crop marks lie outside the bleed: the bleed box is strictly inside the page when they are on
        assert (float(page.bleedbox.left) > 0) == fmt.crop_marks


def test_posters_have_crop_marks_and_pano_do_not(print_build):
    _, manifest = print_build
    for asset in pdfs(manifest):
        assert (asset["crop_marks_mm"] > 0) == (asset["channel"] == "posters"), asset["path"]


def test_every_piece_over_5080_mm_is_one_to_ten_artwork_and_says_so(print_build):
    output, manifest = print_build
    by_format = {}
    for asset in pdfs(manifest):
        by_format.setdefault(asset["format"], []).append(asset)
    large = ("pano-600x300", "phong-san-khau-600x300")
    for asset in [a for f in large for a in by_format[f]]:
        reader = PdfReader(output / asset["path"])
        assert asset["scale"] == 0.1 and asset["user_unit"] == 1 and asset["path"].endswith("_1-10.pdf")
        assert "/UserUnit" not in reader.pages[0]
        assert reader.metadata.keywords == "scale=1:10" and "1:10" in reader.metadata.subject
        assert "scale=1:10" in reader.xmp_metadata.pdf_keywords
    for asset in by_format["pano-300x150"] + by_format["pano-doc-60x120"] + by_format["poster-a4"]:
        assert asset["scale"] == 1 and asset["user_unit"] == 1


def test_content_streams_use_cmyk_only(print_build):
    output, manifest = print_build
    for asset in pdfs(manifest):
        assert asset["color_space"] == "cmyk"
        reader = PdfReader(output / asset["path"])
        page = reader.pages[0]
        operations = ContentStream(page.get_contents(), reader).operations
        operators = [op for _, op in operations]
        assert b"k" in operators, asset["path"]
        # the crop marks' registration colour is the separation "All", the one other colour space
        spaces = page["/Resources"].get("/ColorSpace", {})
        for operands, operator in operations:
            if operator in (b"CS", b"cs"):
                assert list(spaces[operands[0]])[:2] == ["/Separation", "/All"], asset["path"]
        strays = (NOT_CMYK_OPERATORS - {b"CS", b"SCN"}) & set(operators)
        assert not strays, (asset["path"], strays)
        for xobject in page["/Resources"].get("/XObject", {}).values():
            image = xobject.get_object()
            assert image["/ColorSpace"] == "/DeviceCMYK", asset["path"]
            assert "/SMask" not in image  # transparency flattened: nothing left for the RIP to blend


def test_images_are_cmyk_and_sharp_enough_at_final_size(print_build):
    output, manifest = print_build
    formats = specs_of(output).formats
    with Image.open(output.parent / "specs" / "images" / "emblem.png") as emblem:
        emblem_px = emblem.width
    downsampled = 0
    for asset in pdfs(manifest):
        rows = poppler("pdfimages", "-list", str(output / asset["path"])).splitlines()[2:]
        assert len(rows) == 1, asset["path"]  # the emblem
        columns = rows[0].split()
        # the whole emblem, or fewer pixels where that is still 300 ppi at final size
        width, ppi = int(columns[3]), int(columns[12])
        assert columns[5] == "cmyk" and columns[3] == columns[4], rows[0]
        assert width == emblem_px or (width < emblem_px and ppi >= 299), rows[0]
        downsampled += width < emblem_px
        assert asset["image_dpi"][0] >= formats[asset["format"]].min_image_dpi
    assert downsampled  # a poster prints the emblem small enough to need fewer pixels


def test_every_font_is_embedded_and_no_base14_font_is_left(print_build):
    output, manifest = print_build
    for asset in pdfs(manifest):
        listing = poppler("pdffonts", str(output / asset["path"])).splitlines()[2:]
        assert listing
        for row in listing:
            assert "BeVietnamPro" in row.split()[0], row
            assert " yes yes yes " in row, row


def test_text_extraction_is_exact(print_build):
    output, manifest = print_build
    slogans = set(specs_of(output).campaign.slogans.values())
    for asset in pdfs(manifest):
        extracted = collapse(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(output / asset["path"]), "-"))
        for placed in asset["texts"]:
            assert placed in extracted, (asset["path"], placed, extracted)
        assert any(t in slogans for t in asset["texts"]), asset["path"]
        assert UNIT_LINES[asset["unit"]] in asset["texts"]


def test_stage_backdrop_carries_the_event_from_campaign_data(print_build):
    _, manifest = print_build
    backdrop = next(a for a in pdfs(manifest) if a["design"] == "stage-backdrop")
    assert backdrop["texts"] == [
        "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "LỄ PHÁT ĐỘNG THỬ NGHIỆM",
        "CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN",
        "Nhà văn hóa tỉnh Thử Nghiệm, ngày 10 tháng 10 năm 2022",
    ]


def test_poster_carries_the_message_and_pano_the_title_and_date(print_build):
    output, manifest = print_build
    campaign = specs_of(output).campaign
    message = collapse(campaign.texts["message"])
    for asset in pdfs(manifest):
        if asset["design"] == "poster":
            assert message in asset["texts"]
        if asset["design"] == "pano":
            assert {"NGÀY THỬ NGHIỆM 10/10", "10/10/2022"} <= set(asset["texts"])


def test_preflight_report_covers_every_piece_and_passes(print_build):
    import json

    output, manifest = print_build
    report = json.loads((output / "preflight.json").read_text(encoding="utf-8"))
    assert report["ok"] is True and report["errors"] == 0 and report["warnings"] == 0
    # pano then posters were built, for one unit then the other: the report covers every build, one entry
    # per piece, naming its files
    assert {f for p in report["pieces"] for f in p["files"]} == {
        a["path"] for a in manifest["assets"] if a["channel"] in ("pano", "posters")}
    for piece in report["pieces"]:
        assert piece["measures"]["min_contrast"] >= 4.5
        assert piece["measures"]["min_cap_height_mm"] >= piece["measures"]["viewing_distance_m"] * 1000 / 250
