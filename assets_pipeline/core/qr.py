"""QR codes: the symbol (segno) and its modules as runs of dark squares that every renderer draws.

Always a full QR code at error level H: a Micro QR needs a reader that many phone apps lack, and H
keeps a notice readable when a corner is torn or a pin goes through it. The quiet zone of 4 modules
is part of the placed box, so no design can crowd it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from urllib.parse import urlsplit
from assets_pipeline.core.i18n import _

QUIET_ZONE_MODULES = 4
ERROR_LEVEL = "h"
MIN_MODULE_PX = 2  # below two pixels a module blurs into its neighbours on a phone camera
MIN_MODULE_MM = 0.5  # what an office laser printer and a phone camera read reliably
MAX_URL_CHARS = 1000
MAX_QR_BYTES = 1273  # a version-40 code at level H, in byte mode


class BadAddress(ValueError):
    pass


def check_url(url: str) -> None:
    """An address worth printing: http(s), a host, nothing a scanner would cut."""
    if not url:
        raise BadAddress(_("the address is empty"))
    if len(url) > MAX_URL_CHARS:
        raise BadAddress(_("the address is longer than {count} characters", count=MAX_URL_CHARS))
    if any(c.isspace() for c in url) or not url.isprintable():
        raise BadAddress(_("bad URL {url!r}: it contains spaces or control characters", url=url))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — a port that is not a number raises here, as the scanner's browser would refuse it
    except ValueError as exc:  # "https://[host/…": an unclosed IPv6 bracket
        raise BadAddress(_("bad URL {url!r}: {problem}", url=url, problem=exc)) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise BadAddress(_("bad URL {url!r}: give a full http:// or https:// address with a host name", url=url))
    try:
        symbol(url)
    except ValueError:  # segno's DataOverflowError: more bytes than a version-40 code holds at level H
        raise BadAddress(_("the address is {count:,} bytes long: a QR code at error level H holds at most {most:,}; "
                           "use a shorter address", count=len(url.encode()), most=MAX_QR_BYTES)) from None


@dataclass(frozen=True)
class Symbol:
    """The modules of one QR code, without its quiet zone."""

    data: str
    version: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def modules(self) -> int:
        return len(self.rows)

    @property
    def modules_with_quiet_zone(self) -> int:
        return self.modules + 2 * QUIET_ZONE_MODULES

    def dark_runs(self) -> list[tuple[int, int, int]]:
        """(row, first column, length) of every horizontal run of dark modules, quiet zone included
        in the coordinates: drawn as one rectangle each, adjacent modules leave no seams."""
        runs = []
        for r, row in enumerate(self.rows):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    runs.append((r + QUIET_ZONE_MODULES, start + QUIET_ZONE_MODULES, c - start))
                else:
                    c += 1
        return runs


@functools.lru_cache(maxsize=1024)
def symbol(data: str) -> Symbol:
    import segno  # loaded only when a code is drawn

    qr = segno.make_qr(data, error=ERROR_LEVEL, boost_error=False)
    assert not qr.is_micro and qr.error == "H"
    rows = tuple(tuple(bool(v) for v in row) for row in qr.matrix)
    return Symbol(data, int(qr.version), rows)


def module_size(side: float, symbol_: Symbol, pixels: bool) -> float:
    """The largest module that fits `side` with the quiet zone; whole pixels on screen, so every
    module edge falls on a pixel edge and the code stays crisp."""
    size = side / symbol_.modules_with_quiet_zone
    return float(math.floor(size)) if pixels else size


def smallest_module(pixels: bool) -> float:
    return MIN_MODULE_PX if pixels else MIN_MODULE_MM
