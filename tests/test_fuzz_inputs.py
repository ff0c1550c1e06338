"""Fuzzing the inputs beside the designs (test_fuzz_bytes.py): the documents' data files (services,
awards), a GSO list given to `assets units import` (CSV and XLSX), and a manifest edited by hand
before delivery. Every run ends in success or in its documented exit code with one line per problem
naming the file, never a traceback, and nothing written on a refusal. The project is the tiny one; the
documents, their data and a GSO list of its units come from the overlay tests/data/fuzz-inputs.
`make test` runs a fixed-seed sample; set INPUT_FUZZ_EXAMPLES for a longer run."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import REPO, assets, snapshot, tiny_project
from tests.test_fuzz_bytes import damaged_bytes

OVERLAY = REPO / "tests" / "data" / "fuzz-inputs"
EXAMPLES = int(os.environ.get("INPUT_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


def clean_refusal(result, code: int, prefixes: tuple[str, ...]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if not line.startswith("warning")]
    assert lines and all(line.startswith(prefixes) or line.startswith("…") for line in lines), lines
    assert result.returncode == code, result.stderr


# ------------------------------------------------------------------ the documents' data files

DATA = ["specs/services.yaml", "specs/awards.csv"]


@pytest.fixture(scope="module")
def documents_project(tmp_path_factory) -> Path:
    return tiny_project(tmp_path_factory.mktemp("documents-fuzz") / "tiny", "fuzz-inputs")


@FUZZ
@given(case=st.sampled_from(DATA).flatmap(lambda name: st.tuples(st.just(name), damaged_bytes((OVERLAY / name).read_bytes()))))
def test_damaged_documents_data_check_or_fail_cleanly(documents_project: Path, case):
    name, data = case
    (documents_project / name).write_bytes(data)
    try:
        result = assets("check", "--only", "leaflets,commendations", cwd=documents_project)
        if result.returncode != 0:
            clean_refusal(result, 2, ("specs/",))
    finally:
        (documents_project / name).write_bytes((OVERLAY / name).read_bytes())


# ------------------------------------------------------------------ GSO lists


def gso_list() -> bytes:
    """GSO's columns, the tiny project's communes and a few it does not have yet (a second district)."""
    return (OVERLAY / "danh-muc.csv").read_bytes()


@pytest.fixture(scope="module")
def import_project(tmp_path_factory) -> Path:
    root = tiny_project(tmp_path_factory.mktemp("import-fuzz") / "tiny")
    shutil.copytree(root / "specs", root / "specs-as-copied")  # to put back after each example
    return root


@FUZZ
@given(data=damaged_bytes(gso_list()), as_xlsx=st.booleans())
def test_a_damaged_list_imports_or_fails_cleanly(import_project: Path, data: bytes, as_xlsx: bool):
    """A damaged CSV as it is; or its rows put in a workbook whose zip bytes are then damaged too."""
    name = "danh-muc.xlsx" if as_xlsx else "danh-muc.csv"
    source = import_project / name
    if as_xlsx:
        book = openpyxl.Workbook()
        for row in data.decode("utf-8", "replace").splitlines():  # what a spreadsheet can hold of it
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row.split(",")[:8]])
        book.save(source)
        raw = bytearray(source.read_bytes())
        raw[len(data) % len(raw)] ^= 0x55  # one byte of the zip
        source.write_bytes(bytes(raw))
    else:
        source.write_bytes(data)
    specs = import_project / "specs"
    before = snapshot(specs)
    try:
        result = assets("units", "import", name, "--province", "Thử Nghiệm", cwd=import_project)
        if result.returncode != 0:
            clean_refusal(result, 2, (name, "specs/"))
            assert snapshot(specs) == before
    finally:
        shutil.rmtree(specs)
        shutil.copytree(import_project / "specs-as-copied", specs)
        source.unlink()


# ------------------------------------------------------------------ a manifest edited by hand

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=40),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=3), max_leaves=6)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    project = tiny_project(tmp_path_factory.mktemp("manifest-fuzz") / "tiny")
    assert assets("build", "--unit", "huyen", "--only", "banners", "-j", "1", cwd=project).returncode == 0
    assert assets("bundle", cwd=project).returncode == 0
    shutil.copytree(project / "output", project / "delivered")
    return project


@FUZZ
@given(where=st.sampled_from(["entry", "record"]), field=st.text(max_size=12) | st.sampled_from(
    ["path", "unit", "channel", "media", "bytes", "sha256", "design", "format", "px", "texts", "pages", "units",
     "formats", "designs", "fonts", "campaign"]), value=JSON_VALUES)
def test_a_manifest_edited_by_hand_delivers_or_fails_cleanly(delivered: Path, where: str, field: str, value):
    output = delivered / "output"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    target = manifest["assets"][0] if where == "entry" else manifest
    target[field] = value
    (output / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    before = snapshot(output / "bundles")
    try:
        for command in ("bundle", "report", "verify"):
            result = assets(command, cwd=delivered)
            assert "Traceback" not in result.stderr + result.stdout, result.stderr
            assert result.returncode in (0, 1, 2), result.stderr
            if command == "bundle" and result.returncode == 2:
                clean_refusal(result, 2, ("output/manifest.json",))
                assert snapshot(output / "bundles") == before
    finally:
        shutil.rmtree(output)
        shutil.copytree(delivered / "delivered", output)
