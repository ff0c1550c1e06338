from __future__ import annotations

import os

# The suite reads the messages in English (the catalogue's msgids); tests/test_messages.py reads the
# Vietnamese ones. Set before the package loads, and inherited by every command a test starts.
os.environ["ASSETS_LANG"] = "en"

import csv
import hashlib
import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assets_pipeline.engine.build import build
from assets_pipeline.plan.expand import Selection

REPO = Path(__file__).resolve().parent.parent


def copy_project(destination: Path) -> Path:
    """A throw-away copy of the default campaign: specs and fonts."""
    shutil.copytree(REPO / "specs", destination / "specs")
    shutil.copytree(REPO / "fonts", destination / "fonts")
    return destination


def as_in_a_terminal() -> None:
    """For a process a test stops with Ctrl-C: SIGINT as a terminal's foreground process has it, even when
    the suite itself runs in the background (where the shell set SIGINT to be ignored, and children inherit it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_assets(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI as a user runs it: a separate process, real exit code, real stderr."""
    return subprocess.run([sys.executable, "-m", "assets_pipeline", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256, to prove nothing changed."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throw-away copy with one commune: what a test of one behaviour needs."""
    root = copy_project(tmp_path / "project")
    keep_communes(root, PROJECT_COMMUNES)
    return root


# Communes the session's builds keep besides the province and its districts: one ward-like commune,
# a township, one with a display name, one whose slug carries its district. The 138 of them are built
# once, for the bundles and the download page (bundled_build).
SAMPLE_COMMUNES = ("xa-kim-phu", "tt-na-hang", "xa-qui-quan", "xa-tan-thanh-son-duong")
# and the one a test of a single behaviour keeps (`project`): every `assets check` lays out all it holds
PROJECT_COMMUNES = ("xa-qui-quan",)


def keep_communes(root: Path, communes: tuple[str, ...] = SAMPLE_COMMUNES,
                  districts: tuple[str, ...] | None = None) -> None:
    """Cut the copy's 2022 units file down to the province, its districts (or only `districts`) and
    `communes`, its certificates to those the kept units issue, its pledge to the kept signatories."""
    path = root / "specs" / "units.yaml"
    lines, keep, entry = path.read_text(encoding="utf-8").splitlines(keepends=True), [], []
    dropped: set[str] = set()

    def flush() -> None:
        text = "".join(entry)
        slug = text.split("slug: ", 1)[1].split()[0] if "slug: " in text else ""
        if not entry:
            return
        if ("kind: commune" in text and slug not in communes) or \
                ("kind: district" in text and districts is not None and slug not in districts):
            dropped.add(slug)
        else:
            keep.extend(entry)

    for line in lines:
        if line.startswith("  - "):
            flush()
            entry = [line]
        elif entry and line.startswith(" "):
            entry.append(line)
        else:  # a line at the top level (`departments:`, a comment) ends the entry
            flush()
            entry = []
            keep.append(line)
    flush()
    path.write_text("".join(keep), encoding="utf-8")
    awards = root / "specs" / "awards.csv"
    rows = awards.read_text(encoding="utf-8").splitlines(keepends=True)
    awards.write_text("".join(r for r in rows if r.split(",", 1)[0] not in dropped), encoding="utf-8")
    procedures = root / "specs" / "procedures.csv"  # and the notices of procedures they post
    rows = procedures.read_text(encoding="utf-8").splitlines(keepends=True)
    procedures.write_text("".join(r for r in rows if r.startswith("#") or not set(next(csv.reader([r]), [])) & dropped),
                          encoding="utf-8")
    campaign = root / "specs" / "campaign.yaml"  # and the pledge's signatories
    lines = campaign.read_text(encoding="utf-8").splitlines(keepends=True)
    campaign.write_text("".join(line for line in lines if line.strip().removeprefix("- unit: ") not in dropped),
                        encoding="utf-8")


def built(tmp_path_factory, name: str, selections: list[Selection]) -> tuple[Path, dict]:
    """A copy of the default campaign (its communes cut to SAMPLE_COMMUNES) with the given parts built,
    and its manifest."""
    root = copy_project(tmp_path_factory.mktemp(name))
    keep_communes(root)
    output = root / "output"
    for selection in selections:
        build(root, output, selection, workers=2)
    return output, json.loads((output / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def print_build(tmp_path_factory) -> tuple[Path, dict]:
    """The province's pano, stage backdrop and posters, built once for the whole session."""
    return built(tmp_path_factory, "print", [Selection(channel=c, unit="tuyen-quang") for c in ("pano", "posters")])


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> tuple[Path, dict]:
    """The default campaign's banners, built once for the whole session."""
    return built(tmp_path_factory, "default", [Selection(channel="banners")])


@pytest.fixture(scope="session")
def web_build(tmp_path_factory) -> tuple[Path, dict]:
    """The web and social banners and the QR notices of every unit, built once for the session."""
    return built(tmp_path_factory, "web", [Selection(channel=c) for c in ("web", "social", "notices")])


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The whole default campaign's banners (every commune) plus files of other channels
    (tests/other_channels.py), bundled and reported."""
    from assets_pipeline.delivery.bundles import bundle_all
    from assets_pipeline.delivery.report import write_report
    from tests.other_channels import add_other_channels

    root = copy_project(tmp_path_factory.mktemp("bundled"))
    output = root / "output"
    build(root, output, Selection(channel="banners"), workers=2)
    add_other_channels(output)
    bundle_all(output)
    write_report(output)
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return root, output, manifest
