"""The download page, `output/index.html`: one card per unit with its zip and every file in it.

One self-contained HTML file (inline CSS and script, relative links, thumbnails from output/) so it
works opened from disk, served by `assets serve`, or copied to any web server as it is.

A province has some 150 units, and most of them are communes that look for their own card on a
phone. So cards are grouped by district (the province first), a search box finds a unit typed
without its marks, thumbnails load only when scrolled to, and each file is described in full once,
on the card of the unit it was made for: a commune's card names the province's or district's files
it shares in one line that links to them, rather than repeating them 150 times.

A project makes the page of each of its campaigns (2022 into `output/`, 2025 into `output-2025/`), and
an office opens the wrong year's page as easily as the right one. So each page links to the pages of
the project's other campaigns, and carries their units' names and codes: a unit searched for on the
wrong page is shown where it is. Which campaigns those are comes from the campaign files alone, never
from which output folders exist yet: the page is the same whichever campaign was built first.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from itertools import groupby
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from assets_pipeline import __version__
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.files import resolved
from assets_pipeline.core.vietnamese import ascii_fold
from assets_pipeline.delivery.catalog import Catalog, Member, UnitInfo
from assets_pipeline.delivery.describe import byte_size, channel_name, media_name, role, size_text, slogan_text
from assets_pipeline.delivery.results import Bundle, BundleResult
from assets_pipeline.engine.keys import extensions_fingerprint, package_fingerprint
from assets_pipeline.engine.made import Made
from assets_pipeline.engine.output import write_bytes
from assets_pipeline.specs.campaigns import DEFAULT_CAMPAIGN
from assets_pipeline.specs.load import validate
from assets_pipeline.specs.models import Campaign, UnitsFile
from assets_pipeline.specs.yamlsource import load

PAGE = "index.html"
# the kinds of unit that head a group of cards; every other unit joins its nearest such ancestor
GROUP_KINDS = ("province", "district")
OTHER_GROUP = "khac"  # the id of the group of units whose parent is not known
# where `make all` builds each campaign file: specs/campaign.yaml into output/, specs/campaigns/2025.yaml
# into output-2025/; the pages of a project's campaigns stand side by side in its folder
DEFAULT_OUTPUT = "output"
OTHER_CAMPAIGNS = "campaigns"  # the folder under specs/ of the campaign files besides the default one


def _href(relative: str) -> str:
    return quote(relative, safe="/")


def _piece(members: list[Member], result: BundleResult) -> dict[str, Any]:
    """One piece of artwork (a PDF and its proof, a video and its stills): one thumbnail, every file."""
    catalog = result.catalog
    first = members[0].asset
    thumbnail = result.thumbnails[first.path]
    title = catalog.format_title(first.format) or first.format or first.name
    texts = slogan_text(first)
    # the texts stand beside the thumbnail, so its alt names the piece without repeating them
    alt = f"Ảnh xem trước: {title}"
    if thumbnail.source == "placeholder":
        alt = f"{title}: không có ảnh xem trước ({media_name(first.media)})"
    return {
        "title": title,
        "texts": texts,
        "thumb": {"href": _href(thumbnail.path), "width": thumbnail.px[0], "height": thumbnail.px[1], "alt": alt},
        "files": [{
            "href": _href(m.asset.path), "name": m.asset.name, "media": media_name(m.asset.media),
            "size": size_text(m.asset), "bytes": int(m.asset.bytes), "bytes_text": byte_size(int(m.asset.bytes)),
            "role": role(m.asset, catalog),  # how to use each file: the bundle's README.txt
        } for m in members],
    }


def search_key(name: str, official_name: str | None, code: str | None) -> str:
    """What the search box matches: each name's words without their marks, and the GSO code, `|` between.

    The page's script folds what is typed the same way (NFD, marks U+0300–U+036F dropped, đ → d,
    lower case) and finds a unit when each typed word begins a word of one of its names (or its code),
    running on into the next words if it is longer: "kim phu", "Kim Phú", "kimphu" and "02497" find
    xã Kim Phú; "yen son" finds huyện Yên Sơn, never huyện Sơn Dương, whose "huyện" holds "yen".
    """
    return "|".join(" ".join(re.findall(r"[a-z0-9]+", ascii_fold(text))) for text in (name, official_name, code) if text)


def _shared(members: list[Member], catalog: Catalog) -> list[dict[str, Any]]:
    """One line per channel and unit the files are shared from, linking to where they are described."""
    lines = []
    ordered = sorted(members, key=lambda m: (m.asset.channel, m.shared_from))
    for (channel, source), grouped in groupby(ordered, key=lambda m: (m.asset.channel, m.shared_from)):
        group = list(grouped)
        total = sum(int(m.asset.bytes) for m in group)
        lines.append({"channel": channel, "channel_name": channel_name(channel), "count": len(group),
                      "size": byte_size(total), "from": catalog.unit(source).name, "href": f"#kenh-{source}-{channel}"})
    return lines


def _card(bundle: Bundle, result: BundleResult) -> dict[str, Any]:
    output = result.catalog.output
    unit = bundle.unit
    own = [m for m in bundle.members if not m.shared_from]
    channels = []
    ordered = sorted(own, key=lambda m: (m.asset.channel, m.asset.identity, m.asset.path))
    for channel, grouped in groupby(ordered, key=lambda m: m.asset.channel):
        in_channel = list(grouped)
        pieces = [_piece(list(group), result) for _, group in groupby(in_channel, key=lambda m: m.asset.identity)]
        channels.append({"id": channel, "name": channel_name(channel), "pieces": pieces, "count": len(in_channel)})
    proof_bytes = (output / bundle.proof_path).stat().st_size
    return {
        "slug": unit.slug,
        "name": unit.name,
        "official_name": unit.official_name,
        "code": unit.code,
        "search": search_key(unit.name, unit.official_name, unit.code),
        "zip": {"href": _href(bundle.zip_path), "bytes": bundle.zip_bytes, "size": byte_size(bundle.zip_bytes),
                "count": bundle.file_count},
        "proof": {"href": _href(bundle.proof_path), "bytes": proof_bytes, "size": byte_size(proof_bytes)},
        "channels": channels,
        "shared": _shared([m for m in bundle.members if m.shared_from], result.catalog),
    }


def _group_of(unit: UnitInfo, catalog: Catalog) -> str | None:
    """The slug of the unit whose group it joins: itself, its nearest province or district, or None."""
    if unit.kind in GROUP_KINDS:
        return unit.slug
    return next((s for s in catalog.ancestors(unit.slug) if catalog.unit(s).kind in GROUP_KINDS), None)


def unit_groups(cards: list[dict[str, Any]], catalog: Catalog) -> list[dict[str, Any]]:
    """The province's group first, then one per district, each headed by its own card and then its
    communes in the order of the units file; a unit whose parent is not known goes last, under "other".

    Only the province's group is open at first: 146 open cards are a long way to scroll on a phone
    for the one a commune wants, which the search box, the table of contents or its district finds.
    """
    members: dict[str | None, list[dict[str, Any]]] = {}
    for card in cards:
        members.setdefault(_group_of(catalog.unit(card["slug"]), catalog), []).append(card)
    position = {u.slug: index for index, u in enumerate(catalog.units)}

    def order(head: UnitInfo) -> tuple[int, bool, int]:
        # a district after its province, whatever the order of the file (several provinces stay apart)
        province = next((s for s in catalog.ancestors(head.slug) if catalog.unit(s).kind == "province"), head.slug)
        return position[province], head.kind != "province", position[head.slug]

    groups = []
    for head in sorted((u for u in catalog.units if u.kind in GROUP_KINDS), key=order):
        cards_here = sorted(members.pop(head.slug, []), key=lambda card: card["slug"] != head.slug)
        if cards_here:
            groups.append({"id": f"nhom-{head.slug}", "name": head.name, "cards": cards_here,
                           "open": head.kind == "province"})
    if None in members:
        groups.append({"id": OTHER_GROUP, "name": "Đơn vị khác", "cards": members[None], "open": False})
    return groups


def output_folder(campaign_file: str) -> str:
    """The folder `make all` builds a campaign file into, in the project's folder: specs/campaign.yaml
    into output/, specs/campaigns/2025.yaml into output-2025/."""
    if campaign_file == DEFAULT_CAMPAIGN:
        return DEFAULT_OUTPUT
    return f"{DEFAULT_OUTPUT}-{Path(campaign_file).stem}"


def _spec(path: Path, model: type[Campaign] | type[UnitsFile], specs_dir: Path) -> Any:
    """Another campaign's file, validated; None for a file that is not one (a units file beside the
    campaign files), a broken one (its own build says what is wrong) or a link out of specs/."""
    try:
        if not resolved(path).is_relative_to(specs_dir):
            return None
        return validate(model, load(path, path.name))
    except SpecError:
        return None


def other_campaigns(output: Path, campaign_id: str) -> list[dict[str, Any]]:
    """The project's other campaigns, by year: each one's page, as a link relative to this one, and its
    units (slug, name, search key).

    The project is the folder that holds `output`, and its campaigns are its campaign files (the
    default one and those under specs/campaigns/), each built into its `output_folder`. The page of
    one may not be made yet (`make all` makes 2022's first): the link is there all the same, so that
    the page does not depend on which was built first, and works once both are.
    """
    here = Path(os.path.abspath(output))
    root = here.parent
    try:
        specs_dir = resolved(root / "specs")
    except SpecError:
        return []
    if not specs_dir.is_dir():
        return []
    files = [DEFAULT_CAMPAIGN] + sorted(f"specs/{OTHER_CAMPAIGNS}/{p.name}" for p in (root / "specs" / OTHER_CAMPAIGNS).glob("*")
                                        if p.suffix in (".yaml", ".yml"))
    found = []
    for name in files:
        folder = root / output_folder(name)
        campaign = _spec(root / name, Campaign, specs_dir)
        if campaign is None or campaign.id == campaign_id or folder == here:
            continue
        units = _spec(root / "specs" / campaign.units, UnitsFile, specs_dir)
        if units is None:
            continue
        found.append({
            "id": campaign.id, "year": campaign.year,
            "href": _href(Path(os.path.relpath(folder / PAGE, here)).as_posix()),
            "units": [[u.slug, u.shown, search_key(u.shown, u.name if u.display_name else None, u.code)]
                      for u in units.units],
        })
    return sorted(found, key=lambda c: (c["year"], c["id"]))


def page_data(result: BundleResult) -> dict[str, Any]:
    """Everything the page shows, as plain data."""
    catalog = result.catalog
    campaign = catalog.campaign
    cards = [_card(b, result) for b in result.bundles]
    channels = sorted({c["id"] for card in cards for c in card["channels"]} |
                      {line["channel"] for card in cards for line in card["shared"]})
    manifest_bytes = (catalog.output / "manifest.json").stat().st_size
    return {
        "campaign": catalog.campaign_json,
        "period": f"{campaign.period.start:%d/%m/%Y} – {campaign.period.end:%d/%m/%Y}",
        "groups": unit_groups(cards, catalog),
        "unit_count": len(cards),
        "channels": [{"id": c, "name": channel_name(c)} for c in channels],
        "file_count": len(catalog.assets),
        "total_size": byte_size(sum(int(a.bytes) for a in catalog.assets)),
        "manifest": {"href": "manifest.json", "bytes": manifest_bytes, "size": byte_size(manifest_bytes)},
        "campaigns": other_campaigns(catalog.output, campaign.id),
        "version": __version__,
    }


def page_size(page_bytes: int) -> str:
    """The page's weight in whole kB: its length never shrinks as the page grows (see render_page)."""
    return f"{round(page_bytes / 1000):,} kB".replace(",", ".")


def render_page(data: dict[str, Any]) -> bytes:
    """The page as UTF-8, its footer stating the page's own weight (HTML only, without the images).

    The weight is part of what it weighs, so the page is rendered until the two agree; that ends
    within a few rounds because neither the stated number nor page_size's text can get shorter as
    the page grows. Indentation is dropped from every line: at some 150 cards it is a sixth of the page.
    """
    environment = jinja2.Environment(loader=jinja2.PackageLoader("assets_pipeline.delivery", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    # the other campaigns' units, embedded as JSON: Vietnamese as it is, in a third of \u escapes' bytes
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True, "separators": (",", ":")}
    template = environment.get_template("download-page.html.j2")
    page_bytes = 0
    while True:
        html = template.render(**data, page={"bytes": page_bytes, "size": page_size(page_bytes)})
        page = "\n".join(line.lstrip() for line in unicodedata.normalize("NFC", html).splitlines()).encode("utf-8")
        if len(page) == page_bytes:
            return page
        page_bytes = len(page)


def write_download_page(result: BundleResult, made: Made) -> None:
    """Written again only when what it shows, or the code, has changed."""
    data = page_data(result)
    code = package_fingerprint() + extensions_fingerprint()
    key = hashlib.sha256((code + json.dumps(data, sort_keys=True)).encode("utf-8")).hexdigest()
    if not made.current(PAGE, key):
        write_bytes(result.catalog.output / PAGE, render_page(data))
        made.record(PAGE, key, [PAGE])
