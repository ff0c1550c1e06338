"""Vietnamese text as it arrives from offices: Unicode NFC, or text pasted from a legacy encoding.

Before Unicode, Vietnamese was typed in TCVN3 (ABC) or VNI with special fonts. Pasted into a
Unicode file, such text turns into Latin-1 letters no Vietnamese word uses: TCVN3's "ChuyÓn ®æi
sè", VNI's "Chuyeån ñoåi soá". Both are refused with a hint rather than printed on a banner.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from assets_pipeline.core.i18n import _

# The level word an official unit's name begins with, as GSO writes it ("cấp"), and those of the
# commune level (from 1 July 2025 the only level under the province).
LEVELS = ("tỉnh", "thành phố", "huyện", "thị xã", "quận", "xã", "phường", "thị trấn", "đặc khu")
COMMUNE_LEVELS = ("xã", "phường", "thị trấn", "đặc khu")

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
    return _("text {text!r} has characters no Vietnamese word uses ({characters}): it looks like TCVN3 or VNI text "
             "pasted from an old document; retype it or convert it to Unicode", text=text[:40], characters=shown)


# Control, format (zero-width, bidirectional overrides, BOM, soft hyphen), line-separator and
# private-use characters print as nothing, or reorder what follows: no text on a banner may hold one.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}
LINE_BREAKS = set("\n\r\t")  # YAML's block scalars keep them; they are whitespace and collapse


def shown(character: str) -> str:
    """A character that must not reach the terminal as itself: `U+200B ZERO WIDTH SPACE`."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X}" + (f" {name}" if name else "")


def invisible_hint(text: str) -> str | None:
    """A message if `text` holds a character that prints as nothing or reorders the text, else None."""
    found = sorted({c for c in text if c not in LINE_BREAKS and unicodedata.category(c) in INVISIBLE_CATEGORIES})
    if not found:
        return None
    characters = ", ".join(shown(c) for c in found[:3]) + (" …" if len(found) > 3 else "")
    return _("text holds {characters}, which does not print (or reorders the text): delete it", characters=characters)


def ascii_fold(text: str) -> str:
    """Vietnamese without its marks, lower case: `Xã Kim Phú` → `xa kim phu` (đ → d: it is no mark)."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").lower()


def grouped(value: float, decimals: int = 0) -> str:
    """A number as Vietnamese prints it: a point between thousands, a comma before decimals (1.234; 12,5)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def short_date(day: dt.date) -> str:
    """`06/10/2022`: day and month always in two digits, as forms and tables write a date."""
    return day.strftime("%d/%m/%Y")


def long_date(day: dt.date) -> str:
    """`ngày 06 tháng 10 năm 2022`, as an administrative document writes it (Nghị định 30/2020/NĐ-CP,
    Phụ lục I: a day below 10 and the months 1 and 2 take a leading zero, so that no digit can be put in
    front of them; the other months are written as they are: `ngày 15 tháng 3 năm 2025`)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
