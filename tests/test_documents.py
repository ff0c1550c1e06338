"""The plan's documents read back: commendation certificates, the emulation pledge, the leaflets and the
radio texts, as poppler, pypdf and an independent QR decoder see them, and in the bundles they go into.

They are built from the tiny project with the documents' specs laid over it (tests/data/documents):
certificates from its awards.csv, the pledge and its signers from its campaign.yaml and units.yaml, the
leaflet's services from its services.yaml."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from assets_pipeline.core.color import hex_rgb
from assets_pipeline.core.press import screen_color
from assets_pipeline.engine.build import plan
from assets_pipeline.engine.pdfx_preflight import pdfx_problems
from assets_pipeline.plan.expand import Selection
from assets_pipeline.specs.load import load_specs
from tests.conftest import assets, edit, line_of, snapshot, tiny_project

MM = 72 / 25.4
PROVINCE, DISTRICT, COMMUNE = "tinh", "huyen", "xa"  # the tiny project's units


@pytest.fixture(scope="module")
def documents_build(tmp_path_factory) -> tuple[Path, Path, dict]:
    """Every document channel of the tiny project's units, built, bundled and reported once for the module."""
    from assets_pipeline.delivery.bundles import bundle_all
    from assets_pipeline.delivery.report import write_report
    from assets_pipeline.engine.build import build

    root = tiny_project(tmp_path_factory.mktemp("documents"), "documents")
    output = root / "output"
    for channel in ("commendations", "pledge", "leaflets", "radio"):
        build(root, output, Selection(channel=channel), workers=2)
    bundle_all(output)
    write_report(output)
    return root, output, json.loads((output / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """A throw-away tiny project with the documents' specs, for a test that edits them."""
    return tiny_project(tmp_path / "documents", "documents")


def assets_of(manifest: dict, channel: str, media: str) -> list[dict]:
    return [a for a in manifest["assets"] if a["channel"] == channel and a["media"] == media]


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def flat(text: str) -> str:
    """Text as read back, its lines joined: poppler breaks where the layout broke."""
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def assert_fonts_embedded(path: Path) -> None:
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert rows, f"{path.name}: no fonts"
    for row in rows:
        assert row.split()[-5] == "yes", f"{path.name}: font not embedded: {row}"


def trim_mm(path: Path, page: int = 0) -> tuple[float, float]:
    box = PdfReader(path).pages[page].trimbox
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


# ------------------------------------------------------------------ certificates


def test_every_certificate_prints_its_awardee_exactly_as_in_the_csv(documents_build):
    root, output, manifest = documents_build
    built = {(a["unit"], a["variant"]): output / a["path"] for a in assets_of(manifest, "commendations", "pdf")}
    awards = load_specs(root).awards
    assert len(awards) >= 4 and {a.issued_by for a in awards} == {DISTRICT, COMMUNE}
    for award in awards:
        path = built[(award.issued_by, award.variant_id)]
        text = flat(pdf_text(path))
        assert unicodedata.normalize("NFC", award.name) in text, (award.name, text)
        assert award.decision in text and "TẶNG" in text and "GIẤY KHEN" in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert trim_mm(path) == (297.0, 210.0)
        assert len(PdfReader(path).pages) == 1
        assert_fonts_embedded(path)
    # one PDF per issuing unit for the print shop: a page per certificate, in the CSV's order
    for issuer in {a.issued_by for a in awards}:
        combined = output / issuer / "commendations" / "giay-khen-tat-ca__giay-khen-a4.pdf"
        mine = [a for a in awards if a.issued_by == issuer]
        assert len(PdfReader(combined).pages) == len(mine)
        for page, award in enumerate(mine, 1):
            assert award.name in flat(pdf_text(combined, page))


def test_a_name_too_long_for_its_line_is_an_error_at_its_csv_line(documents):
    csv = documents / "specs" / "awards.csv"
    rows = csv.read_text(encoding="utf-8")
    long_name = "Tổ công nghệ số cộng đồng " + " ".join(["thôn Làng Chùa Nà Vài Khuổi Phầy"] * 6)
    csv.write_text(rows + f'{COMMUNE},tap-the,{long_name},Ủy ban nhân dân xã Quỳnh Lâm,tích cực,'
                          f'1/QĐ-UBND,05/10/2022,CHỦ TỊCH,Nguyễn Văn Mẫu,yes\n', encoding="utf-8")
    line = len(rows.splitlines()) + 1
    result = assets("check", "--design", "giay-khen", cwd=documents)
    assert result.returncode == 2, result.stderr
    errors = [row for row in result.stderr.splitlines() if not row.startswith("warning")]
    assert len(errors) == 1 and errors[0].startswith(f"specs/awards.csv:{line}:"), result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ the pledge


def test_the_pledge_gives_every_signer_a_whole_block_on_one_page(documents_build):
    root, output, manifest = documents_build
    specs = load_specs(root)
    [asset] = assets_of(manifest, "pledge", "pdf")
    path = output / asset["path"]
    pages = len(PdfReader(path).pages)
    assert asset["pages"] == pages >= 2
    assert trim_mm(path) == (210.0, 297.0)
    assert_fonts_embedded(path)
    text = flat(pdf_text(path))
    assert "BẢN GIAO ƯỚC THI ĐUA" in text and "DỰ THẢO" in text  # drafted text: marked as such
    for article in specs.campaign.pledge.articles:
        assert " ".join(article.split()) in text
    signers = specs.campaign.pledge.signers
    departments = {d.slug: d for d in specs.departments}
    assert DISTRICT in {s.unit for s in signers} and len(departments) < len(signers)
    for signer in signers:
        org = departments[signer.unit].name.upper() if signer.unit in departments else specs.unit(signer.unit).shown.upper()
        assert org in text, org
    # a block is its name, its head's title, the signing note and the name line: each page holds
    # as many notes as name lines, so no block runs over a page break
    notes = []
    for page in range(1, pages + 1):
        page_text = pdf_text(path, page)
        on_page = page_text.count("(Ký, ghi rõ họ tên và đóng dấu)")
        assert on_page == len(re.findall("…{5,}", page_text)), f"page {page} splits a signature block"
        notes.append(on_page)
    assert sum(notes) == len(signers)
    assert len([n for n in notes if n]) >= 2  # the blocks run over a page break: there is one to keep whole


def test_districts_receive_the_pledge_as_a_shared_file(documents_build):
    _, output, _ = documents_build
    with zipfile.ZipFile(output / "bundles" / f"{DISTRICT}.zip") as bundle:
        names = bundle.namelist()
        readme = bundle.read("README.txt").decode("utf-8-sig")
    assert f"{PROVINCE}/pledge/giao-uoc-thi-dua-{PROVINCE}__giao-uoc-a4.pdf" in names
    assert "Giao ước thi đua" in readme and "dùng chung" in readme


# ------------------------------------------------------------------ leaflets


def test_each_commune_leaflet_is_two_a5_sides_with_bleed_and_working_qr_codes(documents_build, tmp_path):
    root, output, manifest = documents_build
    specs = load_specs(root)
    services = [specs.services[s] for s in specs.designs["to-roi-cong-nghe-so"].document.services]
    leaflets = assets_of(manifest, "leaflets", "pdf")
    assert {a["unit"] for a in leaflets} == {u.slug for u in specs.units if u.kind == "commune"}
    for asset in leaflets:
        path = output / asset["path"]
        reader = PdfReader(path)
        assert len(reader.pages) == 2
        for page in reader.pages:
            assert round(float(page.mediabox.width) / MM) == 154 and round(float(page.mediabox.height) / MM) == 216
            assert round(float(page.trimbox.width) / MM) == 148 and round(float(page.trimbox.height) / MM) == 210
        assert_fonts_embedded(path)
        unit = specs.unit(asset["unit"])
        for side in (1, 2):  # the team's contact line on both sides
            assert f"Ủy ban nhân dân {unit.shown}" in flat(pdf_text(path, side))
        back = flat(pdf_text(path, 2))
        for service in services:
            assert service.name in back
            for step in service.steps:
                assert " ".join(step.split()) in back
    # the codes, scanned from the back as poppler rasterises it
    path = output / next(a["path"] for a in leaflets if a["unit"] == COMMUNE)
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", "2", "-l", "2", str(path), str(tmp_path / "back")], check=True)
    [raster] = tmp_path.glob("back*.png")
    found = {code.text for code in zxingcpp.read_barcodes(Image.open(raster).convert("L"))}
    assert found == {s.url for s in services} and len(found) == 3


def test_a_step_too_long_for_the_back_is_named_at_its_line(documents):
    path = documents / "specs" / "services.yaml"
    text = path.read_text(encoding="utf-8")
    long_step = "      - " + " ".join(["Mở ứng dụng, chọn mục cần dùng và làm theo hướng dẫn trên màn hình."] * 27)
    marker = "      - Đến Công an xã"
    assert marker in text
    path.write_text(text.replace(marker, long_step + "\n" + marker), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if row.startswith(long_step[:30]))
    result = assets("check", "--design", "to-roi-cong-nghe-so", cwd=documents)
    assert result.returncode == 2, result.stderr
    errors = [row for row in result.stderr.splitlines() if not row.startswith("warning")]
    assert len(errors) == 1 and errors[0].startswith(f"specs/services.yaml:{line}:"), result.stderr
    assert "'vneid' step" in errors[0]


LONG_ADDRESS = "https://dichvucong.thunghiem.gov.vn/dich-vu-cong/tiep-nhan-truc-tuyen/danh-sach-thu-tuc?coquan=xa-quynh-lam"
PROVINCE_PORTAL = "url: https://dichvucong.thunghiem.gov.vn\n"  # the third service's (services.yaml)


def test_a_long_address_grows_its_code_and_wraps_its_caption_never_under_the_printable_sizes(documents, tmp_path):
    from assets_pipeline.core.qr import MIN_MODULE_MM, symbol
    from assets_pipeline.layout.documents import CAPTION_MIN_PT

    edit(documents, "specs/services.yaml", PROVINCE_PORTAL, f"url: {LONG_ADDRESS}\n")
    result = assets("build", "--only", "leaflets", "--unit", COMMUNE, cwd=documents)
    assert result.returncode == 0, result.stderr
    [pdf] = (documents / "output" / COMMUNE / "leaflets").glob("*.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "600", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "back")], check=True)
    [raster] = tmp_path.glob("back*.png")
    codes = {code.text: code for code in zxingcpp.read_barcodes(Image.open(raster).convert("L"))}
    assert LONG_ADDRESS in codes and len(codes) == 3
    for text, code in codes.items():  # the symbol's own width (zxing's corners), quiet zone aside
        side_px = code.position.top_right.x - code.position.top_left.x
        assert side_px / symbol(text).modules / 600 * 25.4 >= MIN_MODULE_MM * 0.98, text
    sizes: dict[str, float] = {}  # each text's font size as pypdf reads it
    PdfReader(pdf).pages[1].extract_text(
        visitor_text=lambda text, cm, tm, font, size: text.strip() and sizes.setdefault(text.strip(), size))
    captions = [size for text, size in sizes.items() if "gov.vn" in text and "Bước" not in text]
    assert captions and min(captions) >= CAPTION_MIN_PT
    # the whole address, read back over its lines (poppler joins a line ending in "-" to the next)
    assert LONG_ADDRESS.removeprefix("https://").replace("-", "") in flat(pdf_text(pdf, 2)).replace(" ", "").replace("-", "")


@pytest.mark.parametrize("address, said", [
    ("https://dichvucong.thunghiem.gov.vn/" + "a" * 400, "makes a QR code of 105 modules"),
    ("https://dichvucong.thunghiem.gov.vn/" + "ạ" * 500, "a QR code at error level H holds at most 1,273"),
], ids=["code wider than the leaflet gives", "more than a code holds"])
def test_an_address_no_leaflet_can_print_is_named_at_its_line(documents, address, said):
    edit(documents, "specs/services.yaml", PROVINCE_PORTAL, f"url: {address}\n")
    line = line_of(documents, "specs/services.yaml", address[:60])
    for command in (("check",), ("build", "--only", "leaflets", "--unit", COMMUNE)):
        result = assets(*command, cwd=documents)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        errors = [row for row in result.stderr.splitlines() if not row.startswith("warning")]
        assert errors == [errors[0]] and errors[0].startswith(f"specs/services.yaml:{line}:") and said in errors[0]
    assert not (documents / "output" / COMMUNE / "leaflets").exists()


# ------------------------------------------------------------------ radio texts


def test_radio_texts_are_utf8_with_their_reading_time_at_the_stated_pace(documents_build):
    root, output, manifest = documents_build
    specs = load_specs(root)
    document = specs.designs["bai-phat-thanh"].document
    texts = assets_of(manifest, "radio", "txt")
    units = {u.slug: u for u in specs.units}
    assert {a["unit"] for a in texts} == {s for s, u in units.items() if u.kind in ("district", "commune")}
    for asset in texts:
        raw = (output / asset["path"]).read_bytes()
        # UTF-8 with a BOM and CRLF line ends, as README.txt, for Notepad; strict: not a byte of anything else
        assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw.replace(b"\r\n", b"")
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
        assert text == unicodedata.normalize("NFC", text)
        unit = units[asset["unit"]]
        assert unit.shown in text and "CHÀO MỪNG NGÀY THỬ NGHIỆM 10/10" in text  # the section's name
        assert specs.campaign.slogans["dai"] in text  # the year's message: the slogan not the headline
        lines = text.splitlines()
        timing = re.fullmatch(r"\(Thời lượng đọc: khoảng (\d+) phút (\d\d) giây, (\d+) tiếng, đọc (\d+) tiếng/phút\)",
                              lines[2])
        assert timing, lines[2]
        minutes, seconds, syllables, pace = map(int, timing.groups())
        spoken = [row for i, row in enumerate(lines) if i != 2]
        assert syllables == sum(len(re.findall(r"\w+", row)) for row in spoken)
        assert pace == document.syllables_per_minute
        assert minutes * 60 + seconds == round(syllables / pace * 60) <= document.max_minutes * 60
        pdf = output / asset["path"].replace(".txt", ".pdf")
        assert lines[2].strip("()") in flat(pdf_text(pdf))
        assert_fonts_embedded(pdf)


def test_a_radio_text_over_its_length_is_an_error_at_the_design(documents):
    path = documents / "specs" / "designs" / "bai-phat-thanh.yaml"
    text = path.read_text(encoding="utf-8").replace("max_minutes: 5", "max_minutes: 1")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "max_minutes" in row)
    before = snapshot(documents / "specs")
    result = assets("check", "--design", "bai-phat-thanh", cwd=documents)
    assert result.returncode == 2
    errors = [row for row in result.stderr.splitlines() if not row.startswith("warning")]
    assert errors and all(e.startswith(f"specs/designs/bai-phat-thanh.yaml:{line}:") for e in errors), result.stderr
    assert "syllables a minute" in errors[0] and snapshot(documents / "specs") == before


# ------------------------------------------------------------------ delivery


def test_a_commune_bundle_holds_its_documents_each_said_in_vietnamese(documents_build):
    _, output, _ = documents_build
    with zipfile.ZipFile(output / "bundles" / f"{COMMUNE}.zip") as bundle:
        names = bundle.namelist()
        readme = bundle.read("README.txt").decode("utf-8-sig")
    for folder in ("commendations", "leaflets", "radio"):
        assert any(f"/{folder}/" in n for n in names), folder
    for words in ("Giấy khen", "Tờ rơi Tổ công nghệ số cộng đồng", "Bài phát thanh", "Văn bản để phát thanh viên đọc",
                  "in hai mặt trên một tờ"):
        assert words in flat(readme), words
    sheet = flat(pdf_text(output / "proofs" / f"{COMMUNE}.pdf"))  # the proof sheet shows each of them
    for name in (f"to-roi-cong-nghe-so-{COMMUNE}__to-roi-a5.pdf", f"bai-phat-thanh-{COMMUNE}__phat-thanh-a5.txt",
                 "giay-khen-tat-ca__giay-khen-a4.pdf"):
        assert name in sheet.replace(" ", ""), name
    page = (output / "index.html").read_text(encoding="utf-8")
    assert f"{COMMUNE}/radio/bai-phat-thanh-{COMMUNE}__phat-thanh-a5.txt" in page
    report = (output / "report" / "bao-cao-ket-qua.csv").read_text(encoding="utf-8-sig")
    for channel in ("Giấy khen", "Giao ước thi đua", "Tờ rơi", "Bài phát thanh"):
        assert channel in report, channel


def test_a_leaflets_proof_shows_its_red_as_the_press_prints_it(documents_build):
    """The pages are rasterised from the CMYK PDF; the proof is a soft proof, like every print piece's."""
    root, output, manifest = documents_build
    proof = assets_of(manifest, "leaflets", "png")[0]
    job = next(j for j in plan(root, Selection(channel="leaflets", unit=proof["unit"])).jobs)
    campaign = load_specs(root).campaign
    red = campaign.palette["red"]
    with Image.open(output / proof["path"]) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 24)}
    printed = hex_rgb(screen_color(dict(job.cmyk)[red], job.press))
    assert printed in colours and hex_rgb(red) not in colours


def test_every_document_pdf_is_pdfx_4_for_fogra39(documents_build):
    root, output, manifest = documents_build
    pdfs = [a for a in manifest["assets"] if a["media"] == "pdf"]
    assert {a["channel"] for a in pdfs} == {"commendations", "pledge", "leaflets", "radio"}
    for asset in pdfs:
        assert (asset["pdfx"], asset["output_intent"]) == ("x-4", "FOGRA39"), asset["path"]
        assert pdfx_problems(output / asset["path"], "x-4", asset["ink_limit"], "FOGRA39") == [], asset["path"]


@pytest.mark.parametrize("day, written", [
    ("2022-10-10", "ngày 10 tháng 10 năm 2022"),
    ("2022-10-06", "ngày 06 tháng 10 năm 2022"),
    ("2025-02-01", "ngày 01 tháng 02 năm 2025"),
    ("2025-03-15", "ngày 15 tháng 3 năm 2025"),
])
def test_a_date_is_written_as_an_administrative_document_writes_it(day, written):
    """Nghị định 30/2020/NĐ-CP: a day below 10 and the months 1 and 2 take a leading zero."""
    import datetime as dt

    from assets_pipeline.core.vietnamese import long_date, short_date

    date = dt.date.fromisoformat(day)
    assert long_date(date) == written
    assert short_date(date) == f"{date.day:02d}/{date.month:02d}/{date.year}"
