from __future__ import annotations

import os

# The suite reads the messages in English (the catalogue's msgids); tests/test_messages.py reads the
# Vietnamese ones. Set before the package loads, and inherited by every command a test starts.
os.environ["ASSETS_LANG"] = "en"

import hashlib
import json
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets_pipeline.cli import cli
from assets_pipeline.engine.build import build
from assets_pipeline.plan.expand import Selection

REPO = Path(__file__).resolve().parent.parent
TINY = REPO / "tests" / "data" / "tiny"


def edit(project: Path, file: str, old: str, new: str) -> None:
    """Replace the first `old` in a spec file of the project (which must hold it) by `new`."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, file: str, needle: str) -> int:
    """The first line of a spec file of the project that holds `needle`."""
    lines = (project / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def tiny_project(destination: Path, *extras: str) -> Path:
    """A throw-away copy of the tiny test project (tests/data/tiny): three units, one design per feature,
    small formats, with the repository's fonts. Each of `extras` names a folder of tests/data/ whose
    `specs/` is laid over the copy: its designs, images and tables are added, and a file of the same
    name (its units.yaml, its formats.yaml) replaces the tiny project's."""
    shutil.copytree(TINY / "specs", destination / "specs")
    for extra in extras:
        shutil.copytree(REPO / "tests" / "data" / extra / "specs", destination / "specs", dirs_exist_ok=True)
    shutil.copytree(REPO / "fonts", destination / "fonts")
    return destination


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return tiny_project(tmp_path / "tiny")


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def assets(*args: str, cwd: Path) -> Ran:
    """The CLI in this process (click's CliRunner), for tests where the process itself is not the point:
    the same exit code and words as `run_assets`, without starting Python and importing every library."""
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


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


def repository_files() -> dict[str, tuple[int, int]]:
    """Every file of the repository with its size and time of change, but the tests (a developer edits
    them while the suite runs), the compiled modules and the tools' dot-folders (.git, .venv, .pytest_cache,
    .hypothesis: the suite writes there): a command that writes, replaces or deletes a file of the project
    changes this."""
    files = {}
    for folder, subfolders, names in os.walk(REPO):
        here = Path(folder)
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name != "__pycache__"
                         and not (here == REPO and name == "tests")]
        for name in names:
            status = (here / name).stat()
            files[str((here / name).relative_to(REPO))] = (status.st_size, status.st_mtime_ns)
    return files


def built(tmp_path_factory, extra: str, selections: list[Selection]) -> tuple[Path, dict]:
    """The tiny project with tests/data/`extra` laid over it, the given parts built, and its manifest."""
    root = tiny_project(tmp_path_factory.mktemp(extra), extra)
    output = root / "output"
    for selection in selections:
        build(root, output, selection, workers=2)
    return output, json.loads((output / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def print_build(tmp_path_factory) -> tuple[Path, dict]:
    """The pano, stage backdrop and posters of the print project (tests/data/print) for its province and
    its district, built once for the session, one build per unit and channel (the manifest and the
    preflight report gather them); the project is the output's parent."""
    return built(tmp_path_factory, "print", [Selection(channel=channel, unit=unit)
                                             for unit in ("tinh", "huyen") for channel in ("pano", "posters")])


@pytest.fixture(scope="session")
def web_build(tmp_path_factory) -> tuple[Path, dict]:
    """The web and social banners and the QR notices of every unit of the web project (tests/data/web),
    built once for the session."""
    return built(tmp_path_factory, "web", [Selection(channel="web", design="web-banner"),
                                           Selection(channel="social", design="social"), Selection(channel="notices")])


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory) -> tuple[Path, Path, dict]:
    """The banners of every unit of tests/data/delivery (a province, four districts, their communes and
    townships) plus files of other channels (tests/other_channels.py), bundled and reported."""
    from assets_pipeline.delivery.bundles import bundle_all
    from assets_pipeline.delivery.report import write_report
    from tests.other_channels import add_other_channels

    output, _ = built(tmp_path_factory, "delivery", [Selection(channel="banners")])
    add_other_channels(output)
    bundle_all(output)
    write_report(output)
    return output.parent, output, json.loads((output / "manifest.json").read_text(encoding="utf-8"))


# With `-n` (pytest-xdist), each worker is a process of its own with its own session fixtures: the
# files that read one of the session's builds run on one worker, which builds it once, and every other
# file's tests stay together, for their module's fixtures; the few files of independent slow tests are
# shared out test by test.
SHARING = {"print-web": ("test_pdfx", "test_print_output", "test_print_pdf", "test_notices", "test_web_output"),
           "bundled": ("test_bundles", "test_download_page", "test_report")}
GROUP_OF = {f"tests/{name}.py": group for group, names in SHARING.items() for name in names}
ONE_BY_ONE = {"tests/test_benchmarks.py", "tests/test_incremental_oracle.py", "tests/test_build_engine.py",
              "tests/test_default_campaign.py"}


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedBuilds(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = nodeid.split("::", 1)[0]
            return nodeid if file in ONE_BY_ONE else GROUP_OF.get(file, file)

    return SharedBuilds(config, log)


# `make test-fast` leaves these out (`-m "not slow"`): the session's builds and the tests that read
# them, the default campaign's builds and checks, video, the browser, OCR, the fuzzers, the oracle and
# the benchmarks. What is left (the tiny project's builds and the unit tests) runs in a minute and still
# sees a broken clearance, a wrong manifest field or a content key missing an input.
SLOW_FIXTURES = {"built_once", "print_build", "web_build", "bundled_build", "documents_build", "build_2025",
                 "settings_of_campaign", "browser", "studio"}
SLOW_FILES = {"test_video", "test_download_page", "test_studio", "test_benchmarks", "test_fuzz", "test_fuzz_bytes",
              "test_incremental_oracle"}


# The longest groups are handed out first, so that no worker starts one when the others are done
# (their order measured with `PYTEST_ADDOPTS=--durations=0 make test`); the rest keep their order.
LONGEST_FIRST = ("tests/test_benchmarks.py", "tests/test_incremental_oracle.py", "tests/test_typography.py", "print-web",
                 "tests/test_default_campaign.py", "bundled", "tests/test_campaigns.py", "tests/test_hostile_input.py",
                 "tests/test_studio.py", "tests/test_bad_input.py", "tests/test_fuzz_bytes.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {group: index for index, group in enumerate(LONGEST_FIRST)}

    def place(item: pytest.Item) -> int:
        file = item.nodeid.split("::", 1)[0]
        return rank.get(GROUP_OF.get(file, file), len(rank))
    items.sort(key=place)  # stable: a file's tests keep their order
    for item in items:
        if item.path.stem in SLOW_FILES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
