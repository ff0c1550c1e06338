"""Small helpers for messages that point at what the user probably meant."""

from __future__ import annotations

import difflib
from assets_pipeline.core.i18n import _


def did_you_mean(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return " " + _("(did you mean '{word}'?)", word=close[0])
    return " " + _("(known: {words})", words=", ".join(known)) if known else ""
