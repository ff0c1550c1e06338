"""A bar chart of the campaign's results (the results infographic): one bar per unit under the piece's
unit (the districts of the province, the communes of a district), for one indicator, largest first; each
bar with the unit's name before it and its figure after it (1.234, as Vietnamese writes numbers). With
fewer than two such units in specs/ket-qua.csv there is nothing to compare, and it draws nothing.

A column of rows, each a row of three members (blocks/stack.py): the name, the bar (a rect as long as
the value's share of the largest), the figure; names and figures are fitted like any text.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, ResolvedBlock, Resolver
from assets_pipeline.blocks.rect import RectBlock
from assets_pipeline.blocks.text import TextBlock
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.fonts import face
from assets_pipeline.core.i18n import _
from assets_pipeline.core.specmodel import SLUG, SpecModel
from assets_pipeline.core.vietnamese import grouped

SHARES = (0.38, 0.46, 0.16)  # of a row: the name, the bar's room, the figure


class ChartBlock(SpecModel):
    type: Literal["chart"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    indicator: str = Field(pattern=SLUG, description="The indicator of specs/indicators.yaml the bars show.")
    box: FractionBox = Field(description="x, y, width, height as fractions of the area.")
    area: Area = Field(default="safe", description="What `box` is a fraction of.")
    color: str = Field(description="Palette name or `#RRGGBB` of the bars.")
    text_color: str = Field(description="Of the names and figures.")
    font: str = Field(description="Font id of the names and figures.")
    max_bars: int = Field(default=10, ge=2, le=30, description="The most bars drawn: the largest values.")

    def check(self, checker: Checker) -> None:
        checker.indicator("indicator", self.indicator)
        checker.color("color", self.color)
        checker.color("text_color", self.text_color)
        checker.font("font", self.font)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        results = ctx.results()
        bars = sorted(((results.value(self.indicator, u.slug) or 0, index, u) for index, u in enumerate(results.children())),
                      key=lambda bar: (-bar[0], bar[1]))[:self.max_bars]
        if results.indicator(self.indicator) is None:
            raise SpecError(_("indicator '{id}' is not in specs/indicators.yaml", id=self.indicator), ctx.where("indicator"))
        if len(bars) < 2:  # nothing to compare (a district whose communes' results are not in): no chart
            return ResolvedBlock("stack", self.box, self.area, "", ctx.where(), name=self.name)
        largest = max(value for value, _index, _unit in bars) or 1
        # every name and figure at one size, though each is fitted on its own: each takes the part of its
        # row's height its ink takes of the tallest's (a name with a descender, Hang, or a mark, Hóa, is
        # taller), on one baseline, and the part of the width its advance takes of the widest's
        font = face(ctx.font_file(self.font)[1])
        texts = [(bar_name(unit), grouped(value)) for value, _index, unit in bars]
        inks = [font.ink(text) for pair in texts for text in pair]
        top, bottom = max(ink.top for ink in inks), max(ink.bottom for ink in inks)
        # one size for names and figures alike: the widest of either fills 90 % of its part of the row
        ems = min(0.9 * SHARES[0] / max(font.advance(name) for name, _figure in texts),
                  0.9 * SHARES[2] / max(font.advance(figure) for _name, figure in texts))

        def placed(text: str, column: int) -> tuple[float, float, float, float]:
            ink, width = font.ink(text), ems * font.advance(text) / SHARES[2 * column]
            y, height = 0.1 + 0.8 * (top - ink.top) / (top + bottom), 0.8 * (ink.top + ink.bottom) / (top + bottom)
            return (0.96 - width if column == 0 else 0.06), y, width, height

        rows = []
        for (value, _index, _unit), (name, figure) in zip(bars, texts):
            members = (TextBlock(type="text", text=name, box=placed(name, 0), font=self.font, color=self.text_color,
                                 align="right"),
                       RectBlock(type="rect", box=(0, 0.18, max(value / largest, 0.004), 0.64), color=self.color)
                       if value else None,  # nothing: no bar
                       TextBlock(type="text", text=figure, box=placed(figure, 1), font=self.font, color=self.text_color,
                                 align="left"))
            rows.append(ResolvedBlock("stack", (0, 0, 1, 1), "safe", "", ctx.where(), direction="row", gap=0.0,
                                      shares=SHARES, members=tuple(
                                          ctx.member(i, m) if m is not None else ResolvedBlock("stack", (0, 0, 1, 1),
                                                                                               "safe", "", ctx.where())
                                          for i, m in enumerate(members))))
        return ResolvedBlock("stack", self.box, self.area, "", ctx.where(), name=self.name, priority=self.priority,
                             members=tuple(rows), direction="column", gap=0.12 / len(rows), shares=(1.0,) * len(rows))


def bar_name(unit: Any) -> str:  # a specs Unit
    """A bar's unit by its own name, a city or a town marked as one (TP. Tuyên Quang, under tỉnh Tuyên Quang)."""
    return {"thành phố": "TP. ", "thị xã": "TX. "}.get(unit.level or "", "") + unit.short_name


BLOCK = BlockType("chart", ChartBlock, None)
