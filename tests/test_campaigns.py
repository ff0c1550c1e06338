"""Campaigns by file: the shipped 2025 campaign renders with the 2022 designs unchanged (built from the
repository itself, into a folder of its own, writing nothing into the repository), and, on the tiny
project with the delivery project's second campaign (tests/data/delivery), two campaigns never mix in
one output folder and a campaign or units file outside specs/ is refused."""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pytest
from PIL import Image

from assets_pipeline.blocks.text import TextItem
from assets_pipeline.engine.build import lay_out_all, plan
from assets_pipeline.plan.expand import Selection
from assets_pipeline.specs.load import load_specs
from tests.conftest import REPO, assets, repository_files, snapshot, tiny_project

CAMPAIGN_2025 = "specs/campaigns/2025.yaml"
THEME_2025 = "Chuyển đổi số toàn dân, toàn diện, toàn trình để tăng tốc, bứt phá phát triển kinh tế số"
SLOGAN_2025 = "Chuyển đổi số: Nhanh hơn - hiệu quả hơn - gần dân hơn"
PER_SLOGAN_DESIGNS = ("street-banner", "pano", "poster", "social", "web-banner")


def collapse(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


class Built(NamedTuple):
    output: Path
    manifest: dict
    repository_before: dict  # tests.conftest.repository_files(), before and after the build
    repository_after: dict


@pytest.fixture(scope="module")
def build_2025(tmp_path_factory) -> Built:
    """The 2025 banners, built through the CLI from the repository (--root) into a folder of their own
    (--output), from another folder; the repository's files are recorded before and after."""
    elsewhere = tmp_path_factory.mktemp("y2025")
    before = repository_files()
    done = assets("build", "--root", str(REPO), "--campaign", CAMPAIGN_2025, "--output", str(elsewhere / "output-2025"),
                  "--only", "banners", "-j", "2", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    output = elsewhere / "output-2025"
    return Built(output, json.loads((output / "manifest.json").read_text(encoding="utf-8")), before, repository_files())


def test_2025_builds_with_the_designs_unchanged(build_2025):
    output, manifest = build_2025.output, build_2025.manifest
    # the very design files the 2022 campaign uses, read where they are: the build wrote nothing into the
    # repository (no design changed, nothing in its output/), only its own folder
    assert build_2025.repository_after == build_2025.repository_before
    assert [p.name for p in output.parent.iterdir()] == ["output-2025"]
    assert {a["design"] for a in manifest["assets"]} <= {p.stem for p in (REPO / "specs/designs").glob("*.yaml")}
    assert manifest["campaign"]["id"] == "cds-2025-tuyen-quang" and manifest["campaign"]["year"] == 2025
    assets = manifest["assets"]
    # the 2025 map: the province and its 124 communes and wards, no districts; one variant per 2025
    # slogan, named by its id
    units = load_specs(REPO, CAMPAIGN_2025).units
    assert {a["unit"] for a in assets} == {u.slug for u in units} and len(units) == 125
    assert all(u.parent == "tuyen-quang" for u in units if u.kind == "commune")
    assert {a["variant"] for a in assets} == {"chu-de", "khau-hieu"}
    # the province: 3 banner formats × 2 slogans × (PDF + PNG); a commune: 2 formats
    assert len(assets) == 12 + 124 * 8
    for asset in assets:
        assert asset["texts"][0] in (THEME_2025, SLOGAN_2025)
        assert not any("2022" in text for text in asset["texts"])
        assert (output / asset["path"]).is_file()


def test_2025_pdf_text_is_the_slogan_exactly(build_2025):
    output, manifest = build_2025.output, build_2025.manifest
    names = {u.slug: u.shown for u in load_specs(REPO, CAMPAIGN_2025).units}
    sample = ("tuyen-quang", "xa-yen-son", "xa-na-hang", "phuong-ha-giang-1")
    pdfs = [a for a in manifest["assets"] if a["media"] == "pdf" and a["unit"] in sample]
    assert len(pdfs) == 6 + 3 * 4
    for asset in pdfs:
        # -raw: in its default mode pdftotext takes a line ending in "-" for a hyphenated word and drops
        # the dash ("Nhanh hơn -" / "hiệu quả hơn"); -raw gives the text as the PDF holds it
        extracted = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(output / asset["path"]),
                                    "-"], capture_output=True, text=True, check=True).stdout
        expected = SLOGAN_2025 if asset["variant"] == "khau-hieu" else THEME_2025
        assert expected in collapse(extracted), (asset["path"], extracted)
        assert f"Ủy ban nhân dân {names[asset['unit']]}" in collapse(extracted)


def test_2025_slogan_lines_never_start_with_a_dash(build_2025):
    output = build_2025.output
    jobs = plan(REPO, Selection(channel="banners"), CAMPAIGN_2025).jobs
    seen = []
    for layout in lay_out_all(jobs):
        for item in layout.items:
            if isinstance(item, TextItem) and item.text == SLOGAN_2025:
                lines = [line.text for line in item.fitted.lines]
                seen.append(lines)
                assert " ".join(lines) == SLOGAN_2025
                assert not any(line.startswith("-") for line in lines), lines
    assert any(len(lines) >= 3 for lines in seen), seen  # the vertical banner breaks it several times
    with Image.open(output / "tuyen-quang/banners/street-banner-khau-hieu__bang-ron-doc-80x240.png") as im:
        assert im.size == (800, 2400)


def test_2025_video_slides_follow_the_campaign_slogans():
    the_plan = plan(REPO, Selection(unit="tuyen-quang"), CAMPAIGN_2025)
    stills = {job.stem: job for job in the_plan.jobs if job.slide is not None and job.format_id in
              ("led-1920x1080", "tv-1920x1080")}
    # `slogan: each` makes one slide per slogan, named by its id; `slogan: headline` the campaign's headline
    assert sorted(stills) == [
        "led-loop-khau-hieu-01-mo-dau__led-1920x1080",
        "led-loop-khau-hieu-02-chu-de__led-1920x1080",
        "led-loop-khau-hieu-03-khau-hieu__led-1920x1080",
        "tv-ident-chuyen-muc-01-ten-chuyen-muc__tv-1920x1080",
        "tv-ident-chuyen-muc-02-khau-hieu__tv-1920x1080",
    ]
    texts = {stem: [b.text for b in job.blocks if b.text] for stem, job in stills.items()}
    assert THEME_2025 in texts["led-loop-khau-hieu-02-chu-de__led-1920x1080"]
    assert SLOGAN_2025 in texts["tv-ident-chuyen-muc-02-khau-hieu__tv-1920x1080"]
    backdrop = next(job for job in the_plan.jobs if job.design == "stage-backdrop")
    assert backdrop.variant == "le-phat-dong" and SLOGAN_2025 in [b.text for b in backdrop.blocks]
    lay_out_all(list(stills.values()))  # every 2025 slide fits its layout


def test_2022_default_keeps_its_file_names():
    jobs = plan(REPO).jobs
    for design in PER_SLOGAN_DESIGNS:
        assert {j.variant for j in jobs if j.design == design} == {"chao-mung", "thong-diep"}, design
    stems = {j.stem for j in jobs if j.unit == "tuyen-quang"}
    assert {"led-loop-khau-hieu-02-chao-mung__led-1920x1080", "led-loop-khau-hieu-03-thong-diep__led-1920x1080",
            "tv-ident-chuyen-muc-02-chao-mung__tv-1920x1080",
            "stage-backdrop-le-phat-dong__phong-san-khau-800x400"} <= stems
    assert [j.stem for j in plan(REPO, campaign="specs/campaign.yaml").jobs] == [j.stem for j in jobs]


@pytest.mark.parametrize("campaign, message", [
    ("/etc/hostname", "a campaign file must be a file under specs/"),
    ("specs/../../campaign.yaml", "a campaign file must be a file under specs/"),
    ("specs/designs/banner.yaml", "specs/designs/ holds designs"),
    ("specs/campaigns/2026.yaml", "campaign file does not exist"),
])
def test_campaign_outside_specs_is_refused(tiny: Path, campaign: str, message: str):
    # a real campaign file just outside the project: refused for where it is, not for what it holds
    (tiny.parent / "campaign.yaml").write_text((tiny / "specs/campaign.yaml").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    done = assets("build", "--campaign", campaign, "--only", "banners", cwd=tiny)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0] == f"{campaign}: {message}" or lines[0].startswith(f"{campaign}: {message}"), lines[0]
    assert not (tiny / "output").exists()


# The delivery project's second campaign (tests/data/delivery/specs/campaigns/2025.yaml): its own id and
# units file, the slogan ids the tiny designs name
CAMPAIGN_TEST_2025 = "specs/campaigns/2025.yaml"


def test_campaigns_never_mix_in_one_output_folder(tmp_path: Path):
    root = tiny_project(tmp_path / "tiny", "delivery")
    built = assets("build", "--campaign", CAMPAIGN_TEST_2025, "--output", "output-2025", "--only", "banners",
                   "--unit", "xa-yen-hoa", cwd=root)
    assert built.returncode == 0, built.stderr
    before = snapshot(root / "output-2025")
    assert "manifest.json" in before and any(name.endswith(".pdf") for name in before)
    for command in (["build", "--only", "banners"], ["check"], ["bundle"], ["report"]):
        done = assets(*command, "--output", "output-2025", cwd=root)
        assert done.returncode == 2, (command, done.stderr)
        lines = done.stderr.strip().splitlines()
        assert lines == ["output-2025 holds the files of campaign 'thu-nghiem-2025', not "
                         "'thu-nghiem': build into another folder with --output (or choose that "
                         "campaign with --campaign)"], (command, done.stderr)
    assert snapshot(root / "output-2025") == before


def test_a_units_file_outside_specs_is_refused(tmp_path: Path):
    project = tiny_project(tmp_path / "tiny", "delivery")
    path = project / CAMPAIGN_TEST_2025
    path.write_text(path.read_text(encoding="utf-8").replace("units: campaigns/units-2025.yaml",
                                                             "units: ../../units.yaml"), encoding="utf-8")
    done = assets("list", "--campaign", CAMPAIGN_TEST_2025, cwd=project)
    assert done.returncode == 2
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("units:"))
    assert done.stderr.strip() == f"{CAMPAIGN_TEST_2025}:{line}: units file '../../units.yaml' must be a file under specs/"
