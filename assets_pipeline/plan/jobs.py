"""A Job: one design × unit × variant × format, with every block resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assets_pipeline.core.color import CMYK
from assets_pipeline.core.errors import Where
from assets_pipeline.specs.models import Format

PT_MM = 25.4 / 72


@dataclass(frozen=True)
class ResolvedBlock:
    """A block of one job with its text and colour final; sizes in the format's unit (mm or px)."""

    kind: str  # "rect" or "text"
    box: tuple[float, float, float, float]
    area: str
    color: str  # palette name resolved to #RRGGBB
    where: Where = field(repr=False, compare=False)  # for errors only: moving a line changes no output
    text: str | None = None
    slogan: str | None = None  # the slogan id, when the text is an official slogan
    font_path: str | None = None
    align: str = "center"
    valign: str = "middle"
    max_lines: int = 1
    line_height: float = 1.15
    line_gap_em: float = 0.08
    min_size: float = 0.0
    max_size: float = 0.0
    image_path: str | None = None  # an image block's file, resolved under specs/
    name: str | None = None
    priority: int | None = None  # None: never dropped
    url: str | None = None  # a QR code's data
    background: str | None = None  # a QR code's light modules
    members: tuple["ResolvedBlock", ...] = ()  # a stack's blocks
    direction: str = "column"
    gap: float = 0.0
    shares: tuple[float, ...] = ()

    @property
    def label(self) -> str:
        """What the build calls this block when it drops it."""
        return self.name or f"{self.kind} block at line {self.where.line}"


@dataclass(frozen=True)
class Job:
    """One piece of artwork: rendered once, written in each of `media`."""

    design: str
    variant: str
    unit: str
    format_id: str
    format: Format
    media: tuple[str, ...]
    layout: str
    background: str
    blocks: tuple[ResolvedBlock, ...]
    keep_together: tuple[str, ...]
    # the print value of every colour the job uses, for CMYK formats: (#RRGGBB, (c, m, y, k) in 0…1)
    cmyk: tuple[tuple[str, CMYK], ...] = ()
    slide: str | None = None  # a video's slide, for its still: `NN-name`
    clip: Any = None  # a video's slides, transitions and marquee (video.Clip)

    @property
    def channel(self) -> str:
        return self.format.channel

    @property
    def stem(self) -> str:
        slide = f"-{self.slide}" if self.slide else ""
        return f"{self.design}-{self.variant}{slide}__{self.format_id}"

    def describe(self) -> str:
        return f"{self.unit}/{self.channel}/{self.stem}"
