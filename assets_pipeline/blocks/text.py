"""A text block: a slogan or a template, fitted into its box at the largest size that fits (textfit.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from assets_pipeline.blocks.base import NAME, PRIORITY, RASTER_GUARD_PX, Area, BlockType, Checker, FractionBox, \
    Frame, Pen, ResolvedBlock, Resolver, inset
from assets_pipeline.blocks.textfit import FittedText, TextDoesNotFit, fit_text
from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.fonts import face
from assets_pipeline.core.geometry import PT_MM, Box
from assets_pipeline.core.specmodel import SpecModel


class TextBlock(SpecModel):
    type: Literal["text"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox = Field(description="x, y, width, height as fractions of the area.")
    area: Area = "safe"
    text: str | None = Field(default=None, description="A Jinja2 template, e.g. `Ủy ban nhân dân {{ unit.name }}`.")
    slogan: str | None = Field(
        default=None, description="An official slogan id (may be a template, e.g. `{{ variant.slogan }}`).")
    font: str = Field(description="A font id from the campaign.")
    color: str = Field(description="Palette name or `#RRGGBB`.")
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom", "spread"] = Field(
        default="middle", description="`spread` shares spare height between the lines (tall formats).")
    max_lines: int = Field(default=1, ge=1, le=12)
    line_height: float = Field(
        default=1.15, ge=0.8, le=3,
        description="Least baseline distance in ems; lines move further apart where their ink needs it.")
    line_gap_em: float = Field(
        default=0.08, ge=0.08, le=1,
        description="Least gap in ems between the ink of two consecutive lines (marks, dots, descenders), "
                    "in every direction; 0.08 keeps Vietnamese marks from touching the line above.")
    if_empty: Literal["error", "skip"] = Field(
        default="error", description="A template that renders empty is an error, or (`skip`) a line a data row "
                                     "may leave out (the second line of a signer's title).")
    min_size_pt: float = Field(default=6, gt=0, description="Smallest font size on print formats.")
    max_size_pt: float = Field(default=2000, gt=0, description="Largest font size on print formats.")
    min_size_px: float = Field(default=9, gt=0, description="Smallest font size on screen formats.")
    max_size_px: float = Field(default=1000, gt=0, description="Largest font size on screen formats.")

    @model_validator(mode="after")
    def _one_source(self) -> TextBlock:
        if (self.text is None) == (self.slogan is None):
            raise ValueError("give exactly one of 'text' or 'slogan'")
        return self

    def check(self, checker: Checker) -> None:
        checker.color("color", self.color)
        checker.font("font", self.font)
        for key in ("text", "slogan"):
            source = getattr(self, key)
            if source is not None:
                checker.template(key, source)
        if self.slogan is not None and "{" not in self.slogan:
            checker.slogan("slogan", self.slogan)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        key = "slogan" if self.slogan is not None else "text"
        where = ctx.where(key)
        rendered = ctx.render(key, getattr(self, key))
        slogan_id = rendered if key == "slogan" else None
        text = ctx.slogan(key, rendered) if key == "slogan" else rendered
        if not text.strip() and self.if_empty == "skip":
            return ResolvedBlock("stack", self.box, self.area, "", where, name=self.name)  # holds nothing: draws nothing
        if not text:
            raise SpecError("the text is empty", where)
        font_file, font_path = ctx.font_file(self.font)
        try:
            missing = face(font_path).missing(text)
        except SpecError as exc:
            raise SpecError(f"font '{self.font}': {exc.message}", ctx.where("font")) from None
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            raise SpecError(f"font '{self.font}' ({font_file}) has no glyph for {shown} in {text!r}", where)
        if ctx.is_print:
            min_size, max_size = self.min_size_pt * PT_MM, self.max_size_pt * PT_MM
        else:
            min_size, max_size = self.min_size_px, self.max_size_px
        return ResolvedBlock(
            "text", self.box, self.area, ctx.color(self.color), where, text=text, slogan=slogan_id,
            font_path=font_path, align=self.align, valign=self.valign, max_lines=self.max_lines,
            line_height=self.line_height, line_gap_em=self.line_gap_em, min_size=min_size, max_size=max_size,
            name=self.name, priority=self.priority,
        )


@dataclass(frozen=True)
class TextItem:
    text: str
    font_path: str
    color: str
    fitted: FittedText
    slogan: str | None
    where: Where | None = field(default=None, compare=False, repr=False)  # the block's line, for reports

    def draw(self, pen: Pen) -> None:
        pen.text(self)


def place(block: ResolvedBlock, box: Box, frame: Frame) -> TextItem:
    """The text at the largest size that fits `box`; a text that cannot fit is a SpecError at its line."""
    assert block.text is not None and block.font_path is not None
    if not frame.is_print:
        box = inset(box, RASTER_GUARD_PX)
    try:
        fitted = fit_text(block.text, face(block.font_path), box, max_lines=block.max_lines,
                          min_size=block.min_size, max_size=block.max_size, line_height=block.line_height,
                          align=block.align, valign=block.valign, keep_together=frame.keep_together,
                          line_gap_em=block.line_gap_em)
    except TextDoesNotFit as exc:
        reached = f"at most {frame.size_name(exc.needed_size)}" if exc.needed_size else "no size"
        raise SpecError(
            f"text {block.text!r} does not fit its box in format '{frame.format_id}': {reached} in "
            f"{exc.lines or block.max_lines} line(s), below the minimum {frame.size_name(block.min_size)} "
            f"(make the box larger, allow more lines with max_lines, or lower the minimum size)",
            block.where) from None
    except OSError as exc:  # FreeType failing on a glyph of a damaged font
        raise SpecError(f"font {Path(block.font_path).name} cannot draw {block.text!r}: {exc} (a damaged file?)",
                        block.where) from None
    return TextItem(block.text, block.font_path, block.color, fitted, block.slogan, block.where)


BLOCK = BlockType("text", TextBlock, place, colors=lambda block: [block.color])
