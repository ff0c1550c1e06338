"""YAML that remembers where every value came from, so errors can name the line."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.i18n import _
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.vietnamese import invisible_hint, legacy_encoding_hint, nfc

# libyaml when PyYAML has it (the same safe loader, in C), else the pure-Python one
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[Any, ...]


@dataclass
class Document:
    """A parsed spec file: plain Python data plus the line of every key and value."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def where(self, path: Path_ = ()) -> Where:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path and path not in self.lines:
            path = path[:-1]
        return Where(self.file, self.lines.get(path, 1))

    def error(self, path: Path_, message: str) -> SpecError:
        return SpecError(message, self.where(path))


# the tags plain YAML resolves to (and !!binary, refused below with its own message); any other tag,
# !!python/… included, is refused, on a mapping or a list too, where no constructor would look at it
PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                       ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "binary"))


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.lines: dict[Path_, int] = {}
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, message: str) -> SpecError:
        return SpecError(message, Where(self.file, node.start_mark.line + 1))

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        # An alias bomb expands a few lines into billions of values; real specs have a few thousand.
        self.nodes += 1
        if self.nodes > LIMITS.max_yaml_nodes:
            raise self.fail(node, _("document too large (more than {count} values; aliases nested?)",
                                      count=LIMITS.max_yaml_nodes))
        if depth > LIMITS.max_yaml_depth:
            raise self.fail(node, _("document nested deeper than {count} levels", count=LIMITS.max_yaml_depth))
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(node, _("the tag '{tag}' is not allowed: write the value without it", tag=tag))
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(key_node, _("merge keys ('<<') are not supported"))
                key = self.build(key_node, path + ("<key>",), depth + 1)
                if not isinstance(key, (str, int, float, bool)):
                    raise self.fail(key_node, _("a key must be a plain value"))
                if isinstance(key, str):
                    key = nfc(key)
                    if invisible_hint(key):
                        raise self.fail(key_node, _("key {problem}", problem=invisible_hint(key)))
                if key in result:
                    raise self.fail(key_node, _("duplicate key '{key}'", key=key))
                self.lines[path + (key,)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = item.start_mark.line + 1
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError) as exc:  # 2022-00-01: a date with no month 0
            raise self.fail(node, _("{value!r} is not a valid {kind}: {problem}", value=node.value,
                                             kind=node.tag.rpartition(':')[2], problem=exc)) from None
        if isinstance(value, (bytes, bytearray)):
            raise self.fail(node, _("a binary value (!!binary) is not text: write the text itself"))
        if isinstance(value, str):
            # Text is normalised once, here: specs pasted from Word often arrive in NFD.
            value = nfc(value)
            hint = legacy_encoding_hint(value) or invisible_hint(value)
            if hint:
                raise self.fail(node, hint)
        return value


def parse(text: str, file: str) -> Document:
    """Parse YAML text; every problem becomes a SpecError naming `file` and the line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or _("invalid YAML")
        source_line = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        if "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
            problem = _("a tab (character '\\t') indents this line: YAML is indented with spaces")
        raise SpecError(_("invalid YAML: {problem}", problem=problem), Where(file, line)) from None
    except yaml.YAMLError as exc:
        raise SpecError(_("invalid YAML: {problem}", problem=exc), Where(file)) from None
    except RecursionError:
        raise SpecError(_("document nested deeper than {count} levels", count=LIMITS.max_yaml_depth), Where(file)) from None
    if node is None:
        return Document(file, None, {(): 1})
    builder = _Builder(file)
    try:
        data = builder.build(node, ())
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise SpecError(_("invalid value: {problem}", problem=exc.problem),
                        Where(file, mark.line + 1 if mark else None)) from None
    return Document(file, data, builder.lines)


def read_spec_text(path: Path, file: str) -> str:
    """A spec file's text (YAML or CSV), within the size limit, UTF-8 with or without a byte-order mark;
    `file` is the name errors show, with the line where decoding fails."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a folder, a pipe or a device would block or never end
            raise SpecError(_("not a regular file"), Where(file))
        if status.st_size > LIMITS.max_spec_bytes:
            raise SpecError(_("file larger than {count:,} bytes", count=LIMITS.max_spec_bytes), Where(file))
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(_("cannot read file: {problem}", problem=exc.strerror), Where(file)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError(_("not UTF-8 text (save the file as UTF-8)"), Where(file, line)) from None


def load(path: Path, file: str) -> Document:
    """Read and parse a spec file; `file` is the name errors show."""
    return parse(read_spec_text(path, file), file)
