"""The plan's documents as spec models: a design's `document:` section (radio text, pledge, leaflet, results form),
the campaign's pledge, the signing departments, and the digital services a leaflet explains.

A document flows over as many pages as its text needs (the pledge) or must fit the pages it has
(the two sides of a leaflet, the radio text within its reading time); its texts are Jinja2
templates seeing what a block's template sees.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from assets_pipeline.core.specmodel import SLUG, SpecModel

Template = Annotated[str, Field(min_length=1)]


class Document(SpecModel):
    kind: Literal["radio", "pledge", "leaflet", "results"] = Field(
        description="`radio`: the text an announcer reads (UTF-8 text and an A4 PDF); `pledge`: the emulation "
                    "pledge with a signature block for each signing unit; `leaflet`: a two-sided leaflet of "
                    "numbered steps for the campaign's digital services; `results`: the form a unit returns its "
                    "results on (XLSX, CSV and a printed copy), one row per indicator of specs/indicators.yaml.")
    font: str = Field(description="Font id of the running text.")
    bold: str = Field(description="Font id of titles and names.")
    color: str = Field(default="ink", description="Palette name or `#RRGGBB` of the text.")
    accent: str = Field(default="red", description="Palette name or `#RRGGBB` of titles and bands.")
    size_pt: float = Field(default=13, ge=8, le=24, description="Size of the running text.")
    leading: float = Field(default=1.45, ge=1.3, le=2.5,
                           description="Baseline distance in ems; Vietnamese marks need 1.3 at least.")
    header: Template | None = Field(default=None, description="The issuing body, top left (e.g. "
                                                              "`{{ unit.authority | upper }}`).")
    title: Template = Field(description="The document's title.")
    subtitle: Template | None = None
    paragraphs: list[Template] = Field(default_factory=list, description="The running text, a paragraph each.")
    closing: Template | None = Field(default=None, description="A last line, set apart (radio: the sign-off).")
    # radio
    syllables_per_minute: int | None = Field(
        default=None, ge=60, le=300, description="Radio: the announcer's pace in syllables (tiếng) per minute; "
                                                 "the reading time printed is the text's syllables at this pace.")
    max_minutes: float | None = Field(default=None, gt=0, le=30,
                                      description="Radio: the longest reading time allowed.")
    # leaflet
    services: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default_factory=list, description="Leaflet: the services of specs/services.yaml explained, in order.")
    contact: Template | None = Field(default=None, description="Leaflet: the team's contact line, on both sides.")


class Service(SpecModel):
    name: str = Field(min_length=1, description="The service as people know it.")
    url: str = Field(min_length=1, description="Its official address: the QR code leads there.")
    steps: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1, max_length=8,
                                                             description="Short numbered steps.")
    to_confirm: str | None = Field(default=None, description="Why this entry is not from an official source yet.")


class ServicesFile(SpecModel):
    services: dict[Annotated[str, Field(pattern=SLUG)], Service] = Field(min_length=1)


class Department(SpecModel):
    """A department (sở, ban, ngành) of the province: it signs the pledge; no design reaches it."""

    slug: str = Field(pattern=SLUG)
    name: str = Field(min_length=1, description="Its name as written, e.g. `Sở Thông tin và Truyền thông`.")
    head_title: str = Field(min_length=1, description="Its head's title, e.g. `GIÁM ĐỐC`.")
    to_confirm: str | None = Field(default=None, description="Why this entry is not from an official source yet.")


class Signer(SpecModel):
    unit: str = Field(pattern=SLUG, description="A department, or a unit of the units file (a district's "
                                                "people's committee signs through its chairman).")
    name: str | None = Field(default=None, min_length=1,
                             description="The head's name; left blank for the signer to write.")


class Pledge(SpecModel):
    title: str = Field(min_length=1)
    intro: str = Field(min_length=1, description="What the signing units agree to, before the articles.")
    articles: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1, description="The commitments.")
    signers: list[Signer] = Field(min_length=1, description="The signing units, in the order they sign.")
    to_confirm: str | None = Field(default=None, description="Why the text is not the official one yet: "
                                                             "the document then says DỰ THẢO.")
