"""A QR code (segno, error level H, never Micro QR, quiet zone of 4 modules), square and centred in its box."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, Frame, Item, Pen, \
    ResolvedBlock, Resolver
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.i18n import _
from assets_pipeline.core.qr import BadAddress, Symbol, check_url, module_size, smallest_module, symbol
from assets_pipeline.core.specmodel import SpecModel


class QrBlock(SpecModel):
    """A QR code (segno, error level H, never Micro QR, quiet zone of 4 modules), square and centred in its box."""

    type: Literal["qr"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox = Field(description="x, y, width, height as fractions of the area; the code is the largest square inside.")
    area: Area = "safe"
    url: str = Field(min_length=1, description="A Jinja2 template giving the http(s) address to encode.")
    color: str = Field(default="#000000", description="The dark modules: palette name or `#RRGGBB`.")
    background: str = Field(default="#FFFFFF", description="The light modules and the quiet zone.")

    def check(self, checker: Checker) -> None:
        checker.color("color", self.color)
        checker.color("background", self.background)
        checker.template("url", self.url)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        url = ctx.render("url", self.url)
        try:
            check_url(url)
        except BadAddress as exc:
            raise SpecError(_("QR code: {problem}", problem=exc), ctx.where("url")) from None
        return ResolvedBlock("qr", self.box, self.area, ctx.color(self.color), ctx.where(),
                             name=self.name, priority=self.priority, url=url, background=ctx.color(self.background))


@dataclass(frozen=True)
class QrItem(Item):
    box: Box  # the whole symbol, quiet zone included: a square
    module: float  # side of one module, in layout units
    symbol: Symbol
    color: str
    background: str

    @property
    def encoded(self) -> tuple[str, ...]:
        return (self.symbol.data,)

    def draw(self, pen: Pen) -> None:
        """The quiet zone, then one rectangle per run of dark modules: crisp edges for a scanner."""
        pen.rect(self.box, self.background)
        runs = []
        for row, column, length in self.symbol.dark_runs():
            runs.append(Box(self.box.x + column * self.module, self.box.y + row * self.module,
                            length * self.module, self.module))
        pen.rects(runs, self.color)


def place(block: ResolvedBlock, box: Box, frame: Frame) -> QrItem:
    """The largest QR code, quiet zone included, centred in `box`; on screen on whole pixels."""
    assert block.url is not None and block.background is not None
    code = symbol(block.url)
    pixels = not frame.is_print
    module = module_size(min(box.width, box.height), code, pixels)
    if module < smallest_module(pixels):
        least = smallest_module(pixels) * code.modules_with_quiet_zone
        raise SpecError(
            _("QR code for {url!r} does not fit its box in format '{format}': it needs {least:g} {unit} for {modules} "
              "modules with the quiet zone (make the box larger or the address shorter)", url=block.url,
              format=frame.format_id, least=least, unit=frame.unit_name, modules=code.modules_with_quiet_zone),
            block.where)
    side = module * code.modules_with_quiet_zone
    x, y = box.x + (box.width - side) / 2, box.y + (box.height - side) / 2
    if pixels:
        x, y = float(round(x)), float(round(y))
    return QrItem(Box(x, y, side, side), module, code, block.color, block.background)


def colors(block: ResolvedBlock) -> list[str]:
    assert block.background is not None
    return [block.color, block.background]


BLOCK = BlockType("qr", QrBlock, place, colors=colors)
