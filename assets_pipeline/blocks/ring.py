"""A ring: a band of colour round a clear middle, as on a profile-picture frame."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, Frame, Item, Pen, \
    ResolvedBlock, Resolver
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.specmodel import SpecModel


class RingBlock(SpecModel):
    type: Literal["ring"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox = Field(description="x, y, width, height as fractions of the area: the ring is the largest "
                                         "circle centred in it.")
    area: Area = Field(default="safe", description="What `box` is a fraction of.")
    color: str = Field(description="Palette name or `#RRGGBB`.")
    width: float = Field(gt=0, le=0.5, description="The band's width, as a fraction of the circle's diameter "
                                                   "(0.5: a full disc).")

    def check(self, checker: Checker) -> None:
        checker.color("color", self.color)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        return ResolvedBlock("ring", self.box, self.area, ctx.color(self.color), ctx.where(), name=self.name,
                             priority=self.priority, data=RingData(self.width))


@dataclass(frozen=True)
class RingData:
    width: float


@dataclass(frozen=True)
class Ring(Item):
    box: Box  # the circle's square
    color: str
    width: float  # of the diameter

    def draw(self, pen: Pen) -> None:
        pen.ring(self.box, self.color, self.width)


def place(block: ResolvedBlock, box: Box, frame: Frame) -> Ring:
    side = min(box.width, box.height)
    square = Box(box.x + (box.width - side) / 2, box.y + (box.height - side) / 2, side, side)
    return Ring(square, block.color, block.data.width)


BLOCK = BlockType("ring", RingBlock, place, colors=lambda block: [block.color])
