"""Spec text through Jinja2, sandboxed and bounded.

A spec cannot reach Python internals, files or the network, nor build a value too big (sandbox.py);
compiling or rendering a template that takes too long or says too much is stopped (limits.py).
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from typing import Any, Iterator

import jinja2
from jinja2.exceptions import SecurityError

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.vietnamese import nfc
from assets_pipeline.specs.sandbox import BoundedEnvironment


class TemplateTimeout(Exception):
    pass


_env = BoundedEnvironment()
_deadline_set = False
# a template that ran out of time once is refused at once wherever else it is used (every unit, format…)
_too_slow: set[str] = set()


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    # A timer signal can only interrupt the main thread; elsewhere the sandbox's bounds remain.
    global _deadline_set
    if _deadline_set or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TemplateTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    _deadline_set = True
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _deadline_set = False


@functools.lru_cache(maxsize=4096)
def compile_template(source: str) -> jinja2.Template:
    """Compiling evaluates constant expressions, so it runs under the same deadline and bounds."""
    try:
        with _deadline(LIMITS.max_template_seconds):
            return _env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise SpecError(f"template error: {exc.message}") from None
    except RecursionError:
        raise SpecError("template error: nested too deeply") from None
    except TemplateTimeout:
        raise SpecError(f"template took longer than {LIMITS.max_template_seconds:g} s to compile") from None


def render(source: str, context: dict[str, Any]) -> str:
    """Render a spec string; the result is NFC, whitespace collapsed, and bounded in length."""
    if source in _too_slow:
        raise SpecError(f"template took longer than {LIMITS.max_template_seconds:g} s")
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
        _too_slow.add(source)
        raise SpecError(f"template took longer than {LIMITS.max_template_seconds:g} s") from None
    except jinja2.UndefinedError as exc:
        raise SpecError(f"template error: {exc.message}") from None
    except SecurityError as exc:
        raise SpecError(f"template not allowed: {exc}") from None
    except (jinja2.TemplateError, TypeError, ValueError, LookupError, ArithmeticError, MemoryError,
            RecursionError, AttributeError) as exc:
        raise SpecError(f"template error: {exc}") from None
    return " ".join(nfc("".join(pieces)).split())
