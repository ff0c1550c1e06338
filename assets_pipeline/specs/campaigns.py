"""Campaigns by file: which campaign a command works on, and how designs stay free of any one year.

The day comes back every 10/10 with a new theme and new slogans, so a design never names a slogan
id of one year. It names the slogans by role instead:

- `variants_from: slogans` makes one variant per campaign slogan (variant id = slogan id);
- a variant or a video slide with `slogan: headline` carries the campaign's `headline`, the slogan
  shown where there is room for only one;
- a video slide with `slogan: each` is repeated once per campaign slogan, each copy named by its id.

`specs/campaign.yaml` is the current campaign; others live under `specs/campaigns/` and are chosen
with `--campaign`. The manifest records the campaign's id, and a build refuses an output folder
that holds another campaign's files, so two years never mix in one folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assets_pipeline.core import files
from assets_pipeline.core.errors import SpecError, Where, display_path
from assets_pipeline.core.i18n import _

DEFAULT_CAMPAIGN = "specs/campaign.yaml"
EACH = "each"  # a slide repeated for every slogan
HEADLINE = "headline"  # the campaign's one slogan where only one is shown
RESERVED_SLOGAN_IDS = (EACH, HEADLINE)


def campaign_file(root: Path, campaign: str | Path | None) -> Path:
    """The campaign file a command reads: `campaign` (relative to the project) or the default.
    It must be a YAML file under specs/ (outside specs/designs/, where every file is a design)."""
    if campaign is None:
        return root / DEFAULT_CAMPAIGN
    given = Path(campaign)
    path = given if given.is_absolute() else root / given
    specs_dir = (root / "specs").resolve()
    shown = Where(str(campaign))
    try:
        resolved = files.resolved(path)
    except SpecError as exc:
        raise SpecError(exc.message, shown) from None
    if not resolved.is_relative_to(specs_dir):
        raise SpecError(_("a campaign file must be a file under specs/ (e.g. specs/campaigns/2025.yaml)"), shown)
    if resolved.is_relative_to(specs_dir / "designs"):
        raise SpecError(_("specs/designs/ holds designs; a campaign file goes in specs/ or specs/campaigns/"), shown)
    if resolved.suffix not in (".yaml", ".yml"):
        raise SpecError(_("a campaign file is a .yaml file"), shown)
    if not resolved.is_file():
        raise SpecError(_("campaign file does not exist"), shown)
    return resolved


def spec_file(root: Path, name: str) -> Path:
    """A file a campaign names (its units, its procedures), relative to specs/."""
    return root / "specs" / name


def headline_of(campaign: Any) -> str:
    """The slogan shown where only one is: the campaign's `headline`, else its first slogan."""
    return campaign.headline or next(iter(campaign.slogans))


def resolve_slogan(reference: str | None, campaign: Any) -> str | None:
    """A slogan reference as a slogan id: `headline` is the campaign's headline, an id is itself."""
    if reference == HEADLINE:
        return headline_of(campaign)
    return reference


def slogan_variants(campaign: Any) -> list[str]:
    """`variants_from: slogans`: one variant per slogan, in the campaign's order."""
    return list(campaign.slogans)


@dataclass(frozen=True)
class CampaignSlide:
    """A video slide for one campaign: a slide of the design, with its slogan resolved."""

    index: int  # the slide's place in the design's `slides`, for error lines
    name: str
    slogan: str | None
    slide: Any  # specs.Slide


def slides_for(video: Any, campaign: Any) -> list[CampaignSlide]:
    """The design's slides for this campaign: `slogan: each` repeated per slogan, `headline` resolved;
    a slide without a name is named by its slogan id."""
    slides = []
    for index, slide in enumerate(video.slides):
        slogans = slogan_variants(campaign) if slide.slogan == EACH else [resolve_slogan(slide.slogan, campaign)]
        for slogan in slogans:
            name = slide.name or slogan
            assert name is not None  # a slide without a slogan has a name (Slide._named)
            slides.append(CampaignSlide(index, name, slogan, slide))
    return slides


def check_output_campaign(output: Path, manifest: dict | None, campaign_id: str) -> None:
    """Refuse to write one campaign's files into a folder that holds another's."""
    recorded = (manifest or {}).get("campaign")
    recorded_id = recorded.get("id") if isinstance(recorded, dict) else None
    if recorded_id and recorded_id != campaign_id:
        shown = display_path(output, Path.cwd())
        raise SpecError(_("{folder} holds the files of campaign '{recorded}', not '{campaign}': build into another folder "
                          "with --output (or choose that campaign with --campaign)", folder=shown, recorded=recorded_id,
                          campaign=campaign_id))
