"""A commune's proof sheet and README read as the commune reads them: pdftotext, pypdfium2, zipfile.

The tiny project with the documents (tests/data/documents) and the proof sheet's designs
(tests/data/proof-sheet): its commune is built with every channel it has (banners, posters, QR notices
and their combined PDF, certificates, leaflet, radio text) and its district's social pictures, here
shared with communes (the default campaign does not) so that a commune's sheet has shared pieces after
its own, and PNG/JPEG twins; a TV ident of the province is added as files.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import imageio_ffmpeg
import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageStat

from assets_pipeline.delivery.bundles import bundle_all
from assets_pipeline.delivery.describe import CHANNEL_NAMES
from assets_pipeline.delivery.proofsheet import name_lines
from assets_pipeline.engine.build import build
from assets_pipeline.plan.expand import Selection
from tests.conftest import tiny_project

COMMUNE, DISTRICT, PROVINCE = "xa", "huyen", "tinh"
BOM = b"\xef\xbb\xbf"
PLACEHOLDER_RGB = (233, 228, 220)  # the card of a file without a preview (thumbnails.py)
TV = "tinh/tv/tv-ident-chuyen-muc__tv-1920x1080.mp4"


def add_tv_ident(output: Path) -> None:
    """The province's TV ident as the build records it, drawn small by ffmpeg (its README words and
    its place in a district's bundle are what is tested, not the clip), shared with districts only as
    the product's specs/designs/tv-ident.yaml shares it (a commune has no station)."""
    path = output / TV
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=size=192x108:rate=25", "-t", "1", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-threads",
                    "1", "-map_metadata", "-1", "-fflags", "+bitexact", str(path)], check=True, timeout=120)
    data = path.read_bytes()
    manifest_path = output / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["assets"].append({"path": TV, "unit": PROVINCE, "channel": "tv", "design": "tv-ident",
                               "variant": "chuyen-muc", "format": "tv-1920x1080", "media": "mp4", "bytes": len(data),
                               "sha256": hashlib.sha256(data).hexdigest(), "texts": ["NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA"],
                               "px": [1920, 1080], "fps": 25, "duration_s": 1, "frames": 25})
    manifest["assets"].sort(key=lambda a: a["path"])
    manifest["designs"]["tv-ident"] = {"shared_with": ["district"]}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def commune_build(tmp_path_factory) -> tuple[Path, dict]:
    root = tiny_project(tmp_path_factory.mktemp("proof-sheet"), "documents", "proof-sheet")
    output = root / "output"
    build(root, output, Selection(unit=COMMUNE), workers=2)
    build(root, output, Selection(unit=DISTRICT, design="social"), workers=2)
    add_tv_ident(output)
    bundle_all(output)
    return output, json.loads((output / "manifest.json").read_text(encoding="utf-8"))


def sheet_text(output: Path, unit: str, *pages: str) -> str:
    return unicodedata.normalize("NFC", subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, str(output / "proofs" / f"{unit}.pdf"), "-"],
        capture_output=True, text=True, check=True).stdout)


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def unbroken(text: str) -> str:
    """The sheet's text with a file name's line breaks (after `-`, `_`, `/` or `.`) taken out."""
    return re.sub(r"(?<=[-_/.])\n", "", text)


def members(output: Path, unit: str) -> tuple[list[dict], dict[str, str]]:
    with zipfile.ZipFile(output / "bundles" / f"{unit}.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    return manifest["assets"], manifest["shared_from"]


def test_a_communes_sheet_shows_its_own_pieces_by_channel_then_the_shared_ones(commune_build):
    output, _ = commune_build
    assets, shared_from = members(output, COMMUNE)
    assert shared_from and set(shared_from.values()) == {DISTRICT}
    text = unbroken(sheet_text(output, COMMUNE))
    where = {a["path"]: text.find(a["path"].rsplit("/", 1)[1]) for a in assets}
    assert all(at >= 0 for at in where.values()), [p for p, at in where.items() if at < 0]
    own = [at for path, at in where.items() if path not in shared_from]
    shared = [at for path, at in where.items() if path in shared_from]
    assert max(own) < text.index("SẢN PHẨM DÙNG CHUNG") < min(shared)
    # the commune's channels in the order of the plan's list, each under one heading
    headings = [text.find(f"{CHANNEL_NAMES[c].upper()} · thư mục {COMMUNE}/{c}/")
                for c in ("banners", "posters", "notices", "commendations", "leaflets", "radio")]
    assert -1 not in headings and headings == sorted(headings)
    assert text.count("Dùng chung · của huyện Đồi Núi") == len({a["path"].rsplit(".", 1)[0]
                                                                        for a in assets if a["path"] in shared_from})


def test_a_png_and_a_jpeg_of_one_picture_are_one_entry_with_both_names(commune_build):
    output, _ = commune_build
    assets, shared_from = members(output, COMMUNE)
    text = unbroken(sheet_text(output, COMMUNE))
    twins = sorted(p for p in shared_from if p.endswith(".png"))
    assert len(twins) == 2  # the social design's one format, a picture per slogan
    for png in twins:
        name = png.rsplit("/", 1)[1]
        jpeg = name.removesuffix(".png") + ".jpg"
        assert text.count(name) == 1 and text.count(jpeg) == 1
        assert 0 < text.index(name) - text.index(jpeg) < 120  # in the same entry, one after the other
    # one picture drawn for each: as many images as pictures on the sheet, the twins' once
    pdf = pypdfium2.PdfDocument(output / "proofs" / f"{COMMUNE}.pdf")
    drawn = sum(1 for page in pdf for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE)
    pdf.close()
    expected = 0
    for identity in {(a["channel"], a["design"], a["variant"], a["format"]) for a in assets}:
        files = [a for a in assets if (a["channel"], a["design"], a["variant"], a["format"]) == identity]
        # a PDF shows its pages unless a proof shows them all (a document's proof sets them side by side)
        paged = [a for a in files if a["media"] == "pdf"
                 and not any(f["media"] == "png" and f.get("pages", 1) == a.get("pages", 1) for f in files)]
        expected += paged[0].get("pages", 1) if paged else len({a["path"].rsplit(".", 1)[0] for a in files
                                                                if a["media"] in ("png", "jpeg")})
    assert drawn == expected


def images_on(path: Path) -> list[Image.Image]:
    pdf = pypdfium2.PdfDocument(path)
    try:
        return [obj.get_bitmap(render=False).to_pil().convert("RGB") for page in pdf for obj in page.get_objects()
                if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    finally:
        pdf.close()


def poppler_page(path: Path, page: int, tmp_path: Path) -> Image.Image:
    """A page of a PDF as poppler draws it (these documents have no bleed: the page is the trim)."""
    stem = tmp_path / f"{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", str(page), "-l", str(page), str(path), str(stem)],
                   check=True)
    [drawn] = tmp_path.glob(f"{stem.name}*.png")
    return Image.open(drawn).convert("RGB")


def difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_every_page_of_a_document_and_of_a_combined_pdf_is_previewed(commune_build, tmp_path):
    output, manifest = commune_build
    radio = next(a for a in manifest["assets"] if a["unit"] == COMMUNE and a["channel"] == "radio" and a["media"] == "pdf")
    combined = next(a for a in manifest["assets"] if a["unit"] == COMMUNE and a.get("page_variants")
                    and a["channel"] == "notices")
    assert radio["pages"] >= 2 and combined["pages"] >= 2
    pictures = images_on(output / "proofs" / f"{COMMUNE}.pdf")
    for picture in pictures:  # not one card saying there is no preview
        assert ImageStat.Stat(picture).median != list(PLACEHOLDER_RGB)
    pages = [p for p in pictures if abs(p.width / p.height - 210 / 297) < 0.02]
    for asset in (radio, combined):
        assert asset["bleed_mm"] == 0
        for page in range(1, asset["pages"] + 1):
            drawn = poppler_page(output / asset["path"], page, tmp_path)
            seen = min(difference(p, drawn.resize(p.size, Image.Resampling.LANCZOS)) for p in pages)
            assert seen < 12, (asset["path"], page, seen)  # that page, as poppler draws it
    text = flat(sheet_text(output, COMMUNE))
    assert f"Các trang của tệp PDF, theo thứ tự: {radio['pages']} trang." in text
    assert f"Các trang của tệp PDF, theo thứ tự: {combined['pages']} trang." in text
    assert "Không có ảnh xem trước" not in text


def test_the_radio_text_is_on_the_sheet_in_full(commune_build):
    output, manifest = commune_build
    radio = next(a for a in manifest["assets"] if a["unit"] == COMMUNE and a["media"] == "txt")
    raw = (output / radio["path"]).read_bytes()
    assert raw.startswith(BOM) and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    text = flat(sheet_text(output, COMMUNE))
    assert f"Nội dung tệp {radio['path'].rsplit('/', 1)[1]}, nguyên văn:" in unbroken(text).replace("- ", "-")
    for paragraph in raw.decode("utf-8-sig").split("\r\n\r\n"):
        assert flat(paragraph) in text, paragraph[:60]


def test_no_file_name_breaks_inside_a_word_or_its_extension(commune_build):
    output, _ = commune_build
    for unit in (COMMUNE, DISTRICT, PROVINCE):
        assets, _ = members(output, unit)
        text = sheet_text(output, unit)
        for asset in assets:
            name = asset["path"].rsplit("/", 1)[1]
            anywhere = "\n?".join(re.escape(ch) for ch in name)  # a break anywhere
            allowed = "".join(re.escape(ch) + ("\n?" if ch in "-_/." and i < name.rindex(".") else "")
                              for i, ch in enumerate(name))
            found = [m.group() for m in re.finditer(anywhere, text)]
            assert found, name
            assert all(re.fullmatch(allowed, f) for f in found), (name, found)


@pytest.mark.parametrize("name, width_pt", [("street-banner-thong-diep__bang-ron-doc-80x240.png", 60),
                                            ("led-loop-khau-hieu-03-thong-diep__led-ngang-3840x1080.png", 120),
                                            ("a.pdf", 1), ("khongcochongat.txt", 20)])
def test_a_name_breaks_only_after_a_separator(name, width_pt):
    lines = name_lines(name, "Helvetica", 8, width_pt)
    assert "".join(lines) == name
    assert all(line[-1] in "-_/." for line in lines[:-1])
    assert lines[-1].endswith("." + name.rsplit(".", 1)[1]) and len(lines[-1]) > len(name.rsplit(".", 1)[1]) + 1


def test_the_sheet_ends_with_a_signature_block_for_the_unit(commune_build):
    output, _ = commune_build
    pages = len(pypdfium2.PdfDocument(output / "proofs" / f"{COMMUNE}.pdf"))
    last = flat(sheet_text(output, COMMUNE, "-f", str(pages), "-l", str(pages)))
    for words in ("XÁC NHẬN DUYỆT MẪU", "Đơn vị duyệt: xã Quỳnh Lâm, huyện Đồi Núi", "Người duyệt",
                  "(ký, ghi rõ họ tên)", "ngày …… tháng …… năm ……", "Xã Quỳnh Lâm"):
        assert words in last, words
    # top to bottom as drawn: poppler's reading order may take the block's column in with its neighbour's
    pdf = pypdfium2.PdfDocument(output / "proofs" / f"{COMMUNE}.pdf")
    try:
        text = pdf[pages - 1].get_textpage()
        heights = []
        for words in ("Người duyệt", "(ký, ghi rõ họ tên)", "Xã Quỳnh Lâm"):
            found, search = [], text.search(words, match_case=True)
            while at := search.get_next():
                found.append(text.get_charbox(at[0])[3])  # the top of its first letter, up from the page's foot
            heights.append(min(found))  # the lowest: the signature's line
    finally:
        pdf.close()
    assert heights[0] > heights[1] > heights[2], heights


def test_a_communes_readme_is_short_plain_and_for_notepad(commune_build):
    output, _ = commune_build
    with zipfile.ZipFile(output / "bundles" / f"{COMMUNE}.zip") as archive:
        raw = archive.read("README.txt")
        names = [n for n in archive.namelist() if "/" in n]
        radio = archive.read(next(n for n in names if n.endswith(".txt")))
    for data in (raw, radio):  # one encoding for every text file of the bundle
        assert data.startswith(BOM) and b"\n" not in data.replace(b"\r\n", b"")
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    groups = {(n.split("/")[0], n.split("/")[1]) for n in names}
    assert len(lines) < 140 and len(raw) < 9000, (len(lines), len(raw))  # read in two minutes
    assert not re.search(r"\bassets [a-z]", text) and "sha256sum" not in text and "certutil" not in text
    for name in names:  # each file in one line: its name, its size, what it is
        [line] = [row for row in lines if row.split() and row.split()[0] == name.rsplit("/", 1)[1]]
        assert re.search(r"\s\d[\d,]* (byte|kB|MB)\s+\S", line), line
    assert text.count("Cách dùng:") == len(groups)  # a channel's way of use, once
    assert text.index(f"thư mục {COMMUNE}/radio/") < text.index("dùng chung của huyện Đồi Núi")


def test_the_tv_ident_is_said_as_a_tv_ident_not_as_an_led_loop(commune_build):
    output, _ = commune_build
    with zipfile.ZipFile(output / "bundles" / f"{DISTRICT}.zip") as archive:
        assert TV in archive.namelist()
        text = archive.read("README.txt").decode("utf-8-sig")
    tv = text[text.index("[Truyền hình] — "):]
    tv = tv[:tv.index("\r\n\r\n")]
    assert "tv-ident-chuyen-muc__tv-1920x1080.mp4" in tv and "hình hiệu" in tv and "phát một lần" in tv
    assert "LED" not in tv and "lặp liên tục" not in tv
