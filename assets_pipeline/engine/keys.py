"""Content keys: a job's file is up to date when the key it was made with has not changed.

A key covers everything that can change the bytes: the resolved job (texts, sizes, colours, the
format), the files it reads (fonts, images), the medium, and the code of the package itself.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from pathlib import Path
from typing import Any

import assets_pipeline
from assets_pipeline.core.files import content_digest

PACKAGE = Path(assets_pipeline.__file__).resolve().parent


# The stages that decide what is drawn: a change in any of them may change a file's bytes, so it
# re-renders what it made. The engine, delivery, the designer's tools and the CLI come after the
# drawing and never count.
DRAWING_STAGES = ("core", "blocks", "specs", "plan", "layout", "render")


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The package's drawing code: a changed renderer re-renders what it made."""
    digest = hashlib.sha256()
    for stage in DRAWING_STAGES:
        for path in sorted((PACKAGE / stage).rglob("*.py")):
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def file_digest(path: str | Path) -> str:
    return content_digest(path)  # the digest the fonts and images were loaded by


_ATOMS = (str, int, float, bool, type(None))
# a field annotated with these names only (`str | None`, `tuple[float, ...]`) never holds a file
_PLAIN = re.compile(r"(?:\b(?:str|int|float|bool|None|tuple|list)\b|[\s\[\],.|])*")


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A dataclass's `*_path` fields, and its other fields that may hold more."""
    fields = dataclasses.fields(kind)
    return (tuple(f.name for f in fields if f.name.endswith("_path")),
            tuple(f.name for f in fields if not f.name.endswith("_path")
                  and not (isinstance(f.type, str) and _PLAIN.fullmatch(f.type))))


def input_files(value: Any) -> list[str]:
    """Files a job reads: every `*_path` field found anywhere in it."""
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind in _ATOMS:
            continue
        if isinstance(item, (list, tuple)):
            pending.extend(item)
        elif dataclasses.is_dataclass(kind):
            paths, others = _fields(kind)
            for name in paths:
                path = getattr(item, name)
                if isinstance(path, str):
                    found.append(path)
                else:
                    pending.append(path)
            pending.extend(getattr(item, name) for name in others)
    return found


def job_keys(job: Any, media: list[str]) -> dict[str, str]:
    """Each medium's key. The same for the same job wherever the project lies: files count by
    name and content, not by where they are."""
    files = sorted(set(input_files(job)), key=len, reverse=True)
    described = repr(job)
    for path in files:
        described = described.replace(path, Path(path).name)
    digest = hashlib.sha256()
    digest.update(f"{assets_pipeline.__version__}\n{code_fingerprint()}\n{described}\n".encode())
    for path in sorted(files):
        digest.update(f"{Path(path).name}:{file_digest(path)}\n".encode())
    base = digest.hexdigest()
    return {m: hashlib.sha256(f"{base}:{m}".encode()).hexdigest()[:32] for m in media}


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Every module and template: for what is made after the build (bundles, proof sheets)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2"}:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
