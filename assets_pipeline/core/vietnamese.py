"""Vietnamese text as it arrives from offices: Unicode NFC, or text pasted from a legacy encoding.

Before Unicode, Vietnamese was typed in TCVN3 (ABC) or VNI with special fonts. Pasted into a
Unicode file, such text turns into Latin-1 letters no Vietnamese word uses: TCVN3's "ChuyÓn ®æi
sè", VNI's "Chuyeån ñoåi soá". Both are refused with a hint rather than printed on a banner.
"""

from __future__ import annotations

import unicodedata

# Latin-1 letters that are Vietnamese (precomposed, NFC) and symbols a designer may type on purpose.
VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
ALLOWED_SYMBOLS = set("×«»°©·±§½¼¾²³ \u00a0")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def legacy_encoding_hint(text: str) -> str | None:
    """A message if `text` looks like TCVN3 or VNI pasted as Latin-1, else None."""
    strange = sorted({c for c in text if 0x80 <= ord(c) <= 0xFF and c not in VIETNAMESE_LATIN1
                      and c not in ALLOWED_SYMBOLS})
    if not strange:
        return None
    shown = "".join(strange[:6])
    return (f"text {text[:40]!r} has characters no Vietnamese word uses ({shown}): it looks like TCVN3 or "
            f"VNI text pasted from an old document; retype it or convert it to Unicode")
