"""Delivery is never silently older than the files it packs.

Bundles, the download page and proof sheets, and the report each record the manifest they were made
from (its SHA-256, in `output/.delivered.json`). After a build that changed the manifest, a part
made from an older one is stale: the command line says so with what to run, and the download page
carries a notice at its top until it is made again (`assets bundle` writes it anew).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from collections.abc import Callable

from assets_pipeline.core.i18n import N_, _
from assets_pipeline.engine.output import MANIFEST, write_bytes

DELIVERED = ".delivered.json"
BUNDLES, REPORT = "bundles", "report"
# where a part shows that it was made at all
MADE_BY = {BUNDLES: ("index.html", "bundles"), REPORT: ("report/bao-cao-ket-qua.csv",)}
PART_NAMES = {BUNDLES: N_("the bundles, proof sheets and download page"), REPORT: N_("the report")}
STALE_MARK = "<!-- stale-notice -->"  # in the page's template, right after <body>
STALE_NOTICE = ('<p class="stale" role="alert"><strong>Trang này và các gói ZIP cũ hơn các tệp vừa làm lại: '
                'chưa gửi đi.</strong> Người làm tệp chạy <code>make all</code> (hoặc <code>assets bundle</code> '
                'và <code>assets report</code>) để cập nhật.</p>')


def manifest_digest(output: Path) -> str | None:
    try:
        return hashlib.sha256((output / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return None


def _recorded(output: Path) -> dict[str, str]:
    try:
        known = json.loads((output / DELIVERED).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def record_delivered(output: Path, part: str, digest: str | None) -> None:
    """`part` was just made from the manifest whose SHA-256 is `digest`."""
    known = _recorded(output)
    if digest is not None and known.get(part) != digest:
        write_bytes(output / DELIVERED, json.dumps({**known, part: digest}, sort_keys=True).encode("utf-8"))


def stale_parts(output: Path) -> list[str]:
    """The parts of delivery that exist and were made from another manifest than the current one."""
    now, known = manifest_digest(output), _recorded(output)
    return [part for part, shows in MADE_BY.items()
            if any((output / name).exists() for name in shows) and known.get(part) != now]


def say_if_stale(output: Path, say: Callable[[str], None]) -> None:
    """After a build (the command line's or `watch`'s): parts made from an older manifest are said to
    be so, and the download page carries the notice."""
    parts = stale_parts(output)
    if parts:
        mark_page_stale(output)
        say(said_when_stale(parts))


def said_when_stale(parts: list[str]) -> str:
    return _("note: older than the files, not to be sent as they are: {parts}. Run `make all` (or `assets bundle` and "
             "`assets report`)", parts="; ".join(_(PART_NAMES[p]) for p in parts))


def mark_page_stale(output: Path) -> None:
    """Put the notice at the top of the download page, once."""
    page = output / "index.html"
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return
    if STALE_MARK in text:
        write_bytes(page, text.replace(STALE_MARK, STALE_NOTICE, 1).encode("utf-8"))
