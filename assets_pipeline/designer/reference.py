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

from assets_pipeline.specs.designs import Design
from assets_pipeline.specs.documents import ServicesFile
from assets_pipeline.specs.indicators import IndicatorsFile
from assets_pipeline.specs.models import SLUG, Campaign, FormatsFile, UnitsFile

# spec files (as patterns) → (model, schema file name, what the file is)
SPEC_FILES: dict[tuple[str, ...], tuple[type[BaseModel], str, str]] = {
    ("specs/campaign.yaml", "specs/campaigns/[0-9]*.yaml"):
        (Campaign, "campaign.schema.json", "The campaign: what every design may print."),
    ("specs/units.yaml", "specs/campaigns/units-*.yaml"):
        (UnitsFile, "units.schema.json", "The administrative units that receive files."),
    ("specs/formats.yaml",): (FormatsFile, "formats.schema.json", "Every size the plan needs, by channel."),
    ("specs/designs/*.yaml",): (Design, "design.schema.json", "One design: formats, units, variants, layouts."),
    ("specs/services.yaml", "specs/campaigns/services-*.yaml"):
        (ServicesFile, "services.schema.json", "The digital services the leaflets explain, step by step."),
    ("specs/indicators.yaml", "specs/campaigns/indicators-*.yaml"):
        (IndicatorsFile, "indicators.schema.json", "The results each unit reports back: the return form's rows."),
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


MODELINE = "# yaml-language-server: $schema="


def modeline(spec_file: str) -> str | None:
    """The first line of a spec, so that an editor's YAML extension knows its schema."""
    found = next((v for patterns, v in SPEC_FILES.items() if any(Path(spec_file).match(p) for p in patterns)), None)
    if found is None:
        return None
    depth = len(Path(spec_file).relative_to("specs").parts) - 1
    return f"{MODELINE}{'../' * depth}schema/{found[1]}"


def spec_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "specs").rglob("*.yaml"))


def write_modelines(root: Path) -> list[Path]:
    """Put (or correct) the modeline on the first line of every spec file."""
    written = []
    for name in spec_files(root):
        line = modeline(name)
        if line is None:
            continue
        path = root / name
        text = path.read_text(encoding="utf-8")
        body = text.split("\n", 1)[1] if text.startswith(MODELINE) else text
        if text != f"{line}\n{body}":
            path.write_text(f"{line}\n{body}", encoding="utf-8")
            written.append(path)
    return written


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
    kind = prop.get("type", "")
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


# Examples for keys that have no default, by key name (the same name means the same thing in
# every spec file); a key with a default shows its default.
EXAMPLES: dict[str, Any] = {
    "id": "cds-2022-tuyen-quang", "title": "Băng rôn khẩu hiệu", "year": 2022, "province": "Tuyên Quang",
    "issuer": "Ủy ban nhân dân tỉnh Tuyên Quang", "period": {"start": "2022-10-01", "end": "2022-10-10"},
    "start": "2022-10-01", "end": "2022-10-10", "date": "2022-10-10",
    "slogans": {"chao-mung": "CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA 10/10"},
    "texts": {"portal_url": "https://tuyenquang.gov.vn"}, "phrases": ["chuyển đổi số", "người dân"],
    "palette": {"red": "#DA251D"}, "fonts": {"bold": "fonts/BeVietnamPro-Bold.ttf"},
    "cmyk": {"red": [0, 95, 95, 0]}, "events": {"le-phat-dong": {"title": "…", "date": "2022-10-10"}},
    "place": "Trung tâm Hội nghị tỉnh", "host": "Sở Thông tin và Truyền thông", "units": {"kinds": ["district"]},
    "slug": "ham-yen", "name": "huyện Hàm Yên", "formats": ["bang-ron-500x80"], "channel": "banners",
    "variants": {"chao-mung": {"slogan": "chao-mung"}}, "layouts": "see the default specs",
    "box": [0, 0.02, 1, 0.7], "file": "images/emblem-cds.png", "when": {"min_aspect": 1.5},
    "background": "red", "blocks": "see the default specs", "font": "extrabold", "color": "yellow",
    "height": 0.12, "speed_px_s": 250, "speed_px_s_by_format": {"led-p10-608x304": 75},
    "url": "{{ procedure.url }}", "layout": "khau-hieu", "transition": {"type": "crossfade", "duration_s": 0.6},
    "vars": {"cta": "Quét mã để xem"}, "slides": "see the default specs",
}


def _example(name: str, prop: dict[str, Any]) -> str:
    if name in EXAMPLES and "default" not in prop:
        value = EXAMPLES[name]
        if value == "see the default specs":
            return value
    elif "examples" in prop:
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
           "Generated by `make docs` from the spec models (`assets_pipeline/specs/`); do not edit by hand.",
           "Lengths are in the unit their key names: `_mm` millimetres, `_px` pixels, `_pt` points",
           "(1/72 in), `_s` seconds, `_m` metres. Every text may be at most 2,000 characters.", ""]
    seen: set[str] = set()
    for files, (model, name, purpose) in SPEC_FILES.items():
        schema = schema_of(model)
        defs = schema.get("$defs", {})
        first = files[0].replace("*", "x").replace("[0-9]", "2")
        out += [f"## {', '.join(f'`{f}`' for f in files)}", "", purpose, "",
                f"Editor schema: `{SCHEMA_DIR}/{name}`. First line of the file: `{modeline(first)}`", ""]
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
