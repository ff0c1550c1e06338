"""`assets units import`: a campaign's units from an official list, never typed by hand.

Two sources:
- a list in the form GSO publishes it (danh mục đơn vị hành chính, exported as CSV or XLSX: the
  columns `Tỉnh Thành Phố, Mã TP, Quận Huyện, Mã QH, Phường Xã, Mã PX, Cấp`; the 2025 lists have
  no district columns). Headers are matched without marks or case, and the short names
  `province, district, name, kind, code` are read too;
- the PyPI package `vietnamadminunits` (MIT), which carries the 2025 units of every province: its
  bundled SQLite table is read directly, so none of its geographic dependencies are loaded.

The units file is updated, not replaced: a unit already there (found by GSO code, else by kind and
name under the same parent) keeps its slug, display name and note, so file names and the
designers' local spellings survive a new edition of the list. Units missing from the list stay,
and are named in the summary for someone to decide.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from assets_pipeline.core.errors import ErrorList, SpecError, Where, display_path
from assets_pipeline.core.i18n import _
from assets_pipeline.core.specmodel import SLUG, SLUG_CHARS
from assets_pipeline.core.vietnamese import COMMUNE_LEVELS, ascii_fold, invisible_hint, legacy_encoding_hint, nfc
from assets_pipeline.engine.output import write_bytes
from assets_pipeline.specs.campaigns import campaign_file, spec_file
from assets_pipeline.specs.checks import check_units
from assets_pipeline.specs.designs import UnitKind
from assets_pipeline.specs.load import validate
from assets_pipeline.specs.models import Campaign, Unit, UnitsFile, level_of
from assets_pipeline.specs.tables import read_table
from assets_pipeline.specs.yamlsource import load, parse

PACKAGE = "vietnamadminunits"
SLUG_PREFIX = {"xã": "xa", "phường": "phuong", "thị trấn": "tt", "đặc khu": "dk"}

# header (without marks, case or punctuation) → field
HEADERS = {
    "mapx": "code", "maxa": "code", "maphuongxa": "code", "code": "code", "ma": "code",
    "phuongxa": "name", "tenphuongxa": "name", "xaphuong": "name", "ten": "name", "name": "name",
    "cap": "level", "kind": "level", "level": "level", "loai": "level",
    "quanhuyen": "district", "tenquanhuyen": "district", "district": "district",
    "maqh": "district_code", "maquanhuyen": "district_code", "districtcode": "district_code",
    "tinhthanhpho": "province", "tentinhthanhpho": "province", "tinh": "province", "province": "province",
    "matp": "province_code", "matinh": "province_code", "provincecode": "province_code",
}
CODE_DIGITS = {"code": 5, "district_code": 3, "province_code": 2}
NAME_CHARS = 100  # the longest official name is under 40 characters: more is another column or a mistake


@dataclass(frozen=True)
class Listed:
    """One commune-level row of the list, its names with their level in lower case: `xã Kim Phú`."""

    code: str
    name: str
    district: str | None
    district_code: str | None
    province: str | None
    province_code: str | None


@dataclass
class Summary:
    added: list[Unit] = field(default_factory=list)
    updated: list[tuple[Unit, Unit]] = field(default_factory=list)  # (before, after)
    unlisted: list[Unit] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [_("{added} added, {updated} updated, {unlisted} not in the list (kept)", added=len(self.added),
                 updated=len(self.updated), unlisted=len(self.unlisted))]
        out += ["  " + _("changed {unit}: {before} → {after}", unit=before.slug, before=before.name, after=after.name)
                for before, after in self.updated if before.name != after.name]
        out += ["  " + _("not in the list: {unit} ({name})", unit=u.slug, name=u.name) for u in self.unlisted]
        return out


def with_level(name: str, level: str | None = None) -> str:
    """`Phường Phan Thiết` or (`Phan Thiết`, `Phường`) → `phường Phan Thiết`; a name without a known
    level word is returned as it is."""
    name = " ".join(nfc(name).split())
    known = level_of(name)
    if known:
        return known + name[len(known):]
    if level:
        return f"{' '.join(nfc(level).split()).lower()} {name}"
    return name


def short_name(name: str) -> str:
    known = level_of(name)
    return name[len(known) + 1:] if known else name


def slug_of(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text)).strip("-") or "unit"


# ---------------------------------------------------------------- reading a list

def _header_field(cell: str) -> str | None:
    return HEADERS.get(re.sub(r"[^a-z0-9]", "", ascii_fold(cell)))


def _code(value: object, digits: int) -> str:
    """GSO codes keep their leading zeros; a spreadsheet may have turned `02200` into 2200."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.zfill(digits) if text.isdigit() and len(text) <= digits else text


def read_list(path: Path, shown: str) -> list[Listed]:
    """Every commune-level row of a GSO list; every bad row reported at its line."""
    rows = read_table(path, shown)
    # the header is the first row naming a code and a name column (GSO's exports start with a title)
    header_at = next((i for i, (_, cells) in enumerate(rows[:10])
                      if {"code", "name"} <= {_header_field(str(c)) for c in cells}), None)
    if header_at is None:
        raise SpecError(_("no header row with a code and a name column (GSO's `Mã PX`, `Phường Xã`)"), Where(shown, 1))
    columns = {}
    for index, cell in enumerate(rows[header_at][1]):
        name = _header_field(str(cell))
        if name and name not in columns:
            columns[name] = index
    headers = {f: str(rows[header_at][1][i]) for f, i in columns.items()}
    errors, listed = ErrorList(), []
    seen: dict[str, int] = {}
    for line, cells in rows[header_at + 1:]:
        where = Where(shown, line)
        value = {f: cells[i] if i < len(cells) else "" for f, i in columns.items()}
        text = {f: nfc(str(_code(v, CODE_DIGITS[f]) if f in CODE_DIGITS else v)).strip() for f, v in value.items()}
        problems = [h for h in {invisible_hint(t) or legacy_encoding_hint(t) for t in text.values()} if h]
        problems += [_("column `{column}` is longer than {count} characters", column=headers[f], count=NAME_CHARS)
                     for f, t in text.items() if len(t) > NAME_CHARS]
        code, name = text.get("code", ""), with_level(text.get("name", ""), text.get("level") or None)
        if not re.fullmatch(r"[0-9]{5}", code):
            problems.append(_("commune code {code!r} is not 5 digits", code=code) if code else _("missing commune code"))
        if not short_name(name) or not text.get("name"):
            problems.append(_("missing name"))
        elif not any(name.startswith(w + " ") for w in COMMUNE_LEVELS):
            problems.append(_("'{name}' has no level xã, phường, thị trấn or đặc khu (column `Cấp`)", name=name))
        for f in ("district_code", "province_code"):
            if text.get(f) and not re.fullmatch(rf"[0-9]{{{CODE_DIGITS[f]}}}", text[f]):
                problems.append(_("district code {code!r} is not {digits} digits", code=text[f], digits=CODE_DIGITS[f])
                                if f == "district_code" else
                                _("province code {code!r} is not {digits} digits", code=text[f], digits=CODE_DIGITS[f]))
        if code in seen:
            problems.append(_("code {code} is listed twice (first on line {line})", code=code, line=seen[code]))
        if problems:
            errors.add(SpecError("; ".join(problems), where))
            continue
        seen[code] = line
        listed.append(Listed(code, name, with_level(text["district"]) if text.get("district") else None,
                             text.get("district_code") or None,
                             with_level(text["province"]) if text.get("province") else None,
                             text.get("province_code") or None))
    errors.raise_if_any()
    if not listed:
        raise SpecError(_("the list has no commune rows"), Where(shown))
    return listed


def read_package() -> list[Listed]:
    """The 2025 units of every province from `vietnamadminunits`' own table."""
    try:
        database = resources.files(PACKAGE) / "data" / "dataset.db"
    except ModuleNotFoundError:
        raise SpecError(_("the Python package {package} is not installed (pip install {package})", package=PACKAGE)) from None
    shown = f"{PACKAGE}:data/dataset.db"
    try:
        with resources.as_file(database) as file, sqlite3.connect(f"file:{file}?mode=ro", uri=True) as db:
            records = db.execute("SELECT wardCode, ward, province, provinceCode FROM admin_units "
                                 "ORDER BY provinceCode, wardCode").fetchall()
    except sqlite3.Error as exc:
        raise SpecError(_("cannot read the package's table admin_units ({problem}): another version of {package}?",
                          problem=exc, package=PACKAGE), Where(shown)) from None
    return [Listed(_code(code, 5), with_level(ward), None, None, with_level(province), _code(pcode, 2))
            for code, ward, province, pcode in records]


def for_province(listed: list[Listed], province: str | None, shown: str) -> list[Listed]:
    """The rows of one province (by name, with or without its level, or by code)."""
    provinces = {(r.province_code, r.province) for r in listed if r.province or r.province_code}
    if province is None:
        if len(provinces) > 1:
            raise SpecError(_("the list holds {count} provinces: choose one with --province", count=len(provinces)),
                            Where(shown))
        return listed
    wanted = ascii_fold(short_name(with_level(province)))
    chosen = [r for r in listed if province == r.province_code
              or (r.province and ascii_fold(short_name(r.province)) == wanted)]
    if not chosen and provinces:
        known = sorted(short_name(p) for _, p in provinces if p)
        raise SpecError(_("no province '{province}' in the list (it has {provinces})", province=province,
                          provinces=", ".join(known[:5]) + (", …" if len(known) > 5 else "")), Where(shown))
    return chosen or listed


# ---------------------------------------------------------------- merging into the units file

def merge(existing: list[Unit], listed: list[Listed], province_name: str | None) -> tuple[list[Unit], Summary]:
    """The units file after the import (see the module's docstring for what is kept)."""
    summary = Summary()
    by_code = {u.code: u for u in existing if u.code}
    taken = {u.slug for u in existing}
    matched: set[str] = set()
    result: dict[str, Unit] = {}

    by_name: dict[tuple, list[Unit]] = {}
    for u in existing:
        by_name.setdefault((u.kind, ascii_fold(short_name(u.name)), u.parent if u.kind != "province" else None),
                           []).append(u)

    def find(kind: UnitKind, code: str | None, name: str, parent: str | None) -> Unit | None:
        if code and code in by_code and by_code[code].kind == kind:
            return by_code[code]
        key = (kind, ascii_fold(short_name(name)), parent if kind != "province" else None)
        return next((u for u in by_name.get(key, []) if u.slug not in matched), None)

    def place(kind: UnitKind, code: str | None, name: str, parent: str | None, slug: str) -> Unit:
        before = find(kind, code, name, parent)
        if before is None:
            unit = Unit(slug=slug, name=name, kind=kind, parent=parent, code=code)
            taken.add(slug)
            summary.added.append(unit)
        else:
            unit = before.model_copy(update={"name": name, "parent": parent, "code": code or before.code})
            if unit != before:
                summary.updated.append((before, unit))
        matched.add(unit.slug)
        result[unit.slug] = unit
        return unit

    named = province_name or next((r.province for r in listed if r.province), None)
    old_province = next((u for u in existing if u.kind == "province"), None)
    if named is None and old_province is None:
        raise SpecError(_("the list names no province and the units file has none: give --province"))
    if named:
        p_name = with_level(named, "tỉnh")
    else:
        assert old_province is not None  # one or the other, or the error above
        p_name = old_province.name
    p_code = next((r.province_code for r in listed if r.province_code), None)
    province = place("province", p_code, p_name, None, _free(slug_of(short_name(p_name)), "", taken))

    districts: dict[tuple[str | None, str], Unit] = {}
    for row in listed:
        key = (row.district_code, row.district or "")
        if row.district and key not in districts:
            name = with_level(row.district)
            base = slug_of(short_name(name))
            districts[key] = place("district", row.district_code, name, province.slug,
                                   _free(base, "tp" if name.startswith("thành phố ") else "", taken))

    # a commune slug carries its level (xa-kim-phu, tt-na-hang): no clash with a district or, in a
    # later year, with a district of the same name; two communes of one name get their parent's too
    def parent_of(row: Listed) -> str:
        return districts[(row.district_code, row.district or "")].slug if row.district else province.slug

    new_bases = Counter(_commune_base(r.name) for r in listed if find("commune", r.code, r.name, parent_of(r)) is None)
    for row in listed:
        parent = parent_of(row)
        base = _commune_base(row.name)
        if new_bases[base] > 1 or base in taken:
            base = f"{base}-{parent}"
        place("commune", row.code, row.name, parent, _free(base, "", taken))

    summary.unlisted = [u for u in existing if u.slug not in matched]
    ordered = [province] + [u for d in districts.values() for u in
                            [d] + [c for c in result.values() if c.kind == "commune" and c.parent == d.slug]]
    ordered += [u for u in result.values() if u.kind == "commune" and u.parent == province.slug]
    return ordered + summary.unlisted, summary


def _commune_base(name: str) -> str:
    level = next(w for w in COMMUNE_LEVELS if name.startswith(w + " "))
    return f"{SLUG_PREFIX[level]}-{slug_of(short_name(name))}"


def _free(base: str, prefix: str, taken: set[str]) -> str:
    """`base`, else `prefix-base`, else `base-2`, … : a slug no other unit has, within the slug's length,
    and never a name Windows refuses as a file (`con`: xã Côn would be `xa-con`, a district Côn `con`)."""
    def fit(slug: str, suffix: str = "") -> str:
        return slug[:SLUG_CHARS - len(suffix)].rstrip("-") + suffix

    def free(slug: str) -> bool:
        return slug not in taken and re.fullmatch(SLUG, slug) is not None

    candidates = [fit(base)] + ([fit(f"{prefix}-{base}")] if prefix else [])
    slug = next((c for c in candidates if free(c)), None)
    number = 2
    while slug is None:
        slug = fit(base, f"-{number}") if free(fit(base, f"-{number}")) else None
        number += 1
    return slug


# ---------------------------------------------------------------- writing

def _scalar(value: str) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_style=None, width=10_000).removesuffix("\n...\n").strip()


def units_yaml(units: list[Unit], old_text: str, imported_from: str | None = None) -> str:
    """The units file: its leading comments kept, the list it was imported from, one unit per entry,
    codes quoted (YAML reads a bare `02215` as a number)."""
    head = []
    for line in old_text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    out = head + ([f"imported_from: {_scalar(imported_from)}"] if imported_from else []) + ["units:"]
    for unit in units:
        out.append(f"  - slug: {unit.slug}")
        out.append(f"    name: {_scalar(unit.name)}")
        if unit.display_name:
            out.append(f"    display_name: {_scalar(unit.display_name)}")
        out.append(f"    kind: {unit.kind}")
        if unit.parent:
            out.append(f"    parent: {unit.parent}")
        if unit.code:
            out.append(f'    code: "{unit.code}"')
        if unit.to_confirm:
            out.append(f"    to_confirm: {_scalar(unit.to_confirm)}")
    return "\n".join(out + _departments(old_text)) + "\n"


def _departments(old_text: str) -> list[str]:
    """The file's `departments:` section (no GSO list has them), with the comments above it, as it was."""
    lines = old_text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("departments:")), None)
    if start is None:
        return []
    while start > 0 and (lines[start - 1].startswith("#") or not lines[start - 1].strip()):
        start -= 1
    return lines[start:]


def source_named(root: Path, source: str) -> str:
    """How the units file names its list: the package by name, a file under specs/ relative to it (a
    list elsewhere is named as given, and `assets check` says when it cannot read it)."""
    if source == PACKAGE:
        return PACKAGE
    path = Path(source).resolve()
    specs = (root / "specs").resolve()
    return path.relative_to(specs).as_posix() if path.is_relative_to(specs) else source


def unlisted_codes(root: Path, campaign: str | None) -> list[str]:
    """A warning for each commune whose GSO code is not in the official list its units file was
    imported from (none when the file names no list)."""
    campaign_doc = load(campaign_file(root, campaign), display_path(campaign_file(root, campaign), root))
    units_key = validate(Campaign, campaign_doc).units
    path = spec_file(root, units_key)
    shown_file = display_path(path, root)
    doc = load(path, shown_file)
    units_file = validate(UnitsFile, doc)
    source = units_file.imported_from
    if source is None:
        return []
    where = doc.where(("imported_from",))
    if source == PACKAGE:
        listed = read_package()
    else:
        list_path = spec_file(root, source) if not Path(source).is_absolute() else Path(source)
        if not list_path.is_file():
            return [_("{where}: the official list {file} is not there: GSO codes are not checked", where=where,
                      file=source)]
        listed = read_list(list_path, source)
    codes = {row.code for row in listed}
    return [_("{where}: unit '{unit}' has GSO code {code}, which is not in {source}, the official list the units were "
              "imported from", where=doc.where(("units", index, "code")), unit=unit.slug, code=unit.code,
              source=source)
            for index, unit in enumerate(units_file.units)
            if unit.kind == "commune" and unit.code is not None and unit.code not in codes]


def import_into_campaign(root: Path, source: str, province: str | None, campaign: str | None) -> list[str]:
    """Update the campaign's units file from `source` (a CSV/XLSX path, or `vietnamadminunits`); what
    was done, as lines to print. The new file is checked before it replaces the old one."""
    root = root.resolve()
    campaign_doc = load(campaign_file(root, campaign), str(campaign_file(root, campaign)))
    units_key = validate(Campaign, campaign_doc).units
    path = spec_file(root, units_key)
    shown_file = display_path(path, Path.cwd()) if path.is_relative_to(Path.cwd().resolve()) else str(path)
    old_text = path.read_text(encoding="utf-8") if path.is_file() else ""
    old = validate(UnitsFile, load(path, shown_file)).units if old_text.strip() else []
    if source == PACKAGE:
        shown, listed = PACKAGE, read_package()
    else:
        if not Path(source).is_file():
            raise SpecError(_("{file}: no such file (give a GSO list as CSV or XLSX, or '{package}')", file=source,
                              package=PACKAGE))
        shown, listed = source, read_list(Path(source), source)
    units, summary = merge(old, for_province(listed, province, shown), province)
    text = units_yaml(units, old_text, source_named(root, source))
    errors = ErrorList()
    written = parse(text, shown_file)
    check_units(validate(UnitsFile, written).units, written, errors)
    errors.raise_if_any()
    if text != old_text:
        write_bytes(path, text.encode("utf-8"))
    return [_("{file}: {count} units from {source}", file=shown_file, count=len(units), source=shown)] + summary.lines()
