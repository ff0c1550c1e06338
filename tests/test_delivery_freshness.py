"""Delivery is made from what the build recorded, and is never silently older than the files it packs:
a spec edited after the build changes no zip, and a build that changed files says that the bundles,
the page and the report are older, until they are made again. On the tiny project (tests/data/tiny)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

from tests.conftest import assets, edit, REPO, snapshot

BANNERS = ("build", "--unit", "huyen", "--only", "banners", "-j", "1")


def deliver(project: Path) -> None:
    for command in ("bundle", "report"):
        done = assets(command, cwd=project)
        assert done.returncode == 0, done.stderr


def readme_of(output: Path, unit: str) -> str:
    with zipfile.ZipFile(output / "bundles" / f"{unit}.zip") as archive:
        return archive.read("README.txt").decode("utf-8-sig")


def test_specs_edited_after_the_build_change_no_delivered_file_until_built(tiny: Path):
    project, output = tiny, tiny / "output"
    assert assets(*BANNERS, cwd=project).returncode == 0
    deliver(project)
    before = snapshot(output)
    edit(project, "specs/formats.yaml", "title: Băng rôn ngang 2 × 0,4 m", "title: Băng rôn ngang hai mét")
    edit(project, "specs/units.yaml", "name: huyện Đồi Núi", "name: huyện Đồi Núi Mới")
    edit(project, "specs/campaign.yaml", "title: Ngày thử nghiệm 10/10", "title: Ngày hội số")
    # the document font replaced too: the proof sheets and the report keep the one the build used
    regular = project / "fonts" / "BeVietnamPro-Regular.ttf"
    regular.write_bytes((project / "fonts" / "BeVietnamPro-Bold.ttf").read_bytes())
    deliver(project)
    assert snapshot(output) == before

    built = assets(*BANNERS, cwd=project)
    assert built.returncode == 0, built.stderr
    deliver(project)
    readme = readme_of(output, "huyen")
    assert "Băng rôn ngang hai mét" in readme and "huyện Đồi Núi Mới" in readme
    assert "NGÀY HỘI SỐ" in readme  # the campaign title, in the heading
    fonts = json.loads((output / "manifest.json").read_text(encoding="utf-8"))["fonts"]
    kept = output / fonts["regular"]["path"]
    assert kept.read_bytes() == regular.read_bytes()


def test_a_build_that_changed_files_says_delivery_is_older_until_it_is_made_again(tiny: Path):
    project, output = tiny, tiny / "output"
    assert assets(*BANNERS, cwd=project).returncode == 0
    deliver(project)
    assert 'class="stale"' not in (output / "index.html").read_text(encoding="utf-8")
    again = assets(*BANNERS, cwd=project)  # nothing changed: nothing to say
    assert again.returncode == 0 and "older than the files" not in again.stderr

    edit(project, "specs/designs/banner.yaml", "font: bold\n        color: white", "font: bold\n        color: yellow")
    built = assets(*BANNERS, cwd=project)
    assert built.returncode == 0, built.stderr
    assert ("note: older than the files, not to be sent as they are: the bundles, proof sheets and download page; "
            "the report.") in built.stderr
    page = (output / "index.html").read_text(encoding="utf-8")
    assert page.count('class="stale"') == 1
    assert page.index('class="stale"', page.index("<body")) < page.index("<h1")

    deliver(project)
    assert 'class="stale"' not in (output / "index.html").read_text(encoding="utf-8")
    assert_delivery_matches_the_files(output)
    after = assets(*BANNERS, cwd=project)
    assert after.returncode == 0 and "older than the files" not in after.stderr


def test_a_guide_target_leaves_bundles_page_and_report_current(tiny: Path):
    """The guide's loop, edit then `make banners`, as the Makefile runs it in a designer's checkout."""
    make = ["make", "--no-print-directory", "-f", str(REPO / "Makefile"), f"VENV={REPO / '.venv'}", "READY="]
    env = {**os.environ, "MAKEFLAGS": ""}
    project = tiny
    first = subprocess.run([*make, "banners"], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0, first.stderr
    edit(project, "specs/designs/banner.yaml", "font: bold\n        color: white", "font: bold\n        color: yellow")
    second = subprocess.run([*make, "banners"], cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert second.returncode == 0, second.stderr
    assert "older than the files" not in second.stdout + second.stderr
    assert_delivery_matches_the_files(project / "output")


def assert_delivery_matches_the_files(output: Path) -> None:
    """Every zip holds the bytes the output holds now, and the report counts them."""
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    units = {a["unit"] for a in manifest["assets"]}
    for unit in units:
        with zipfile.ZipFile(output / "bundles" / f"{unit}.zip") as archive:
            packed = json.loads(archive.read("manifest.json"))
            for asset in packed["assets"]:
                assert archive.read(asset["path"]) == (output / asset["path"]).read_bytes(), asset["path"]
    raw = (output / "report" / "bao-cao-ket-qua.csv").read_bytes().decode("utf-8-sig")
    total = list(csv.DictReader(io.StringIO(raw)))[-1]
    assert int(total["Dung lượng (byte)"]) == sum(a["bytes"] for a in manifest["assets"])
    assert 'class="stale"' not in (output / "index.html").read_text(encoding="utf-8")
