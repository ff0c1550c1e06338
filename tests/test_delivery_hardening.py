"""Delivery holds the build's rules: a manifest edited by hand is one line (exit 2) before anything is
read or written, nothing is written or read through a link that leaves output/, a killed bundling
leaves nothing behind the next one, and a zip is the same bytes whichever command packed it.
On the tiny project (tests/data/tiny)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import assets, snapshot, tiny_project

BANNERS = ("build", "--unit", "huyen", "--only", "banners", "-j", "1")


@pytest.fixture(scope="module")
def delivered_once(tmp_path_factory) -> Path:
    project = tiny_project(tmp_path_factory.mktemp("delivered") / "tiny")
    assert assets(*BANNERS, cwd=project).returncode == 0
    assert assets("bundle", cwd=project).returncode == 0
    return project


@pytest.fixture
def delivered(delivered_once: Path, tmp_path: Path) -> Path:
    """The tiny project with the district's banners built and bundled: a copy for each case."""
    return Path(shutil.copytree(delivered_once, tmp_path / "tiny", symlinks=True))


def edit_manifest(output: Path, change) -> None:
    path = output / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest["assets"])
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def set_field(name: str, value: Any):
    def change(assets: list) -> None:
        assets[0][name] = value
    return change


@pytest.mark.parametrize("change, said", [
    (set_field("path", ["huyen", "banners"]), "field 'path' is not of its type"),
    (set_field("path", "../specs/campaign.yaml"), "unsafe path '../specs/campaign.yaml'"),
    (set_field("path", "huyen/../../x.png"), "unsafe path"),
    (set_field("unit", "../tinh"), "unit that is not an id '../tinh'"),
    (set_field("bytes", "12"), "field 'bytes' is not of its type"),
    (set_field("bytes", -1), "has no SHA-256 or size of a file"),
    (set_field("sha256", "not a digest"), "has no SHA-256 or size of a file"),
    (set_field("px", ["wide", 2]), "field 'px' is not of its type"),
    (set_field("texts", {"a": 1}), "field 'texts' is not of its type"),
    (lambda assets: assets.__setitem__(0, "huyen/banners/x.png"), "is not an entry (a JSON object)"),
    (lambda assets: assets[0].pop("sha256"), "has no sha256"),
], ids=["path a list", "path climbing out", "path climbing inside", "unit a path", "bytes a string",
        "bytes negative", "digest not hex", "px of words", "texts a mapping", "entry a string", "digest missing"])
def test_a_manifest_edited_by_hand_is_one_line_and_nothing_is_written(delivered: Path, change, said: str):
    output = delivered / "output"
    edit_manifest(output, change)
    before = snapshot(output)
    for command in ("bundle", "report"):
        done = assets(command, cwd=delivered)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        [line] = done.stderr.strip().splitlines()
        assert line.startswith("output/manifest.json: entry 0 ") and said in line, line
    assert snapshot(output) == before
    checked = assets("verify", cwd=delivered)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr + checked.stdout
    assert said in checked.stdout + checked.stderr


def test_bundles_are_not_written_through_a_link_that_leaves_output(delivered: Path, tmp_path: Path):
    output, elsewhere = delivered / "output", tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(output / "bundles")
    (output / "bundles").symlink_to(elsewhere)
    done = assets("bundle", cwd=delivered)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "output/bundles is a link that leads outside" in line
    assert not any(elsewhere.iterdir())


def test_a_file_read_through_a_link_that_leaves_output_is_refused(delivered: Path, tmp_path: Path):
    """A file of output/ replaced by a link to a secret, the manifest edited to match: never zipped."""
    output = delivered / "output"
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the commune")
    entry = next(a for a in json.loads((output / "manifest.json").read_text(encoding="utf-8"))["assets"]
                 if a["media"] == "png")
    (output / entry["path"]).unlink()
    (output / entry["path"]).symlink_to(secret)
    import hashlib

    def match(assets: list) -> None:
        for a in assets:
            if a["path"] == entry["path"]:
                a.update(bytes=secret.stat().st_size, sha256=hashlib.sha256(secret.read_bytes()).hexdigest())
    edit_manifest(output, match)
    before = snapshot(output / "bundles")
    done = assets("bundle", cwd=delivered)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"output/{entry['path']} is a link that leads outside" in done.stderr
    assert snapshot(output / "bundles") == before


def test_a_killed_bundling_leaves_nothing_the_next_one_does_not_clear(delivered: Path):
    output = delivered / "output"
    clean = snapshot(output / "bundles")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    caught = False
    for _attempt in range(10):  # killed while a zip or a sheet is half-written, when the timing allows
        for path in (output / "bundles").glob("*.zip"):
            path.unlink()
        run = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "bundle"], cwd=delivered, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while run.poll() is None and not caught:
            caught = any(output.rglob(".*.tmp"))
            if caught:
                run.send_signal(signal.SIGKILL)
            time.sleep(0.001)
        run.wait()
        if caught:
            break
    # what a kill mid-write leaves, whether or not the timing allowed the kill above
    (output / "bundles" / ".huyen.zip.99999.tmp").write_bytes(b"PK half a zip")
    done = assets("bundle", cwd=delivered)
    assert done.returncode == 0, done.stderr
    assert not list(output.rglob(".*.tmp"))
    assert snapshot(output / "bundles") == clean


def test_a_zip_is_the_same_bytes_from_every_command_that_packs_it(delivered: Path):
    """`assets all` packs in the process that built (reportlab loaded by the renderers); `assets bundle`
    in a fresh one."""
    output = delivered / "output"
    packed_with_the_build = snapshot(output / "bundles")
    shutil.rmtree(output / "bundles")
    shutil.rmtree(output / "proofs")
    (output / ".bundles.made.json").unlink()
    fresh = subprocess.run([sys.executable, "-m", "assets_pipeline", "bundle"], cwd=delivered, capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
    assert fresh.returncode == 0, fresh.stderr
    assert snapshot(output / "bundles") == packed_with_the_build
