"""Every limit the pipeline enforces, in one place.

Spec and data files come from many offices and are not trusted (SECURITY.md): these bounds keep a
mistaken or hostile spec from exhausting memory, disk or time. Each can be raised on purpose by the
person running the build, never by a spec: set the environment variable ASSETS_LIMIT_<NAME>, e.g.
`ASSETS_LIMIT_MAX_JOBS=100000 assets build`.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, fields
from typing import Any
from assets_pipeline.core.i18n import _


@dataclass(frozen=True)
class Limits:
    max_spec_bytes: int = 2_000_000  # one YAML or CSV file
    max_yaml_nodes: int = 200_000  # values in one YAML document, aliases expanded (alias bombs)
    max_yaml_depth: int = 64  # nesting of one YAML document
    max_template_chars: int = 2_000  # the text one template may produce
    max_template_seconds: float = 2.0  # time one template may take
    max_template_range: int = 10_000  # the largest range() a template may build
    max_template_value: int = 100_000  # characters or items in any value a template builds on the way
    max_px: int = 16_384  # either side of a screen format or a raster proof
    max_mm: float = 100_000  # either side of a print format (100 m)
    max_duration_s: float = 600  # one video
    max_fps: float = 60
    max_jobs: int = 20_000  # designs × units × variants × formats in one build
    max_image_pixels: int = 100_000_000  # a raster image a design places (decompression bombs)
    max_table_rows: int = 20_000  # rows of a list read from CSV or XLSX (the country had 10,599 communes in 2024)
    max_unpacked_bytes: int = 50_000_000  # what an XLSX file (a zip) may unpack to (zip bombs)


def _parse(name: str, raw: str, kind: type) -> int | float:
    try:
        value = kind(raw.strip())
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value <= 0:
        # read when the package loads, before any command runs: say it and stop, as for a bad spec
        said = (_("{name}: must be a positive whole number (got {value!r})", name=name, value=raw) if kind is int
                else _("{name}: must be a positive number (got {value!r})", name=name, value=raw))
        sys.stderr.write(said + "\n")
        raise SystemExit(2)
    return value


def _from_environment() -> Limits:
    values: dict[str, Any] = {}  # an int or a float, as each field is
    for field in fields(Limits):
        name = f"ASSETS_LIMIT_{field.name.upper()}"
        raw = os.environ.get(name)
        if raw is not None:
            values[field.name] = _parse(name, raw, float if field.type == "float" else int)
    return Limits(**values)


LIMITS = _from_environment()
