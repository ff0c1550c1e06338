"""A big figure of the campaign's results with its label under it (the results infographic, mục
III.4.1.a: "gắn với những kết quả cụ thể"): the piece's unit's total of one indicator, written as
Vietnamese writes numbers (1.234), fitted like any text (its marks keep their clearance, no word breaks).

It is two text blocks in a column (blocks/stack.py): the figure on one line, the label on up to
`label_lines`; both come from specs/ket-qua.csv and specs/indicators.yaml, never typed in the design.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, ResolvedBlock, Resolver
from assets_pipeline.blocks.text import TextBlock
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.fonts import face
from assets_pipeline.core.i18n import _
from assets_pipeline.core.specmodel import SLUG, SpecModel
from assets_pipeline.core.vietnamese import grouped


class FigureBlock(SpecModel):
    type: Literal["figure"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    indicator: str = Field(pattern=SLUG, description="The indicator of specs/indicators.yaml whose total it shows.")
    label: str | None = Field(default=None, description="What the figure counts, a template; default: the "
                                                        "indicator's name.")
    box: FractionBox = Field(description="x, y, width, height as fractions of the area.")
    area: Area = Field(default="safe", description="What `box` is a fraction of.")
    color: str = Field(description="Palette name or `#RRGGBB` of the figure.")
    label_color: str | None = Field(default=None, description="Of the label; default: the figure's colour.")
    font: str = Field(description="Font id of the figure.")
    label_font: str = Field(description="Font id of the label.")
    label_lines: int = Field(default=2, ge=1, le=4)
    share: float = Field(default=0.62, gt=0.2, lt=0.9, description="The figure's part of the box's height.")
    align: Literal["left", "center", "right"] = "center"
    digits: int = Field(default=6, ge=1, le=12, description="The longest figure expected, in digits: every figure "
                                                            "of a design is set at the size this many digits take, "
                                                            "so that 133 and 21.798 side by side are one size.")

    def check(self, checker: Checker) -> None:
        checker.indicator("indicator", self.indicator)
        checker.color("color", self.color)
        if self.label_color is not None:
            checker.color("label_color", self.label_color)
        checker.font("font", self.font)
        checker.font("label_font", self.label_font)
        if self.label is not None:
            checker.template("label", self.label)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        results = ctx.results()
        indicator, value = results.indicator(self.indicator), results.value(self.indicator)
        if indicator is None or value is None:
            raise SpecError(_("no result of '{id}' for {unit} in specs/ket-qua.csv", id=self.indicator,
                              unit=results.unit.shown), ctx.where("indicator"))
        figure = grouped(value)
        label = ctx.render("label", self.label) if self.label is not None else (
            f"đơn vị đã triển khai {indicator.name[0].lower()}{indicator.name[1:]}" if indicator.type == "yes-no"
            else indicator.name)
        # a figure takes the width it would among `digits` digits (grouped: 888.888), so that it is fitted at the
        # size of the longest expected, whatever its own length
        font = face(ctx.font_file(self.font)[1])
        width = min(1.0, font.advance(figure) / font.advance(grouped(10 ** self.digits - 1).replace("9", "8")))
        left = {"left": 0.0, "center": (1 - width) / 2, "right": 1 - width}[self.align]
        members = (TextBlock(type="text", text=figure, box=(left, 0, width, 1), font=self.font, color=self.color,
                             align=self.align, max_lines=1),
                   TextBlock(type="text", text=label, box=(0, 0, 1, 1), font=self.label_font,
                             color=self.label_color or self.color, align=self.align, max_lines=self.label_lines,
                             valign="top"))
        return ResolvedBlock("stack", self.box, self.area, "", ctx.where(), name=self.name, priority=self.priority,
                             members=tuple(ctx.member(i, m) for i, m in enumerate(members)), direction="column",
                             gap=0.03, shares=(self.share, 1 - self.share))


BLOCK = BlockType("figure", FigureBlock, None)
