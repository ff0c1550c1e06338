"""Print PDFs as a print shop's preflight reads them: PDF/X keys, the output intent and its profile, boxes,
font subset names, colour spaces and ink, read back by pikepdf, poppler and Ghostscript; and the press's
colour (LittleCMS) as the PDFs and the soft proofs carry it. The files are the print test project's
(tests/data/print): the session's `print_build`, or a copy of it built here."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageCms

from assets_pipeline.core.color import hex_rgb
from assets_pipeline.core.press import DEFAULT_PROFILE, delta_e2000, lab, screen_color
from assets_pipeline.engine.build import plan
from assets_pipeline.engine.pdfx_preflight import pdfx_problems
from assets_pipeline.plan.expand import Selection
from assets_pipeline.specs.load import load_specs
from tests.conftest import assets, tiny_project

PDFX = {"x-4": ("PDF/X-4", "1.6"), "x-1a": ("PDF/X-1:2001", "1.3")}


def print_pdfs(manifest: dict) -> list[dict]:
    return [a for a in manifest["assets"] if a["media"] == "pdf"]


@pytest.fixture
def print_project(tmp_path: Path) -> Path:
    """A throw-away copy of the print test project, for a test that edits its specs or builds a part."""
    return tiny_project(tmp_path / "print", "print")


def test_every_print_pdf_is_pdfx_of_its_level_with_the_fogra39_intent(print_build):
    output, manifest = print_build
    profile = Path(DEFAULT_PROFILE).read_bytes()
    for asset in print_pdfs(manifest):
        level = "x-1a" if asset["channel"] == "posters" else "x-4"  # formats.yaml: posters ask for X-1a
        assert (asset["pdfx"], asset["output_intent"], asset["ink_limit"]) == (level, "FOGRA39", 300)
        version, pdf_version = PDFX[level]
        with pikepdf.open(output / asset["path"]) as pdf:
            assert pdf.pdf_version == pdf_version
            assert str(pdf.docinfo["/GTS_PDFXVersion"]) == version
            assert ("/GTS_PDFXConformance" in pdf.docinfo) == (level == "x-1a")
            assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == pikepdf.Name("/GTS_PDFX") and str(intent.OutputConditionIdentifier) == "FOGRA39"
            assert str(intent.RegistryName) == "http://www.color.org"
            assert intent.DestOutputProfile.read_bytes() == profile and intent.DestOutputProfile.N == 4
            with pdf.open_metadata() as xmp:
                assert xmp["pdfxid:GTS_PDFXVersion"] == version
                assert xmp["xmpMM:DocumentID"].startswith("uuid:") and xmp["pdf:Trapped"] == "False"
            assert "/ID" in pdf.trailer
        assert pdfx_problems(output / asset["path"], level, 300, "FOGRA39") == []


def test_poppler_and_ghostscript_read_every_print_pdf_as_pdfx(print_build, tmp_path):
    output, manifest = print_build
    gs = shutil.which("gs")
    assert gs, "Ghostscript (.ci/run installs it)"
    for asset in print_pdfs(manifest):
        path = output / asset["path"]
        info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
        subtype = "PDF/X-1:2001" if asset["pdfx"] == "x-1a" else "PDF/X-4"  # X-1a is a conformance level of X-1
        assert f"PDF subtype:    {subtype}" in info, info
        # Ghostscript renders it through its output intent's profile, without an error or a warning
        rendered = subprocess.run([gs, "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-dUsePDFX3Profile",
                                   "-sDEVICE=png16m", "-r4", "-o", str(tmp_path / "page-%d.png"), str(path)],
                                  capture_output=True, text=True, timeout=120)
        assert rendered.returncode == 0 and not rendered.stdout.strip() and not rendered.stderr.strip(), \
            (asset["path"], rendered.stdout, rendered.stderr)


def test_a_subset_name_means_one_subset_across_every_file(print_build):
    """Files imposed on one sheet meet in one RIP: a tag never stands for two glyph sets (the files of two
    units and three designs, each with glyph sets of its own)."""
    programs: dict[str, set[str]] = {}
    output, manifest = print_build
    pdf_files = [output / a["path"] for a in print_pdfs(manifest)]
    for path in pdf_files:
        names = [row.split()[0] for row in subprocess.run(["pdffonts", path], capture_output=True, text=True,
                                                          check=True).stdout.splitlines()[2:]]
        assert names and not any(n.startswith("AAAAA") for n in names), (path, names)
        assert len(names) == len(set(names)), (path, names)  # one object per subset in a file, combined ones too
        with pikepdf.open(path) as pdf:
            for font in pdf.objects:
                if isinstance(font, pikepdf.Dictionary) and "/FontDescriptor" in font:
                    program = font.FontDescriptor.FontFile2.read_raw_bytes()
                    programs.setdefault(str(font.BaseFont), set()).add(str(hash(program)))
    assert len(pdf_files) > 20
    assert all(len(found) == 1 for found in programs.values()), {n: p for n, p in programs.items() if len(p) > 1}


def _good_pdf(print_build, channel: str) -> tuple[Path, dict]:
    output, manifest = print_build
    asset = next(a for a in print_pdfs(manifest) if a["channel"] == channel)
    return output / asset["path"], asset


def _broken(source: Path, target: Path, change) -> Path:
    with pikepdf.open(source) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _rgb_image(pdf):
    page = pdf.pages[0]
    image = pikepdf.Stream(pdf, b"\xff\x00\x00" * 4, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image,
                           Width=2, Height=2, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8)
    page.Resources.XObject[pikepdf.Name("/Photo")] = image
    page.contents_add(pdf.make_stream(b"q 10 0 0 10 0 0 cm /Photo Do Q"))


def _no_embedded_font(pdf):
    for font in pdf.objects:
        if isinstance(font, pikepdf.Dictionary) and "/FontDescriptor" in font:
            del font.FontDescriptor["/FontFile2"]
            return


def _bleed_outside(pdf):
    media = [float(v) for v in pdf.pages[0].MediaBox]
    pdf.pages[0].BleedBox = pikepdf.Array([media[0] - 5, media[1], media[2], media[3]])


def _soft_mask(pdf):
    page = pdf.pages[0]
    page.Resources.ExtGState = pikepdf.Dictionary(GS9=pikepdf.Dictionary(ca=0.5))
    page.contents_add(pdf.make_stream(b"/GS9 gs"))


@pytest.mark.parametrize("channel, change, said", [
    ("posters", _rgb_image, "an image: uses an RGB colour space (DeviceRGB)"),
    ("pano", lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"1 0 0 rg")), "paints in DeviceRGB"),
    ("pano", lambda pdf: pdf.Root.__delitem__("/OutputIntents"), "has 0 PDF/X output intents, expected 1"),
    ("pano", lambda pdf: pdf.Root.OutputIntents[0].__delitem__("/DestOutputProfile"), "profile is not embedded"),
    ("pano", lambda pdf: pdf.docinfo.__delitem__("/GTS_PDFXVersion"), "GTS_PDFXVersion is missing, expected PDF/X-4"),
    ("pano", _no_embedded_font, "is not embedded"),
    ("pano", _bleed_outside, "BleedBox"),
    ("pano", lambda pdf: pdf.pages[0].contents_add(pdf.make_stream(b"1 1 1 1 k")), "a fill carries 400 % ink"),
    ("posters", _soft_mask, "uses transparency"),
], ids=["rgb image", "rgb fill", "no intent", "intent without profile", "no version key", "font not embedded",
        "bleed outside media", "400 % fill", "transparency in x-1a"])
def test_a_broken_print_pdf_is_caught_in_one_line(print_build, tmp_path, channel, change, said):
    source, asset = _good_pdf(print_build, channel)
    broken = _broken(source, tmp_path / "broken.pdf", change)
    problems = pdfx_problems(broken, asset["pdfx"], asset["ink_limit"], asset["output_intent"])
    assert len([p for p in problems if said in p]) == 1, problems


def test_assets_verify_says_what_breaks_the_standard(print_project):
    """A file altered after the build, its manifest entry made to match: verify still reads the file."""
    result = assets("build", "--only", "posters", "--unit", "tinh", cwd=print_project)
    assert result.returncode == 0, result.stderr
    output = print_project / "output"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    entry = next(a for a in manifest["assets"] if a["media"] == "pdf")
    path = output / entry["path"]
    _broken(path, path.with_suffix(".tmp"), lambda pdf: pdf.Root.__delitem__("/OutputIntents")).replace(path)
    entry["bytes"], entry["sha256"] = path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()
    (output / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    result = assets("verify", cwd=print_project)
    assert result.returncode != 0
    assert f"{entry['path']}: has 0 PDF/X output intents, expected 1" in result.stdout + result.stderr


def test_images_go_through_the_profile_within_the_ink_limit(print_build):
    output, manifest = print_build
    for asset in print_pdfs(manifest):
        with pikepdf.open(output / asset["path"]) as pdf:
            for _, xobject in pdf.pages[0].Resources.XObject.items():
                pixels = pikepdf.PdfImage(xobject).as_pil_image()
                assert pixels.mode == "CMYK"
                values = np.asarray(pixels).astype(int)
                assert values.sum(axis=2).max() <= 300 * 255 / 100 + 1
                # the emblem's white circle prints as paper, its red as the profile separates red
                assert (values == 0).all(axis=2).any()


def test_the_proof_shows_the_red_and_the_gold_as_they_print(print_build):
    """A poster's PNG is a soft proof: the palette's print values through the profile, not the screen values."""
    output, manifest = print_build
    asset = next(a for a in manifest["assets"] if a["media"] == "png" and a["format"] == "poster-a5")
    with Image.open(output / asset["path"]) as image:
        colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 24)}
    root = output.parent  # the project print_build built
    campaign = load_specs(root).campaign
    press_job = next(j for j in plan(root, Selection(design="poster", unit="tinh")).jobs if j.format_id == "poster-a5")
    for name in ("deep-red", "yellow"):
        screen, value = campaign.palette[name], tuple(v / 100 for v in campaign.cmyk[name])
        printed = hex_rgb(screen_color(value, press_job.press))
        assert printed in colours and printed != hex_rgb(screen)
        assert hex_rgb(screen) not in colours


def test_a_colour_that_prints_far_from_its_screen_value_is_a_warning_at_its_line(print_project):
    campaign = print_project / "specs" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("  yellow: [0, 10, 100, 0]", "  yellow: [0, 40, 100, 0]"), encoding="utf-8")
    result = assets("check", cwd=print_project)
    assert result.returncode == 0, result.stderr
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("  yellow: [0, 10"))
    report = (print_project / "output" / "preflight-check.txt").read_text(encoding="utf-8")
    assert "color-shift: colour #FFDE00 prints as" in report and "ΔE2000" in report
    # said where the design uses the colour
    assert any("specs/designs/" in row and "color-shift" in row for row in report.splitlines())
    assert line > 0


def _built_pano(project: Path) -> dict:
    """The province's pano built; the manifest."""
    result = assets("build", "--only", "pano", "--unit", "tinh", "--design", "pano", cwd=project)
    assert result.returncode == 0, result.stderr
    return json.loads((project / "output" / "manifest.json").read_text(encoding="utf-8"))


def test_a_print_shops_profile_becomes_the_output_intent(print_project):
    (print_project / "specs" / "print").mkdir()
    shutil.copy(DEFAULT_PROFILE, print_project / "specs" / "print" / "shop.icc")
    campaign = print_project / "specs" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("print:\n", "print:\n  profile: print/shop.icc\n  condition: SHOP-COATED\n"),
                        encoding="utf-8")
    for asset in print_pdfs(_built_pano(print_project)):
        assert asset["output_intent"] == "SHOP-COATED"
        with pikepdf.open(print_project / "output" / asset["path"]) as pdf:
            intent = pdf.Root.OutputIntents[0]
            assert str(intent.OutputConditionIdentifier) == "SHOP-COATED" and str(intent.RegistryName) == ""


@pytest.mark.parametrize("write, said", [
    (lambda path: path.write_bytes(b"not a profile"), "is not an ICC profile"),
    (lambda path: path.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()),
     "is not a CMYK output (printer) profile"),
], ids=["garbage", "rgb profile"])
def test_a_profile_that_cannot_print_is_one_line_and_nothing_is_written(print_project, write, said):
    built = print_project
    assert assets("build", "--unit", "tinh", "--only", "posters", cwd=built).returncode == 0
    (built / "specs" / "print").mkdir()
    write(built / "specs" / "print" / "shop.icc")
    campaign = built / "specs" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("print:\n", "print:\n  profile: print/shop.icc\n"), encoding="utf-8")
    line = next(i for i, row in enumerate(campaign.read_text(encoding="utf-8").splitlines(), start=1)
                if row.strip() == "profile: print/shop.icc")
    before = {p: p.read_bytes() for p in (built / "output").rglob("*") if p.is_file()}
    result = assets("build", cwd=built)
    assert result.returncode == 2
    (said_line,) = result.stderr.strip().splitlines()
    assert said_line.startswith(f"specs/campaign.yaml:{line}: profile 'print/shop.icc' {said}")
    assert {p: p.read_bytes() for p in (built / "output").rglob("*") if p.is_file()} == before


def test_a_fill_over_the_ink_limit_is_refused_at_its_line(print_project):
    campaign = print_project / "specs" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8")
    campaign.write_text(text.replace("  deep-red: [0, 100, 100, 35]", "  deep-red: [80, 100, 100, 35]"),
                        encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("  deep-red: [0, 100"))
    result = assets("check", cwd=print_project)
    assert result.returncode == 2
    assert f"specs/campaign.yaml:{line}: 'deep-red' carries 315 % ink in all" in result.stderr


def test_user_unit_only_where_a_format_asks_and_the_name_says_so(print_project):
    formats = print_project / "specs" / "formats.yaml"
    text = formats.read_text(encoding="utf-8")
    formats.write_text(text.replace("    min_image_dpi: 15\n", "    min_image_dpi: 15\n    large_pdf: user-unit\n"),
                       encoding="utf-8")
    (asset, *_) = [a for a in print_pdfs(_built_pano(print_project)) if a["format"] == "pano-600x300"]
    assert asset["path"].endswith("__pano-600x300_uu10.pdf") and asset["user_unit"] == 10
    with pikepdf.open(print_project / "output" / asset["path"]) as pdf:
        assert pdf.pages[0].UserUnit == 10 and pdf.pdf_version == "1.6"
    assert assets("verify", cwd=print_project).returncode == 0


# CIEDE2000 test data of Sharma, Wu and Dalal (2005), table 1: pairs 1, 7, 13, 19, 25, 31 and 34
@pytest.mark.parametrize("lab1, lab2, expected", [
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.49, -0.001), (50, -2.49, 0.0011), 7.2195),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.694), (23.0331, 14.973, -42.5619), 2.0373),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_delta_e2000_matches_the_published_test_data(lab1, lab2, expected):
    assert delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_lab_of_srgb_white_and_red():
    assert lab("#FFFFFF") == pytest.approx((100, 0, 0), abs=0.01)
    assert lab("#FF0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)


def test_without_a_conversion_an_image_or_a_colour_without_a_print_value_is_an_error(print_project):
    campaign = print_project / "specs" / "campaign.yaml"
    text = campaign.read_text(encoding="utf-8").replace("cmyk_from_rgb: profile", "cmyk_from_rgb: none")
    campaign.write_text(text, encoding="utf-8")
    result = assets("check", cwd=print_project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    said = result.stderr.splitlines()
    assert any(line.startswith("specs/designs/") and "an image in a CMYK format needs a conversion: set "
               "cmyk_from_rgb in campaign.yaml" in line for line in said), said
    # a colour written as #RRGGBB in a print design (the banner: a design with an image is told of the image)
    design = print_project / "specs" / "designs" / "banner.yaml"
    design.write_text(design.read_text(encoding="utf-8").replace("color: yellow", "color: \"#123456\"", 1),
                      encoding="utf-8")
    said = assets("check", cwd=print_project).stderr.splitlines()
    assert any(line.startswith("specs/designs/banner.yaml:") and "colour #123456 has no CMYK value" in line
               for line in said), said
