"""Spec text through Jinja2, sandboxed and bounded.

A spec cannot reach Python internals, files or the network, nor build a value too big (sandbox.py);
compiling or rendering a template that takes too long or says too much is stopped (limits.py).
"""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading
import time
from typing import Any
from collections.abc import Iterator

import jinja2
from jinja2.exceptions import SecurityError

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.vietnamese import nfc
from assets_pipeline.specs.sandbox import BoundedEnvironment


class TemplateTimeout(Exception):
    pass


_env = BoundedEnvironment()
_deadline_set = False
_in_thread = threading.local()
# a template that ran out of time once is refused at once wherever else it is used (every unit, format…)
_too_slow: set[str] = set()
TEMPLATE_CODE = "<template>"  # the file name Jinja2 gives the code it compiles a spec's text to


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """A timer signal on the main thread (it costs nothing); in any other thread, where no signal can
    reach (the studio's requests, `watch`), a trace that checks the clock at each call and at each
    line of the template's own code."""
    global _deadline_set
    if threading.current_thread() is not threading.main_thread():
        with _traced_deadline(seconds):
            yield
        return
    if _deadline_set:
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


@contextlib.contextmanager
def _traced_deadline(seconds: float) -> Iterator[None]:
    if getattr(_in_thread, "traced", False):
        yield
        return
    until = time.monotonic() + seconds

    def line(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > until:
            raise TemplateTimeout
        return line

    def call(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > until:
            raise TemplateTimeout
        # a loop in the template is lines of its code; elsewhere a call is check enough
        return line if frame.f_code.co_filename == TEMPLATE_CODE else None

    previous = sys.gettrace()
    _in_thread.traced = True
    sys.settrace(call)
    try:
        yield
    finally:
        sys.settrace(previous)
        _in_thread.traced = False


@functools.lru_cache(maxsize=4096)
def compile_template(source: str) -> jinja2.Template:
    """Compiling evaluates constant expressions, so it runs under the same deadline and bounds."""
    try:
        with _deadline(LIMITS.max_template_seconds):
            return _env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise SpecError(_("template error: {problem}", problem=exc.message)) from None
    except RecursionError:
        raise SpecError(_("template error: nested too deeply")) from None
    except TemplateTimeout:
        raise SpecError(_("template took longer than {seconds:g} s to compile", seconds=LIMITS.max_template_seconds)) from None


def render(source: str, context: dict[str, Any]) -> str:
    """Render a spec string; the result is NFC, whitespace collapsed, and bounded in length."""
    if source in _too_slow:
        raise SpecError(_("template took longer than {seconds:g} s", seconds=LIMITS.max_template_seconds))
    template = compile_template(source)
    pieces: list[str] = []
    size = 0
    try:
        with _deadline(LIMITS.max_template_seconds):
            for piece in template.generate(context):
                size += len(piece)
                if size > LIMITS.max_template_chars:
                    raise SpecError(_("template output longer than {count} characters", count=LIMITS.max_template_chars))
                pieces.append(piece)
    except TemplateTimeout:
        _too_slow.add(source)
        raise SpecError(_("template took longer than {seconds:g} s", seconds=LIMITS.max_template_seconds)) from None
    except jinja2.UndefinedError as exc:
        raise SpecError(_("template error: {problem}", problem=exc.message)) from None
    except SecurityError as exc:
        raise SpecError(_("template not allowed: {problem}", problem=exc)) from None
    except (jinja2.TemplateError, TypeError, ValueError, LookupError, ArithmeticError, MemoryError,
            RecursionError, AttributeError) as exc:
        raise SpecError(_("template error: {problem}", problem=exc)) from None
    return " ".join(nfc("".join(pieces)).split())
