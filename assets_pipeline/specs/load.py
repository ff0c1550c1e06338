"""Loading: each file read with line numbers, validated, its errors mapped to `file:line: message`.

Validation happens in two passes. Pydantic checks each file's shape and types; `load_specs` then
checks the references between files (checks.py). Both report `file:line: message`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel
from pydantic_core import ErrorDetails

from assets_pipeline.blocks import BLOCK_TYPES
from assets_pipeline.core.errors import ErrorList, SpecError, Where, display_path
from assets_pipeline.core.files import resolved
from assets_pipeline.specs.campaigns import DEFAULT_CAMPAIGN, campaign_file, spec_file
from assets_pipeline.specs.checks import (check_cmyk, check_design, check_documents, check_fonts, check_print,
                                          check_slogans, check_units)
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design
from assets_pipeline.specs.models import HEX_COLOR, SLUG, Campaign, FormatsFile, UnitsFile
from assets_pipeline.specs.awards import FILE as AWARDS_FILE
from assets_pipeline.specs.documents import ServicesFile
from assets_pipeline.specs.awards import Award, load_awards
from assets_pipeline.specs.procedures import FILE as PROCEDURES_FILE
from assets_pipeline.specs.procedures import Procedure, load_procedures
from assets_pipeline.specs.yamlsource import Document, load


def _path_in(data: Any, loc: tuple) -> tuple:
    """Map a pydantic error location onto the YAML data, skipping union tags."""
    path: list[Any] = []
    node = data
    tag_skipped = None
    for part in loc:
        if isinstance(node, dict) and node.get("type") == part and tag_skipped is not node:
            tag_skipped = node  # pydantic names a discriminated union's member by its tag
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue  # a union's tag, or a key that is missing
        path.append(part)
    return tuple(path)


def _message(error: ErrorDetails) -> tuple[str, tuple]:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "unknown_key":
        return error["msg"], loc + (error["ctx"]["key"],)
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return f"missing key '{loc[-1]}'", loc
    if kind == "union_tag_invalid":
        return f"unknown block type {error['input'].get('type')!r} (known: {', '.join(BLOCK_TYPES)})", loc + ("type",)
    if kind == "union_tag_not_found":
        *others, last = BLOCK_TYPES
        return f"a block needs a 'type' ({', '.join(others)} or {last})", loc
    message = error["msg"]
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        if pattern == SLUG:
            message = "must be lower-case ASCII letters, digits and '-' (and not a reserved name such as 'con')"
        elif pattern == HEX_COLOR:
            message = "must be a colour written like '#DA251D'"
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    shown = error.get("input")
    if isinstance(shown, (str, int, float, bool)) and kind not in ("model_type",):
        return f"'{name}': {message} (got {shown!r})", loc
    return (f"'{name}': {message}" if name else message), loc


def validate(model: type[BaseModel], doc: Document) -> Any:
    """Validate a document against a model; every error carries file:line."""
    try:
        return model.model_validate(doc.data if doc.data is not None else {})
    except pydantic.ValidationError as exc:
        errors = ErrorList()
        for error in exc.errors(include_url=False):
            message, loc = _message(error)
            errors.add(doc.error(_path_in(doc.data, loc), message))
        errors.raise_if_any()



def load_specs(root: Path, campaign: str | Path | None = None) -> Specs:
    """Load and cross-check every spec file under `root/specs`; raise every problem at once.
    `campaign` is the campaign file (relative to `root`), default specs/campaign.yaml."""
    root = root.resolve()
    campaign_path = campaign_file(root, campaign)
    specs_dir = root / "specs"
    errors = ErrorList()
    docs: dict[str, Document] = {}

    def read(path: Path, model: type[BaseModel]) -> Any:
        name = display_path(path, Path.cwd()) if path.is_relative_to(Path.cwd().resolve()) else str(path)
        try:
            if path.exists() and not resolved(path).is_relative_to(specs_dir.resolve()):
                raise SpecError("is a link to a file outside specs/; copy the file instead", Where(name))
            doc = load(path, name)
            docs[str(path.relative_to(specs_dir))] = doc
            return validate(model, doc)
        except SpecError as exc:
            errors.add(exc if exc.where else SpecError(exc.message, Where(name)))
            return None

    def outside_specs(key: str, file: str) -> str | None:
        """Why the file the campaign names under `key` cannot be read, if it cannot: a link out or a loop."""
        try:
            inside = resolved(spec_file(root, file)).is_relative_to(specs_dir.resolve())
        except SpecError as exc:
            return f"{key} file {exc.message}"
        return None if inside else f"{key} file '{file}' must be a file under specs/"

    the_campaign = read(campaign_path, Campaign)
    campaign_key = str(campaign_path.relative_to(specs_dir)) if campaign_path.exists() else "campaign.yaml"
    units_key = the_campaign.units if the_campaign is not None else "units.yaml"
    units_file = None
    if the_campaign is not None and (why := outside_specs("units", units_key)):
        errors.add(docs[campaign_key].error(("units",), why))
    elif the_campaign is not None and not spec_file(root, units_key).is_file():
        errors.add(docs[campaign_key].error(("units",), f"units file '{units_key}' does not exist"))
    else:
        units_file = read(spec_file(root, units_key), UnitsFile)
    formats_file = read(specs_dir / "formats.yaml", FormatsFile)
    design_paths = sorted((specs_dir / "designs").glob("*.yaml"))
    designs: dict[str, Design] = {}
    for path in design_paths:
        design = read(path, Design)
        if not re.fullmatch(SLUG, path.stem):
            errors.add(SpecError("a design's file name must be lower-case ASCII letters, digits and '-'",
                                 docs[str(path.relative_to(specs_dir))].where()))
        elif design is not None:
            designs[path.stem] = design
    if the_campaign is not None:
        check_fonts(the_campaign, docs[campaign_key], root, errors)
        check_cmyk(the_campaign, docs[campaign_key], errors)
        check_print(the_campaign, docs[campaign_key], root, errors)
        check_slogans(the_campaign, docs[campaign_key], errors)
    if units_file is not None:
        check_units(units_file.units, docs[str(spec_file(root, units_key).relative_to(specs_dir))], errors)
    procedures: list[Procedure] = []
    procedures_path: Path | None = spec_file(root, the_campaign.procedures if the_campaign is not None else PROCEDURES_FILE)
    if the_campaign is not None and (why := outside_specs("procedures", the_campaign.procedures)):
        errors.add(docs[campaign_key].error(("procedures",), why))
        procedures_path = None
    awards: list[Award] = []
    awards_path: Path | None = spec_file(root, the_campaign.awards if the_campaign is not None else AWARDS_FILE)
    if the_campaign is not None and (why := outside_specs("awards", the_campaign.awards)):
        errors.add(docs[campaign_key].error(("awards",), why))
        awards_path = None
    tables: list[tuple[Path | None, Callable[[Path, str, list[str]], list[Any]], list[Any]]] = [
        (procedures_path, load_procedures, procedures), (awards_path, load_awards, awards)]
    for csv_path, loader, into in tables:
        if units_file is None or csv_path is None or not csv_path.is_file():
            continue
        name = display_path(csv_path, Path.cwd()) if csv_path.is_relative_to(Path.cwd().resolve()) else str(csv_path)
        try:
            into.extend(loader(csv_path, name, [u.slug for u in units_file.units]))
        except SpecError as exc:
            errors.add(exc)
    services_file = None
    if the_campaign is not None and (why := outside_specs("services", the_campaign.services)):
        errors.add(docs[campaign_key].error(("services",), why))
    elif the_campaign is not None and spec_file(root, the_campaign.services).is_file():
        services_file = read(spec_file(root, the_campaign.services), ServicesFile)
    if the_campaign is None or units_file is None or formats_file is None:
        errors.raise_if_any()
    assert units_file is not None  # reading it said why it is not there
    specs = Specs(root, the_campaign, list(units_file.units), dict(formats_file.formats), designs, docs, procedures, awards,
                  list(units_file.departments), dict(services_file.services) if services_file else {})
    check_documents(specs, campaign_key, the_campaign.services, errors)
    for design_id, design in designs.items():
        check_design(design_id, design, docs[f"designs/{design_id}.yaml"], specs, errors)
    errors.raise_if_any()
    return specs


def campaign_id(root: Path, campaign: str | Path | None = None) -> str | None:
    """The id of the campaign a command is for, from its campaign file alone; None when no campaign
    was named and the project has no default one (an output folder handled on its own)."""
    root = root.resolve()
    if campaign is None and not (root / DEFAULT_CAMPAIGN).exists():
        return None
    path = campaign_file(root, campaign)
    name = display_path(path, Path.cwd()) if path.is_relative_to(Path.cwd().resolve()) else str(path)
    return validate(Campaign, load(path, name)).id
