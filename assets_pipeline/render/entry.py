"""What the manifest says of one file: one typed record, made by the engine and read by delivery.

The engine fills the fields every file has; a renderer returns the fields of its medium by name, and
a name the record does not know is an error at once, not a silent typo in `manifest.json`. Readers get
attributes that exist: a field a medium does not have is None, and is not written. Fields of a newer manifest that this
code does not know are kept in `extra` and written back unchanged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Self


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
    dpi: float | None = None  # a raster made for print: pixels per inch at the final size
    key: str | None = None  # the content key it was made with
    dropped: list[str] | None = None  # blocks left out for lack of room
    qr: list[str] | None = None  # what the QR codes on it say
    slide: str | None = None  # a video slide's still: the slide's name
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
