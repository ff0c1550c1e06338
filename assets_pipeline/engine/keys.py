"""Content keys: a job's file is up to date when the key it was made with has not changed.

A key covers everything that can change the bytes: the resolved job (texts, sizes, colours, the
format), the files it reads (fonts, images: every `*_path` field, a block type's own data included), the
medium, the code of the package itself and of any block type or medium registered from outside it, and
the libraries that draw and encode (Pillow with its FreeType, HarfBuzz and raqm, reportlab, the bundled
ffmpeg with x264, …): an upgrade of any of them renders again what it may draw differently.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import importlib.util
import re
from pathlib import Path
from typing import Any

import assets_pipeline
from assets_pipeline.blocks import BLOCK_TYPES
from assets_pipeline.core.files import content_digest
from assets_pipeline.core.media import MEDIA, code_module

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


def extensions_fingerprint() -> str:
    """The block types and media registered from outside the package, by name and by the code of their
    modules ("" when there are none): what the package's own fingerprint cannot see."""
    modules = {f.__module__ for block_type in BLOCK_TYPES.values() for f in (block_type.model, block_type.place)
               if f is not None}
    modules.update(code_module(c) for medium in MEDIA.values() for c in (medium.render, medium.name_suffix)
                   if c is not None)
    outside = tuple(sorted(m for m in modules if m != "assets_pipeline" and not m.startswith("assets_pipeline.")))
    return _extensions_digest(tuple(sorted(BLOCK_TYPES)), tuple(sorted(MEDIA)), outside) if outside else ""


@functools.lru_cache(maxsize=8)
def _extensions_digest(block_types: tuple[str, ...], media: tuple[str, ...], modules: tuple[str, ...]) -> str:
    digest = hashlib.sha256(" ".join(block_types + media).encode())
    for module in modules:
        digest.update(f"\n{module}\n".encode())
        try:
            spec = importlib.util.find_spec(module)
            if spec is not None and spec.origin is not None:
                digest.update(Path(spec.origin).read_bytes())
        except (ImportError, ValueError, OSError):  # made without a file: its name alone
            pass
    return digest.hexdigest()


# the distributions whose code draws, shapes, breaks lines, encodes or compresses a file's bytes
DRAWING_LIBRARIES = ("pillow", "reportlab", "pikepdf", "pypdfium2", "segno", "underthesea", "underthesea-core",
                     "numpy", "imageio-ffmpeg", "fonttools")
# Pillow's parts that draw: the same Pillow version can be built against other libraries
PILLOW_FEATURES = ("freetype2", "raqm", "harfbuzz", "fribidi", "littlecms2", "libjpeg_turbo", "jpg", "zlib",
                   "zlib_ng", "webp")


@functools.lru_cache(maxsize=1)
def distribution_versions() -> str:
    """The installed version of each drawing library (read in milliseconds: `assets all`'s stamp holds it too)."""
    versions = []
    for name in DRAWING_LIBRARIES:
        try:
            versions.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}=none")
    return " ".join(versions)


@functools.lru_cache(maxsize=1)
def library_versions() -> str:
    """Every library version that can change a rendered file's bytes: the distributions, the
    libraries Pillow was built with, and the ffmpeg binary actually run (it can be set apart from
    imageio-ffmpeg's own by IMAGEIO_FFMPEG_EXE)."""
    import imageio_ffmpeg
    from PIL import features

    built_with = " ".join(f"{name}={features.version(name)}" for name in PILLOW_FEATURES)
    return f"{distribution_versions()} {built_with} ffmpeg={imageio_ffmpeg.get_ffmpeg_version()}"


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


def job_keys(job: Any, media: list[str], base: str | None = None) -> dict[str, str]:
    """Each medium's key (from the job's `job_key`, if the caller has it). The same for the same job
    wherever the project lies: files count by name and content, not by where they are."""
    base = base if base is not None else job_key(job)
    return {m: hashlib.sha256(f"{base}:{m}".encode()).hexdigest()[:32] for m in media}


def job_key(job: Any) -> str:
    """What every medium of a job is drawn from: the job as resolved, its files' content, the
    drawing code and libraries."""
    files = sorted(set(input_files(job)), key=len, reverse=True)
    described = repr(job)
    for path in files:
        described = described.replace(path, Path(path).name)
    digest = hashlib.sha256()
    digest.update(f"{assets_pipeline.__version__}\n{code_fingerprint()}\n{library_versions()}\n{described}\n".encode())
    extensions = extensions_fingerprint()
    if extensions:
        digest.update(f"extensions:{extensions}\n".encode())
    for path in sorted(files):
        digest.update(f"{Path(path).name}:{file_digest(path)}\n".encode())
    return digest.hexdigest()


def preflight_key(job: Any, base: str | None = None) -> str:
    """What a piece's preflight findings depend on: its content (`job_key`, given or computed), and
    where its blocks and data row stand in the specs (a finding names the line; moving a line changes
    no file, but the finding)."""
    places = [str(place) for place in _places(job)]
    return hashlib.sha256(f"{base if base is not None else job_key(job)}\n{places}".encode()).hexdigest()[:32]


def _places(value: Any) -> list[Any]:
    """Every `where` and `row` (spec file:line) in a job, depth first."""
    found: list[Any] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, (list, tuple)):
            pending.extend(reversed(item))
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            for name in ("where", "row"):
                place = getattr(item, name, None)
                if place is not None and not callable(place):
                    found.append(place)
            pending.extend(reversed([getattr(item, name) for name in _fields(type(item))[1]]))
    return found


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Every module and template, and the drawing libraries: for what is made after the build
    (bundles, proof sheets, the report)."""
    digest = hashlib.sha256(distribution_versions().encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".j2"}:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def modules_fingerprint(*modules: str) -> str:
    """Some modules of the package (paths under it) and the drawing libraries: for a cache of what
    only those modules draw, such as thumbnails."""
    digest = hashlib.sha256(distribution_versions().encode())
    for module in modules:
        digest.update(module.encode())
        digest.update((PACKAGE / module).read_bytes())
    return digest.hexdigest()
