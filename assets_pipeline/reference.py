"""The spec reference and the editor schemas, generated from the spec models themselves.

`make docs` writes docs/specs.md and specs/schema/*.schema.json; a test regenerates both and
fails when the committed files differ, so the reference cannot drift from the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from assets_pipeline.specs import SLUG, Campaign, Design, FormatsFile, UnitsFile

# spec file → (model, schema file name, what the file is)
SPEC_FILES: dict[str, tuple[type[BaseModel], str, str]] = {
    "specs/campaign.yaml": (Campaign, "campaign.schema.json", "The campaign: what every design may print."),
    "specs/units.yaml": (UnitsFile, "units.schema.json", "The administrative units that receive files."),
    "specs/formats.yaml": (FormatsFile, "formats.schema.json", "Every size the plan needs, by channel."),
    "specs/designs/*.yaml": (Design, "design.schema.json", "One design: formats, units, variants, layouts."),
}
SCHEMA_DIR = "specs/schema"


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"

    def tidy(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("maxLength", None) if node.get("maxLength") == 2000 else None
            node.pop("title", None) if isinstance(node.get("title"), str) and "properties" not in node else None
            for value in node.values():
                tidy(value)
        elif isinstance(node, list):
            for value in node:
                tidy(value)

    tidy(schema)
    return schema


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for model, name, _ in SPEC_FILES.values():
        path = folder / name
        path.write_text(json.dumps(schema_of(model), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def modeline(spec_file: str) -> str:
    """The first line of a spec, so that an editor's YAML extension knows its schema."""
    model, name, _ = next(v for k, v in SPEC_FILES.items() if Path(spec_file).match(k))
    depth = len(Path(spec_file).relative_to("specs").parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}schema/{name}"


# ------------------------------------------------------------------ markdown

def _type(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].split("/")[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in prop:
        return f"`{prop['const']}`"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "anyOf" in prop:
        kinds = [_type(p, defs) for p in prop["anyOf"] if p.get("type") != "null"]
        optional = any(p.get("type") == "null" for p in prop["anyOf"])
        return " or ".join(kinds) + (" (optional)" if optional else "")
    if "oneOf" in prop:
        return " or ".join(_type(p, defs) for p in prop["oneOf"])
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            return "[" + ", ".join(_type(p, defs) for p in prop["prefixItems"]) + "]"
        return f"list of {_type(prop.get('items', {}), defs)}"
    if kind == "object":
        value = prop.get("additionalProperties") or next(iter(prop.get("patternProperties", {}).values()), None)
        return f"map of id → {_type(value, defs)}" if isinstance(value, dict) else "map"
    names = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false"}
    text = names.get(kind, kind or "any")
    if prop.get("format") == "date":
        text = "date (YYYY-MM-DD)"
    bounds = []
    for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in prop:
            bounds.append(f"{sign} {prop[key]:g}")
    if prop.get("pattern") == SLUG:
        text = "id (a–z, 0–9, -)"
    elif prop.get("pattern"):
        text += f" matching `{prop['pattern']}`"
    return text + (f" ({', '.join(bounds)})" if bounds else "")


def _example(name: str, prop: dict[str, Any]) -> str:
    if "examples" in prop:
        value = prop["examples"][0]
    elif "default" in prop:
        value = prop["default"]
    elif "const" in prop:
        value = prop["const"]
    elif "enum" in prop:
        value = prop["enum"][0]
    else:
        return ""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=200).strip()
    dumped = dumped.removesuffix("...").strip()
    return f"`{name}: {dumped}`" if "\n" not in dumped else "see the default specs"


def _table(schema: dict[str, Any], defs: dict[str, Any]) -> list[str]:
    required = set(schema.get("required", []))
    lines = ["| key | type | required / default | what it is | example |", "| --- | --- | --- | --- | --- |"]
    for name, prop in schema.get("properties", {}).items():
        need = "required" if name in required else (
            f"default `{json.dumps(prop['default'], ensure_ascii=False)}`" if "default" in prop else "optional")
        cells = [f"`{name}`", _type(prop, defs), need, " ".join(prop.get("description", "").split()),
                 _example(name, prop)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return lines


def reference_markdown() -> str:
    out = ["# Spec reference", "",
           "Generated by `make docs` from the spec models (`assets_pipeline/specs.py`); do not edit by hand.",
           "Lengths are in the unit their key names: `_mm` millimetres, `_px` pixels, `_pt` points",
           "(1/72 in), `_s` seconds, `_m` metres. Every text may be at most 2,000 characters.", ""]
    seen: set[str] = set()
    for file, (model, name, purpose) in SPEC_FILES.items():
        schema = schema_of(model)
        defs = schema.get("$defs", {})
        out += [f"## `{file}`", "", purpose, "",
                f"Editor schema: `{SCHEMA_DIR}/{name}`. First line of the file: `{modeline(file.replace('*', 'x'))}`",
                ""]
        out += _table(schema, defs) + [""]
        for def_name, definition in defs.items():
            if def_name in seen:
                continue
            seen.add(def_name)
            out += [f"### {def_name}", ""]
            if definition.get("description"):
                out += [" ".join(definition["description"].split()), ""]
            out += _table(definition, defs) + [""]
    return "\n".join(out).rstrip() + "\n"


def write_reference(root: Path) -> Path:
    path = root / "docs/specs.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reference_markdown(), encoding="utf-8")
    return path
