"""Preflight: what a print shop or a passer-by would catch, checked on every laid-out piece
before anything is rendered (`assets check` and every `assets build`).

Rules, per piece (one design × unit × variant × format, i.e. its PDF and PNG files):

- `legibility` — print formats with a viewing distance: the cap height of every text against it.
  The minimum we hold designs to is distance / 250, i.e. 100 mm of letter height per 25 m: the rule
  of the UK fire-safety sign guidance ("letters 100 mm tall to be read at 25 m"), itself a margin
  on the 1-arc-minute acuity of normal sight. Below it is a warning. The bare limit, measured by
  the United States Sign Council with Penn State (1998: Helvetica capitals, black on white,
  daylight), is about 1 inch per 29 feet, distance / 350: below that nobody reads the text from
  where the format says it is read, and it is an error.
- `contrast` — WCAG 2.x contrast ratio between a text's colour and the colour under the centre of
  its ink: below 3:1 (WCAG AA for large text, the floor for any size) is an error; a text that is
  not large is held to the format's `min_contrast` (4.5:1 by default, WCAG AA for body text), and
  below it is a warning. "Large" is WCAG's large-scale text (18 pt, or 14 pt bold, read on a
  screen or a page at about 60 cm) carried to the format: on screen 24 px, or 18.7 px for a bold
  face; in print, the same angle at the format's viewing distance (an em of distance / 94, or
  distance / 121 for a bold face).
- `safe-area` — every text's ink and every image inside the format's safe area (error). Rectangles
  are decoration and may run into the bleed.
- `glyphs` — every character of every text has a glyph in its font (error).
- `image-resolution` — a placed image's effective resolution at final size is at least the
  format's `min_image_dpi` (warning: the file is still made, and the build says so).
- `color-shift` — a CMYK print piece: each colour as its press prints it (its CMYK value through the
  profile, back to sRGB) stays within ΔE2000 5 of the screen value the designer chose (warning: beyond
  it, a trained eye sees another colour side by side; the soft proof shows which).

Errors fail the build; warnings are listed, and fail it too under `--strict`. The engine writes the
report as files (engine/preflight_files.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assets_pipeline.blocks.image import ImageItem
from assets_pipeline.blocks.text import TextItem
from assets_pipeline.core.color import contrast_ratio
from assets_pipeline.core.errors import ErrorList, SpecError, SpecErrors, Where
from assets_pipeline.core.fonts import face
from assets_pipeline.core.geometry import PT_PER_MM
from assets_pipeline.core.press import color_shift
from assets_pipeline.layout.items import Layout, color_beneath
from assets_pipeline.layout.place import area_box
from assets_pipeline.plan.jobs import Job
from assets_pipeline.plan.resolve import all_blocks

LEGIBILITY_RATIO = 250  # viewing distance / cap height, at most (below: warning)
LEGIBILITY_LIMIT_RATIO = 350  # beyond this nobody reads it (below: error)
CONTRAST_FLOOR = 3.0
SAFE_TOLERANCE = 1e-6  # in the format's unit; rounding, not design


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str  # "error" or "warning"
    where: str  # spec file:line of the block
    message: str
    measured: float | None = None
    required: float | None = None


@dataclass
class PieceReport:
    piece: str  # unit/channel/stem
    files: list[str]
    findings: list[Finding] = field(default_factory=list)
    measures: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    pieces: list[PieceReport]
    strict: bool = False

    def count(self, level: str) -> int:
        return sum(1 for p in self.pieces for f in p.findings if f.level == level)

    @property
    def failed(self) -> bool:
        return self.count("error") > 0 or (self.strict and self.count("warning") > 0)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": not self.failed, "strict": self.strict,
            "errors": self.count("error"), "warnings": self.count("warning"),
            "rules": {"legibility": f"cap height >= viewing distance / {LEGIBILITY_LIMIT_RATIO} (error), "
                                    f"/ {LEGIBILITY_RATIO} (warning)",
                      "contrast": f"WCAG ratio >= {CONTRAST_FLOOR} (error), >= format min_contrast (warning)",
                      "safe-area": "text ink and images inside the safe area (error)",
                      "glyphs": "every character in its font (error)",
                      "image-resolution": "effective dpi at final size >= format min_image_dpi (warning)"},
            "pieces": [asdict(p) for p in self.pieces],
        }

    def listing(self, level: str) -> ErrorList:
        """Findings of one level as one line each, a mistake repeated over many pieces said once."""
        found = ErrorList()
        for piece in self.pieces:
            for finding in piece.findings:
                if finding.level == level:
                    file, _, line = finding.where.rpartition(":")
                    where = Where(file, int(line)) if line.isdigit() else Where(finding.where)
                    found.add(SpecError(f"{finding.rule}: {finding.message} [{piece.piece}]", where))
        return found

    def human(self) -> str:
        lines = [f"preflight: {len(self.pieces)} pieces, {self.count('error')} errors, "
                 f"{self.count('warning')} warnings{' (strict)' if self.strict else ''}"]
        for piece in self.pieces:
            if not piece.findings:
                continue
            lines.append(f"\n{piece.piece}  ({', '.join(piece.files)})")
            for f in piece.findings:
                lines.append(f"  {f.level}: {f.where}: {f.rule}: {f.message}")
        return "\n".join(lines) + "\n"


class PreflightFailed(SpecErrors):
    """Preflight errors (or warnings under --strict): exit 2, one line per problem."""


def check_piece(job: Job, layout: Layout) -> tuple[list[Finding], dict[str, Any]]:
    findings: list[Finding] = []
    fmt = job.format
    safe = area_box(job, "safe")
    distance_mm = fmt.viewing_distance_m * 1000 if fmt.viewing_distance_m and fmt.is_print else None
    cap_heights, contrasts = [], []
    for item in layout.items:
        if isinstance(item, TextItem):
            where = str(item.where)
            shown = item.text if len(item.text) <= 40 else item.text[:39] + "…"
            missing = face(item.font_path).missing(item.text)
            if missing:
                findings.append(Finding("glyphs", "error", where, f"no glyph for {', '.join(missing)} in {shown!r}"))
            ink = item.fitted.ink
            if not _inside(ink, safe):
                findings.append(Finding("safe-area", "error", where, f"{shown!r} leaves the safe area "
                                        f"({_overrun(ink, safe):.1f} {layout.unit} beyond it)"))
            ratio = contrast_ratio(item.color, color_beneath(layout, item))
            contrasts.append(ratio)
            if ratio < CONTRAST_FLOOR:
                findings.append(Finding("contrast", "error", where, f"{shown!r}: contrast {ratio:.2f}:1 "
                                        f"below {CONTRAST_FLOOR:g}:1", round(ratio, 2), CONTRAST_FLOOR))
            elif ratio < fmt.min_contrast and not is_large(job, item):
                findings.append(Finding("contrast", "warning", where, f"{shown!r}: contrast {ratio:.2f}:1 "
                                        f"below {fmt.min_contrast:g}:1", round(ratio, 2), fmt.min_contrast))
            if distance_mm is not None:
                cap_mm = face(item.font_path).ink("H").top * item.fitted.size
                cap_heights.append(cap_mm)
                limit, minimum = distance_mm / LEGIBILITY_LIMIT_RATIO, distance_mm / LEGIBILITY_RATIO
                said = f"{shown!r}: cap height {cap_mm:.1f} mm at {fmt.viewing_distance_m:g} m"
                if cap_mm < limit:
                    findings.append(Finding("legibility", "error", where, f"{said}, below the legibility limit "
                                            f"{limit:.1f} mm (distance / {LEGIBILITY_LIMIT_RATIO})",
                                            round(cap_mm, 2), round(limit, 2)))
                elif cap_mm < minimum:
                    findings.append(Finding("legibility", "warning", where, f"{said}, below the minimum "
                                            f"{minimum:.1f} mm (distance / {LEGIBILITY_RATIO})",
                                            round(cap_mm, 2), round(minimum, 2)))
        elif isinstance(item, ImageItem):
            where = str(item.where)
            name = Path(item.path).name
            if not _inside(item.box, safe):
                findings.append(Finding("safe-area", "error", where, f"image {name} leaves the safe area "
                                        f"({_overrun(item.box, safe):.1f} {layout.unit} beyond it)"))
            if fmt.is_print:
                dpi = item.dpi_at(1.0)
                if fmt.min_image_dpi is not None and dpi < fmt.min_image_dpi:
                    findings.append(Finding("image-resolution", "warning", where,
                                            f"image {name} is {dpi:.0f} dpi at final size, below the "
                                            f"{fmt.min_image_dpi:g} dpi this format needs", round(dpi, 1),
                                            fmt.min_image_dpi))
    findings.extend(_color_shifts(job))
    measures: dict[str, Any] = {}
    if cap_heights:
        measures["min_cap_height_mm"] = round(min(cap_heights), 1)
        measures["viewing_distance_m"] = fmt.viewing_distance_m
    if contrasts:
        measures["min_contrast"] = round(min(contrasts), 2)
    return findings, measures


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
                                    f"colour {color} prints as {printed} (C/M/Y/K {values} on {job.press.identifier}): "
                                    f"ΔE2000 {shift:.1f} from its screen value, more than {COLOR_SHIFT_LIMIT:g}",
                                    round(shift, 1), COLOR_SHIFT_LIMIT))
    return findings


# WCAG 2.x large-scale text: 18 pt, or 14 pt bold, at a reading distance of about 60 cm
WCAG_LARGE_PT, WCAG_LARGE_BOLD_PT, WCAG_READING_MM = 18, 14, 600
BOLD_FACES = ("Bold", "ExtraBold", "Black", "Heavy")


def is_large(job: Job, item: TextItem) -> bool:
    """Large-scale text in WCAG's sense, carried to the format's pixels or viewing distance."""
    stem = Path(item.font_path).stem
    bold = stem.endswith(BOLD_FACES) and not stem.endswith("SemiBold")
    points = WCAG_LARGE_BOLD_PT if bold else WCAG_LARGE_PT
    fmt = job.format
    if not fmt.is_print:
        return item.fitted.size >= points * 4 / 3  # CSS pixels: 1 pt = 4/3 px
    if not fmt.viewing_distance_m:
        return item.fitted.size >= points / PT_PER_MM
    em_mm_at_reading = points / PT_PER_MM
    return item.fitted.size >= em_mm_at_reading * fmt.viewing_distance_m * 1000 / WCAG_READING_MM


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
