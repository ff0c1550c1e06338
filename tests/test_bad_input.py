"""Every mistake a designer can make: one line `file:line: message`, exit 2, output untouched. On the
tiny project (tests/data/tiny); the command in a process of its own, as a designer runs it (exit codes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_assets, snapshot, tiny_project

DESIGN = "specs/designs/banner.yaml"  # of the tiny project (tests/data/tiny)


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


CASES = {
    # name: (file, text to replace, replacement, the line to expect it on, what the message says)
    "malformed yaml": (DESIGN, "box: [0, 0.08, 1, 0.6]", "box: [0, 0.08, 1, 0.6", None, "invalid YAML"),
    "unknown key": (DESIGN, "        color: white", "        colr: white", "colr: white",
                    "unknown key 'colr' (did you mean 'color'?)"),
    "wrong type": (DESIGN, "max_lines: 2", "max_lines: two", "max_lines: two", "'max_lines'"),
    "unknown slogan": ("specs/designs/poster.yaml", "slogan: ngan", "slogan: ngn", "slogan: ngn",
                       "slogan 'ngn' is not defined (did you mean 'ngan'?)"),
    "unknown format": (DESIGN, "formats: [bang-ron-200x40]", "formats: [bang-ron-200x50]", "formats:",
                       "format 'bang-ron-200x50' is not defined"),
    "undefined variable": (DESIGN, "{{ unit.name }}", "{{ unit.nam }}", "unit.nam", "template error"),
    "sandbox escape": (DESIGN, "{{ unit.name }}", "{{ ''.__class__.__mro__ }}", "__class__",
                       "template not allowed"),
    "text cannot fit": (DESIGN, "        max_lines: 2\n", "        max_lines: 2\n        min_size_pt: 2000\n",
                        "slogan: \"{{ variant.slogan }}\"", "does not fit its box"),
    "missing glyph": (DESIGN, "Ủy ban nhân dân {{ unit.name }}", "Ủy ban nhân dân {{ unit.name }} ☭",
                      "☭", "has no glyph for '☭' (U+262D)"),
    "unknown colour": (DESIGN, "color: white", "color: whit", "color: whit", "did you mean 'white'?"),
    "malformed hex colour": (DESIGN, "color: yellow", 'color: "#FFDE0"', '"#FFDE0"',
                             "colour '#FFDE0' is not #RRGGBB (# and six hex digits) nor a palette name"),
    "duplicate key": (DESIGN, "        font: bold\n", "        font: bold\n        font: bold\n", None,
                      "duplicate key 'font'"),
    "bad unit kind": ("specs/units.yaml", "kind: province", "kind: provinse", "kind: provinse", "'kind'"),
    "bad format size": ("specs/formats.yaml", "size_mm: [2000, 400]", "size_mm: [2000, -400]", "size_mm: [2000, -400]",
                        "'size_mm'"),
}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The tiny project with a district's banners built, once for the module."""
    root = tiny_project(tmp_path_factory.mktemp("built") / "tiny")
    assert run_assets("build", "--only", "banners", "--unit", "huyen", cwd=root).returncode == 0
    return root


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(built_once: Path, tmp_path: Path, case: str):
    project = Path(shutil.copytree(built_once, tmp_path / "tiny", symlinks=True))  # a copy for each case
    file, old, new, expect_line_of, message = CASES[case]
    before = snapshot(project / "output")

    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    result = run_assets("build", cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    location, _, said = lines[0].partition(": ")
    assert location.startswith(file + ":")
    if expect_line_of is not None:
        assert location == f"{file}:{line_of(path, expect_line_of)}", lines[0]
    assert message in said, lines[0]
    assert snapshot(project / "output") == before


def test_check_lists_every_problem(tiny: Path):
    project = tiny
    path = project / DESIGN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        color: white", "        colr: white", 1), encoding="utf-8")
    units = project / "specs/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("parent: tinh", "parent: tihn", 1),
                     encoding="utf-8")
    fmt = project / "specs/formats.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace("bleed_mm: 20", "bleed_mm: lots", 1), encoding="utf-8")
    result = run_assets("check", cwd=project)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert {line.split(":")[0] for line in lines} == {DESIGN, "specs/formats.yaml", "specs/units.yaml"}


def test_build_with_unknown_unit_option_is_a_clean_error(tiny: Path):
    result = run_assets("build", "--unit", "huyenn", cwd=tiny)
    assert result.returncode == 2
    assert result.stderr.strip() == "unit 'huyenn' is not defined (did you mean 'huyen'?)"


def test_a_good_build_after_a_bad_one_succeeds(tiny: Path):
    result = run_assets("build", "--only", "banners", "--unit", "huyen", cwd=tiny)
    assert result.returncode == 0, result.stderr
    assert "rendered 4, reused 0, failed 0" in result.stdout
