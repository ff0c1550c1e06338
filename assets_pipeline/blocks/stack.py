"""Blocks that share a box in a row or a column ("magic resize"): when the format is too small for all
of them, the lowest-priority member drops out and the others take its share (layout/resize.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator

from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, ResolvedBlock, Resolver
from assets_pipeline.core.i18n import _
from assets_pipeline.core.specmodel import SpecModel

if TYPE_CHECKING:
    from assets_pipeline.blocks import Block


class StackBlock(SpecModel):
    """Blocks that share a box in a row or a column ("magic resize"): when the format is too small for all
    of them, the lowest-priority member drops out and the others take its share."""

    type: Literal["stack"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox = Field(description="x, y, width, height as fractions of the area.")
    area: Area = "safe"
    direction: Literal["column", "row"] = "column"
    gap: float = Field(default=0.0, ge=0, lt=1, description="Space between members, a fraction of the stack's length.")
    shares: list[Annotated[float, Field(gt=0)]] | None = Field(
        default=None, description="Relative length of each member (default: equal).")
    blocks: list[Block] = Field(
        min_length=1, description="Members in order, top to bottom or left to right (stacks may nest); their "
                                  "`box` is a fraction of their share of the stack.")

    @model_validator(mode="after")
    def _shares_match(self) -> StackBlock:
        if self.shares is not None and len(self.shares) != len(self.blocks):
            raise ValueError(_("'shares' has {values} values for {blocks} blocks", values=len(self.shares),
                               blocks=len(self.blocks)))
        return self

    def check(self, checker: Checker) -> None:
        pass  # its members are checked one by one

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        members = tuple(ctx.member(index, member) for index, member in enumerate(self.blocks))
        return ResolvedBlock("stack", self.box, self.area, "", ctx.where(), name=self.name, members=members,
                             direction=self.direction, gap=self.gap,
                             shares=tuple(self.shares or [1.0] * len(self.blocks)))


BLOCK = BlockType("stack", StackBlock, None)
