"""Spec text through Jinja2, sandboxed: a spec cannot reach Python internals, files or the network."""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from assets_pipeline.errors import SpecError

MAX_OUTPUT_CHARS = 2_000

_env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@functools.lru_cache(maxsize=4096)
def compile_template(source: str) -> jinja2.Template:
    try:
        return _env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise SpecError(f"template error: {exc.message}") from None


def render(source: str, context: dict[str, Any]) -> str:
    """Render a spec string; the result is NFC, stripped, and never longer than a slogan could be."""
    template = compile_template(source)
    try:
        text = template.render(context)
    except jinja2.UndefinedError as exc:
        raise SpecError(f"template error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise SpecError(f"template not allowed: {exc}") from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, OverflowError, MemoryError, RecursionError) as exc:
        raise SpecError(f"template error: {exc}") from None
    if len(text) > MAX_OUTPUT_CHARS:
        raise SpecError(f"template output longer than {MAX_OUTPUT_CHARS} characters")
    return " ".join(unicodedata.normalize("NFC", text).split())
