"""The design files as typed models: layouts per format (their blocks: blocks/), variants and video sections."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from assets_pipeline.blocks import Block, holds_blocks
from assets_pipeline.core import media as media_registry
from assets_pipeline.core.i18n import _
from assets_pipeline.core.media import MediumName
from assets_pipeline.specs.documents import Document
from assets_pipeline.specs.models import SLUG, SpecModel

# ---------------------------------------------------------------- designs

class When(SpecModel):
    min_aspect: float | None = Field(default=None, gt=0, description="Width / height at least this.")
    max_aspect: float | None = Field(default=None, gt=0, description="Width / height below this.")

    def matches(self, aspect: float) -> bool:
        return ((self.min_aspect is None or aspect >= self.min_aspect)
                and (self.max_aspect is None or aspect < self.max_aspect))


class Layout(SpecModel):
    name: str = Field(pattern=SLUG)
    when: When = Field(default_factory=When, description="Which formats this arrangement is for.")
    background: str = Field(description="Palette name or `#RRGGBB`, over the whole bleed area; `transparent` for a "
                                        "PNG with an alpha channel (a profile-picture frame).")
    blocks: list[Block] = Field(min_length=1, description="Drawn in order; later blocks on top.")


UnitKind = Literal["province", "district", "commune"]


class UnitSelector(SpecModel):
    kinds: list[UnitKind] | None = None
    slugs: list[Annotated[str, Field(pattern=SLUG)]] | None = None
    formats: dict[UnitKind, list[Annotated[str, Field(pattern=SLUG)]]] = Field(
        default_factory=dict, description="For a kind of unit, only these of the design's formats (a commune "
                                          "hangs the smaller banners); a kind not named gets every format.")
    shared_with: list[UnitKind] | None = Field(
        default=None, description="Units of these kinds that the design is not made for receive the files of "
                                  "their nearest parent that has it, marked \"dùng chung\" in their bundle; "
                                  "default: every kind. `[]` for what only its own units use (an LED loop: a "
                                  "commune has no LED screen).")
    with_results: bool = Field(
        default=False, description="Only units that have results in specs/ket-qua.csv (the results infographic, "
                                   "drawn from them): until the results are in, the design makes nothing.")

    def reaches(self, kind: str, format_id: str) -> bool:
        return kind not in self.formats or format_id in self.formats[kind]


class Variant(SpecModel):
    slogan: str | None = Field(default=None, description="Slogan id this variant carries, or `headline`: the "
                                                         "campaign's headline slogan, whatever the year.")
    vars: dict[str, str] = Field(default_factory=dict, description="Free values for templates: `variant.vars.X`.")


class Design(SpecModel):
    title: str = Field(min_length=1)
    formats: list[Annotated[str, Field(pattern=SLUG)]] = Field(min_length=1)
    units: UnitSelector = Field(default_factory=UnitSelector, description="Default: every unit.")
    media: list[MediumName] = Field(default=["pdf", "png"], min_length=1)
    variants: dict[Annotated[str, Field(pattern=SLUG)], Variant] = Field(default_factory=dict)
    variants_from: Literal["procedures", "awards", "slogans"] | None = Field(
        default=None, description="`procedures`: one variant per row of specs/procedures.csv for the unit "
                                  "(templates see `procedure.code`, `.name`, `.url`, `.sample`); `awards`: one "
                                  "per row of specs/awards.csv the unit issues (`award.name`, `.kind_name`, "
                                  "`.unit`, `.achievement`, `.decision`, `.date_long`, `.signer_title`, "
                                  "`.signer`, `.sample`); `slogans`: "
                                  "one variant per campaign slogan, its id the slogan's id (`variant.slogan`).")
    combine_pdf: bool = Field(default=False, description="Also write one multi-page PDF per unit and format, "
                                                         "every variant a page (variant `tat-ca`).")
    layouts: list[Layout] = Field(default_factory=list, description="The first whose `when` matches is used.")
    document: Document | None = Field(
        default=None, description="Makes the design a flowing document (radio text, pledge, leaflet) instead of "
                                  "a page of blocks.")
    video: Video | None = Field(
        default=None, description="Makes the design a video: its slides (layouts by name), transitions and marquee.")

    @model_validator(mode="after")
    def _variants_given(self) -> Design:
        if self.document is not None:
            if self.variants or self.variants_from is not None:
                raise ValueError(_("a document has one version per unit: give no 'variants' or 'variants_from'"))
        elif bool(self.variants) == (self.variants_from is not None):
            raise ValueError(_("give either 'variants' or 'variants_from'"))
        if bool(self.layouts) == (self.document is not None):
            raise ValueError(_("give either 'layouts' or 'document'"))
        return self


# ---------------------------------------------------------------- video designs

class Transition(SpecModel):
    type: Literal["cut", "crossfade", "push"] = Field(description="How this slide gives way to the next.")
    duration_s: float = Field(default=0.0, ge=0, le=10)
    direction: Literal["left", "right", "up", "down"] = Field(
        default="left", description="For `push`: the way both slides move.")

    @model_validator(mode="after")
    def _timed(self) -> Transition:
        if self.type != "cut" and self.duration_s <= 0:
            raise ValueError(_("a {transition} needs a duration_s above 0", transition=self.type))
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
    def _named(self) -> Slide:
        if self.name is None and self.slogan is None:
            raise ValueError(_("a slide without a slogan needs a 'name'"))
        if self.name is not None and self.slogan == "each":
            raise ValueError(_("a slide repeated for each slogan is named by its slogan: drop 'name'"))
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
    def _one_source(self) -> Marquee:
        if (self.text is None) == (self.slogan is None):
            raise ValueError(_("give exactly one of 'text' or 'slogan'"))
        return self


class Video(SpecModel):
    slides: list[Slide] = Field(min_length=1, description="Played in order, looping.")
    marquee: Marquee | None = None


Design.model_rebuild()
# a block type or a medium registered at run time: the models that hold them are built again
holds_blocks(Layout, Design)
media_registry.on_change(lambda: Design.model_rebuild(force=True))
