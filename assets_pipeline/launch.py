"""The `assets` command's entry: `assets all` with nothing to do answers before the command line loads.

Loading click and every verb's options is a third of such a run; a run that only finds the last
stamp current needs neither. Anything else, or any doubt, goes to the command line (cli.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

# the options of `assets all` that only say where to look (or how many workers, with nothing to do)
_OPTIONS = {"--root": "root", "--output": "output", "--campaign": "campaign", "-j": None, "--jobs": None}


def _where(arguments: list[str]) -> dict[str, str] | None:
    """`all` and its options as a dict, or None for any other command line."""
    if not arguments or arguments[0] != "all":
        return None
    found: dict[str, str] = {}
    rest = arguments[1:]
    while rest:
        option, equals, value = rest.pop(0).partition("=")
        if option not in _OPTIONS:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if name := _OPTIONS[option]:
            found[name] = value
    return found


def _without_language(arguments: list[str]) -> list[str] | None:
    """The arguments after a leading `--lang vi|en` (the language is set), or None if it names another."""
    if not arguments or arguments[0].partition("=")[0] != "--lang":
        return arguments
    _option, equals, language = arguments[0].partition("=")
    rest = arguments[1:]
    if not equals:
        if not rest:
            return None
        language, rest = rest[0], rest[1:]
    from assets_pipeline.core.i18n import language_named, set_language

    if language_named(language) != language:
        return None
    set_language(language)
    return rest


def _answered_from_stamp(arguments: list[str]) -> bool:
    given = _without_language(arguments)
    where = _where(given) if given is not None else None
    if where is None:
        return False
    from assets_pipeline.delivery.everything import last_run_if_current, said_when_up_to_date

    root = Path(where.get("root", "."))
    output = Path(where["output"]) if "output" in where else root / "output"
    try:
        summary = last_run_if_current(root, output, where.get("campaign"),
                                      on_wait=lambda message: print(message, file=sys.stderr))
    except Exception:  # noqa: BLE001 — any doubt: the command line decides and says it properly
        return False
    if summary is None:
        return False
    said, warned = said_when_up_to_date(summary, output)
    print(said)
    if warned:
        print(warned, file=sys.stderr)
    return True


def main() -> None:
    if not _answered_from_stamp(sys.argv[1:]):
        from assets_pipeline.cli import main as command_line

        command_line()
