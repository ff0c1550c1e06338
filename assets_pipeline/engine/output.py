"""The output tree: where files go, how they are written (atomically), and the manifest."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator

from assets_pipeline import __version__
from assets_pipeline.core.errors import SpecError, Where, display_path
from assets_pipeline.core.i18n import _
from assets_pipeline.render.entry import Entry

MANIFEST = "manifest.json"
ROOM = ".manifest.room.tmp"  # see ManifestRoom; a killed build's goes with the other temporaries
LOCK_POLL_S = 0.2
LOCK_WORD_EVERY_S = 10.0  # then 20, 40, … s


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """A temporary path beside `final`; renamed over it only when the block succeeds.

    A reader never sees a half-written file under a final name, whatever happens mid-write.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    try:
        yield temporary
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except OSError as exc:
        if exc.filename is not None:
            raise
        raise OSError(exc.errno, exc.strerror, str(final)) from exc  # a write to a handle names no file: this one
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes(final: Path, data: bytes) -> None:
    with atomic_path(final) as temporary:
        temporary.write_bytes(data)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(output: Path) -> dict[str, Any] | None:
    """The last build's manifest, or None when there is none. One that is there but cannot be read is
    an error, never taken for none: the guard of one campaign per folder, and the removal of files no
    longer made, both rest on it."""
    path = output / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise SpecError(_("cannot be read as a manifest ({problem}): move it aside, or delete {folder} to build afresh",
                          problem=exc, folder=output), Where(display_path(path, Path.cwd()))) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("assets"), list):
        raise SpecError(_("is not a manifest of this tool (no list of assets): move it aside, or delete {folder} to "
                          "build afresh", folder=output), Where(display_path(path, Path.cwd())))
    return manifest


def write_manifest(output: Path, record: dict[str, Any], assets: list[Entry]) -> None:
    """The one place manifest entries are written; `record` is the build's record for delivery
    (engine/build_record.py), with the campaign first."""
    manifest = {
        "campaign": record["campaign"],
        "generator": {"name": "assets_pipeline", "version": __version__},
        **{k: v for k, v in record.items() if k != "campaign"},
        "assets": [entry.as_json() for entry in sorted(assets, key=lambda a: a.path)],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_bytes(output / MANIFEST, text.encode("utf-8"))


class ManifestRoom:
    """Disk space held for the manifest while files are rendered: when the disk fills up mid-build, the
    files that landed are still recorded (the room is let go, and the manifest written into it), and
    the next build renders only what is missing."""

    def __init__(self, output: Path, size: int):
        self.path = output / ROOM
        try:
            with open(self.path, "wb") as handle:
                os.posix_fallocate(handle.fileno(), 0, max(size, 1))
        except OSError:  # no room even for this: the files' own writes will say so
            self.release()

    def release(self) -> None:
        self.path.unlink(missing_ok=True)

    def write(self, output: Path, record: dict[str, Any], assets: list[Entry]) -> None:
        try:
            write_manifest(output, record, assets)
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or not self.path.exists():
                raise
            self.release()
            write_manifest(output, record, assets)


def inside(output: Path, relative: str) -> Path | None:
    """The file `relative` names under `output`, or None if it would leave it (a link leading out, or
    round in a loop)."""
    try:
        path = (output / relative).resolve()
    except (OSError, RuntimeError):  # a loop: RuntimeError in Python 3.11, OSError (ELOOP) later
        return None
    return path if path.is_relative_to(output.resolve()) else None


def links_leaving(output: Path) -> list[str]:
    """Folders under `output` (relative paths) that are links leading outside it: nothing may be written or
    read through them. Files that are links need no look here: a file is replaced by renaming (the link
    goes, not what it points to), and every file read is first resolved with `inside`."""
    found = []
    for folder, names, _files in os.walk(output):
        for name in names:
            path = Path(folder, name)
            if path.is_symlink() and inside(output, str(path.relative_to(output))) is None:
                found.append(str(path.relative_to(output)))
    return sorted(found)


@contextlib.contextmanager
def output_lock(output: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """One build at a time per output folder: a second one waits for the first to finish.

    The lock is taken on the folder itself (flock on its descriptor), so a build that stops at a
    bad spec leaves no lock file behind; a folder made just for the build goes again if it stays empty.
    """
    created = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        _lock(descriptor, output, on_wait or (lambda message: None))
        yield
    finally:
        os.close(descriptor)  # releases the lock
        if created and not any(output.iterdir()):
            output.rmdir()


def _lock(descriptor: int, output: Path, say: Callable[[str], None]) -> None:
    """Take the folder's lock, saying who holds it and, every so often, how long this build has waited."""
    started = time.monotonic()
    next_word = 0.0
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        waited = time.monotonic() - started
        if waited >= next_word:
            holder = lock_holder(descriptor)
            who = _("process {pid} ({command})", pid=holder[0], command=holder[1]) if holder else _("another build")
            say(_("{who} is writing {folder}; waiting for it to finish", who=who, folder=output)
                + (" " + _("(waited {seconds:.0f} s)", seconds=waited) if waited >= 1 else ""))
            next_word = max(LOCK_WORD_EVERY_S, next_word * 2)
        time.sleep(LOCK_POLL_S)


def lock_holder(descriptor: int) -> tuple[int, str] | None:
    """The process holding the flock on this descriptor's file, from /proc/locks (Linux), with its command."""
    stat = os.fstat(descriptor)
    inode = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5] == inode and parts[4].isdigit():
            pid = int(parts[4])
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                command = "?"
            return pid, " ".join(command.split()[:4]) or "?"
    return None


def remove_temporaries(output: Path) -> None:
    """Temporary files of a build that was killed (they never carry a final name)."""
    for path in output.rglob(".*.tmp"):
        path.unlink(missing_ok=True)
