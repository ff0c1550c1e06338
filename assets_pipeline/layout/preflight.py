"""Preflight: what a print shop or a passer-by would catch, checked on every laid-out piece
before anything is rendered (`assets check` and every `assets build`).

Each placed item holds itself to its block type's rules (blocks/: a text's legibility, contrast,
safe area and glyphs; an image's safe area and resolution), said here as findings of the piece (one
design × unit × variant × format, i.e. its PDF and PNG files). The piece itself adds:

- `color-shift` — a CMYK print piece: each colour as its press prints it (its CMYK value through the
  profile, back to sRGB) stays within ΔE2000 5 of the screen value the designer chose (warning: beyond
  it, a trained eye sees another colour side by side; the soft proof shows which).

Errors fail the build; warnings are listed, and fail it too under `--strict`. A warning the block
accepts (a text's `accept`, with why) is a finding of level `accepted`: `assets check` lists it once with
the reason; it is not counted as a warning, and a build says only how many it rendered. The engine
writes the report as files (engine/preflight_files.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assets_pipeline.blocks import BLOCK_TYPES
from assets_pipeline.blocks.base import Item
from assets_pipeline.blocks.text import TextItem as TextItem  # the item most rules are about
from assets_pipeline.core.errors import ErrorList, SpecError, SpecErrors, Where
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.i18n import N_, _
from assets_pipeline.core.press import color_shift
from assets_pipeline.layout.items import Layout, color_beneath
from assets_pipeline.layout.place import area_box
from assets_pipeline.plan.jobs import Job
from assets_pipeline.plan.resolve import all_blocks

SAFE_TOLERANCE = 1e-6  # in the format's unit; rounding, not design


@dataclass(frozen=True)
class Finding:
    """One rule broken by one item. What it says is kept as its English text with named placeholders
    and their values, so that a finding known by its key (engine/preflight_files.py) is said in the
    language of whoever reads it, not of the run that found it."""

    rule: str
    level: str  # "error", "warning" or "accepted" (a warning the block accepts, `values["because"]` says why)
    where: str  # spec file:line of the block
    text: str  # English, marked with N_ (core/i18n.py)
    measured: float | None = None
    required: float | None = None
    values: dict[str, Any] = field(default_factory=dict, hash=False)  # the placeholders of `text`

    @property
    def message(self) -> str:
        """What the finding says, in the reader's language."""
        return _(self.text, **self.values)

    @property
    def reason(self) -> str:
        """` — why it is accepted` for an accepted warning, else nothing."""
        return f" — {self.values['because']}" if self.level == "accepted" and "because" in self.values else ""

    def as_json(self) -> dict[str, Any]:
        """The finding as the reports and the cache keep it: with its message as said now, which is not
        read back (`from_json`)."""
        return {"rule": self.rule, "level": self.level, "where": self.where, "message": self.message,
                "measured": self.measured, "required": self.required, "text": self.text, "values": self.values}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """A finding as `as_json` wrote it; KeyError or TypeError for anything else."""
        return cls(data["rule"], data["level"], data["where"], data["text"], data["measured"], data["required"],
                   dict(data["values"]))


@dataclass
class PieceReport:
    piece: str  # unit/channel/stem
    files: list[str]
    findings: list[Finding] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"piece": self.piece, "files": self.files, "findings": [f.as_json() for f in self.findings],
                "measures": self.measures}


@dataclass
class Report:
    pieces: list[PieceReport]
    strict: bool = False

    def count(self, level: str) -> int:
        return sum(1 for p in self.pieces for f in p.findings if f.level == level)

    def accepted_in(self, files: set[str]) -> int:
        """Accepted warnings of the pieces that have one of `files`: what a build that made them says once."""
        return sum(1 for p in self.pieces if files.intersection(p.files) for f in p.findings if f.level == "accepted")

    @property
    def failed(self) -> bool:
        return self.count("error") > 0 or (self.strict and self.count("warning") > 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": not self.failed, "strict": self.strict,
            "errors": self.count("error"), "warnings": self.count("warning"), "accepted": self.count("accepted"),
            "rules": rules(),
            "pieces": [p.as_json() for p in self.pieces],
        }

    def listing(self, level: str) -> ErrorList:
        """Findings of one level as one line each, a mistake repeated over many pieces said once."""
        found = ErrorList()
        for piece in self.pieces:
            for finding in piece.findings:
                if finding.level == level:
                    file, _, line = finding.where.rpartition(":")
                    where = Where(file, int(line)) if line.isdigit() else Where(finding.where)
                    found.add(SpecError(f"{finding.rule}: {finding.message} [{piece.piece}]{finding.reason}", where))
        return found

    def human(self) -> str:
        said = (_("preflight: {pieces} pieces, {errors} errors, {warnings} warnings (strict)", pieces=len(self.pieces),
                  errors=self.count("error"), warnings=self.count("warning")) if self.strict else
                _("preflight: {pieces} pieces, {errors} errors, {warnings} warnings", pieces=len(self.pieces),
                  errors=self.count("error"), warnings=self.count("warning")))
        lines = [said]
        levels = {"error": _("error"), "warning": _("warning"), "accepted": _("accepted")}
        for piece in self.pieces:
            if not piece.findings:
                continue
            lines.append(f"\n{piece.piece}  ({', '.join(piece.files)})")
            for f in piece.findings:
                lines.append(f"  {levels.get(f.level, f.level)}: {f.where}: {f.rule}: {f.message}{f.reason}")
        return "\n".join(lines) + "\n"


class PreflightFailed(SpecErrors):
    """Preflight errors (or warnings under --strict): exit 2, one line per problem."""


def rules() -> dict[str, str]:
    """Every rule the registered block types' items apply, once: rule → what it holds, in the reader's language."""
    found: dict[str, str] = {}
    for block_type in BLOCK_TYPES.values():
        for rule, holds in block_type.rules:
            found.setdefault(rule, _(holds, **dict(block_type.rule_values)))
    return found


class PieceInspector:
    """What an item's rules see of one piece (blocks/base.py, `Inspector`), and its findings and measures."""

    def __init__(self, job: Job, layout: Layout):
        fmt = job.format
        self.layout, self.safe = layout, area_box(job, "safe")
        self.unit, self.is_print = layout.unit, fmt.is_print
        self.viewing_distance_m, self.min_contrast, self.min_image_dpi = (fmt.viewing_distance_m, fmt.min_contrast,
                                                                         fmt.min_image_dpi)
        self.findings: list[Finding] = []
        self.measures: dict[str, Any] = {}
        self._digits: dict[str, int] = {}

    def beneath(self, item: Item) -> str:
        return color_beneath(self.layout, item)

    def beyond_safe(self, box: Box) -> float | None:
        return None if _inside(box, self.safe) else _overrun(box, self.safe)

    def report(self, rule: str, level: str, where: str, message: str, measured: float | None = None,
               required: float | None = None, **values: Any) -> None:
        self.findings.append(Finding(rule, level, where, message, measured, required, values))

    def least(self, measure: str, value: float, digits: int) -> None:
        self.measures[measure] = min(value, self.measures.get(measure, value))
        self._digits[measure] = digits

    def note(self, measure: str, value: Any) -> None:
        self.measures[measure] = value

    def rounded(self) -> dict[str, Any]:
        return {name: round(value, self._digits[name]) if name in self._digits else value
                for name, value in self.measures.items()}


def check_piece(job: Job, layout: Layout) -> tuple[list[Finding], dict[str, Any]]:
    """Every item's rules, in drawing order, then the piece's colours."""
    inspector = PieceInspector(job, layout)
    for item in layout.items:
        item.preflight(inspector)
    return inspector.findings + _color_shifts(job), inspector.rounded()


COLOR_SHIFT_LIMIT = 5.0  # ΔE2000


def _color_shifts(job: Job) -> list[Finding]:
    if job.press is None:
        return []
    findings = []
    for color, cmyk in job.cmyk:
        shift, printed = color_shift(color, cmyk, job.press)
        if shift > COLOR_SHIFT_LIMIT:
            user = next((block for block in all_blocks(job.blocks) if block.color == color), None)
            where = str(user.where) if user is not None and user.where is not None else ""
            values = "/".join(f"{v * 100:g}" for v in cmyk)
            findings.append(Finding("color-shift", "warning", where,
                                    N_("colour {color} prints as {printed} (C/M/Y/K {cmyk} on {press}): ΔE2000 {shift:.1f} "
                                       "from its screen value, more than {limit:g}"),
                                    round(shift, 1), COLOR_SHIFT_LIMIT,
                                    {"color": color, "printed": printed, "cmyk": values, "press": job.press.identifier,
                                     "shift": shift, "limit": COLOR_SHIFT_LIMIT}))
    return findings


def _inside(box, safe) -> bool:
    return (box.x >= safe.x - SAFE_TOLERANCE and box.y >= safe.y - SAFE_TOLERANCE
            and box.x + box.width <= safe.x + safe.width + SAFE_TOLERANCE
            and box.y + box.height <= safe.y + safe.height + SAFE_TOLERANCE)


def _overrun(box, safe) -> float:
    return max(safe.x - box.x, safe.y - box.y, box.x + box.width - safe.x - safe.width,
               box.y + box.height - safe.y - safe.height, 0.0)


def enforce(report: Report) -> None:
    """Raise PreflightFailed listing the errors (and, under strict, the warnings)."""
    if not report.failed:
        return
    problems = report.listing("error").errors
    if report.strict:
        problems += report.listing("warning").errors
    raise PreflightFailed(problems)
