"""A filled rectangle: a band of colour behind text, a bar, a frame's edge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, Frame, Item, Pen, \
    ResolvedBlock, Resolver
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.specmodel import SpecModel


class RectBlock(SpecModel):
    type: Literal["rect"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox = Field(description="x, y, width, height as fractions of the area.")
    area: Area = Field(default="safe", description="What `box` is a fraction of.")
    color: str = Field(description="Palette name or `#RRGGBB`.")

    def check(self, checker: Checker) -> None:
        checker.color("color", self.color)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        return ResolvedBlock("rect", self.box, self.area, ctx.color(self.color), ctx.where(),
                             name=self.name, priority=self.priority)


@dataclass(frozen=True)
class Fill(Item):
    box: Box
    color: str

    def draw(self, pen: Pen) -> None:
        pen.rect(self.box, self.color)

    @property
    def fill(self) -> str:
        return self.color


def place(block: ResolvedBlock, box: Box, frame: Frame) -> Fill:
    return Fill(box, block.color)


BLOCK = BlockType("rect", RectBlock, place, colors=lambda block: [block.color])
