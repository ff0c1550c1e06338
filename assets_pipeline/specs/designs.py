"""The design files as typed models: blocks, layouts per format, variants and video sections."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from assets_pipeline.specs.models import SLUG, SpecModel

# ---------------------------------------------------------------- designs

Box = tuple[
    Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)],
    Annotated[float, Field(gt=0, le=1)], Annotated[float, Field(gt=0, le=1)],
]
Area = Literal["safe", "trim", "bleed"]


PRIORITY = Field(default=None, ge=0, le=1000,
                 description="May drop out when the format is too small for every block: lower numbers drop "
                             "first. No priority: the block always stays, and a text that cannot fit is an error.")
NAME = Field(default=None, pattern=SLUG, description="What the build calls the block when it drops it.")


class RectBlock(SpecModel):
    type: Literal["rect"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: Box = Field(description="x, y, width, height as fractions of the area.")
    area: Area = Field(default="safe", description="What `box` is a fraction of.")
    color: str = Field(description="Palette name or `#RRGGBB`.")


class TextBlock(SpecModel):
    type: Literal["text"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: Box = Field(description="x, y, width, height as fractions of the area.")
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
    min_size_pt: float = Field(default=6, gt=0, description="Smallest font size on print formats.")
    max_size_pt: float = Field(default=2000, gt=0, description="Largest font size on print formats.")
    min_size_px: float = Field(default=9, gt=0, description="Smallest font size on screen formats.")
    max_size_px: float = Field(default=1000, gt=0, description="Largest font size on screen formats.")

    @model_validator(mode="after")
    def _one_source(self) -> "TextBlock":
        if (self.text is None) == (self.slogan is None):
            raise ValueError("give exactly one of 'text' or 'slogan'")
        return self


class ImageBlock(SpecModel):
    type: Literal["image"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: Box = Field(description="x, y, width, height as fractions of the area; the image fits inside it.")
    area: Area = "safe"
    file: str = Field(min_length=1, description="A PNG or JPEG under specs/, e.g. `images/emblem.png`.")
    align: Literal["left", "center", "right"] = "center"
    valign: Literal["top", "middle", "bottom"] = "middle"


class QrBlock(SpecModel):
    """A QR code (segno, error level H, never Micro QR, quiet zone of 4 modules), square and centred in its box."""

    type: Literal["qr"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: Box = Field(description="x, y, width, height as fractions of the area; the code is the largest square inside.")
    area: Area = "safe"
    url: str = Field(min_length=1, description="A Jinja2 template giving the http(s) address to encode.")
    color: str = Field(default="#000000", description="The dark modules: palette name or `#RRGGBB`.")
    background: str = Field(default="#FFFFFF", description="The light modules and the quiet zone.")


class StackBlock(SpecModel):
    """Blocks that share a box in a row or a column ("magic resize"): when the format is too small for all
    of them, the lowest-priority member drops out and the others take its share."""

    type: Literal["stack"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: Box = Field(description="x, y, width, height as fractions of the area.")
    area: Area = "safe"
    direction: Literal["column", "row"] = "column"
    gap: float = Field(default=0.0, ge=0, lt=1, description="Space between members, a fraction of the stack's length.")
    shares: list[Annotated[float, Field(gt=0)]] | None = Field(
        default=None, description="Relative length of each member (default: equal).")
    blocks: list[Annotated[Union[RectBlock, TextBlock, ImageBlock, QrBlock, "StackBlock"], Field(discriminator="type")]] = Field(
        min_length=1, description="Members in order, top to bottom or left to right (stacks may nest); their "
                                  "`box` is a fraction of their share of the stack.")

    @model_validator(mode="after")
    def _shares_match(self) -> "StackBlock":
        if self.shares is not None and len(self.shares) != len(self.blocks):
            raise ValueError(f"'shares' has {len(self.shares)} values for {len(self.blocks)} blocks")
        return self


StackBlock.model_rebuild()
Block = Annotated[Union[RectBlock, TextBlock, ImageBlock, QrBlock, StackBlock], Field(discriminator="type")]


class When(SpecModel):
    min_aspect: float | None = Field(default=None, gt=0, description="Width / height at least this.")
    max_aspect: float | None = Field(default=None, gt=0, description="Width / height below this.")

    def matches(self, aspect: float) -> bool:
        return ((self.min_aspect is None or aspect >= self.min_aspect)
                and (self.max_aspect is None or aspect < self.max_aspect))


class Layout(SpecModel):
    name: str = Field(pattern=SLUG)
    when: When = Field(default_factory=When, description="Which formats this arrangement is for.")
    background: str = Field(description="Palette name or `#RRGGBB`, over the whole bleed area.")
    blocks: list[Block] = Field(min_length=1, description="Drawn in order; later blocks on top.")


class UnitSelector(SpecModel):
    kinds: list[Literal["province", "district", "commune"]] | None = None
    slugs: list[Annotated[str, Field(pattern=SLUG)]] | None = None


class Variant(SpecModel):
    slogan: str | None = Field(default=None, description="Slogan id this variant carries, or `headline`: the "
                                                         "campaign's headline slogan, whatever the year.")
    vars: dict[str, str] = Field(default_factory=dict, description="Free values for templates: `variant.vars.X`.")


class Design(SpecModel):
    title: str = Field(min_length=1)
    formats: list[Annotated[str, Field(pattern=SLUG)]] = Field(min_length=1)
    units: UnitSelector = Field(default_factory=UnitSelector, description="Default: every unit.")
    media: list[Literal["pdf", "png", "jpeg", "mp4"]] = Field(default=["pdf", "png"], min_length=1)
    variants: dict[Annotated[str, Field(pattern=SLUG)], Variant] = Field(default_factory=dict)
    variants_from: Literal["procedures", "slogans"] | None = Field(
        default=None, description="`procedures`: one variant per row of specs/procedures.csv for the unit "
                                  "(templates see `procedure.code`, `.name`, `.url`, `.sample`); `slogans`: "
                                  "one variant per campaign slogan, its id the slogan's id (`variant.slogan`).")
    combine_pdf: bool = Field(default=False, description="Also write one multi-page PDF per unit and format, "
                                                         "every variant a page (variant `tat-ca`).")
    layouts: list[Layout] = Field(min_length=1, description="The first whose `when` matches is used.")
    video: "Video | None" = Field(
        default=None, description="Makes the design a video: its slides (layouts by name), transitions and marquee.")

    @model_validator(mode="after")
    def _variants_given(self) -> "Design":
        if bool(self.variants) == (self.variants_from is not None):
            raise ValueError("give either 'variants' or 'variants_from'")
        return self


# ---------------------------------------------------------------- video designs

class Transition(SpecModel):
    type: Literal["cut", "crossfade", "push"] = Field(description="How this slide gives way to the next.")
    duration_s: float = Field(default=0.0, ge=0, le=10)
    direction: Literal["left", "right", "up", "down"] = Field(
        default="left", description="For `push`: the way both slides move.")

    @model_validator(mode="after")
    def _timed(self) -> "Transition":
        if self.type != "cut" and self.duration_s <= 0:
            raise ValueError(f"a {self.type} needs a duration_s above 0")
        return self


class Slide(SpecModel):
    name: str | None = Field(default=None, pattern=SLUG,
                             description="Names the slide's PNG still; default: its slogan's id.")
    layout: str = Field(pattern=SLUG, description="The layouts of this name; the first whose `when` matches.")
    slogan: str | None = Field(
        default=None, description="A slogan id, seen by templates as `slide.slogan`; `headline`: the campaign's "
                                  "headline slogan; `each`: the slide is repeated for every campaign slogan, "
                                  "each copy named by its slogan's id.")
    share: float = Field(default=1.0, gt=0, le=100, description="Its part of the loop, relative to the others.")
    transition: Transition = Field(
        default_factory=lambda: Transition(type="cut"),
        description="Into the next slide; the last slide's leads into the first, closing the loop.")

    @model_validator(mode="after")
    def _named(self) -> "Slide":
        if self.name is None and self.slogan is None:
            raise ValueError("a slide without a slogan needs a 'name'")
        if self.name is not None and self.slogan == "each":
            raise ValueError("a slide repeated for each slogan is named by its slogan: drop 'name'")
        return self


class Marquee(SpecModel):
    """A line of text (chữ chạy) running right to left in a band along the bottom."""

    text: str | None = Field(default=None, description="A Jinja2 template.")
    slogan: str | None = Field(default=None, description="Or an official slogan id.")
    font: str
    color: str
    background: str = Field(description="The band's colour.")
    height: float = Field(gt=0, le=0.5, description="The band's height as a fraction of the panel's shorter side.")
    speed_px_s: float = Field(gt=0, le=5000, description="Travel in panel pixels per second.")
    speed_px_s_by_format: dict[str, Annotated[float, Field(gt=0, le=5000)]] = Field(
        default_factory=dict, description="Format id → px/s, for panels whose text is fewer pixels tall.")
    gap_em: float = Field(default=3.0, ge=0.5, le=50, description="Least space between two passes of the text.")
    separator: str | None = Field(default=None, description="Drawn in the middle of the gap, e.g. `•`.")
    min_size_px: float = Field(default=9, gt=0)
    max_size_px: float = Field(default=1000, gt=0)

    @model_validator(mode="after")
    def _one_source(self) -> "Marquee":
        if (self.text is None) == (self.slogan is None):
            raise ValueError("give exactly one of 'text' or 'slogan'")
        return self


class Video(SpecModel):
    slides: list[Slide] = Field(min_length=1, description="Played in order, looping.")
    marquee: Marquee | None = None


Design.model_rebuild()
