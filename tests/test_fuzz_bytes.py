"""Byte-level fuzzing beside the schema-level one (test_fuzz.py): real spec files with bytes flipped,
lines dropped, repeated or cut, and YAML or CSV constructs spliced in, then `assets build` run on them
over an output folder built before. Every run ends in exit 0 with an output that verifies, or in exit 2
with one line per problem naming a file, and `output/` as it was: never a traceback.
The specs are the tiny project's with the overlay tests/data/fuzz (the product's kinds of fields and
constructs: comments, block scalars, flow lists, quoted CSV cells, a pledge, platforms, …).
`make test` runs a fixed-seed sample; set BYTE_FUZZ_EXAMPLES for a longer run."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets_pipeline.cli import cli
from assets_pipeline.core.errors import AssetsError
from assets_pipeline.engine.build import plan
from tests.conftest import REPO, line_of, snapshot, tiny_project

EXAMPLES = int(os.environ.get("BYTE_FUZZ_EXAMPLES", "150"))
OVERLAY = REPO / "tests" / "data" / "fuzz"
# the overlay's files, which replace the tiny project's or add to them: the banners it builds, a design it
# does not build (web-banner), and the campaign's tables
FILES = ["specs/campaign.yaml", "specs/units.yaml", "specs/formats.yaml", "specs/designs/banner.yaml",
         "specs/designs/web-banner.yaml", "specs/procedures.csv"]
ORIGINAL = {name: (OVERLAY / name).read_bytes() for name in FILES}
SPLICES = [b"&a ", b"*a", b"<<: *a\n", b"!!binary ", b"!!python/object:os.system ", b"? ", b"- ", b": ", b"\t",
           b"\x00", b"\xff\xfe", b"\xe2\x80\x8b", b"\xe2\x80\xae", b'"', b"'", b"{{ ", b" }}", b"{%", b"|\n", b">\n",
           b"---\n", b"...\n", b"%YAML 1.1\n", b"[", b"]", b"{", b"}", b",", b"#", b"\r", b"\n  - x\n", b"=HYPERLINK(",
           b"1e999", b"-1", b"99999999999999999999", b".nan", b"~", "Ể".encode() * 50, b"\\u0301"]


@st.composite
def damaged_bytes(draw, original: bytes) -> bytes:
    """`original` with 1–4 of: a bit flipped, a construct spliced in, a line dropped or repeated, the rest cut."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "splice", "drop line", "repeat line", "cut"]))
        if action == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "splice":
            data[at:at] = draw(st.sampled_from(SPLICES))
        elif action == "cut":
            del data[at:]
        else:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            line = bytes(data[start:end])
            data[start:end] = b"" if action == "drop line" else line * draw(st.integers(2, 3))
    return bytes(data)


@st.composite
def damaged(draw):
    name = draw(st.sampled_from(FILES))
    return name, draw(damaged_bytes(ORIGINAL[name]))


BUILD = ["build", "--unit", "huyen", "--only", "banners", "-j", "1"]
# each line names a spec file (and line), a font, or the output folder (another campaign's files)
NAMED = re.compile(r"^((specs|fonts)/[^:]+(:\d+)?: |output )")


def assets(root: Path, *args: str):
    """The command line, in this process (a fresh one per example would take most of the time)."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tiny_project(tmp_path_factory.mktemp("bytes"), "fuzz")
    assert assets(root, *BUILD).exit_code == 0
    shutil.copytree(root / "output", root / "built")
    return root


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(case=damaged())
def test_damaged_spec_bytes_build_or_fail_cleanly_leaving_output(pristine: Path, case):
    name, data = case
    (pristine / name).write_bytes(data)
    before = snapshot(pristine / "output")
    try:
        result = assets(pristine, *BUILD)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.stderr and "\x00" not in result.stderr, result.stderr
        if result.exit_code == 2:
            lines = result.stderr.strip().splitlines()
            assert lines and all(NAMED.match(line) or line.startswith("…") for line in lines), lines
            assert snapshot(pristine / "output") == before
        else:
            assert assets(pristine, "verify").exit_code == 0
    finally:
        (pristine / name).write_bytes(ORIGINAL[name])
        if snapshot(pristine / "output") != before:  # a build that succeeded: the next example starts as this one did
            shutil.rmtree(pristine / "output")
            shutil.copytree(pristine / "built", pristine / "output")


# crashes the fuzzer found, kept as they were found


def test_a_date_with_no_such_month_is_one_line(pristine: Path):
    """The campaign period's start with month 00: the YAML loader's timestamp raised a traceback."""
    campaign = pristine / "specs/campaign.yaml"
    assert ORIGINAL["specs/campaign.yaml"].count(b"start: 2022-10-01") == 1
    line = line_of(pristine, "specs/campaign.yaml", "start: 2022-10-01")
    assert line_of(pristine, "specs/campaign.yaml", "period:") == line - 1
    campaign.write_bytes(ORIGINAL["specs/campaign.yaml"].replace(b"start: 2022-10-01", b"start: 2022-00-01"))
    try:
        with pytest.raises(AssetsError, match=f"campaign.yaml:{line}: '2022-00-01' is not a valid timestamp: "
                                              "month must be in 1..12"):
            plan(pristine)
    finally:
        campaign.write_bytes(ORIGINAL["specs/campaign.yaml"])


def test_an_unclosed_bracket_in_a_url_is_one_line(pristine: Path):
    procedures = pristine / "specs/procedures.csv"
    procedures.write_bytes(ORIGINAL["specs/procedures.csv"].replace(b"https://dichvucong", b"https://[dichvucong", 1))
    try:
        with pytest.raises(AssetsError, match=r"procedures.csv:\d+: bad URL 'https://\[dichvucong.*Invalid IPv6 URL"):
            plan(pristine)
    finally:
        procedures.write_bytes(ORIGINAL["specs/procedures.csv"])


def test_a_value_with_a_line_break_is_said_on_one_line(pristine: Path):
    """A quote for the comment's `#` made the CSV's header one cell over several lines, echoed as they were."""
    procedures = pristine / "specs/procedures.csv"
    procedures.write_bytes(b'"' + ORIGINAL["specs/procedures.csv"][1:])
    try:
        result = assets(pristine, *BUILD)
        assert result.exit_code == 2
        line, = result.stderr.strip().splitlines()
        assert line.startswith("specs/procedures.csv:1: the header must be code,name,url,unit,sample (got ")
        assert "\\n# Columns" in line
    finally:
        procedures.write_bytes(ORIGINAL["specs/procedures.csv"])
