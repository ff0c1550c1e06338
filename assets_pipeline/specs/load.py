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
from assets_pipeline.core.i18n import N_, _, current_language, one_of
from assets_pipeline.specs.campaigns import DEFAULT_CAMPAIGN, campaign_file, spec_file
from assets_pipeline.specs.checks import (check_cmyk, check_design, check_documents, check_fonts, check_formats, check_print,
                                          check_slogans, check_units)
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.designs import Design
from assets_pipeline.specs.models import HEX_COLOR, SLUG, Campaign, FormatsFile, UnitsFile
from assets_pipeline.specs.awards import FILE as AWARDS_FILE
from assets_pipeline.specs.documents import ServicesFile
from assets_pipeline.specs.awards import Award, load_awards
from assets_pipeline.specs.indicators import IndicatorsFile
from assets_pipeline.specs.totals import load_totals
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


# pydantic's messages by error type, with the names of their context values. English is pydantic's own
# text (singular where it says so); another language says these, filled from the error's context, and
# a rarer type stays in pydantic's English.
PYDANTIC_MESSAGES = {
    "string_type": N_("Input should be a valid string"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "finite_number": N_("Input should be a finite number"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary"),
    "model_attributes_type": N_("Input should be a valid dictionary"),
    "list_type": N_("Input should be a valid list"),
    "tuple_type": N_("Input should be a valid tuple"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_("Datetimes provided to dates should have zero time - e.g. be exact dates"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "too_short": N_("Should have at least {min_length} items after validation, not {actual_length}"),
    "too_long": N_("Should have at most {max_length} items after validation, not {actual_length}"),
}


def pydantic_message(error: ErrorDetails) -> str:
    """pydantic's message for `error` in the current language."""
    kind, message = error["type"], error["msg"]
    if current_language() == "en" or kind not in PYDANTIC_MESSAGES:
        return message
    context = {name: int(value) if isinstance(value, float) and value.is_integer() else value
               for name, value in (error.get("ctx") or {}).items()}
    expected = context.get("expected")
    if isinstance(expected, str):
        items = re.findall(r"'(?:[^'\\]|\\.)*'", expected)
        if len(items) > 1 and ", ".join(items[:-1]) + " or " + items[-1] == expected:
            context["expected"] = one_of(items, quote=False)
    try:
        return _(PYDANTIC_MESSAGES[kind], **context)
    except (KeyError, IndexError, ValueError):  # a context this pydantic does not give: its own words
        return message


def _message(error: ErrorDetails) -> tuple[str, tuple]:
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "unknown_key":
        return error["msg"], loc + (error["ctx"]["key"],)
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        return _("missing key '{key}'", key=loc[-1]), loc
    if kind == "union_tag_invalid":
        return (_("unknown block type {type!r} (known: {known})", type=error["input"].get("type"),
                  known=", ".join(BLOCK_TYPES)), loc + ("type",))
    if kind == "union_tag_not_found":
        return _("a block needs a 'type' ({types})", types=one_of(list(BLOCK_TYPES), quote=False)), loc
    message = pydantic_message(error)
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        if pattern == SLUG:
            message = _("must be lower-case ASCII letters, digits and '-' (and not a reserved name such as 'con')")
        elif pattern == HEX_COLOR:
            message = _("must be a colour written like '#DA251D'")
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    shown = error.get("input")
    if isinstance(shown, (str, int, float, bool)) and kind not in ("model_type",):
        return _("'{name}': {message} (got {value!r})", name=name, message=message, value=shown), loc
    return (_("'{name}': {message}", name=name, message=message) if name else message), loc


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
        # named from the project, wherever the command runs: the preflight report in output/ and its
        # cached findings quote these names, and must not change with the folder a build started in
        name = display_path(path, root)
        try:
            if path.exists() and not resolved(path).is_relative_to(specs_dir.resolve()):
                raise SpecError(_("is a link to a file outside specs/; copy the file instead"), Where(name))
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
            return _("{key} file {problem}", key=key, problem=exc.message)
        return None if inside else _("{key} file '{file}' must be a file under specs/", key=key, file=file)

    the_campaign = read(campaign_path, Campaign)
    campaign_key = str(campaign_path.relative_to(specs_dir)) if campaign_path.exists() else "campaign.yaml"
    units_key = the_campaign.units if the_campaign is not None else "units.yaml"
    units_file = None
    if the_campaign is not None and (why := outside_specs("units", units_key)):
        errors.add(docs[campaign_key].error(("units",), why))
    elif the_campaign is not None and not spec_file(root, units_key).is_file():
        errors.add(docs[campaign_key].error(("units",), _("units file '{file}' does not exist", file=units_key)))
    else:
        units_file = read(spec_file(root, units_key), UnitsFile)
    formats_file = read(specs_dir / "formats.yaml", FormatsFile)
    design_paths = sorted((specs_dir / "designs").glob("*.yaml"))
    designs: dict[str, Design] = {}
    for path in design_paths:
        design = read(path, Design)
        if not re.fullmatch(SLUG, path.stem):
            errors.add(SpecError(_("a design's file name must be lower-case ASCII letters, digits and '-'"),
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
    if formats_file is not None:
        check_formats(formats_file, docs["formats.yaml"], errors)
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
        name = display_path(csv_path, root)
        try:
            into.extend(loader(csv_path, name, [u.slug for u in units_file.units]))
        except SpecError as exc:
            errors.add(exc)
    services_file = None
    if the_campaign is not None and (why := outside_specs("services", the_campaign.services)):
        errors.add(docs[campaign_key].error(("services",), why))
    elif the_campaign is not None and spec_file(root, the_campaign.services).is_file():
        services_file = read(spec_file(root, the_campaign.services), ServicesFile)
    indicators_file = None
    if the_campaign is not None and (why := outside_specs("indicators", the_campaign.indicators)):
        errors.add(docs[campaign_key].error(("indicators",), why))
    elif the_campaign is not None and spec_file(root, the_campaign.indicators).is_file():
        indicators_file = read(spec_file(root, the_campaign.indicators), IndicatorsFile)
    totals: dict[str, dict[str, int]] = {}
    if the_campaign is not None and (why := outside_specs("results", the_campaign.results)):
        errors.add(docs[campaign_key].error(("results",), why))
    elif the_campaign is not None and units_file is not None and spec_file(root, the_campaign.results).is_file():
        path = spec_file(root, the_campaign.results)
        name = display_path(path, root)
        try:
            totals = load_totals(path, name, [u.slug for u in units_file.units],
                                 list(indicators_file.indicators) if indicators_file else [])
        except SpecError as exc:
            errors.add(exc)
    if the_campaign is None or units_file is None or formats_file is None:
        errors.raise_if_any()
    assert units_file is not None  # reading it said why it is not there
    specs = Specs(root, the_campaign, list(units_file.units), dict(formats_file.formats), designs, docs, procedures, awards,
                  list(units_file.departments), dict(services_file.services) if services_file else {},
                  dict(indicators_file.indicators) if indicators_file else {},
                  dict(indicators_file.sections) if indicators_file else {}, totals)
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
    name = display_path(path, root)
    return validate(Campaign, load(path, name)).id
