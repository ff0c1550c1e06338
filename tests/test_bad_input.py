"""Every mistake a designer can make: one line `file:line: message`, exit 2, output untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_assets, snapshot

DESIGN = "specs/designs/street-banner.yaml"


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


CASES = {
    # name: (file, text to replace, replacement, the line to expect it on, what the message says)
    "malformed yaml": (DESIGN, "box: [0, 0.01, 1, 0.67]", "box: [0, 0.01, 1, 0.67", None, "invalid YAML"),
    "unknown key": (DESIGN, "        color: white", "        colr: white", "colr: white",
                    "unknown key 'colr' (did you mean 'color'?)"),
    "wrong type": (DESIGN, "max_lines: 2", "max_lines: two", "max_lines: two", "'max_lines'"),
    "unknown slogan": ("specs/campaign.yaml", "headline: chao-mung", "headline: chao-mun", "headline: chao-mun",
                       "slogan 'chao-mun' is not defined (did you mean 'chao-mung'?)"),
    "unknown format": (DESIGN, "formats: [bang-ron-500x80,", "formats: [bang-ron-500x90,", "formats:",
                       "format 'bang-ron-500x90' is not defined"),
    "undefined variable": (DESIGN, "{{ unit.name }}", "{{ unit.nam }}", "unit.nam", "template error"),
    "sandbox escape": (DESIGN, "{{ unit.name }}", "{{ ''.__class__.__mro__ }}", "__class__",
                       "template not allowed"),
    "text cannot fit": (DESIGN, "min_size_pt: 200", "min_size_pt: 2000", "slogan: \"{{ variant.slogan }}\"",
                        "does not fit its box"),
    "missing glyph": (DESIGN, "Ủy ban nhân dân {{ unit.name }}", "Ủy ban nhân dân {{ unit.name }} ☭",
                      "☭", "has no glyph for '☭' (U+262D)"),
    "unknown colour": (DESIGN, "color: white", "color: whit", "color: whit", "did you mean 'white'?"),
    "duplicate key": (DESIGN, "        font: bold\n", "        font: bold\n        font: bold\n", None,
                      "duplicate key 'font'"),
    "bad unit kind": ("specs/units.yaml", "kind: province", "kind: provinse", "kind: provinse", "'kind'"),
    "bad format size": ("specs/formats.yaml", "size_mm: [5000, 800]", "size_mm: [5000, -800]", "size_mm: [5000, -800]",
                        "'size_mm'"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(project: Path, case: str):
    file, old, new, expect_line_of, message = CASES[case]
    assert run_assets("build", "--only", "banners", "--unit", "ham-yen", cwd=project).returncode == 0
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


def test_check_lists_every_problem(project: Path):
    path = project / DESIGN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        color: white", "        colr: white", 1), encoding="utf-8")
    units = project / "specs/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("parent: tuyen-quang", "parent: tuyen-qang", 1),
                     encoding="utf-8")
    fmt = project / "specs/formats.yaml"
    fmt.write_text(fmt.read_text(encoding="utf-8").replace("bleed_mm: 30", "bleed_mm: lots", 1), encoding="utf-8")
    result = run_assets("check", cwd=project)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3, result.stderr
    assert {line.split(":")[0] for line in lines} == {DESIGN, "specs/formats.yaml", "specs/units.yaml"}


def test_build_with_unknown_unit_option_is_a_clean_error(project: Path):
    result = run_assets("build", "--unit", "ham-yenn", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == "unit 'ham-yenn' is not defined (did you mean 'ham-yen'?)"


def test_a_good_build_after_a_bad_one_succeeds(project: Path):
    result = run_assets("build", "--only", "banners", "--unit", "na-hang", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "rendered 12, reused 0, failed 0" in result.stdout
