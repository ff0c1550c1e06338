"""Messages in the reader's language: Vietnamese by default, English on request.

Every message a designer or an office reads is written in the code as an English msgid with named
placeholders (python-brace-format) and looked up when the message is made:

    _("unknown key '{key}'", key=key)
    ngettext("{count} problem", "{count} problems", count, count=count)

A message made before anyone reads it (a table at import time, a finding kept on disk) is marked with
`N_` and looked up by `_` where it is shown. The Vietnamese catalogue is
`assets_pipeline/locale/vi/LC_MESSAGES/assets_pipeline.po`; English needs none (the msgids are English).
The catalogue is read with Babel the first time a Vietnamese message is made and compiled in memory:
no compiled `.mo` file is kept in the repository or has to be built at install.

The language: `set_language` (the command line's `--lang`), else `ASSETS_LANG`, else the first of
`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` that names English or Vietnamese, else Vietnamese.
Numbers given as placeholders are written as the language writes them: `3.68` and `1,234` in
English, `3,68` and `1.234` in Vietnamese; a value shown with `!r` (a spec value, quoted as written)
is left as it is.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import string
from pathlib import Path
from typing import Any

DOMAIN = "assets_pipeline"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
# where the language is looked for, in order (`LANGUAGE` may list several, `vi:en`)
ENVIRONMENT = ("ASSETS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None


def language_named(value: str | None) -> str | None:
    """`en` or `vi` if `value` (a language or a locale such as `en_US.UTF-8`) names one of them."""
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split(".")[0].split("@")[0].split("_")[0]
    return code if code in LANGUAGES else None


def language_from_environment(environ: Any = None) -> str:
    environ = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        for value in environ.get(name, "").split(":"):
            if language := language_named(value):
                return language
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> None:
    """Speak `language` (`vi` or `en`) from now on in this process; None: as the environment says."""
    if language is not None and language_named(language) is None:
        raise ValueError(f"no messages in {language!r} (known: {', '.join(LANGUAGES)})")
    global _chosen
    _chosen = language_named(language)


def current_language() -> str:
    return _chosen or language_from_environment()


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The messages of `language`: its catalogue compiled in memory (English: the msgids themselves)."""
    path = catalogue_path(language)
    if language == "en" or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as file:
        catalog = read_po(file, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class _Formatter(string.Formatter):
    """str.format, with numbers written the way the language writes them."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        formatted = super().format_field(value, format_spec)
        if self.language == "vi" and isinstance(value, (int, float)) and not isinstance(value, bool):
            formatted = formatted.translate(_SWAP_SEPARATORS)
        return formatted


_SWAP_SEPARATORS = str.maketrans({".": ",", ",": "."})


def _filled(message: str, language: str, params: dict[str, Any]) -> str:
    return _Formatter(language).vformat(message, (), params) if params else message


def _(message: str, /, **params: Any) -> str:
    """`message` in the current language, its placeholders filled from `params` (none: as it is)."""
    if not message:
        return message  # gettext's "" is the catalogue's header
    language = current_language()
    return _filled(translations(language).gettext(message), language, params)


def ngettext(singular: str, plural: str, count: int, /, **params: Any) -> str:
    """The form of the message for `count`, in the current language, its placeholders filled."""
    language = current_language()
    return _filled(translations(language).ngettext(singular, plural, count), language, params)


def N_(message: str) -> str:  # noqa: N802 (the name gettext's tools look for)
    """Marks a message for the catalogue without looking it up: `_` does, where it is shown."""
    return message


def number(value: float, format_spec: str = "g") -> str:
    """A number as the current language writes it, outside a message."""
    return _Formatter(current_language()).format_field(value, format_spec)


def one_of(values: list[str], quote: bool = True) -> str:
    """`'a', 'b' or 'c'` in the current language."""
    shown = [f"'{v}'" if quote else str(v) for v in values]
    if len(shown) < 2:
        return "".join(shown)
    return _("{items} or {last}", items=", ".join(shown[:-1]), last=shown[-1])
