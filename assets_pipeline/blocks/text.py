"""A text block: a slogan or a template, fitted into its box at the largest size that fits (textfit.py).

The preflight rules a placed text holds itself to:

- `glyphs` — every character has a glyph in its font (error).
- `safe-area` — its ink inside the format's safe area (error).
- `contrast` — WCAG 2.x contrast ratio between the text's colour and the colour under the centre of
  its ink: below 3:1 (WCAG AA for large text, the floor for any size) is an error; a text that is
  not large is held to the format's `min_contrast` (4.5:1 by default, WCAG AA for body text), and
  below it is a warning. "Large" is WCAG's large-scale text (18 pt, or 14 pt bold, read on a
  screen or a page at about 60 cm) carried to the format: on screen 24 px, or 18.7 px for a bold
  face; in print, the same angle at the format's viewing distance (an em of distance / 94, or
  distance / 121 for a bold face).
- `legibility` — print formats with a viewing distance: the cap height against it. The minimum we
  hold designs to is distance / 250, i.e. 100 mm of letter height per 25 m: the rule of the UK
  fire-safety sign guidance ("letters 100 mm tall to be read at 25 m"), itself a margin on the
  1-arc-minute acuity of normal sight. Below it is a warning. The bare limit, measured by the United
  States Sign Council with Penn State (1998: Helvetica capitals, black on white, daylight), is about
  1 inch per 29 feet, distance / 350: below that nobody reads the text from where the format says it
  is read, and it is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from assets_pipeline.blocks.base import NAME, PRIORITY, RASTER_GUARD_PX, SAFE_AREA_RULE, Area, BlockType, Checker, \
    FractionBox, Frame, Inspector, Item, Pen, ResolvedBlock, Resolver, inset
from assets_pipeline.blocks.textfit import FittedText, TextDoesNotFit, fit_text
from assets_pipeline.core.color import TRANSPARENT, contrast_ratio
from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.fonts import face
from assets_pipeline.core.geometry import PT_MM, PT_PER_MM, Box
from assets_pipeline.core.i18n import N_, _, ngettext
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
    accept: dict[Literal["legibility", "contrast"], Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict,
        description="Warnings of these rules known and accepted, each with why (`legibility: tên đơn vị dài nhất …`): "
                    "`assets check` lists them once with the reason, builds do not count them as warnings. An error "
                    "is never accepted.")

    @model_validator(mode="after")
    def _one_source(self) -> TextBlock:
        if (self.text is None) == (self.slogan is None):
            raise ValueError(_("give exactly one of 'text' or 'slogan'"))
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
            raise SpecError(_("the text is empty"), where)
        font_file, font_path = ctx.font_file(self.font)
        try:
            missing = face(font_path).missing(text)
        except SpecError as exc:
            raise SpecError(_("font '{font}': {problem}", font=self.font, problem=exc.message), ctx.where("font")) from None
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            raise SpecError(_("font '{font}' ({file}) has no glyph for {characters} in {text!r}", font=self.font,
                              file=font_file, characters=shown, text=text), where)
        if ctx.is_print:
            min_size, max_size = self.min_size_pt * PT_MM, self.max_size_pt * PT_MM
        else:
            min_size, max_size = self.min_size_px, self.max_size_px
        return ResolvedBlock(
            "text", self.box, self.area, ctx.color(self.color), where, text=text, slogan=slogan_id,
            font_path=font_path, align=self.align, valign=self.valign, max_lines=self.max_lines,
            line_height=self.line_height, line_gap_em=self.line_gap_em, min_size=min_size, max_size=max_size,
            name=self.name, priority=self.priority, accepted=tuple(sorted(self.accept.items())),
        )


LEGIBILITY_RATIO = 250  # viewing distance / cap height, at most (below: warning)
LEGIBILITY_LIMIT_RATIO = 350  # beyond this nobody reads it (below: error)
CONTRAST_FLOOR = 3.0
# WCAG 2.x large-scale text: 18 pt, or 14 pt bold, at a reading distance of about 60 cm
WCAG_LARGE_PT, WCAG_LARGE_BOLD_PT, WCAG_READING_MM = 18, 14, 600
BOLD_FACES = ("Bold", "ExtraBold", "Black", "Heavy")


@dataclass(frozen=True)
class TextItem(Item):
    text: str
    font_path: str
    color: str
    fitted: FittedText
    slogan: str | None
    where: Where | None = field(default=None, compare=False, repr=False)  # the block's line, for reports
    accepted: tuple[tuple[str, str], ...] = ()  # rule → why its warning is accepted (the block's `accept`)

    def draw(self, pen: Pen) -> None:
        pen.text(self)

    @property
    def ink(self) -> Box:
        return self.fitted.ink

    @property
    def texts(self) -> tuple[str, ...]:
        return (self.text,)

    def preflight(self, inspector: Inspector) -> None:
        """The rules of the module's docstring, in its order."""
        where = str(self.where)
        shown = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        missing = face(self.font_path).missing(self.text)
        if missing:
            inspector.report("glyphs", "error", where, N_("no glyph for {characters} in {text!r}"),
                             characters=", ".join(missing), text=shown)
        beyond = inspector.beyond_safe(self.fitted.ink)
        if beyond is not None:
            inspector.report("safe-area", "error", where, N_("{text!r} leaves the safe area ({beyond:.1f} {unit} beyond it)"),
                             text=shown, beyond=beyond, unit=inspector.unit)
        beneath = inspector.beneath(self)
        if beneath == TRANSPARENT:  # over whatever photo the frame is put on: no contrast can be promised
            inspector.report("contrast", "error", where, N_("{text!r} is set on the transparent background: put a "
                                                            "band of colour under it"), text=shown)
            return
        ratio = contrast_ratio(self.color, beneath)
        if ratio < CONTRAST_FLOOR:
            inspector.report("contrast", "error", where, N_("{text!r}: contrast {ratio:.2f}:1 below {minimum:g}:1"),
                             round(ratio, 2), CONTRAST_FLOOR, text=shown, ratio=ratio, minimum=CONTRAST_FLOOR)
        elif ratio < inspector.min_contrast and not is_large(inspector, self):
            inspector.report("contrast", self.warning("contrast"), where,
                             N_("{text!r}: contrast {ratio:.2f}:1 below {minimum:g}:1"), round(ratio, 2),
                             inspector.min_contrast, text=shown, ratio=ratio, minimum=inspector.min_contrast,
                             **self.because("contrast"))
        distance_m = inspector.viewing_distance_m if inspector.is_print else None
        if distance_m:
            distance_mm = distance_m * 1000
            cap_mm = face(self.font_path).ink("H").top * self.fitted.size
            limit, minimum = distance_mm / LEGIBILITY_LIMIT_RATIO, distance_mm / LEGIBILITY_RATIO
            measured = {"text": shown, "cap_mm": cap_mm, "distance_m": distance_m}
            if cap_mm < limit:
                inspector.report("legibility", "error", where,
                                 N_("{text!r}: cap height {cap_mm:.1f} mm at {distance_m:g} m, below the legibility "
                                    "limit {limit_mm:.1f} mm (distance / {ratio})"),
                                 round(cap_mm, 2), round(limit, 2), **measured, limit_mm=limit, ratio=LEGIBILITY_LIMIT_RATIO)
            elif cap_mm < minimum:
                inspector.report("legibility", self.warning("legibility"), where,
                                 N_("{text!r}: cap height {cap_mm:.1f} mm at {distance_m:g} m, below the minimum "
                                    "{limit_mm:.1f} mm (distance / {ratio})"),
                                 round(cap_mm, 2), round(minimum, 2), **measured, limit_mm=minimum, ratio=LEGIBILITY_RATIO,
                                 **self.because("legibility"))
            inspector.least("min_cap_height_mm", cap_mm, 1)
            inspector.note("viewing_distance_m", distance_m)
        inspector.least("min_contrast", ratio, 2)

    def warning(self, rule: str) -> str:
        """The level of a warning of `rule`: "accepted" when the block says why."""
        return "accepted" if rule in dict(self.accepted) else "warning"

    def because(self, rule: str) -> dict[str, str]:
        """The reason given for accepting `rule`'s warning, as the finding keeps it."""
        reasons = dict(self.accepted)
        return {"because": reasons[rule]} if rule in reasons else {}


def is_large(inspector: Inspector, item: TextItem) -> bool:
    """Large-scale text in WCAG's sense, carried to the format's pixels or viewing distance."""
    stem = Path(item.font_path).stem
    bold = stem.endswith(BOLD_FACES) and not stem.endswith("SemiBold")
    points = WCAG_LARGE_BOLD_PT if bold else WCAG_LARGE_PT
    if not inspector.is_print:
        return item.fitted.size >= points * 4 / 3  # CSS pixels: 1 pt = 4/3 px
    if not inspector.viewing_distance_m:
        return item.fitted.size >= points / PT_PER_MM
    em_mm_at_reading = points / PT_PER_MM
    return item.fitted.size >= em_mm_at_reading * inspector.viewing_distance_m * 1000 / WCAG_READING_MM


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
        reached = _("at most {size}", size=frame.size_name(exc.needed_size)) if exc.needed_size else _("no size")
        lines = exc.lines or block.max_lines
        raise SpecError(
            ngettext("text {text!r} does not fit its box in format '{format}': {reached} in {lines} line, below the "
                     "minimum {minimum} (make the box larger, allow more lines with max_lines, or lower the minimum size)",
                     "text {text!r} does not fit its box in format '{format}': {reached} in {lines} lines, below the "
                     "minimum {minimum} (make the box larger, allow more lines with max_lines, or lower the minimum size)",
                     lines, text=block.text, format=frame.format_id, reached=reached, lines=lines,
                     minimum=frame.size_name(block.min_size)),
            block.where) from None
    except OSError as exc:  # FreeType failing on a glyph of a damaged font
        raise SpecError(_("font {file} cannot draw {text!r}: {problem} (a damaged file?)", file=Path(block.font_path).name,
                          text=block.text, problem=exc), block.where) from None
    return TextItem(block.text, block.font_path, block.color, fitted, block.slogan, block.where, block.accepted)


BLOCK = BlockType("text", TextBlock, place, colors=lambda block: [block.color], rules=(
    ("legibility", N_("cap height >= viewing distance / {legibility_limit} (error), / {legibility_minimum} (warning)")),
    ("contrast", N_("WCAG ratio >= {contrast_floor} (error), >= format min_contrast (warning)")),
    SAFE_AREA_RULE,
    ("glyphs", N_("every character in its font (error)"))),
    rule_values=(("legibility_limit", LEGIBILITY_LIMIT_RATIO), ("legibility_minimum", LEGIBILITY_RATIO),
                 ("contrast_floor", CONTRAST_FLOOR)))
