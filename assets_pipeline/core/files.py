"""Input files known by what they hold: caches keyed by a file's content digest, so a font or an image
replaced while a process runs (`assets watch`) is read again, and a content key never records a new
file beside pixels drawn from the old one. And where a file named in a spec really is."""

from __future__ import annotations

import functools
import hashlib
import time
from pathlib import Path

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _


def resolved(path: Path) -> Path:
    """`path` with its links followed; links that lead round in a loop are a SpecError (without a place:
    the caller says which spec line named the file)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop: RuntimeError in Python 3.11, OSError (ELOOP) later
        raise SpecError(_("'{name}' is a link that leads round in a loop", name=path.name)) from None


@functools.lru_cache(maxsize=4096)
def _digest(path: str, stamp: tuple[int, ...]) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_stamp(stat) -> tuple[int, ...]:
    """What changes whenever a file's bytes do. Size and modification time alone can be kept by a
    copy (`cp -p`, an unzip, a sync) or set back by hand; the change time (ctime) cannot be set at
    all, and a file replaced by another has another inode."""
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


# a file written this recently may be written again within one tick of the file system's clock,
# keeping every time in its stamp: it is read every time until then (git's "racy" files)
RACY_NS = 2_000_000_000


def content_digest(path: str | Path) -> str:
    """The SHA-256 of the file's bytes, read again whenever it may have changed (file_stamp)."""
    stat = Path(path).stat()
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NS:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return _digest(str(path), file_stamp(stat))
