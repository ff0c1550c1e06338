"""QR-code notices read back: every code scanned by an independent decoder (zxing-cpp) from the PNG
proof and from the PDF rasterised by poppler, and compared with its row of procedures.csv (the tiny
project's web overlay, tests/data/web); the QR block in other designs; the CSV's errors, said at their line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from assets_pipeline.blocks.qr import QrItem
from assets_pipeline.core.color import hex_rgb
from assets_pipeline.core.press import screen_color
from assets_pipeline.engine.build import lay_out_all, plan
from assets_pipeline.plan.expand import Selection
from assets_pipeline.specs.load import load_specs
from tests.conftest import assets, REPO, snapshot, tiny_project


def scan(image: Image.Image) -> list:
    found = zxingcpp.read_barcodes(image.convert("L"))
    for code in found:
        # a full QR code at level H, never a Micro QR
        assert code.format == zxingcpp.BarcodeFormat.QRCode and code.ec_level == "H"
    return [code.text for code in found]


def rasterise(pdf: Path, folder: Path, dpi: int = 100) -> list[Path]:
    folder = folder / pdf.parent.parent.name  # the unit: file names repeat across units
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / pdf.stem)], check=True)
    return sorted(folder.glob(f"{pdf.stem}*.png"))


def posted(output: Path) -> dict[tuple[str, str], object]:
    """(unit, variant) → the procedure each unit of the build posts: its own rows, and the
    `every:<kind>` rows whose code it has no row of its own for."""
    specs = load_specs(output.parent)
    found = {}
    for unit in specs.units:
        own = {p.variant_id: p for p in specs.procedures if p.unit == unit.slug}
        every = {p.variant_id: p for p in specs.procedures if p.unit == f"every:{unit.kind}"}
        found.update({(unit.slug, v): p for v, p in {**every, **own}.items()})
    return found


def notices(manifest: dict, media: str) -> list[dict]:
    return [a for a in manifest["assets"] if a["channel"] == "notices" and a["media"] == media
            and a["variant"] != "tat-ca"]


def test_the_sample_procedures_are_about_ten_and_marked_as_samples():
    """The default campaign's own table (specs/procedures.csv): a fact of the product, read from it."""
    procedures = load_specs(REPO).procedures
    assert 10 <= len(procedures) <= 15
    assert all(p.sample for p in procedures)
    assert all(p.url.startswith("https://") for p in procedures)
    assert "Đăng ký khai sinh" in {p.name for p in procedures}


def test_one_notice_per_procedure(web_build):
    output, manifest = web_build
    expected = posted(output)
    assert ("xa", "mau-05") in expected and ("huyen", "mau-05") in expected  # every:commune, own row
    assert expected[("xa", "mau-10")].unit == "xa"  # the commune's own row, not the every:commune one
    for media in ("pdf", "png"):
        made = {(a["unit"], a["variant"]) for a in notices(manifest, media)}
        assert made == set(expected)


def test_every_png_proof_scans_to_its_url(web_build):
    output, manifest = web_build
    by_variant = posted(output)
    for asset in notices(manifest, "png"):
        procedure = by_variant[(asset["unit"], asset["variant"])]
        with Image.open(output / asset["path"]) as image:
            assert scan(image) == [procedure.url]
        assert asset["qr"] == [procedure.url]


def test_every_pdf_page_scans_to_its_url(web_build, tmp_path):
    output, manifest = web_build
    by_variant = posted(output)
    for asset in notices(manifest, "pdf"):
        procedure = by_variant[(asset["unit"], asset["variant"])]
        pages = rasterise(output / asset["path"], tmp_path)
        assert len(pages) == 1
        with Image.open(pages[0]) as image:
            assert scan(image) == [procedure.url]


def test_one_combined_pdf_per_unit_in_csv_order(web_build, tmp_path):
    output, manifest = web_build
    combined = [a for a in manifest["assets"] if a["channel"] == "notices" and a["variant"] == "tat-ca"]
    expected = posted(output)
    assert {a["unit"] for a in combined} == {unit for unit, _ in expected}
    for asset in combined:
        rows = sorted((p for (unit, _), p in expected.items() if unit == asset["unit"]), key=lambda p: p.line)
        assert len(PdfReader(output / asset["path"]).pages) == asset["pages"] == len(rows)
        scanned = []
        for page in rasterise(output / asset["path"], tmp_path, dpi=72):
            with Image.open(page) as image:
                scanned += scan(image)
        assert scanned == [p.url for p in rows]
        fonts = subprocess.run(["pdffonts", output / asset["path"]], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        names = [row.split()[0] for row in fonts]
        assert len(names) == len(set(names)), "two font subsets share one name"


def test_pdf_is_vector_and_prints_name_url_and_unit(web_build):
    output, manifest = web_build
    by_variant = posted(output)
    units = {u.slug: u.shown for u in load_specs(output.parent).units}
    for asset in notices(manifest, "pdf"):
        path = output / asset["path"]
        images = subprocess.run(["pdfimages", "-list", path], capture_output=True, text=True, check=True).stdout
        assert len(images.strip().splitlines()) == 2, "the QR code must be vector, not an embedded bitmap"
        text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        procedure = by_variant[(asset["unit"], asset["variant"])]
        assert procedure.name in text and procedure.url in text
        assert f"Ủy ban nhân dân {units[asset['unit']]}" in text
        assert "BẢN MẪU" in text  # every sample row says so on the notice
        assert asset["trim_mm"] == [210, 297]


def test_png_code_is_crisp_with_a_four_module_quiet_zone(web_build):
    output, manifest = web_build
    the_plan = plan(output.parent, Selection(design="thong-bao-tthc", unit="huyen"))
    for job, layout in zip(the_plan.jobs, lay_out_all(the_plan.jobs)):
        item = next(i for i in layout.items if isinstance(i, QrItem))
        assert item.symbol.modules_with_quiet_zone == item.symbol.modules + 8
        scale = job.format.proof_px / max(job.format.size)
        path = output / f"{job.unit}/notices/{job.stem}.png"
        with Image.open(path) as image:
            x0, y0 = round(item.box.x * scale), round(item.box.y * scale)
            x1, y1 = round((item.box.x + item.box.width) * scale), round((item.box.y + item.box.height) * scale)
            code = image.convert("RGB").crop((x0, y0, x1, y1))
        # crisp: only the two colours of the code, no antialiased grey; the proof shows them as the
        # press prints them (black alone, K 100, on paper)
        dark = hex_rgb(screen_color(dict(job.cmyk)[item.color], job.press))
        assert dict(job.cmyk)[item.color] == (0, 0, 0, 1)
        assert {colour for _, colour in code.getcolors(1 << 16)} == {dark, (255, 255, 255)}
        # the quiet zone (4 modules, less a pixel of rounding) is all light
        quiet = int(4 * item.module * scale) - 1
        width, height = code.size
        for box in ((0, 0, width, quiet), (0, height - quiet, width, height), (0, 0, quiet, height),
                    (width - quiet, 0, width, height)):
            assert code.crop(box).getcolors() == [((box[2] - box[0]) * (box[3] - box[1]), (255, 255, 255))]


CSV = "specs/procedures.csv"


def _row_line(project: Path, needle: str) -> int:
    lines = (project / CSV).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


URL_07 = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=MAU-07"


@pytest.mark.parametrize("old, new, message", [
    (f",{URL_07},", ",,", "missing URL"),
    (URL_07, "ftp://dichvucong.gov.vn/MAU-07",
     "bad URL 'ftp://dichvucong.gov.vn/MAU-07': give a full http:// or https:// address with a host name"),
    (URL_07, "https://dichvucong.gov.vn/thu tuc", "bad URL 'https://dichvucong.gov.vn/thu tuc': it contains spaces "
                                                  "or control characters"),
    ("MAU-07,huyen,yes", "MAU-07,huyenn,yes", "unit 'huyenn' is not defined (did you mean 'huyen'?)"),
], ids=["missing url", "bad url", "url with a space", "unknown unit"])
def test_bad_csv_row_is_one_line_error_and_writes_nothing(tmp_path, old, new, message):
    project = tiny_project(tmp_path / "p", "web")
    built = assets("build", "--only", "notices", "--unit", "huyen", cwd=project)
    assert built.returncode == 0, built.stderr
    before = snapshot(project / "output")
    line = _row_line(project, "Đăng ký khai tử")
    text = (project / CSV).read_text(encoding="utf-8")
    assert old in text
    (project / CSV).write_text(text.replace(old, new, 1), encoding="utf-8")
    result = assets("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"{CSV}:{line}: {message}"]
    assert snapshot(project / "output") == before


QR_DESIGN = """title: QR trên ảnh bài đăng
formats: [post-540x540, thong-bao-a4]
units:
  slugs: [huyen]
media: [pdf, png, jpeg]
variants:
  mot: {}
layouts:
  - name: vuong
    background: red
    blocks:
      - type: qr
        url: "https://dichvucong.gov.vn/{{ unit.slug }}"
        box: [0.2, 0.2, 0.6, 0.6]
"""


def test_a_qr_block_works_in_any_design_and_medium(tmp_path):
    project = tiny_project(tmp_path / "p", "web")
    (project / "specs/designs/qr-post.yaml").write_text(QR_DESIGN, encoding="utf-8")
    result = assets("build", "--design", "qr-post", cwd=project)
    assert result.returncode == 0, result.stderr
    output = project / "output/huyen"
    files = [output / "social/qr-post-mot__post-540x540.png", output / "social/qr-post-mot__post-540x540.jpg",
             output / "notices/qr-post-mot__thong-bao-a4.png", output / "notices/qr-post-mot__thong-bao-a4.jpg"]
    files += rasterise(output / "notices/qr-post-mot__thong-bao-a4.pdf", tmp_path, dpi=72)
    for path in files:
        with Image.open(path) as image:
            assert scan(image) == ["https://dichvucong.gov.vn/huyen"], path


def test_a_qr_block_with_a_bad_address_is_an_error_at_its_line(tmp_path):
    project = tiny_project(tmp_path / "p", "web")
    bad = QR_DESIGN.replace("https://dichvucong.gov.vn/{{ unit.slug }}", "www.{{ unit.slug }}")
    (project / "specs/designs/qr-post.yaml").write_text(bad, encoding="utf-8")
    result = assets("check", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == ("specs/designs/qr-post.yaml:13: QR code: bad URL 'www.huyen': give a full "
                                     "http:// or https:// address with a host name")


@pytest.mark.parametrize("old, new, said", [
    ("box: [0.2, 0.2, 0.6, 0.6]", "box: [0.47, 0.47, 0.06, 0.06]", "does not fit its box in format"),
    ("https://dichvucong.gov.vn/{{ unit.slug }}", "https://dichvucong.gov.vn/" + "ạ" * 500,
     "a QR code at error level H holds at most 1,273"),
], ids=["modules under the printable size", "more than a code holds"])
def test_a_qr_code_that_cannot_be_printed_is_an_error_at_its_line(tmp_path, old, new, said):
    project = tiny_project(tmp_path / "p", "web")
    (project / "specs/designs/qr-post.yaml").write_text(QR_DESIGN.replace(old, new), encoding="utf-8")
    result = assets("build", "--design", "qr-post", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("specs/designs/qr-post.yaml:") and said in lines[0], lines
    assert not (project / "output").exists()


def test_a_csv_that_is_not_utf8_names_its_line_and_an_oversized_one_is_refused(tmp_path):
    project = tiny_project(tmp_path / "p", "web")
    text = (project / CSV).read_text(encoding="utf-8")
    line = _row_line(project, "Đăng ký khai tử")
    # the row saved by an editor in a legacy Vietnamese code page: bytes that are not UTF-8
    (project / CSV).write_bytes(text.encode("utf-8").replace("khai tử".encode(), b"khai t\xf6\xf2"))
    result = assets("check", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"{CSV}:{line}: not UTF-8 text (save the file as UTF-8)"]
    (project / CSV).write_text(text + ("# " + "x" * 1000 + "\n") * 2100, encoding="utf-8")
    result = assets("check", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"{CSV}: file larger than 2,000,000 bytes"]


def test_the_report_csv_never_runs_a_formula(tmp_path):
    from assets_pipeline.delivery.report import spreadsheet_safe

    assert [spreadsheet_safe(c) for c in ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "xã Kim Phú", 3)] \
        == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", "xã Kim Phú", 3]
    project = tiny_project(tmp_path / "p", "web")
    units = project / "specs/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("name: huyện Đồi Núi", "name: \"=1+1 Đồi Núi\"", 1),
                     encoding="utf-8")
    assert assets("build", "--only", "banners", "--unit", "huyen", cwd=project).returncode == 0
    assert assets("report", cwd=project).returncode == 0
    table = (project / "output/report/bao-cao-ket-qua.csv").read_text(encoding="utf-8-sig")
    assert ",'=1+1 Đồi Núi," in table and ",=1+1" not in table
