"""Vietnamese words of more than one syllable, found by a word segmenter, so no line breaks inside them.

Vietnamese writes a space between the syllables of one word ("chuyển đổi", "người dân"), so a
line breaker that knows only spaces splits words. underthesea's CRF segmenter (Apache-2.0; its
model ships inside the wheel, nothing is downloaded) finds them in a new year's slogan with no
list; the campaign's `phrases` stay the designer's override for what it misses ("chuyển đổi số",
a unit name standing alone in capitals).

Two habits of the model are worked around here:
- it was trained on ordinary case: capitals make it group too much ("SỐ ĐỂ"), so text is
  segmented in lower case, and also as given when it is not all capitals (capitals mark names);
- it knows the older tone placement of open syllables ("hoá", "thuỷ", "uỷ"): in the newer
  "hóa", "thủy", "ủy" it splits "Ủy ban" and "Chiêm Hóa", so each syllable is respelled first,
  keeping the text's length so that positions map back.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
OPEN_SYLLABLE = re.compile(rf"(?i)^(\w*?)(o|u)([{TONES}])(a|e|y)$")  # -óa, -óe, -úy in NFD


def _older_spelling(syllable: str) -> str:
    """`hóa` → `hoá`, `thủy` → `thuỷ`; `quý`-like syllables, where u is part of qu, stay."""
    match = OPEN_SYLLABLE.match(unicodedata.normalize("NFD", syllable))
    if not match or (match.group(2).lower() == "o") == (match.group(4).lower() == "y"):
        return syllable
    head, glide, tone, vowel = match.groups()
    if head.lower().endswith("q"):
        return syllable
    return unicodedata.normalize("NFC", head + glide + vowel + tone)


def _spans(text: str) -> list[tuple[int, int]]:
    """Start and end in `text` of each word of more than one syllable."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is in the package; never reach a hub
    from underthesea import word_tokenize

    spans: list[tuple[int, int]] = []
    position = 0
    for word in word_tokenize(text, use_token_normalize=False):
        parts = word.split()
        start = end = text.find(parts[0], position)
        if start < 0:
            break
        for part in parts:
            end = text.find(part, end)
            if end < 0:
                return spans
            end += len(part)
        position = end
        if len(parts) > 1:
            spans.append((start, end))
    return spans


@functools.lru_cache(maxsize=4096)
def compound_words(text: str) -> tuple[str, ...]:
    """The words of `text` of more than one syllable, space-joined, in the text's own spelling."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if len(text.split()) < 2:
        return ()
    respelled = re.sub(r"\w+", lambda m: _older_spelling(m.group()), text)
    lower = respelled.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: positions would not map back
        lower = respelled
    spans = _spans(lower)
    if not text.isupper():
        spans += _spans(respelled)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(text[start:end] for start, end in merged)
