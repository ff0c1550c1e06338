"""`assets new`: start a design from an existing one, add a format with its size validated.

Both edit the spec files as text, so the designers' comments and ordering stay as they were.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pydantic
import yaml

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.engine.output import write_bytes
from assets_pipeline.specs.load import pydantic_message
from assets_pipeline.specs.models import SLUG, Format


def new_design(root: Path, name: str, source: str, title: str | None = None) -> Path:
    designs = root / "specs/designs"
    if not re.fullmatch(SLUG, name):
        raise SpecError(_("design name '{name}' must be lower-case ASCII letters, digits and '-'", name=name))
    existing = sorted(p.stem for p in designs.glob("*.yaml"))
    if source not in existing:
        raise SpecError(_("design '{design}' is not defined", design=source) + did_you_mean(source, existing))
    target = designs / f"{name}.yaml"
    if target.exists():
        raise SpecError(_("design '{design}' already exists: {file}", design=name, file=target.relative_to(root)))
    text = (designs / f"{source}.yaml").read_text(encoding="utf-8")
    new_title = title or f"{name} (from {source})"
    text, count = re.subn(r"(?m)^title:.*$", f"title: {yaml.safe_dump(new_title, allow_unicode=True).splitlines()[0]}",
                          text, count=1)
    if not count:
        text = f"title: {new_title}\n" + text
    write_bytes(target, text.encode("utf-8"))
    return target


def new_format(root: Path, format_id: str, fields: dict[str, Any]) -> Path:
    path = root / "specs/formats.yaml"
    if not re.fullmatch(SLUG, format_id):
        raise SpecError(_("format id '{format}' must be lower-case ASCII letters, digits and '-'", format=format_id))
    text = path.read_text(encoding="utf-8")
    if re.search(rf"(?m)^  {re.escape(format_id)}:\s*$", text):
        raise SpecError(_("format '{format}' already exists in specs/formats.yaml", format=format_id))
    fields = {key: value for key, value in fields.items() if value is not None}
    try:
        Format.model_validate(fields)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "format"
        raise SpecError(f"{where}: {pydantic_message(first).removeprefix('Value error, ')}") from None
    lines = [f"  {format_id}:"]
    for key, value in fields.items():
        dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=200).strip()
        lines.append(f"    {key}: {dumped.removesuffix('...').strip()}")
    write_bytes(path, (text.rstrip("\n") + "\n" + "\n".join(lines) + "\n").encode("utf-8"))
    return path


def format_next_step(root: Path, format_id: str, channel: str) -> str:
    """What a new format still needs before anything is made in it: a design that lists it (one of
    the channel's, when there are some), and, for a kind of unit that design restricts, that kind's list."""
    formats = yaml.safe_load((root / "specs/formats.yaml").read_text(encoding="utf-8")) or {}
    in_channel = {fid for fid, f in (formats.get("formats") or {}).items() if isinstance(f, dict)
                  and f.get("channel") == channel and fid != format_id}
    designs, restricted = [], []
    for path in sorted((root / "specs/designs").glob("*.yaml")):
        try:
            design = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # `assets check` says what is wrong with it
        listed = design.get("formats") if isinstance(design, dict) else None
        if isinstance(listed, list) and in_channel.intersection(listed):
            designs.append(path.relative_to(root).as_posix())
            kinds = ((design.get("units") or {}).get("formats") or {}) if isinstance(design.get("units"), dict) else {}
            restricted += [f"{path.relative_to(root).as_posix()}: units.formats.{kind}" for kind in kinds]
    said = [_("added format '{format}' to specs/formats.yaml; nothing is made in it until a design lists it.",
              format=format_id)]
    if designs:
        said.append(_("Next: add '{format}' to the formats: of {designs} (the designs of channel {channel}).",
                      format=format_id, designs=", ".join(designs), channel=channel))
    else:
        said.append(_("Next: add '{format}' to the formats: of a design in specs/designs/.", format=format_id))
    if restricted:
        said.append(_("A kind of unit listed in units.formats gets only the formats listed there ({lists}): add it "
                      "there too for that kind.", lists="; ".join(restricted)))
    said.append(_("Then: assets check, and assets build."))
    return "\n".join(said)
