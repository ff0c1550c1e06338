"""What every block type shares, and what it asks of the stages that use it.

A block type knows its spec model, what to check in it (`Checker`), how to resolve it for one
piece (`Resolver`), how to place it in its box (`Frame`), how its placed item is drawn (`Pen`) and
which preflight rules the item holds itself to (`Inspector`). The stages implement these small
protocols: specs checks, plan resolves, layout places and preflights, each medium draws. So a block
type lives in one module and no stage asks which type an item is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol
from collections.abc import Callable

from pydantic import Field

from assets_pipeline.core.errors import Where
from assets_pipeline.core.geometry import PT_MM, Box
from assets_pipeline.core.i18n import N_, _
from assets_pipeline.core.specmodel import SLUG

if TYPE_CHECKING:
    from assets_pipeline.blocks.image import ImageItem
    from assets_pipeline.blocks.text import TextItem

FractionBox = tuple[
    Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)],
    Annotated[float, Field(gt=0, le=1)], Annotated[float, Field(gt=0, le=1)],
]
Area = Literal["safe", "trim", "bleed"]
PRIORITY = Field(default=None, ge=0, le=1000,
                 description="May drop out when the format is too small for every block: lower numbers drop "
                             "first. No priority: the block always stays, and a text that cannot fit is an error.")
NAME = Field(default=None, pattern=SLUG, description="What the build calls the block when it drops it.")

# FreeType's hinting may move a glyph's edge by up to a pixel on screen formats: keep text that far in.
RASTER_GUARD_PX = 1.0


@dataclass(frozen=True)
class ResolvedBlock:
    """A block of one job with its text and colour final; sizes in the format's unit (mm or px)."""

    kind: str  # the block type's name: "rect", "text", …
    box: tuple[float, float, float, float]
    area: str
    color: str  # palette name resolved to #RRGGBB
    where: Where = field(repr=False, compare=False)  # for errors only: moving a line changes no output
    text: str | None = None
    slogan: str | None = None  # the slogan id, when the text is an official slogan
    font_path: str | None = None
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom", "spread"] = "middle"
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
    members: tuple[ResolvedBlock, ...] = ()  # a stack's blocks
    direction: str = "column"
    gap: float = 0.0
    shares: tuple[float, ...] = ()
    accepted: tuple[tuple[str, str], ...] = ()  # a text's accepted warnings: rule → why
    # a type's own values, where the fields above do not hold them: a frozen dataclass of the type's
    # module; its `*_path` fields are the files the block reads, which content keys cover (engine/keys.py)
    data: Any = None

    @property
    def label(self) -> str:
        """What the build calls this block when it drops it. The manifest records it as it is, in English
        (a build's files never change with the reader's language); `label_shown` says it to the reader."""
        return self.name or f"{self.kind} block at line {self.where.line}"


_UNNAMED = re.compile(r"(\w+) block at line (\d+)")


def label_shown(label: str) -> str:
    """A dropped block's label (`ResolvedBlock.label`) in the reader's language."""
    unnamed = _UNNAMED.fullmatch(label)
    return _("{kind} block at line {line}", kind=unnamed[1], line=unnamed[2]) if unnamed else label


class Checker(Protocol):
    """Checks a block's references against the campaign; each problem is said at the block's `key`."""

    def color(self, key: str, name: str) -> None: ...
    def font(self, key: str, font_id: str) -> None: ...
    def template(self, key: str, source: str) -> None: ...
    def slogan(self, key: str, slogan_id: str) -> None: ...
    def image(self, key: str, file: str) -> None: ...
    def indicator(self, key: str, indicator_id: str) -> None: ...


class Resolver(Protocol):
    """One block of one piece: its templates rendered, its colours, fonts and files found."""

    is_print: bool

    def where(self, *key: Any) -> Where: ...
    def render(self, key: str, source: str) -> str: ...
    def color(self, name: str) -> str: ...
    def slogan(self, key: str, slogan_id: str) -> str: ...
    def font_file(self, font_id: str) -> tuple[str, str]: ...
    def spec_file(self, file: str) -> str: ...
    def member(self, index: int, block: Any) -> ResolvedBlock: ...
    def results(self) -> Any: ...  # the piece's unit's results (plan/resolve.py UnitResults)


@dataclass(frozen=True)
class Frame:
    """What placing a block needs to know of its piece's format."""

    format_id: str
    is_print: bool
    unit_name: str  # "mm" or "px"
    keep_together: tuple[str, ...]  # what no line may break inside

    def size_name(self, size: float) -> str:
        return f"{size / PT_MM:.0f} pt" if self.is_print else f"{size:.0f} px"


class Pen(Protocol):
    """A medium's drawing primitives, in layout units; items draw themselves with them."""

    def rect(self, box: Box, color: str) -> None: ...
    def rects(self, boxes: list[Box], color: str) -> None: ...
    def ring(self, box: Box, color: str, width: float) -> None: ...  # a band `width` of the circle in `box`
    def text(self, item: TextItem) -> None: ...
    def image(self, item: ImageItem) -> None: ...


class Inspector(Protocol):
    """What an item's preflight rules see of its piece, and where they say what they found
    (layout/preflight.py). Lengths are in the layout's unit."""

    unit: str  # "mm" or "px"
    is_print: bool
    viewing_distance_m: float | None  # how far a print piece is read from, if its format says
    min_contrast: float  # WCAG ratio the format asks of text that is not large
    min_image_dpi: float | None  # least effective resolution of a placed image at final size

    def beneath(self, item: Item) -> str: ...  # the colour the item sits on
    def beyond_safe(self, box: Box) -> float | None: ...  # how far `box` leaves the safe area; None: inside

    def report(self, rule: str, level: str, where: str, message: str, measured: float | None = None,
               required: float | None = None, **values: Any) -> None: ...
    # `message` is English with named placeholders, marked with N_ (core/i18n.py); `values` fill them
    # (numbers and strings: a finding is kept on disk) when the finding is read, in the reader's language

    def least(self, measure: str, value: float, digits: int) -> None: ...  # the piece's smallest value, rounded
    def note(self, measure: str, value: Any) -> None: ...  # a fact the piece's measures show with them


class Item:
    """A placed block, as layout, preflight, the renderers and the studio ask of it. An item type is a
    frozen dataclass deriving from this; it draws itself and overrides what applies to it."""

    box: Box  # where it is drawn

    def draw(self, pen: Pen) -> None:
        raise NotImplementedError

    @property
    def ink(self) -> Box:
        """Where its marks are: what the colour beneath it is taken under, and where the studio points."""
        return self.box

    @property
    def fill(self) -> str | None:
        """A colour it covers its whole box with, which what is drawn after it sits on."""
        return None

    @property
    def texts(self) -> tuple[str, ...]:
        """The texts it places, as placed (the manifest's `texts`)."""
        return ()

    @property
    def encoded(self) -> tuple[str, ...]:
        """What its codes say when scanned (the manifest's `qr`)."""
        return ()

    def preflight(self, inspector: Inspector) -> None:
        """Its preflight rules (the type's `rules`), said to `inspector`."""


# a rule of two item types, said once in the report
SAFE_AREA_RULE = ("safe-area", N_("text ink and images inside the safe area (error)"))


@dataclass(frozen=True)
class BlockType:
    """One block type in the registry: its spec model (a model whose `type` is `Literal[name]`), how a
    resolved block is placed (into an `Item`), the colours it prints (each needs a CMYK value in a CMYK
    format), and the preflight rules its items apply (rule → what it holds, for the report: English marked
    with N_, its placeholders filled from `rule_values`)."""

    name: str
    model: type
    place: Callable[[ResolvedBlock, Box, Frame], Item] | None  # None: a container, placed by layout
    colors: Callable[[ResolvedBlock], list[str]] = lambda block: []
    raster: bool = False  # placed pixels, which a CMYK format converts
    rules: tuple[tuple[str, str], ...] = ()
    rule_values: tuple[tuple[str, float], ...] = ()  # (name, value): the placeholders of `rules`' descriptions


def inset(box: Box, by: float) -> Box:
    return Box(box.x + by, box.y + by, max(box.width - 2 * by, by), max(box.height - 2 * by, by))
