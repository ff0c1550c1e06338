"""What is made after the build (bundles, proof sheets, the report) is made again only when needed.

Each piece is recorded under a name with its key (everything it is made from, the code included)
and the size and times (modified and changed) of every file it wrote. It is current while the key is
the same and every file is as it was written: a file edited, replaced or deleted by hand is made again.
"""

from __future__ import annotations

import json
from pathlib import Path

from assets_pipeline.engine.output import write_bytes


class Made:
    """The record of one kind of piece (`bundles`, `report`), kept in `output/.<kind>.made.json`:
    out of the folders people download from, and not part of what must be byte-identical."""

    def __init__(self, output: Path, kind: str):
        self.output = output
        self.path = output / f".{kind}.made.json"
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.known: dict[str, dict] = known if isinstance(known, dict) else {}
        self.now = dict(self.known)

    def current(self, name: str, key: str) -> bool:
        record = self.known.get(name)
        if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("files"), dict):
            return False
        for relative, stamp in record["files"].items():
            try:
                stat = (self.output / relative).stat()
            except OSError:
                return False
            if stamp != [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]:
                return False
        return True

    def record(self, name: str, key: str, files: list[str]) -> None:
        """`files` (relative to output/) were just written for `name` with `key`."""
        stamps = {}
        for relative in files:
            stat = (self.output / relative).stat()
            stamps[relative] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
        self.now[name] = {"key": key, "files": stamps}

    def keep_only(self, names: set[str]) -> None:
        self.now = {name: record for name, record in self.now.items() if name in names}

    def save(self) -> None:
        if self.now != self.known:
            write_bytes(self.path, json.dumps(self.now, ensure_ascii=False, sort_keys=True).encode("utf-8"))
            self.known = dict(self.now)
