"""The download page, `output/index.html`: one card per unit with its zip and every file in it.

One self-contained HTML file (inline CSS and script, relative links, thumbnails from output/) so it
works opened from disk, served by `assets serve`, or copied to any web server as it is.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from itertools import groupby
from typing import Any
from urllib.parse import quote

import jinja2

from assets_pipeline import __version__
from assets_pipeline.delivery.catalog import Member
from assets_pipeline.delivery.describe import byte_size, channel_name, media_name, role, size_text, slogan_text, usage
from assets_pipeline.delivery.results import Bundle, BundleResult
from assets_pipeline.engine.keys import package_fingerprint
from assets_pipeline.engine.made import Made
from assets_pipeline.engine.output import write_bytes

PAGE = "index.html"


def _href(relative: str) -> str:
    return quote(relative, safe="/")


def _piece(members: list[Member], result: BundleResult) -> dict[str, Any]:
    """One piece of artwork (a PDF and its proof, a video and its stills): one thumbnail, every file."""
    catalog = result.catalog
    first = members[0].asset
    thumbnail = result.thumbnails[first.path]
    title = catalog.format_title(first.format) or first.format or first.name
    texts = slogan_text(first)
    alt = f"{title}: {texts}" if texts else title
    if thumbnail.source == "placeholder":
        alt = f"{title}: không có ảnh xem trước ({media_name(first.media)})"
    return {
        "title": title,
        "texts": texts,
        "thumb": {"href": _href(thumbnail.path), "width": thumbnail.px[0], "height": thumbnail.px[1], "alt": alt},
        "shared_from": catalog.unit(members[0].shared_from).name if members[0].shared_from else None,
        "files": [{
            "href": _href(m.asset.path), "name": m.asset.name, "media": media_name(m.asset.media),
            "size": size_text(m.asset), "bytes": int(m.asset.bytes), "bytes_text": byte_size(int(m.asset.bytes)),
            "usage": usage(m.asset, catalog), "role": role(m.asset, catalog),
        } for m in members],
    }


def _card(bundle: Bundle, result: BundleResult) -> dict[str, Any]:
    output = result.catalog.output
    channels = []
    ordered = sorted(bundle.members, key=lambda m: (m.asset.channel, m.asset.identity, m.asset.path))
    for channel, in_channel in groupby(ordered, key=lambda m: m.asset.channel):
        in_channel = list(in_channel)
        pieces = [_piece(list(group), result) for _, group in groupby(in_channel, key=lambda m: m.asset.identity)]
        channels.append({"id": channel, "name": channel_name(channel), "pieces": pieces, "count": len(in_channel)})
    proof_bytes = (output / bundle.proof_path).stat().st_size
    return {
        "slug": bundle.unit.slug,
        "name": bundle.unit.name,
        "zip": {"href": _href(bundle.zip_path), "bytes": bundle.zip_bytes, "size": byte_size(bundle.zip_bytes),
                "count": bundle.file_count},
        "proof": {"href": _href(bundle.proof_path), "bytes": proof_bytes, "size": byte_size(proof_bytes)},
        "shared": sum(1 for m in bundle.members if m.shared_from),
        "channels": channels,
    }


def page_data(result: BundleResult) -> dict[str, Any]:
    """Everything the page shows, as plain data."""
    catalog = result.catalog
    campaign = catalog.specs.campaign
    cards = [_card(b, result) for b in result.bundles]
    channels = sorted({c["id"] for card in cards for c in card["channels"]})
    manifest_bytes = (catalog.output / "manifest.json").stat().st_size
    return {
        "campaign": campaign.model_dump(mode="json"),
        "period": f"{campaign.period.start:%d/%m/%Y} – {campaign.period.end:%d/%m/%Y}",
        "cards": cards,
        "channels": [{"id": c, "name": channel_name(c)} for c in channels],
        "file_count": len(catalog.assets),
        "total_size": byte_size(sum(int(a.bytes) for a in catalog.assets)),
        "manifest": {"href": "manifest.json", "bytes": manifest_bytes, "size": byte_size(manifest_bytes)},
        "version": __version__,
    }


def render_page(data: dict[str, Any]) -> str:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("assets_pipeline.delivery", "templates"),
                                     autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    html = environment.get_template("download-page.html.j2").render(**data)
    return unicodedata.normalize("NFC", html)


def write_download_page(result: BundleResult, made: Made) -> None:
    """Written again only when what it shows, or the code, has changed."""
    data = page_data(result)
    key = hashlib.sha256((package_fingerprint() + json.dumps(data, sort_keys=True)).encode("utf-8")).hexdigest()
    if not made.current(PAGE, key):
        write_bytes(result.catalog.output / PAGE, render_page(data).encode("utf-8"))
        made.record(PAGE, key, [PAGE])
