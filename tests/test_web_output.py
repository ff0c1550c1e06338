"""Web and social images read back with Pillow: exact pixel sizes, sRGB, file-size budgets, and the
magic resize that drops blocks instead of shrinking text on the smallest banners. The images are the tiny
project's with the web overlay (tests/data/web: a web banner and a social design, one format per layout)."""

from __future__ import annotations

from types import SimpleNamespace

import io
import json
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms

from assets_pipeline.blocks.text import TextItem
from assets_pipeline.engine.build import lay_out_all, plan
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.place import area_box
from assets_pipeline.plan.expand import Selection
from assets_pipeline.render.png import draw
from assets_pipeline.specs.load import load_specs
from tests.conftest import assets, edit, tiny_project

SCREEN = ("web", "social")
STILL_DESIGNS = ("web-banner", "social")  # the overlay's pictures (not the tiny project's own web design)
FORMATS = ("iab-728x90", "iab-320x50", "iab-300x250", "fb-cover-851x315", "post-540x540")


def screen_assets(manifest: dict) -> list[dict]:
    return [a for a in manifest["assets"] if a["channel"] in SCREEN and a["design"] in STILL_DESIGNS]


def test_every_screen_format_is_built_as_png_and_jpeg(web_build):
    output, manifest = web_build
    specs = load_specs(output.parent)
    made = {(a["design"], a["format"], a["media"]) for a in screen_assets(manifest)}
    for design_id in ("web-banner", "social"):
        for format_id in specs.designs[design_id].formats:
            assert {(design_id, format_id, "png"), (design_id, format_id, "jpeg")} <= made
    web_formats = {f for _, f, _ in made}
    assert set(FORMATS) <= web_formats
    # localised: one file per unit of the province and its district, none for the commune
    assert {a["unit"] for a in screen_assets(manifest)} == {"tinh", "huyen"}


def test_pixel_size_colour_space_and_budget_read_back(web_build):
    output, manifest = web_build
    specs = load_specs(output.parent)
    assets = screen_assets(manifest)
    assert len(assets) == 2 * 2 * 2 * len(FORMATS)  # 2 media × 2 slogans × 2 units × 5 formats
    for asset in assets:
        fmt = specs.formats[asset["format"]]
        data = (output / asset["path"]).read_bytes()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == {"png": "PNG", "jpeg": "JPEG"}[asset["media"]]
            assert image.size == tuple(fmt.size_px) == tuple(asset["px"])
            assert image.mode in ("RGB", "P")
            icc = image.info.get("icc_profile")
        assert icc, asset["path"]
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
        assert "sRGB" in description
        assert fmt.budget_kb is not None
        assert len(data) <= fmt.budget_kb * 1000, (asset["path"], len(data))
        assert asset["within_budget"] is True and asset["budget_kb"] == fmt.budget_kb


def _text_only(layout: Layout) -> Layout:
    return Layout(layout.width, layout.height, 0, layout.unit, "#000000",
                  tuple(i for i in layout.items if isinstance(i, TextItem)))


@pytest.fixture(scope="module")
def screen_plan(tmp_path_factory):
    """Every job of the district, laid out, not drawn: the tiny project with the web overlay."""
    root = tiny_project(tmp_path_factory.mktemp("screen"), "web")
    the_plan = plan(root, Selection(unit="huyen"))
    return SimpleNamespace(specs=the_plan.specs, jobs=the_plan.jobs, layouts=lay_out_all(the_plan.jobs))


def test_no_text_below_its_minimum_and_nothing_outside_the_safe_area(screen_plan):
    """Drawn pixels, not layout numbers: the text's ink stays in the safe area (for the Facebook
    cover, the middle that phones show) at every screen size."""
    checked = 0
    for job, layout in zip(screen_plan.jobs, screen_plan.layouts):
        if job.channel not in SCREEN or job.design not in STILL_DESIGNS:
            continue
        minimum = {b.text: b.min_size for b in _leaves(job.blocks) if b.kind == "text"}
        for item in layout.items:
            if isinstance(item, TextItem):
                assert item.fitted.size >= minimum[item.text] - 1e-9, (job.describe(), item.text)
        ink = ImageChops.difference(draw(_text_only(layout), 1.0),
                                    Image.new("RGB", (round(layout.width), round(layout.height)))).getbbox()
        safe = area_box(job, "safe")
        left, top, right, bottom = ink
        assert left >= safe.x - 1 and top >= safe.y - 1, (job.describe(), ink, safe)
        assert right <= safe.x + safe.width + 1 and bottom <= safe.y + safe.height + 1, (job.describe(), ink, safe)
        checked += 1
    assert checked == 2 * len(FORMATS)


def _leaves(blocks):
    for block in blocks:
        if block.kind == "stack":
            yield from _leaves(block.members)
        else:
            yield block


def test_facebook_cover_keeps_text_in_the_mobile_area(screen_plan):
    cover = [(j, lay) for j, lay in zip(screen_plan.jobs, screen_plan.layouts) if j.format_id == "fb-cover-851x315"]
    assert cover
    for job, layout in cover:
        x, _, width, _ = job.format.safe_box_px
        assert (x, width) == (145, 560)
        left, _, right, _ = ImageChops.difference(draw(_text_only(layout), 1.0),
                                                  Image.new("RGB", (851, 315))).getbbox()
        assert left >= x and right <= x + width


@pytest.mark.parametrize("format_id", ["iab-320x50", "iab-728x90"])
def test_smallest_banners_keep_the_slogan_in_one_or_two_lines(web_build, screen_plan, format_id):
    _, manifest = web_build
    slogans = screen_plan.specs.campaign.slogans
    for job, layout in zip(screen_plan.jobs, screen_plan.layouts):
        if job.format_id != format_id:
            continue
        slogan = next(i for i in layout.items if isinstance(i, TextItem) and i.slogan)
        assert slogan.text == slogans[job.variant]
        assert 1 <= len(slogan.fitted.lines) <= 2
        assert slogan.fitted.size >= 10  # the design's min_size_px
    entries = [a for a in manifest["assets"] if a["format"] == format_id]
    assert len(entries) == 2 * 2 * 2  # 2 media × 2 slogans × 2 units
    for entry in entries:
        assert slogans[entry["variant"]] in entry["texts"]
        if format_id == "iab-320x50":
            # the badge (priority 10) goes first, then the unit's name (20); the slogan stays alone
            assert entry["dropped"] == ["huy-hieu-10-10", "don-vi"]
            assert entry["texts"] == [slogans[entry["variant"]]]
        else:
            assert "dropped" not in entry
            assert any(t.startswith("Ủy ban nhân dân") for t in entry["texts"])


def test_without_a_priority_a_block_that_cannot_fit_is_an_error(tmp_path: Path):
    project = tiny_project(tmp_path / "p", "web")
    design = project / "specs/designs/web-banner.yaml"
    text = design.read_text(encoding="utf-8")
    design.write_text(text.replace("                priority: 20\n", "", 1), encoding="utf-8")
    line = next(i for i, row in enumerate(design.read_text(encoding="utf-8").splitlines(), 1)
                if 'text: "Ủy ban nhân dân {{ unit.name }}"' in row)
    result = assets("build", "--design", "web-banner", "--unit", "huyen", cwd=project)
    assert result.returncode == 2
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith(f"specs/designs/web-banner.yaml:{line}: text 'Ủy ban nhân dân huyện Đồi Núi' does not "
                            f"fit its box in format 'iab-320x50'"), result.stderr
    assert "below the minimum 10 px" in first
    assert not (project / "output").exists()


def test_budget_is_met_by_lower_jpeg_quality_or_reported_and_drops_are_said(tmp_path: Path):
    project = tiny_project(tmp_path / "p", "web")
    # a tight budget that JPEG quality can meet (the leaderboard's JPEG weighs some 42 KB at quality 95),
    # and one nothing can
    edit(project, "specs/formats.yaml", "    size_px: [728, 90]\n    safe_px: 4\n    budget_kb: 150",
         "    size_px: [728, 90]\n    safe_px: 4\n    budget_kb: 30")
    edit(project, "specs/formats.yaml", "    size_px: [320, 50]\n    safe_px: 3\n    budget_kb: 50",
         "    size_px: [320, 50]\n    safe_px: 3\n    budget_kb: 1")
    result = assets("build", "--design", "web-banner", "--unit", "huyen", "-j", "1", cwd=project)
    assert result.returncode == 0, result.stderr
    # the build says which blocks dropped, once per design, format and set of blocks
    assert ("note: web-banner on iab-320x50: dropped huy-hieu-10-10, don-vi, the format is too small for them "
            "(4 files)") in result.stderr.splitlines()
    output = project / "output"
    manifest = {a["path"]: a for a in json.loads((output / "manifest.json").read_text(encoding="utf-8"))["assets"]}
    leaderboard = manifest["huyen/web/web-banner-dai__iab-728x90.jpg"]
    size = (output / leaderboard["path"]).stat().st_size
    assert size <= 30_000 and leaderboard["within_budget"] is True and leaderboard["quality"] < 95
    for _, ext in (("jpeg", "jpg"), ("png", "png")):
        path = f"huyen/web/web-banner-dai__iab-320x50.{ext}"
        assert manifest[path]["within_budget"] is False
        shown = manifest[path]["bytes"] / 1000
        assert f"warning: {path} is {shown:.0f} KB, over its budget of 1 KB" in result.stderr
    # the PNG tried its 256-colour palette before giving up
    with Image.open(output / "huyen/web/web-banner-dai__iab-320x50.png") as image:
        assert image.mode == "P" and image.size == (320, 50)


@pytest.mark.parametrize("damage, said", [
    (lambda image: image.convert("CMYK"), "has CMYK pixels, expected RGB"),
    (lambda image: image, "carries no sRGB profile"),
])
def test_verify_refuses_a_web_image_saved_again_without_its_colour(web_build, tmp_path, damage, said):
    """The manifest's size and hash updated to match: only reading the pixels and profile finds it."""
    import hashlib
    import shutil

    from assets_pipeline.engine.verify import verify

    source, _ = web_build
    output = tmp_path / "output"
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    record = next(a for a in screen_assets(manifest) if a["media"] == "jpeg")
    manifest["assets"] = [record]  # the one file, read back alone
    path = output / record["path"]
    path.parent.mkdir(parents=True)
    shutil.copyfile(source / record["path"], path)
    with Image.open(path) as image:
        damage(image.convert("RGB")).save(path, format="JPEG", quality=90)  # no icc_profile given
    record["bytes"], record["sha256"] = path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()
    (output / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    _, problems = verify(output)
    assert [p for p in problems if p.startswith(record["path"]) and said in p], problems
