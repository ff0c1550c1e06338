"""Input files known by what they hold: caches keyed by a file's content digest, so a font or an image
replaced while a process runs (`assets watch`) is read again, and a content key never records a new
file beside pixels drawn from the old one. And where a file named in a spec really is."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from assets_pipeline.core.errors import SpecError


def resolved(path: Path) -> Path:
    """`path` with its links followed; links that lead round in a loop are a SpecError (without a place:
    the caller says which spec line named the file)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop: RuntimeError in Python 3.11, OSError (ELOOP) later
        raise SpecError(f"'{path.name}' is a link that leads round in a loop") from None


@functools.lru_cache(maxsize=4096)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def content_digest(path: str | Path) -> str:
    """The SHA-256 of the file's bytes, read again whenever its size or time changes."""
    stat = Path(path).stat()
    return _digest(str(path), stat.st_size, stat.st_mtime_ns)
