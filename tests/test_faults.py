"""Faults of the machine: a disk that fills up mid-build and a read-only output folder, on a real small
file system (tmpfs). Each is one line and exit 1, never a traceback; what landed stays recorded; the
next command after the fault is fixed finishes the job. On the tiny project (tests/data/tiny)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from assets_pipeline.engine.output import read_manifest
from tests.conftest import assets, snapshot, tiny_project

DISK_KB = 6000  # the tiny project's whole output is about 2.8 MB: a filler leaves it less


def mount(folder: Path, *options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)], check=True,
                   capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """The tiny project whose output/ is a file system of DISK_KB kB."""
    project = tiny_project(tmp_path / "tiny")
    output = project / "output"
    output.mkdir()
    try:
        mount(output, f"size={DISK_KB}k")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN); CI runs as root")
    try:
        yield project
    finally:
        subprocess.run(["umount", "-l", str(output)], check=False)


def fill(output: Path, leave_kb: int) -> Path:
    """A file taking all but `leave_kb` kB of the disk."""
    disk = os.statvfs(output)
    path = output / ".filler"
    path.write_bytes(b"\0" * max(0, disk.f_bavail * disk.f_frsize - leave_kb * 1024))
    return path


def unit_files(output: Path) -> dict[str, str]:
    return {path: digest for path, digest in snapshot(output).items() if path.split("/")[0] in ("tinh", "huyen", "xa")}


def one_line(stderr: str, said: str) -> str:
    assert "Traceback" not in stderr, stderr
    [line] = [row for row in stderr.splitlines() if said in row]
    return line


def test_a_disk_full_mid_build_keeps_what_landed_recorded_and_the_next_build_finishes(small_disk: Path, tmp_path: Path):
    output = small_disk / "output"
    filler = fill(output, leave_kb=1000)
    full = assets("build", "-j", "1", cwd=small_disk)
    assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr
    failed = [row for row in full.stderr.splitlines() if row.startswith("failed: ")]
    assert failed and all("cannot write: the disk is full" in row for row in failed), full.stderr
    landed = unit_files(output)
    listed = {entry["path"]: entry["sha256"] for entry in read_manifest(output)["assets"]}
    assert landed and listed == landed  # every file that landed is recorded, and nothing else
    assert not list(output.rglob(".*.tmp"))

    filler.unlink()
    again = assets("build", "-j", "1", cwd=small_disk)
    assert again.returncode == 0, again.stderr
    clean = tiny_project(tmp_path / "clean")
    assert assets("build", "-j", "1", cwd=clean).returncode == 0
    assert unit_files(output) == unit_files(clean / "output")  # the job finished, byte for byte


def test_a_disk_full_while_bundling_is_one_line_and_the_old_bundles_stay(small_disk: Path):
    output = small_disk / "output"
    assert assets("build", "-j", "1", "--unit", "huyen", "--only", "banners", cwd=small_disk).returncode == 0
    assert assets("bundle", cwd=small_disk).returncode == 0
    before = snapshot(output / "bundles")
    assert assets("build", "-j", "1", "--unit", "huyen", "--only", "web", cwd=small_disk).returncode == 0
    filler = fill(output, leave_kb=8)
    done = assets("bundle", cwd=small_disk)
    assert done.returncode == 1
    one_line(done.stderr, "cannot write: the disk is full")
    assert snapshot(output / "bundles") == before and not list(output.rglob(".*.tmp"))
    filler.unlink()
    assert assets("bundle", cwd=small_disk).returncode == 0


def test_a_read_only_output_folder_is_one_line_for_every_command(small_disk: Path):
    output = small_disk / "output"
    assert assets("build", "-j", "1", "--unit", "huyen", "--only", "banners", cwd=small_disk).returncode == 0
    assert assets("bundle", cwd=small_disk).returncode == 0
    assert assets("build", "-j", "1", "--unit", "huyen", "--only", "web", cwd=small_disk).returncode == 0
    before = snapshot(output)  # with bundles and a report to make again
    (small_disk / "specs" / "units.yaml").write_text(
        (small_disk / "specs" / "units.yaml").read_text(encoding="utf-8").replace("huyện Đồi Núi", "huyện Đồi Núi Mới"),
        encoding="utf-8")
    subprocess.run(["mount", "-o", "remount,ro", str(output)], check=True)
    try:
        for command in (("build", "-j", "1", "--unit", "huyen", "--only", "banners"), ("bundle",), ("report",)):
            done = assets(*command, cwd=small_disk)
            assert done.returncode == 1, (command, done.stderr)
            one_line(done.stderr, "cannot write: the folder is read-only")
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(output)], check=True)
    assert snapshot(output) == before
    assert assets("build", "-j", "1", "--unit", "huyen", "--only", "banners", "--deliver", cwd=small_disk).returncode == 0
