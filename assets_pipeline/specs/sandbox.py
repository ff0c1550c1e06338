"""The Jinja2 environment spec templates run in: no internals, no mutation, every value bounded.

A deadline can only stop Python between two steps, and one step in C can take gigabytes: `'a' * n`,
`'%9999999d' % 1`, `s.replace('a', s)`, `'x'.join(list)`, `str()` of a list of lists of lists. So the
size of what each step would build is checked before it runs — repetition, widths, replacement,
joining, concatenation, and the weight of any value turned into text — and the size of what every
filter and call returns after it (limits.py: `max_template_chars`, `max_template_value`).
Jinja2 also folds constant expressions while it compiles, so these checks hold at compile time too.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import string
from typing import Any
from collections.abc import Callable, Iterable

import jinja2
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment

from assets_pipeline.core.i18n import N_, _
from assets_pipeline.core.limits import LIMITS

# str methods a template may call: none of them builds more than its input, or more than it is checked for
STR_METHODS = frozenset({
    "capitalize", "casefold", "center", "count", "endswith", "find", "format", "format_map", "index",
    "isalnum", "isalpha", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper",
    "join", "ljust", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind",
    "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
    "swapcase", "title", "upper", "zfill"})
WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})
# filters whose integer argument is a size they build (a width, a batch, a number of slices)
SIZE_ARGUMENTS = {"batch": 1, "center": 1, "indent": 1, "slice": 1, "truncate": 1, "wordwrap": 1}

# a printf field (`%-8.3f`, `%(name)s`) and its width and precision
PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _refuse_over(size: int, what: str) -> None:
    if size > LIMITS.max_template_value:
        raise SecurityError(_("{what} of more than {count:,} characters or items", what=_(what),
                                count=LIMITS.max_template_value))


def weight(value: Any, budget: int | None = None) -> int:
    """Characters and items in a value, counting a shared part each time it is used (as str() would
    write it), and stopping once over the budget: so weighing is cheap however large the value."""
    budget = LIMITS.max_template_value if budget is None else budget
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict):
        value = list(itertools.chain.from_iterable(value.items()))
    if not isinstance(value, (list, tuple, set, frozenset)):
        return 1
    total = 1
    for item in value:
        total += weight(item, budget - total)
        if total > budget:
            break
    return total


def check_weight(*values: Any) -> None:
    _refuse_over(sum(weight(value) for value in values), N_("a value"))


def _check_result(value: Any) -> Any:
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        _refuse_over(len(value), N_("a value"))
    return value


def _check_widths(numbers: list[str]) -> None:
    """A width or precision builds its whole string at once, before any output limit can see it."""
    if "*" in numbers:
        raise SecurityError(_("a width or precision taken from an argument ('*') is not allowed"))
    if any(int(n) > LIMITS.max_template_chars for n in numbers if n):
        raise SecurityError(_("a width or precision over {count}", count=LIMITS.max_template_chars))


def check_printf(template: str, arguments: Any) -> None:
    fields = PRINTF_FIELD.findall(template)
    _check_widths([n for field in fields for n in field])
    _refuse_over(len(template) + len(fields) * weight(arguments), N_("a formatted string"))


def check_format(template: str, arguments: Iterable[Any]) -> None:
    fields = 0
    for _text, name, spec, _conversion in string.Formatter().parse(template):
        if spec and "{" in spec:
            raise SecurityError(_("a format spec taken from an argument is not allowed"))
        _check_widths(re.findall(r"\d+", spec or ""))
        fields += name is not None
    _refuse_over(len(template) + fields * max((weight(a) for a in arguments), default=0), N_("a formatted string"))


def _check_replace(text: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old, new = str(text), str(old), str(new)
    found = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    _refuse_over(len(text) + found * max(len(new) - len(old), 0), N_("a replaced string"))


def _taken(items: Iterable[Any]) -> list[str]:
    taken = list(itertools.islice(items, LIMITS.max_template_value + 1))
    _refuse_over(len(taken), N_("a list"))
    check_weight(taken)
    return [str(item) for item in taken]


def _joined(separator: str, items: Iterable[Any]) -> str:
    texts = _taken(items)
    _refuse_over(sum(map(len, texts)) + len(separator) * max(len(texts) - 1, 0), N_("a joined string"))
    return separator.join(texts)


def bounded_concat(values: Iterable[Any]) -> str:
    """`~`, a `{% set %}` block's body and a macro's output: joined once their size is known."""
    return _joined("", values)


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > LIMITS.max_template_range:
        raise SecurityError(_("range() longer than {count}", count=LIMITS.max_template_range))
    return numbers


def _before_filter(name: str, args: tuple, kwargs: dict) -> None:
    check_weight(*args, *kwargs.values())
    at = SIZE_ARGUMENTS.get(name)
    size = args[at] if at is not None and len(args) > at else None
    if isinstance(size, int) and size > LIMITS.max_template_value:
        raise SecurityError(_("a width or size over {count:,}", count=LIMITS.max_template_value))
    if name == "replace" and len(args) >= 3:
        _check_replace(*args[:4])
    elif name == "indent" and args:
        width = args[1] if len(args) > 1 else kwargs.get("width", 4)
        text, indent = str(args[0]), len(width) if isinstance(width, str) else int(width)
        _refuse_over(len(text) + (text.count("\n") + 1) * indent, N_("an indented string"))
    elif name == "wordwrap" and args:
        text, wrap = str(args[0]), kwargs.get("wrapstring", args[3] if len(args) > 3 else None) or "\n"
        _refuse_over(len(text) + (len(text) + 1) * len(str(wrap)), N_("a wrapped string"))
    elif name == "format" and args:
        check_printf(str(args[0]), args[1:] + tuple(kwargs.values()))


def _bounded_filter(name: str, filter_: Callable[..., Any]) -> Callable[..., Any]:
    passes_first = hasattr(filter_, "jinja_pass_arg")  # an environment, context or eval context comes first

    @functools.wraps(filter_)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _before_filter(name, args[1:] if passes_first else args, kwargs)
        return _check_result(filter_(*args, **kwargs))
    return bounded


@jinja2.pass_eval_context
def _join_filter(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return _joined(str(d), value)


class BoundedCodeGenerator(CodeGenerator):
    @optimizeconst
    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.bounded_concat((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    code_generator_class = BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    bounded_concat = staticmethod(bounded_concat)
    concat = staticmethod(bounded_concat)  # the body of `{% set x %}…{% endset %}` and of a macro

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=False, finalize=self._finalize)
        self.globals = {"range": _bounded_range, "dict": dict, "namespace": self.globals["namespace"],
                        "cycler": self.globals["cycler"], "joiner": self.globals["joiner"]}  # no lipsum(n)
        self.filters["join"] = _join_filter
        self.filters = {name: _bounded_filter(name, filter_) for name, filter_ in self.filters.items()}

    @staticmethod
    def _finalize(value: Any) -> Any:
        check_weight(value)  # before the template's output writes it with str()
        return value

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr not in STR_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            check_format(template, [*args, *kwargs.values(), *(a for a in args if isinstance(a, dict))])
            return wrapped(*args, **kwargs)
        return bounded

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        check_weight(*args, *kwargs.values())
        receiver, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(receiver, str):
            if name in WIDTH_METHODS and args and isinstance(args[0], int):
                _refuse_over(args[0], N_("a padded string"))
            elif name == "replace" and len(args) >= 2:
                _check_replace(receiver, *args[:3])
            elif name == "join" and args:
                return _joined(receiver, args[0])
        return _check_result(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "**" and isinstance(right, (int, float)) and (
                abs(right) > 64 or isinstance(left, int) and left.bit_length() * abs(right) > 4096):
            raise SecurityError(_("power too large"))
        if op == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, bytes, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > LIMITS.max_template_chars:
                    raise SecurityError(_("repetition longer than {count}", count=LIMITS.max_template_chars))
        if op == "%" and isinstance(left, str):
            check_printf(left, right)
        if op == "+" and isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
            _refuse_over(len(left) + len(right), N_("a value"))
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod, "+": operator.add}[op](left, right)
