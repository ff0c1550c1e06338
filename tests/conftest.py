from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assets_pipeline.build import build
from assets_pipeline.expand import Selection

REPO = Path(__file__).resolve().parent.parent


def copy_project(destination: Path) -> Path:
    """A throw-away copy of the default campaign: specs and fonts."""
    shutil.copytree(REPO / "specs", destination / "specs")
    shutil.copytree(REPO / "fonts", destination / "fonts")
    return destination


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
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def default_build(tmp_path_factory) -> tuple[Path, dict]:
    """The default campaign's banners, built once for the whole session."""
    root = copy_project(tmp_path_factory.mktemp("default"))
    output = root / "output"
    build(root, output, Selection(channel="banners"), workers=2)
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    return output, manifest
