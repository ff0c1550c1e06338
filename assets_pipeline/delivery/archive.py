"""Zip files that anyone can check: the same members always give the same bytes.

Entries are sorted by name, every timestamp is the same fixed date, permissions are fixed
(0644 files, made on Unix), and names can neither be absolute nor climb out with `..`. Media that
are compressed already (PNG, JPEG, MP4, PDF streams: the registry's media say so, core/media.py) are
stored; text is deflated.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from assets_pipeline.core.i18n import _
from assets_pipeline.core.media import MEDIA
from assets_pipeline.delivery.catalog import CatalogError
from assets_pipeline.engine.output import atomic_path
from assets_pipeline.render.entry import safe_relative_path

# The earliest date a zip can hold; any fixed date would do, this one says "not a real time".
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644
MADE_ON_UNIX = 3
# compressed files of other tools that a bundle may carry besides the registry's media
STORED_SUFFIXES = (".jpeg", ".gif", ".webp", ".webm", ".mov", ".zip")


def stored_suffixes() -> tuple[str, ...]:
    return STORED_SUFFIXES + tuple(f".{m.extension}" for m in MEDIA.values() if m.compressed)


@dataclass(frozen=True)
class ZipMember:
    """One entry: its name inside the zip and either the file to copy or the bytes to write."""

    name: str
    source: Path | None = None
    data: bytes | None = None
    expected_sha256: str | None = None  # the file is refused if its bytes no longer match


class ArchiveError(CatalogError):
    pass


def _info(name: str, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
    info.create_system = MADE_ON_UNIX
    info.external_attr = FILE_MODE << 16
    stored = name.lower().endswith(stored_suffixes())
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.file_size = size
    return info


def write_zip(final: Path, members: list[ZipMember]) -> None:
    """Write the zip atomically: readers see the old zip or the whole new one, never half."""
    names = [m.name for m in members]
    for name in names:
        if not safe_relative_path(name):
            raise ArchiveError(_("unsafe name in zip: {name!r}", name=name))
    if len(set(names)) != len(names):
        raise ArchiveError(_("two members with the same name"))
    with atomic_path(final) as temporary:
        with zipfile.ZipFile(temporary, "w") as archive:
            for member in sorted(members, key=lambda m: m.name):
                if member.data is not None:
                    info = _info(member.name, len(member.data))
                    archive.writestr(info, member.data)
                    continue
                if member.source is None or not member.source.is_file():
                    raise ArchiveError(_("{path} is missing: run `assets build` again", path=member.source))
                info = _info(member.name, member.source.stat().st_size)
                digest = hashlib.sha256()
                with open(member.source, "rb") as source, archive.open(info, "w") as target:
                    for chunk in iter(lambda: source.read(1 << 20), b""):
                        digest.update(chunk)
                        target.write(chunk)
                if member.expected_sha256 is not None and digest.hexdigest() != member.expected_sha256:
                    raise ArchiveError(_("{path} has changed since the build (SHA-256 differs from manifest.json): run "
                                         "`assets build` again", path=member.source))


def sha256sums(entries: list[tuple[str, bytes | str]]) -> bytes:
    """The `sha256sum -c` format: `<hex>  <name>` per line; a str value is a hex digest already."""
    lines = []
    for name, content in sorted(entries):
        digest = content if isinstance(content, str) else hashlib.sha256(content).hexdigest()
        lines.append(f"{digest}  {name}\n")
    return "".join(lines).encode("utf-8")

