"""Spec text through Jinja2, sandboxed and bounded.

A spec cannot reach Python internals, files or the network (SandboxedEnvironment), nor use a
template to exhaust memory or time: `*` and `**` are checked before they run, and so are the widths
of `%`, `format` and `center` (one huge string is built in one step, where no deadline can stop it);
`range()` is small, and a render that takes too long or says too much is stopped (limits.py).
"""

from __future__ import annotations

import contextlib
import functools
import operator
import re
import signal
import string
import threading
from typing import Any, Callable, Iterator

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.vietnamese import nfc


class TemplateTimeout(Exception):
    pass


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > LIMITS.max_template_range:
        raise SecurityError(f"range() longer than {LIMITS.max_template_range}")
    return numbers


# a printf field (`%-8.3f`, `%(name)s`) and its width and precision
PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_widths(numbers: list[str]) -> None:
    """A width or precision builds its whole string at once, before any output limit can see it."""
    if "*" in numbers:
        raise SecurityError("a width or precision taken from an argument ('*') is not allowed")
    if any(int(n) > LIMITS.max_template_chars for n in numbers if n):
        raise SecurityError(f"a width or precision over {LIMITS.max_template_chars}")


def _check_printf(template: str) -> None:
    _check_widths([n for field in PRINTF_FIELD.findall(template) for n in field])


def _check_format(template: str) -> None:
    for _, _, spec, _ in string.Formatter().parse(template):
        if spec and "{" in spec:
            raise SecurityError("a format spec taken from an argument is not allowed")
        _check_widths(re.findall(r"\d+", spec or ""))


def _bounded_width(filter_: Callable[..., str]) -> Callable[..., str]:
    def bounded(value: Any, width: Any = 80, *args: Any, **kwargs: Any) -> str:
        if isinstance(width, int) and width > LIMITS.max_template_chars:
            raise SecurityError(f"a width over {LIMITS.max_template_chars}")
        return filter_(value, width, *args, **kwargs)
    return bounded


class BoundedEnvironment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_format(template)
            return wrapped(*args, **kwargs)
        return bounded

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, (int, float)) and (
                abs(right) > 64 or isinstance(left, int) and left.bit_length() * abs(right) > 4096):
            raise SecurityError("power too large")
        if op == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > LIMITS.max_template_chars:
                    raise SecurityError(f"repetition longer than {LIMITS.max_template_chars}")
        if op == "%" and isinstance(left, str):
            _check_printf(left)
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod}[op](left, right)


_env = BoundedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
_env.globals["range"] = _bounded_range
for _name in ("center", "indent"):
    _env.filters[_name] = _bounded_width(_env.filters[_name])
_format_filter = _env.filters["format"]


def _bounded_format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_printf(str(value))
    return _format_filter(value, *args, **kwargs)


_env.filters["format"] = _bounded_format


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    # A timer signal can only interrupt the main thread; elsewhere range() and output bounds remain.
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TemplateTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@functools.lru_cache(maxsize=4096)
def compile_template(source: str) -> jinja2.Template:
    try:
        return _env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise SpecError(f"template error: {exc.message}") from None
    except RecursionError:
        raise SpecError("template error: nested too deeply") from None


def render(source: str, context: dict[str, Any]) -> str:
    """Render a spec string; the result is NFC, whitespace collapsed, and bounded in length."""
    template = compile_template(source)
    pieces: list[str] = []
    size = 0
    try:
        with _deadline(LIMITS.max_template_seconds):
            for piece in template.generate(context):
                size += len(piece)
                if size > LIMITS.max_template_chars:
                    raise SpecError(f"template output longer than {LIMITS.max_template_chars} characters")
                pieces.append(piece)
    except TemplateTimeout:
        raise SpecError(f"template took longer than {LIMITS.max_template_seconds:g} s") from None
    except jinja2.UndefinedError as exc:
        raise SpecError(f"template error: {exc.message}") from None
    except SecurityError as exc:
        raise SpecError(f"template not allowed: {exc}") from None
    except (jinja2.TemplateError, TypeError, ValueError, LookupError, ArithmeticError, MemoryError,
            RecursionError, AttributeError) as exc:
        raise SpecError(f"template error: {exc}") from None
    return " ".join(nfc("".join(pieces)).split())
