"""A Job: one design × unit × variant × format, with every block resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assets_pipeline.blocks.base import Frame, ResolvedBlock
from assets_pipeline.core.color import CMYK
from assets_pipeline.core.errors import Where
from assets_pipeline.core.press import Press
from assets_pipeline.specs.models import Format


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
    press: Press | None = None  # the press a CMYK print file is made for (profile, intent, ink limit, PDF/X level)
    slide: str | None = None  # a video's slide, for its still: `NN-name`
    clip: Any = None  # a video's slides, transitions and marquee (video.Clip)
    document: Any = None  # a flowing document's resolved texts (plan/documents.py)
    row: Where | None = field(default=None, compare=False, repr=False)  # the data row (CSV line) the variant comes from

    @property
    def channel(self) -> str:
        return self.format.channel

    @property
    def stem(self) -> str:
        slide = f"-{self.slide}" if self.slide else ""
        return f"{self.design}-{self.variant}{slide}__{self.format_id}"

    def describe(self) -> str:
        return f"{self.unit}/{self.channel}/{self.stem}"

    @property
    def frame(self) -> Frame:
        """What placing a block needs to know of this piece's format."""
        return Frame(self.format_id, self.format.is_print, self.format.unit_name, self.keep_together)
