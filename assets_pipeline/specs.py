"""The spec files as typed models: campaign, units, formats and designs.

Validation happens in two passes. Pydantic checks each file's shape and types; `load_specs` then
checks the references between files (slogan, format, font and colour ids). Both report
`file:line: message`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import pydantic
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from assets_pipeline import templating
from assets_pipeline.campaigns import HEADLINE, RESERVED_SLOGAN_IDS, campaign_file, slides_for, spec_file
from assets_pipeline.fonts import face
from assets_pipeline.errors import ErrorList, SpecError, Where, display_path
from assets_pipeline.limits import LIMITS
from assets_pipeline.procedures import FILE as PROCEDURES_FILE, Procedure, load_procedures
from assets_pipeline.yamlsource import Document, load

# An id that becomes part of a file name: lower-case ASCII, digits and '-', and never a name that
# Windows refuses as a file whatever its extension (con, nul, com1, …).
SLUG = r"^(?!(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$)[a-z0-9][a-z0-9-]{0,62}$"
HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


def did_you_mean(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (known: {', '.join(known)})" if known else ""


class SpecModel(BaseModel):
    """Base of every spec model: unknown keys are errors that suggest the nearest known key."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=LIMITS.max_template_chars,
                              regex_engine="python-re")

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = [f.alias or name for name, f in cls.model_fields.items()]
            for key in data:
                if key not in known:
                    raise PydanticCustomError(
                        "unknown_key",
                        "unknown key '{key}'" + did_you_mean(str(key), known).replace("{", "{{").replace("}", "}}"),
                        {"key": key},
                    )
        return data


# ---------------------------------------------------------------- campaign

class Period(SpecModel):
    start: dt.date = Field(description="First day of the campaign.")
    end: dt.date = Field(description="Last day of the campaign.")

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise ValueError("period ends before it starts")
        return self


class Event(SpecModel):
    title: str = Field(min_length=1, description="The event's name as printed, e.g. on a stage backdrop.")
    date: dt.date
    place: str = Field(min_length=1, description="Where it is held, as printed.")
    host: str = Field(min_length=1, description="The body that organises it (đơn vị chủ trì).")


CMYKPercent = tuple[Annotated[float, Field(ge=0, le=100)], Annotated[float, Field(ge=0, le=100)],
                    Annotated[float, Field(ge=0, le=100)], Annotated[float, Field(ge=0, le=100)]]


class Campaign(SpecModel):
    id: str = Field(pattern=SLUG, description="Short id of the campaign, e.g. `cds-2022-tuyen-quang`.")
    title: str = Field(min_length=1, description="The day's title as printed.")
    year: int = Field(ge=2000, le=2100)
    province: str = Field(min_length=1, description="The province running the campaign.")
    issuer: str = Field(min_length=1, description="The authority that issues the plan.")
    period: Period
    slogans: dict[str, str] = Field(
        min_length=1, description="Official slogans: id → exact text. Designs name them by id only.")
    texts: dict[str, str] = Field(
        default_factory=dict, description="Other campaign texts available to templates as `campaign.texts.ID`.")
    phrases: list[str] = Field(
        default_factory=list,
        description="Compound words that no line may break inside, e.g. `chuyển đổi số` "
                    "(Vietnamese puts a space between the syllables of one word).")
    palette: dict[str, Annotated[str, Field(pattern=HEX_COLOR)]] = Field(
        min_length=1, description="Named colours (`#RRGGBB`), used by designs by name.")
    fonts: dict[str, str] = Field(
        min_length=1, description="Named fonts: id → TrueType file under `fonts/`.")
    cmyk: dict[str, CMYKPercent] = Field(
        default_factory=dict, description="Print values of palette colours: name → [C, M, Y, K] in percent.")
    cmyk_from_rgb: Literal["none", "full-gcr"] = Field(
        default="none", description="How a print colour without a `cmyk` value is converted "
                                    "(see assets_pipeline/print_color.py); `none` makes it an error.")
    events: dict[Annotated[str, Field(pattern=SLUG)], Event] = Field(
        default_factory=dict, description="Events the campaign prints for: id → title, date, place, host.")
    report_before: dt.date | None = Field(
        default=None, description="Each unit reports what it produced before this date (`assets report`).")
    report_to: str | None = Field(
        default=None, min_length=1, description="The office the results report goes to.")
    headline: str | None = Field(
        default=None, description="The slogan id shown where a design has room for one slogan only (designs "
                                  "write `slogan: headline`); default: the first slogan.")
    units: str = Field(
        default="units.yaml", min_length=1, description="The units file of this campaign, relative to specs/ "
                                                       "(the administrative map changes over the years).")
    procedures: str = Field(
        default="procedures.csv", min_length=1, description="The procedures file (QR notices), relative to "
                                                           "specs/; its units must be this campaign's.")


# ---------------------------------------------------------------- units

class Unit(SpecModel):
    slug: str = Field(pattern=SLUG, description="ASCII id, used in file names.")
    name: str = Field(min_length=1, description="Full Vietnamese name, e.g. `huyện Hàm Yên`.")
    kind: Literal["province", "district", "commune"]
    parent: str | None = Field(default=None, pattern=SLUG, description="Slug of the unit above.")


class UnitsFile(SpecModel):
    units: list[Unit] = Field(min_length=1)


# ---------------------------------------------------------------- formats

class Format(SpecModel):
    title: str = Field(min_length=1, description="What the piece is, in Vietnamese.")
    channel: str = Field(pattern=SLUG, description="Output folder: banners, pano, posters, led, web, …")
    size_mm: tuple[Annotated[float, Field(gt=0, le=LIMITS.max_mm)], Annotated[float, Field(gt=0, le=LIMITS.max_mm)]] | None = Field(
        default=None, description="Finished (trim) size, width × height in mm, for print formats.")
    size_px: tuple[Annotated[int, Field(gt=0, le=LIMITS.max_px)], Annotated[int, Field(gt=0, le=LIMITS.max_px)]] | None = Field(
        default=None, description="Width × height in pixels, for screen formats.")
    bleed_mm: float = Field(default=0, ge=0, le=200, description="Bleed on each side, print only.")
    safe_mm: float = Field(default=0, ge=0, description="Margin inside the trim that text keeps clear of.")
    safe_px: int = Field(default=0, ge=0, description="The same for screen formats.")
    viewing_distance_m: float | None = Field(default=None, gt=0, description="Typical reading distance.")
    proof_px: int = Field(default=2400, ge=100, le=LIMITS.max_px, description="Long side of a print format's PNG proof.")
    color_space: Literal["cmyk", "rgb"] = Field(
        default="cmyk", description="Colour space of a print format's PDF.")
    crop_marks: bool = Field(default=False, description="Draw crop marks outside the bleed; the page grows by them.")
    large_pdf: Literal["scaled", "user-unit"] = Field(
        default="scaled", description="A piece over 5,080 mm: 1:10 artwork (`scaled`) or full size with /UserUnit 10.")
    min_contrast: float = Field(default=4.5, ge=1, le=21, description="Preflight: least WCAG contrast of a text.")
    min_image_dpi: float | None = Field(
        default=None, gt=0, description="Preflight: least effective resolution of a placed image at final size.")
    budget_kb: int | None = Field(
        default=None, gt=0, description="Screen formats: the most each PNG/JPEG file may weigh, in KB (1,000 bytes).")
    safe_box_px: tuple[int, int, int, int] | None = Field(
        default=None, description="Screen formats: x, y, width, height of the part every device shows (a "
                                  "Facebook cover loses its sides on phones); the safe area is this box, inset by safe_px.")
    fps: int | None = Field(default=None, ge=1, le=LIMITS.max_fps, description="Frame rate of a video format (default 25).")
    duration_s: float | None = Field(
        default=None, gt=0, le=LIMITS.max_duration_s, description="Loop length of a video format: makes a screen format a video one.")
    title_safe_px: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]] | None = Field(
        default=None, description="Television's title-safe margin, left/right × top/bottom, in pixels.")

    @model_validator(mode="after")
    def _one_size(self) -> "Format":
        if (self.size_mm is None) == (self.size_px is None):
            raise ValueError("give exactly one of size_mm (print) or size_px (screen)")
        if self.size_px is not None and (self.bleed_mm or self.safe_mm):
            raise ValueError("a screen format (size_px) takes safe_px, not bleed_mm or safe_mm")
        if self.size_mm is not None and self.safe_px:
            raise ValueError("a print format (size_mm) takes safe_mm, not safe_px")
        width, height = self.size
        if 2 * self.margin >= min(width, height):
            raise ValueError("the safe margin leaves no room inside the format")
        if self.safe_box_px is not None:
            x, y, w, h = self.safe_box_px
            if self.size_px is None:
                raise ValueError("safe_box_px is for screen formats (size_px)")
            if x < 0 or y < 0 or w <= 2 * self.safe_px or h <= 2 * self.safe_px or x + w > width or y + h > height:
                raise ValueError("safe_box_px must lie inside the format and leave room inside its safe_px margin")
        if self.budget_kb is not None and self.size_px is None:
            raise ValueError("budget_kb is for screen formats (size_px)")
        if self.size_mm is not None and (self.fps is not None or self.duration_s is not None or self.title_safe_px):
            raise ValueError("a print format (size_mm) takes no fps, duration_s or title_safe_px")
        if self.fps is not None and self.duration_s is None:
            raise ValueError("fps belongs to a video format: give its loop length as duration_s")
        if self.duration_s is not None and abs(self.duration_s * self.frame_rate - round(self.duration_s * self.frame_rate)) > 1e-6:
            raise ValueError(f"duration_s × fps must be a whole number of frames "
                             f"({self.duration_s:g} s × {self.frame_rate} fps = {self.duration_s * self.frame_rate:g})")
        margin_x, margin_y = self.margins
        if 2 * margin_x >= width or 2 * margin_y >= height:
            raise ValueError("the title-safe margin leaves no room inside the format")
        return self

    @property
    def is_print(self) -> bool:
        return self.size_mm is not None

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in the format's own unit: mm for print, px for screen."""
        return tuple(self.size_mm if self.size_mm is not None else self.size_px)  # type: ignore[return-value]

    @property
    def margin(self) -> float:
        return self.safe_mm if self.is_print else self.safe_px

    @property
    def unit_name(self) -> str:
        return "mm" if self.is_print else "px"

    @property
    def margins(self) -> tuple[float, float]:
        """The safe area's margin left/right and top/bottom; on television the title-safe area counts too."""
        title_x, title_y = self.title_safe_px or (0, 0)
        return max(self.margin, title_x), max(self.margin, title_y)

    @property
    def is_video(self) -> bool:
        return self.duration_s is not None

    @property
    def frame_rate(self) -> int:
        return self.fps if self.fps is not None else 25

    @property
    def frames(self) -> int:
        """Exact frame count of one loop."""
        return round((self.duration_s or 0) * self.frame_rate)


class FormatsFile(SpecModel):
    formats: dict[Annotated[str, Field(pattern=SLUG)], Format] = Field(min_length=1)


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


# ---------------------------------------------------------------- loading

@dataclass
class Specs:
    root: Path
    campaign: Campaign
    units: list[Unit]
    formats: dict[str, Format]
    designs: dict[str, Design]
    docs: dict[str, Document] = field(default_factory=dict)
    procedures: list[Procedure] = field(default_factory=list)  # from specs/procedures.csv, if present

    def unit(self, slug: str) -> Unit:
        return next(u for u in self.units if u.slug == slug)

    def units_for(self, design: Design) -> list[Unit]:
        selector = design.units
        return [u for u in self.units
                if (selector.kinds is None or u.kind in selector.kinds)
                and (selector.slugs is None or u.slug in selector.slugs)]


def _path_in(data: Any, loc: tuple) -> tuple:
    """Map a pydantic error location onto the YAML data, skipping union tags."""
    path: list[Any] = []
    node = data
    tag_skipped = None
    for part in loc:
        if isinstance(node, dict) and node.get("type") == part and tag_skipped is not node:
            tag_skipped = node  # pydantic names a discriminated union's member by its tag
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue  # a union's tag, or a key that is missing
        path.append(part)
    return tuple(path)


def _message(error: dict) -> tuple[str, tuple]:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "unknown_key":
        return error["msg"], loc + (error["ctx"]["key"],)
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"missing key '{loc[-1]}'", loc
    if kind == "union_tag_invalid":
        return f"unknown block type {error['input'].get('type')!r} (known: rect, text, image, qr, stack)", loc + ("type",)
    if kind == "union_tag_not_found":
        return "a block needs a 'type' (rect, text, qr or stack)", loc
    message = error["msg"]
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        if pattern == SLUG:
            message = "must be lower-case ASCII letters, digits and '-' (and not a reserved name such as 'con')"
        elif pattern == HEX_COLOR:
            message = "must be a colour written like '#DA251D'"
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    shown = error.get("input")
    if isinstance(shown, (str, int, float, bool)) and kind not in ("model_type",):
        return f"'{name}': {message} (got {shown!r})", loc
    return (f"'{name}': {message}" if name else message), loc


def validate(model: type[BaseModel], doc: Document) -> Any:
    """Validate a document against a model; every error carries file:line."""
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except pydantic.ValidationError as exc:
        errors = ErrorList()
        for error in exc.errors(include_url=False):
            message, loc = _message(error)
            errors.add(doc.error(_path_in(doc.data, loc), message))
        errors.raise_if_any()


def _color_known(color: str, campaign: Campaign) -> bool:
    return color in campaign.palette or re.fullmatch(HEX_COLOR, color) is not None


def _check_design(design_id: str, design: Design, doc: Document, specs: Specs, errors: ErrorList) -> None:
    campaign = specs.campaign
    for index, format_id in enumerate(design.formats):
        if format_id not in specs.formats:
            errors.add(doc.error(("formats", index),
                                 f"format '{format_id}' is not defined" + did_you_mean(format_id, list(specs.formats))))
    slugs = [u.slug for u in specs.units]
    for index, slug in enumerate(design.units.slugs or []):
        if slug not in slugs:
            errors.add(doc.error(("units", "slugs", index), f"unit '{slug}' is not defined" + did_you_mean(slug, slugs)))
    if not specs.units_for(design):
        errors.add(doc.error(("units",), "no unit matches this selection"))
    if design.variants_from == "procedures" and not (specs.root / "specs" / campaign.procedures).is_file():
        errors.add(doc.error(("variants_from",), f"variants_from: procedures needs specs/{campaign.procedures}"))
    for variant_id, variant in design.variants.items():
        if variant.slogan is not None and variant.slogan != HEADLINE and variant.slogan not in campaign.slogans:
            errors.add(doc.error(("variants", variant_id, "slogan"),
                                 f"slogan '{variant.slogan}' is not defined" + did_you_mean(variant.slogan, list(campaign.slogans))))
    for li, layout in enumerate(design.layouts):
        if not _color_known(layout.background, campaign):
            errors.add(doc.error(("layouts", li, "background"), f"colour '{layout.background}' is not in the palette"
                                 + did_you_mean(layout.background, list(campaign.palette))))
        for path, block in walk_blocks(layout.blocks, ("layouts", li, "blocks")):
            if isinstance(block, StackBlock):
                continue
            if isinstance(block, QrBlock):
                _check_qr(block, path, doc, campaign, errors)
                continue
            if isinstance(block, ImageBlock):
                _check_image(block, path, doc, specs.root, errors)
            elif not _color_known(block.color, campaign):
                errors.add(doc.error(path + ("color",), f"colour '{block.color}' is not in the palette"
                                     + did_you_mean(block.color, list(campaign.palette))))
            if isinstance(block, TextBlock):
                if block.font not in campaign.fonts:
                    errors.add(doc.error(path + ("font",), f"font '{block.font}' is not defined"
                                         + did_you_mean(block.font, list(campaign.fonts))))
                for key in ("text", "slogan"):
                    source = getattr(block, key)
                    if source is not None:
                        try:
                            templating.compile_template(source)
                        except SpecError as exc:
                            errors.add(doc.error(path + (key,), exc.message))
                if block.slogan is not None and "{" not in block.slogan and block.slogan not in campaign.slogans:
                    errors.add(doc.error(path + ("slogan",), f"slogan '{block.slogan}' is not defined"
                                         + did_you_mean(block.slogan, list(campaign.slogans))))
    if design.video is not None or "mp4" in design.media:
        _check_video(design, doc, specs, errors)


def _check_video(design: Design, doc: Document, specs: Specs, errors: ErrorList) -> None:
    campaign = specs.campaign
    if design.video is None:
        errors.add(doc.error(("media",), "mp4 needs a 'video' section (its slides)"))
        return
    for index, format_id in enumerate(design.formats):
        fmt = specs.formats.get(format_id)
        if fmt is not None and not fmt.is_video:
            errors.add(doc.error(("formats", index), f"format '{format_id}' is not a video format "
                                 "(a video design needs formats with size_px and duration_s)"))
    layout_names = sorted({layout.name for layout in design.layouts})
    seen: set[str] = set()
    for campaign_slide in slides_for(design.video, campaign):
        path = ("video", "slides", campaign_slide.index)
        if campaign_slide.name in seen:
            errors.add(doc.error(path, f"slide '{campaign_slide.name}' is named twice (a slide's name defaults "
                                       f"to its slogan's id)"))
        seen.add(campaign_slide.name)
    for index, slide in enumerate(design.video.slides):
        path = ("video", "slides", index)
        if slide.layout not in layout_names:
            errors.add(doc.error(path + ("layout",), f"layout '{slide.layout}' is not defined"
                                 + did_you_mean(slide.layout, layout_names)))
        if slide.slogan is not None and slide.slogan not in RESERVED_SLOGAN_IDS and slide.slogan not in campaign.slogans:
            errors.add(doc.error(path + ("slogan",), f"slogan '{slide.slogan}' is not defined"
                                 + did_you_mean(slide.slogan, list(campaign.slogans))))
    marquee = design.video.marquee
    if marquee is not None:
        path = ("video", "marquee")
        for key in ("color", "background"):
            color = getattr(marquee, key)
            if not _color_known(color, campaign):
                errors.add(doc.error(path + (key,), f"colour '{color}' is not in the palette"
                                     + did_you_mean(color, list(campaign.palette))))
        for format_id in marquee.speed_px_s_by_format:
            if format_id not in design.formats:
                errors.add(doc.error(path + ("speed_px_s_by_format", format_id), f"format '{format_id}' is not "
                                     "one of this design's formats" + did_you_mean(format_id, design.formats)))
        if marquee.font not in campaign.fonts:
            errors.add(doc.error(path + ("font",), f"font '{marquee.font}' is not defined"
                                 + did_you_mean(marquee.font, list(campaign.fonts))))
        for key in ("text", "slogan"):
            source = getattr(marquee, key)
            if source is not None:
                try:
                    templating.compile_template(source)
                except SpecError as exc:
                    errors.add(doc.error(path + (key,), exc.message))
        if marquee.slogan is not None and "{" not in marquee.slogan and marquee.slogan not in campaign.slogans:
            errors.add(doc.error(path + ("slogan",), f"slogan '{marquee.slogan}' is not defined"
                                 + did_you_mean(marquee.slogan, list(campaign.slogans))))


def _check_image(block: "ImageBlock", path: tuple, doc: Document, root: Path, errors: ErrorList) -> None:
    from PIL import Image, UnidentifiedImageError

    specs_dir = (root / "specs").resolve()
    file = (specs_dir / block.file).resolve()
    if not file.is_relative_to(specs_dir):
        errors.add(doc.error(path + ("file",), f"image '{block.file}' must be a file under specs/"))
    elif not file.is_file():
        errors.add(doc.error(path + ("file",), f"image file '{block.file}' does not exist"))
    else:
        try:
            with Image.open(file) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            errors.add(doc.error(path + ("file",), f"image '{block.file}' cannot be read: {exc}"))


def _check_slogans(campaign: Campaign, doc: Document, errors: ErrorList) -> None:
    for slogan_id in campaign.slogans:
        if slogan_id in RESERVED_SLOGAN_IDS:
            errors.add(doc.error(("slogans", slogan_id), f"'{slogan_id}' is a word designs use for a slogan's role "
                                                         f"({', '.join(RESERVED_SLOGAN_IDS)}); give the slogan another id"))
        elif not re.fullmatch(SLUG, slogan_id):
            errors.add(doc.error(("slogans", slogan_id), f"slogan id '{slogan_id}' must be lower-case ASCII letters, "
                                                         f"digits and '-' (it becomes part of file names)"))
    if campaign.headline is not None and campaign.headline not in campaign.slogans:
        errors.add(doc.error(("headline",), f"slogan '{campaign.headline}' is not defined"
                             + did_you_mean(campaign.headline, list(campaign.slogans))))


def _check_cmyk(campaign: Campaign, doc: Document, errors: ErrorList) -> None:
    for name in campaign.cmyk:
        if name not in campaign.palette:
            errors.add(doc.error(("cmyk", name), f"'{name}' is not a palette colour" + did_you_mean(name, list(campaign.palette))))


def walk_blocks(blocks: list[Any], path: tuple) -> list[tuple[tuple, Any]]:
    """Every block with its path in the YAML, a stack before its members."""
    found = []
    for index, block in enumerate(blocks):
        found.append((path + (index,), block))
        if isinstance(block, StackBlock):
            found.extend(walk_blocks(block.blocks, path + (index, "blocks")))
    return found


def _check_qr(block: QrBlock, path: tuple, doc: Document, campaign: Campaign, errors: ErrorList) -> None:
    for key in ("color", "background"):
        if not _color_known(getattr(block, key), campaign):
            errors.add(doc.error(path + (key,), f"colour '{getattr(block, key)}' is not in the palette"
                                 + did_you_mean(getattr(block, key), list(campaign.palette))))
    try:
        templating.compile_template(block.url)
    except SpecError as exc:
        errors.add(doc.error(path + ("url",), exc.message))


def _check_fonts(campaign: Campaign, doc: Document, root: Path, errors: ErrorList) -> None:
    fonts_dir = (root / "fonts").resolve()
    for font_id, name in campaign.fonts.items():
        path = (root / name).resolve()
        if not path.is_relative_to(fonts_dir):
            errors.add(doc.error(("fonts", font_id), f"font '{name}' must be a file under fonts/"))
        elif not path.is_file():
            errors.add(doc.error(("fonts", font_id), f"font file '{name}' does not exist"))
        else:
            try:
                face(path)
            except SpecError as exc:
                errors.add(doc.error(("fonts", font_id), exc.message))


def _check_units(units: list[Unit], doc: Document, errors: ErrorList) -> None:
    seen: set[str] = set()
    for index, unit in enumerate(units):
        if unit.slug in seen:
            errors.add(doc.error(("units", index, "slug"), f"unit '{unit.slug}' is defined twice"))
        seen.add(unit.slug)
    for index, unit in enumerate(units):
        if unit.parent is not None and unit.parent not in seen:
            errors.add(doc.error(("units", index, "parent"), f"parent '{unit.parent}' is not a unit"
                                 + did_you_mean(unit.parent, sorted(seen))))


def load_specs(root: Path, campaign: str | Path | None = None) -> Specs:
    """Load and cross-check every spec file under `root/specs`; raise every problem at once.
    `campaign` is the campaign file (relative to `root`), default specs/campaign.yaml."""
    root = root.resolve()
    campaign_path = campaign_file(root, campaign)
    specs_dir = root / "specs"
    errors = ErrorList()
    docs: dict[str, Document] = {}

    def read(path: Path, model: type[BaseModel]) -> Any:
        name = display_path(path, Path.cwd()) if path.is_relative_to(Path.cwd().resolve()) else str(path)
        if path.exists() and not path.resolve().is_relative_to(specs_dir.resolve()):
            errors.add(SpecError("is a link to a file outside specs/; copy the file instead", Where(name)))
            return None
        try:
            doc = load(path, name)
            docs[str(path.relative_to(specs_dir))] = doc
            return validate(model, doc)
        except SpecError as exc:
            errors.add(exc)
            return None

    campaign = read(campaign_path, Campaign)
    campaign_key = str(campaign_path.relative_to(specs_dir)) if campaign_path.exists() else "campaign.yaml"
    units_key = campaign.units if campaign is not None else "units.yaml"
    units_file = None
    if campaign is not None and not spec_file(root, units_key).resolve().is_relative_to(specs_dir.resolve()):
        errors.add(docs[campaign_key].error(("units",), f"units file '{units_key}' must be a file under specs/"))
    elif campaign is not None and not spec_file(root, units_key).is_file():
        errors.add(docs[campaign_key].error(("units",), f"units file '{units_key}' does not exist"))
    else:
        units_file = read(spec_file(root, units_key), UnitsFile)
    formats_file = read(specs_dir / "formats.yaml", FormatsFile)
    design_paths = sorted((specs_dir / "designs").glob("*.yaml"))
    designs: dict[str, Design] = {}
    for path in design_paths:
        design = read(path, Design)
        if not re.fullmatch(SLUG, path.stem):
            errors.add(SpecError("a design's file name must be lower-case ASCII letters, digits and '-'",
                                 docs[str(path.relative_to(specs_dir))].where()))
        elif design is not None:
            designs[path.stem] = design
    if campaign is not None:
        _check_fonts(campaign, docs[campaign_key], root, errors)
        _check_cmyk(campaign, docs[campaign_key], errors)
        _check_slogans(campaign, docs[campaign_key], errors)
    if units_file is not None:
        _check_units(units_file.units, docs[str(spec_file(root, units_key).relative_to(specs_dir))], errors)
    procedures: list[Procedure] = []
    procedures_path = spec_file(root, campaign.procedures if campaign is not None else PROCEDURES_FILE)
    if campaign is not None and not procedures_path.resolve().is_relative_to(specs_dir.resolve()):
        errors.add(docs[campaign_key].error(("procedures",), f"procedures file '{campaign.procedures}' must be a "
                                                             f"file under specs/"))
        procedures_path = None
    if units_file is not None and procedures_path is not None and procedures_path.is_file():
        name = display_path(procedures_path, Path.cwd()) if procedures_path.is_relative_to(Path.cwd().resolve()) \
            else str(procedures_path)
        try:
            procedures = load_procedures(procedures_path, name, [u.slug for u in units_file.units])
        except SpecError as exc:
            errors.add(exc)
    if campaign is None or units_file is None or formats_file is None:
        errors.raise_if_any()
    specs = Specs(root, campaign, list(units_file.units), dict(formats_file.formats), designs, docs, procedures)
    for design_id, design in designs.items():
        _check_design(design_id, design, docs[f"designs/{design_id}.yaml"], specs, errors)
    errors.raise_if_any()
    return specs
