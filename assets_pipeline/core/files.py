"""Input files known by what they hold: caches keyed by a file's content digest, so a font or an image
replaced while a process runs (`assets watch`) is read again, and a content key never records a new
file beside pixels drawn from the old one."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.lru_cache(maxsize=4096)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def content_digest(path: str | Path) -> str:
    """The SHA-256 of the file's bytes, read again whenever its size or time changes."""
    stat = Path(path).stat()
    return _digest(str(path), stat.st_size, stat.st_mtime_ns)
