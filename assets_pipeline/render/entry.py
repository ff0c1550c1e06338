"""What the manifest says of one file: one typed record, made by the engine and read by delivery.

The engine fills the fields every file has; a renderer returns the fields of its medium by name, and
a name the record does not know is an error at once, not a silent typo in `manifest.json`. Readers get
attributes that exist: a field a medium does not have is None, and is not written. Fields of a newer manifest that this
code does not know are kept in `extra` and written back unchanged.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Self

from assets_pipeline.core.i18n import _
from assets_pipeline.core.specmodel import SLUG


@dataclass(frozen=True)
class Entry:
    path: str  # relative to output/, forward slashes
    unit: str
    channel: str
    design: str | None = None
    variant: str | None = None
    format: str | None = None
    media: str = ""
    bytes: int = 0
    sha256: str = ""
    texts: list[str] | None = None  # every text on it, as set
    # a multi-page PDF made of several pieces' pages
    pages: int | None = None
    page_variants: list[str | None] | None = None
    # rasters and video
    px: list[int] | None = None
    encoded_px: list[int] | None = None
    fps: int | None = None
    duration_s: float | None = None
    frames: int | None = None
    slides: list[str] | None = None
    marquee_px_s: int | None = None
    # print PDFs
    trim_mm: list[float] | None = None
    bleed_mm: float | None = None
    scale: float | None = None
    user_unit: int | None = None
    color_space: str | None = None
    crop_marks_mm: float | None = None
    image_dpi: list[float] | None = None
    pdfx: str | None = None  # the PDF/X level: x-4 or x-1a
    output_intent: str | None = None  # the output condition it is made for (FOGRA39)
    ink_limit: float | None = None  # the most C+M+Y+K, in percent
    # web images
    palette_colors: int | None = None
    quality: int | None = None
    budget_kb: float | None = None
    within_budget: bool | None = None
    proof: bool | None = None  # a raster proof of a print piece, not a file to publish
    transparent: bool | None = None  # a PNG with an alpha channel (a transparent background)
    dpi: float | None = None  # a raster made for print: pixels per inch at the final size
    key: str | None = None  # the content key it was made with
    dropped: list[str] | None = None  # blocks left out for lack of room
    qr: list[str] | None = None  # what the QR codes on it say
    slide: str | None = None  # a video slide's still: the slide's name
    platforms: list[str] | None = None  # a video for social networks: the platforms it is posted on
    limits: dict[str, float | bool | None] | None = None  # and what they accept (specs' VideoLimits)
    extra: dict[str, Any] = field(default_factory=dict)  # fields of a newer manifest, kept as they were

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self | None:
        """The record of a manifest entry, or None when it lacks what every entry has."""
        if not isinstance(data, dict):
            return None
        fields = {k: v for k, v in data.items() if k in KNOWN}
        extra = {k: v for k, v in data.items() if k not in KNOWN} if len(fields) < len(data) else {}
        try:
            entry = cls(**fields, extra=extra)
        except TypeError:  # a field every entry has is missing
            return None
        text_fields = (entry.path, entry.unit, entry.channel, entry.media, entry.sha256)
        return entry if all(isinstance(v, str) for v in text_fields) and isinstance(entry.bytes, int) else None

    def as_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in FIELDS if f.name != "extra"}
        data = {k: v for k, v in data.items() if v is not None}
        return {**data, **self.extra}

    def but(self, **changes: Any) -> Entry:
        return dataclasses.replace(self, **changes)


FIELDS = dataclasses.fields(Entry)
KNOWN = frozenset(f.name for f in FIELDS) - {"extra"}  # a field named "extra" in a manifest stays in extra


HINTS = typing.get_type_hints(Entry)
SHA256 = re.compile(r"[0-9a-f]{64}")


def safe_relative_path(path: str) -> bool:
    """A forward-slash path that stays inside the folder it is relative to (no '/x', '..', 'C:')."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        return False
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return False
    return ":" not in parts[0] and posixpath.normpath(path) == path


def entry_problem(data: Any) -> str | None:
    """What is wrong with a manifest entry as read from the file (edited by hand, or of another tool),
    or None: every field this code reads has its type, the path stays inside output/, the unit is an
    id, the digest is one. Delivery and `verify` read nothing of an entry before this says None."""
    if not isinstance(data, dict):
        return _("is not an entry (a JSON object)")
    missing = [name for name in ("path", "unit", "channel", "media", "bytes", "sha256") if data.get(name) in (None, "")]
    if missing:
        return _("has no {keys}", keys=", ".join(missing))
    for name, hint in HINTS.items():
        if name in data and name != "extra" and not fits(data[name], hint):
            return _("field '{field}' is not of its type ({value!r})", field=name, value=str(data[name])[:60])
    if not safe_relative_path(data["path"]):
        return _("has an unsafe path {path!r}", path=data["path"][:200])
    if not re.fullmatch(SLUG, data["unit"]):
        return _("has a unit that is not an id {unit!r}", unit=data["unit"][:80])
    if not SHA256.fullmatch(data["sha256"]) or data["bytes"] < 0:
        return _("has no SHA-256 or size of a file")
    return None


def fits(value: Any, hint: Any) -> bool:
    """`value`, read from JSON, is of the type `hint` (str, int, float, bool, a list or a mapping of them,
    or None where the hint allows it)."""
    if isinstance(hint, types.UnionType):
        return any(fits(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if typing.get_origin(hint) is list:
        [item] = typing.get_args(hint)
        return isinstance(value, list) and all(fits(v, item) for v in value)
    if typing.get_origin(hint) is dict:
        key, item = typing.get_args(hint)
        return isinstance(value, dict) and all(fits(k, key) and fits(v, item) for k, v in value.items())
    if hint is bool:
        return isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)
