"""Preflight: a design that breaks each rule is reported, at its line, in both reports; errors fail
the build and write nothing else; warnings pass unless --strict."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from assets_pipeline.layout import preflight
from assets_pipeline.engine.build import lay_out_all, plan
from assets_pipeline.plan.expand import Selection
from assets_pipeline.core.color import contrast_ratio
from tests.conftest import assets, edit, line_of, snapshot

# the tiny project's sheet (tests/data/tiny): text, an image and a QR code on A5
POSTER = "specs/designs/poster.yaml"
FORMATS = "specs/formats.yaml"
ONE_POSTER = ("--only", "posters", "--unit", "huyen")


def report(project: Path, name: str = "preflight.json") -> dict:
    """The build's report, or (`preflight-check.json`) the last check's."""
    return json.loads((project / "output" / name).read_text(encoding="utf-8"))


CHECKED = "preflight-check.json"


def findings(project: Path, rule: str, name: str = "preflight.json") -> list[dict]:
    return [f for p in report(project, name)["pieces"] for f in p["findings"] if f["rule"] == rule]


def test_wcag_contrast_formula():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#FFDE00", "#DA251D") == pytest.approx(3.68, abs=0.01)


# rule: (file, old, new, the line the finding points at, level, words of the message)
ERRORS = {
    "contrast": (POSTER, "        color: ink\n        align: left", "        color: yellow\n        align: left",
                 "text: \"{{ campaign.texts.message }}\"", "contrast 1.3"),
    "safe-area": (POSTER, "box: [0.06, 0.87, 0.88, 0.08]", "box: [0.06, 0.93, 0.88, 0.07]",
                  "text: \"{{ ('Ủy ban nhân dân ' ~ unit.name) | upper }}\"", "leaves the safe area"),
    "legibility": (FORMATS, "viewing_distance_m: 1\n", "viewing_distance_m: 15\n",
                   "text: \"{{ campaign.texts.message }}\"", "below the legibility limit"),
}


@pytest.mark.parametrize("rule", ERRORS, ids=list(ERRORS))
def test_a_design_breaking_an_error_rule_is_reported_at_its_line(tiny: Path, rule: str):
    project = tiny
    file, old, new, needle, said = ERRORS[rule]
    edit(project, file, old, new)
    result = assets("check", *ONE_POSTER, cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    expected = f"{POSTER}:{line_of(project, POSTER, needle)}: {rule}: "
    assert any(line.startswith(expected) and said in line for line in result.stderr.splitlines()), result.stderr
    assert report(project, CHECKED)["ok"] is False
    assert findings(project, rule, CHECKED) and {f["level"] for f in findings(project, rule, CHECKED)} == {"error"}
    assert said in (project / "output/preflight-check.txt").read_text(encoding="utf-8")


def test_a_failing_preflight_writes_nothing(tiny: Path):
    project = tiny
    assert assets("build", *ONE_POSTER, cwd=project).returncode == 0
    before = snapshot(project / "output")
    edit(project, *ERRORS["contrast"][:3])
    result = assets("build", *ONE_POSTER, cwd=project)
    assert result.returncode == 2, result.stderr
    assert "contrast" in result.stderr
    assert snapshot(project / "output") == before  # the reports of the last good build included
    assert report(project)["ok"] is True
    assert assets("check", *ONE_POSTER, cwd=project).returncode == 2  # check writes what failed
    assert report(project, CHECKED)["ok"] is False
    assert report(project)["ok"] is True  # and never over the build's report


def test_a_spec_put_back_as_it_was_builds_again(tiny: Path):
    project = tiny
    """Build; break a design (check fails); put the file back byte for byte: check and build pass, and
    the build finds nothing to do."""
    assert assets("build", *ONE_POSTER, cwd=project).returncode == 0
    before = snapshot(project / "output")
    original = (project / POSTER).read_bytes()
    edit(project, *ERRORS["contrast"][:3])
    assert assets("check", *ONE_POSTER, cwd=project).returncode == 2
    assert assets("build", *ONE_POSTER, cwd=project).returncode == 2
    (project / POSTER).write_bytes(original)
    checked = assets("check", *ONE_POSTER, cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert report(project, CHECKED)["ok"] is True
    built = assets("build", *ONE_POSTER, cwd=project)
    assert built.returncode == 0, built.stderr
    assert "rendered 0," in built.stdout
    after = snapshot(project / "output")
    visible = {name: digest for name, digest in after.items() if not name.startswith((".", "preflight-check"))}
    assert visible == {name: digest for name, digest in before.items() if not name.startswith(".")}


def test_a_finding_points_at_the_line_where_the_block_now_stands(tiny: Path):
    project = tiny
    """Findings are known by content and place: a line added above a block moves its finding."""
    edit(project, *ERRORS["contrast"][:3])
    assert assets("check", *ONE_POSTER, cwd=project).returncode == 2
    needle = ERRORS["contrast"][3]
    edit(project, POSTER, "layouts:", "# a comment line\nlayouts:")
    result = assets("check", *ONE_POSTER, cwd=project)
    assert result.returncode == 2
    assert f"{POSTER}:{line_of(project, POSTER, needle)}: contrast: " in result.stderr, result.stderr


def test_image_resolution_below_the_format_is_a_warning_and_strict_fails(tiny: Path):
    project = tiny
    edit(project, FORMATS, "    proof_px: 400\n", "    min_image_dpi: 5000\n    proof_px: 400\n")
    result = assets("check", *ONE_POSTER, cwd=project)
    assert result.returncode == 0, result.stderr
    image_line = line_of(project, POSTER, "file: images/dau.png")
    assert f"warning: {POSTER}:{image_line}: image-resolution: image dau.png is" in result.stderr
    found = findings(project, "image-resolution", CHECKED)
    assert found and all(f["level"] == "warning" and f["required"] == 5000 and f["measured"] < 5000 for f in found)

    strict = assets("check", "--strict", *ONE_POSTER, cwd=project)
    assert strict.returncode == 2
    assert f"{POSTER}:{image_line}: image-resolution" in strict.stderr
    assert report(project, CHECKED)["ok"] is False and report(project, CHECKED)["strict"] is True


def test_legibility_and_contrast_warnings_pass_unless_strict(tiny: Path):
    project = tiny
    # read from farther away, the banner's unit line falls between distance / 350 and / 250
    edit(project, FORMATS, "viewing_distance_m: 10", "viewing_distance_m: 15")
    result = assets("build", "--only", "banners", "--unit", "huyen", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "preflight: " in result.stderr and " warnings" in result.stderr
    assert (project / "output/manifest.json").is_file()
    assert {f["level"] for f in findings(project, "legibility")} == {"warning"}
    # a web banner's small lines: gold on flag red is 3.7:1, between 3:1 and 4.5:1
    edit(project, "specs/designs/web.yaml", "font: bold\n        color: white", "font: bold\n        color: yellow")
    edit(project, FORMATS, "size_px: [600, 150]", "size_px: [320, 80]")
    listed = assets("check", "--only", "web", "--unit", "huyen", cwd=project)
    assert listed.returncode == 0 and "contrast 3.68:1 below 4.5:1" in listed.stderr
    assert {f["level"] for f in findings(project, "contrast", CHECKED)} == {"warning"}

    strict = assets("build", "--strict", "--only", "banners", "--unit", "tinh", cwd=project)
    assert strict.returncode == 2
    assert not list((project / "output/tinh").glob("*/*"))


def test_a_warning_the_design_accepts_is_said_once_with_why_and_not_counted(tiny: Path):
    project = tiny
    # from 13 m the banner's unit line is below distance / 250, its slogans are not
    edit(project, FORMATS, "viewing_distance_m: 10", "viewing_distance_m: 13")
    unit_line = line_of(project, "specs/designs/banner.yaml", "Ủy ban nhân dân {{ unit.name }}")
    edit(project, "specs/designs/banner.yaml", "        font: bold\n        color: white\n",
         "        font: bold\n        color: white\n        accept:\n          legibility: dòng ghi đơn vị, đã duyệt\n")
    checked = assets("check", "--only", "banners", "--unit", "huyen", cwd=project)
    assert checked.returncode == 0, checked.stderr
    accepted = [line for line in checked.stderr.splitlines() if line.startswith("accepted: ")]
    assert len(accepted) == 1, checked.stderr  # one line for the block, however many pieces
    assert f"specs/designs/banner.yaml:{unit_line}: legibility: " in accepted[0]
    assert accepted[0].endswith("— dòng ghi đơn vị, đã duyệt (and in 1 more piece)")
    assert "warning:" not in checked.stderr and "0 warnings, 2 accepted" in checked.stdout
    data = report(project, CHECKED)
    assert (data["warnings"], data["accepted"]) == (0, 2)
    assert {f["level"] for f in findings(project, "legibility", CHECKED)} == {"accepted"}
    # the build that makes the pieces says so once; a build that makes nothing says nothing
    built = assets("build", "--strict", "--only", "banners", "--unit", "huyen", cwd=project)
    assert built.returncode == 0, built.stderr  # an accepted warning does not fail --strict
    assert "preflight: 2 accepted warnings" in built.stderr and "warnings (assets check" not in built.stderr
    again = assets("build", "--only", "banners", "--unit", "huyen", cwd=project)
    assert again.returncode == 0 and "preflight" not in again.stderr
    assert "  accepted: " in (project / "output/preflight.txt").read_text(encoding="utf-8")
    # an error is never accepted: from farther still, the line is below distance / 350
    edit(project, FORMATS, "viewing_distance_m: 13", "viewing_distance_m: 40")
    failed = assets("check", "--only", "banners", "--unit", "huyen", cwd=project)
    assert failed.returncode == 2 and f"banner.yaml:{unit_line}: legibility:" in failed.stderr


def test_a_missing_glyph_is_reported(tiny: Path):
    project = tiny
    # a design with a character the font lacks never reaches the renderers
    edit(project, POSTER, "{{ campaign.texts.message }}", "{{ campaign.texts.message }} ☭")
    result = assets("check", *ONE_POSTER, cwd=project)
    assert result.returncode == 2
    assert "has no glyph for '☭' (U+262D)" in result.stderr
    edit(project, POSTER, "{{ campaign.texts.message }} ☭", "{{ campaign.texts.message }}")
    # and preflight itself checks every laid-out text against its font
    the_plan = plan(project, Selection(channel="posters", unit="huyen"))
    job, layout = the_plan.jobs[0], lay_out_all(the_plan.jobs[:1])[0]
    text = next(i for i in layout.items if isinstance(i, preflight.TextItem))
    broken = dataclasses.replace(layout, items=tuple(
        dataclasses.replace(i, text=i.text + " ☭") if i is text else i for i in layout.items))
    found, _ = preflight.check_piece(job, broken)
    assert [(f.rule, f.level) for f in found] == [("glyphs", "error")]
    assert "☭" in found[0].message


def test_check_runs_preflight_and_writes_the_reports(tiny: Path):
    project = tiny
    result = assets("check", "--only", "web", cwd=project)
    assert result.returncode == 0, result.stderr
    data = report(project, CHECKED)
    assert data["ok"] and data["errors"] == 0 and data["warnings"] == 0
    assert len(data["pieces"]) == 2
    assert not (project / "output/manifest.json").exists()
    assert not (project / "output/preflight.json").exists()  # the build's report: no build, no report
    assert "preflight: 2 pieces, 0 errors, 0 warnings" in (project / "output/preflight-check.txt").read_text(
        encoding="utf-8")
    # the same check again answers from its stamp, with the same words
    again = assets("check", "--only", "web", cwd=project)
    assert (again.returncode, again.stdout, again.stderr) == (result.returncode, result.stdout, result.stderr)


def test_a_check_reusing_unchanged_designs_says_what_a_check_from_scratch_says(tiny: Path, tmp_path: Path):
    project = tiny
    """Designs unchanged since the last check are not expanded again: after each edit (a design broken,
    a line moved in it, a unit renamed, the design put back), the report is that of a fresh copy."""
    original = (project / POSTER).read_bytes()
    assert assets("check", "--unit", "huyen", cwd=project).returncode == 0
    changes = [lambda: edit(project, *ERRORS["contrast"][:3]),
               lambda: edit(project, POSTER, "layouts:", "# a comment line\nlayouts:"),
               lambda: edit(project, "specs/units.yaml", "name: huyện Đồi Núi", "name: huyện Đồi Núi Mới"),
               lambda: (project / POSTER).write_bytes(original)]
    for number, change in enumerate(changes):
        change()
        here = assets("check", "--unit", "huyen", cwd=project)
        fresh = tmp_path / f"fresh-{number}"
        for folder in ("specs", "fonts"):
            shutil.copytree(project / folder, fresh / folder)
        there = assets("check", "--unit", "huyen", cwd=fresh)
        assert (here.returncode, here.stderr) == (there.returncode, there.stderr)
        assert report(project, CHECKED) == report(fresh, CHECKED)
