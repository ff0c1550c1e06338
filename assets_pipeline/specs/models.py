"""The campaign, units and formats files as typed models (their base, `SpecModel`, refuses unknown keys)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from assets_pipeline.core.led import MODULES, board_m, board_px, modules_for
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.i18n import _
from assets_pipeline.core.suggest import did_you_mean
from assets_pipeline.core.specmodel import HEX_COLOR, SLUG, SpecModel
from assets_pipeline.core.vietnamese import COMMUNE_LEVELS, LEVELS
from assets_pipeline.specs.documents import Department, Pledge

# ---------------------------------------------------------------- campaign

class Period(SpecModel):
    start: dt.date = Field(description="First day of the campaign.")
    end: dt.date = Field(description="Last day of the campaign.")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(_("period ends before it starts"))
        return self


class Event(SpecModel):
    title: str = Field(min_length=1, description="The event's name as printed, e.g. on a stage backdrop.")
    date: dt.date
    place: str = Field(min_length=1, description="Where it is held, as printed.")
    host: str = Field(min_length=1, description="The body that organises it (đơn vị chủ trì).")


CMYKPercent = tuple[Annotated[float, Field(ge=0, le=100)], Annotated[float, Field(ge=0, le=100)],
                    Annotated[float, Field(ge=0, le=100)], Annotated[float, Field(ge=0, le=100)]]


class PrintSettings(SpecModel):
    profile: str | None = Field(
        default=None, min_length=1,
        description="The print shop's CMYK output profile (ICC), relative to specs/, e.g. `print/shop.icc`; default: "
                    "the built-in Coated FOGRA39L (ISO 12647-2 offset on coated paper, total ink 300 %).")
    condition: str | None = Field(
        default=None, min_length=1,
        description="The output condition of `profile` as the PDF/X output intent names it (e.g. `FOGRA51`); "
                    "default: the profile's own description.")
    intent: Literal["relative-colorimetric", "perceptual"] = Field(
        default="relative-colorimetric",
        description="Rendering intent of every conversion from RGB (images, colours without a `cmyk` value).")
    ink_limit: float = Field(
        default=300, ge=100, le=400, description="The most C+M+Y+K any fill or image pixel may carry, in percent.")
    pdfx: Literal["x-4", "x-1a"] = Field(
        default="x-4", description="The PDF/X level of every print PDF (`x-1a` is PDF/X-1a:2001); a format may ask for another.")


class Campaign(SpecModel):
    id: str = Field(pattern=SLUG, description="Short id of the campaign, e.g. `cds-2022-tuyen-quang`.")
    title: str = Field(min_length=1, description="The day's title as printed.")
    year: int = Field(ge=2000, le=2100)
    province: str = Field(min_length=1, description="The province running the campaign.")
    issuer: str = Field(min_length=1, description="The authority that issues the plan.")
    period: Period
    slogans: dict[str, str] = Field(
        min_length=1, description="Official slogans: id → exact text. Designs name them by id only.")
    texts: dict[str, str] = Field(
        default_factory=dict, description="Other campaign texts available to templates as `campaign.texts.ID`.")
    phrases: list[str] = Field(
        default_factory=list,
        description="Compound words that no line may break inside, e.g. `chuyển đổi số` "
                    "(Vietnamese puts a space between the syllables of one word).")
    palette: dict[str, Annotated[str, Field(pattern=HEX_COLOR)]] = Field(
        min_length=1, description="Named colours (`#RRGGBB`), used by designs by name.")
    fonts: dict[str, str] = Field(
        min_length=1, description="Named fonts: id → TrueType file under `fonts/`.")
    cmyk: dict[str, CMYKPercent] = Field(
        default_factory=dict, description="Print values of palette colours: name → [C, M, Y, K] in percent.")
    cmyk_from_rgb: Literal["none", "profile", "full-gcr"] = Field(
        default="none", description="How a print colour without a `cmyk` value (and every image) becomes CMYK: "
                                    "`profile` through the print profile (`print:`), `full-gcr` by the "
                                    "uncalibrated formula of assets_pipeline/core/color.py; `none` makes it an error.")
    print_settings: PrintSettings = Field(
        default_factory=PrintSettings, alias="print",
        description="The press the print files are made for: profile, rendering intent, ink limit, PDF/X level.")
    events: dict[Annotated[str, Field(pattern=SLUG)], Event] = Field(
        default_factory=dict, description="Events the campaign prints for: id → title, date, place, host.")
    report_before: dt.date | None = Field(
        default=None, description="Each unit returns its results form before this date (the form's deadline).")
    report_to: str | None = Field(
        default=None, min_length=1, description="The office the results report goes to.")
    report_recipients: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="Whom that office's report on the province goes to (its `Kính gửi`).")
    headline: str | None = Field(
        default=None, description="The slogan id shown where a design has room for one slogan only (designs "
                                  "write `slogan: headline`); default: the first slogan.")
    units: str = Field(
        default="units.yaml", min_length=1, description="The units file of this campaign, relative to specs/ "
                                                       "(the administrative map changes over the years).")
    procedures: str = Field(
        default="procedures.csv", min_length=1, description="The procedures file (QR notices), relative to "
                                                           "specs/; its units must be this campaign's.")
    services: str = Field(
        default="services.yaml", min_length=1, description="The digital services leaflets explain, relative to specs/.")
    pledge: Pledge | None = Field(default=None, description="The emulation pledge signed at the launch (giao ước thi đua).")
    awards: str = Field(
        default="awards.csv", min_length=1, description="The commendations file (giấy khen), relative to specs/.")
    indicators: str = Field(
        default="indicators.yaml", min_length=1,
        description="The results each unit reports back (the return form's rows), relative to specs/.")
    results: str = Field(
        default="ket-qua.csv", min_length=1,
        description="The results the infographic draws (unit, indicator, value), relative to specs/: written by "
                    "`assets results collect --update-specs`, or typed before the returns arrive.")


# ---------------------------------------------------------------- units

_LONGEST_FIRST = sorted(LEVELS, key=len, reverse=True)  # "thị trấn" before "thị xã" could never match


def level_of(name: str) -> str | None:
    """The level word a unit's name begins with, in lower case: `Thị trấn Na Hang` → `thị trấn`."""
    lowered = name.lower()
    return next((w for w in _LONGEST_FIRST if lowered.startswith(w + " ")), None)


class Unit(SpecModel):
    slug: str = Field(pattern=SLUG, description="ASCII id, used in file names; unique in the file, kept across renamings.")
    name: str = Field(min_length=1, description="Official Vietnamese name with its level, as GSO writes it, e.g. `xã Kim Phú`.")
    kind: Literal["province", "district", "commune"] = Field(
        description="Tier of the unit: which designs reach it (a design's `units.kinds`).")
    parent: str | None = Field(default=None, pattern=SLUG, description="Slug of the unit above.")
    code: str | None = Field(default=None, pattern=r"^[0-9]{2,5}$",
                             description="GSO code: 2 digits for a province, 3 for a district, 5 for a commune.")
    display_name: str | None = Field(
        default=None, min_length=1,
        description="What the pieces print, where local usage differs from the official name (GSO `Quí Quân`, "
                    "locally `Quý Quân`); it keeps the level: `xã Quý Quân`.")
    to_confirm: str | None = Field(default=None, description="Why this entry is not from an official source yet.")

    @property
    def shown(self) -> str:
        """The name the pieces print."""
        return self.display_name or self.name

    @property
    def authority(self) -> str:
        """Its people's committee, which signs and reports for it: `Ủy ban nhân dân xã Kim Phú`."""
        return f"Ủy ban nhân dân {self.shown}"

    @property
    def level(self) -> str | None:
        """The level word the name begins with (xã, phường, thị trấn, huyện, …)."""
        return level_of(self.name)

    @property
    def short_name(self) -> str:
        """The shown name without its level: `Kim Phú`."""
        level = self.level
        return self.shown[len(level) + 1:] if level and self.shown.lower().startswith(level + " ") else self.shown

    @model_validator(mode="after")
    def _name_has_level(self) -> Unit:
        if self.kind == "commune" and self.level not in COMMUNE_LEVELS:
            raise ValueError(_("a commune's name begins with xã, phường, thị trấn or đặc khu: '{name}'", name=self.name))
        if self.display_name is not None and self.level and not self.display_name.lower().startswith(self.level + " "):
            raise ValueError(_("display_name keeps the level of the name: '{level} …'", level=self.level))
        expected = {"province": 2, "district": 3, "commune": 5}[self.kind]
        if self.code is not None and len(self.code) != expected:
            raise ValueError(_("a {kind}'s GSO code has {expected} digits, not {got}", kind=self.kind, expected=expected,
                               got=len(self.code)))
        return self


class UnitsFile(SpecModel):
    imported_from: str | None = Field(
        default=None, description="The official list the units were imported from (`assets units import` writes "
                                  "it): a GSO list under specs/ (CSV or XLSX), or `vietnamadminunits`. `assets check` "
                                  "warns of a commune whose GSO code the list does not have.")
    units: list[Unit] = Field(min_length=1)
    departments: list[Department] = Field(
        default_factory=list, description="The province's departments (sở, ban, ngành): they sign the pledge; "
                                          "no design reaches them.")


# ---------------------------------------------------------------- formats

class LedBoard(SpecModel):
    """An LED board as it is built, of whole modules (core/led.py): its pixels follow."""

    module: str = Field(description="The module type: p10 (320 × 160 mm, 32 × 16 px), p5 (320 × 160 mm, "
                                    "64 × 32 px), … (core/led.py)")
    modules: tuple[Annotated[int, Field(gt=0, le=1000)], Annotated[int, Field(gt=0, le=1000)]] | None = Field(
        default=None, description="Modules across × down.")
    size_m: tuple[Annotated[float, Field(gt=0, le=100)], Annotated[float, Field(gt=0, le=100)]] | None = Field(
        default=None, description="Or the board's size in metres: the nearest whole modules are taken.")

    @model_validator(mode="after")
    def _one_count(self) -> LedBoard:
        if self.module not in MODULES:
            raise ValueError(_("unknown LED module '{module}'", module=self.module) + did_you_mean(self.module, list(MODULES)))
        if (self.modules is None) == (self.size_m is None):
            raise ValueError(_("give exactly one of modules (across × down) or size_m (metres)"))
        return self

    @property
    def count(self) -> tuple[int, int]:
        return self.modules if self.modules is not None else modules_for(self.module, self.size_m or (1, 1))

    @property
    def px(self) -> tuple[int, int]:
        return board_px(self.module, self.count)

    def described(self) -> str:
        """`19 × 19 mô-đun P10 (6,08 × 3,04 m), 608 × 304 điểm ảnh`: what an operator checks."""
        (across, down), (width, height), (px_w, px_h) = self.count, board_m(self.module, self.count), self.px
        metres = " × ".join(f"{v:.2f}".rstrip("0").rstrip(".").replace(".", ",") for v in (width, height))
        return f"{across} × {down} mô-đun {self.module.upper()} ({metres} m), {px_w} × {px_h} điểm ảnh"


class VideoLimits(SpecModel):
    """What a platform accepts of an uploaded video; a format's are the strictest of its platforms'."""

    min_duration_s: float = Field(default=0, ge=0, description="Shortest video accepted.")
    max_duration_s: float | None = Field(default=None, gt=0, description="Longest video accepted.")
    max_mb: float | None = Field(default=None, gt=0, description="Largest file accepted, in MB (1,000,000 bytes).")
    min_fps: int | None = Field(default=None, gt=0, description="Lowest frame rate accepted.")
    max_fps: int | None = Field(default=None, gt=0, description="Highest frame rate accepted.")
    audio: bool = Field(default=False, description="An audio track is required (a silent AAC track is written).")

    def takes_duration(self, seconds: float) -> bool:
        return self.min_duration_s <= seconds and (self.max_duration_s is None or seconds <= self.max_duration_s)

    def takes_fps(self, fps: float) -> bool:
        return (self.min_fps is None or fps >= self.min_fps) and (self.max_fps is None or fps <= self.max_fps)

    @staticmethod
    def strictest(all_limits: list[VideoLimits]) -> VideoLimits:
        def least(values: list) -> Any:
            return min((v for v in values if v is not None), default=None)

        def most(values: list) -> Any:
            return max((v for v in values if v is not None), default=None)

        return VideoLimits(min_duration_s=max((x.min_duration_s for x in all_limits), default=0),
                           max_duration_s=least([x.max_duration_s for x in all_limits]),
                           max_mb=least([x.max_mb for x in all_limits]),
                           min_fps=most([x.min_fps for x in all_limits]), max_fps=least([x.max_fps for x in all_limits]),
                           audio=any(x.audio for x in all_limits))


class Platform(VideoLimits):
    """A platform a video is posted on, with where its limits come from."""

    title: str = Field(min_length=1, description="The platform and the kind of post, e.g. `Facebook Reels`.")
    source: str = Field(min_length=1, description="Where the limits are published.")
    to_confirm: str | None = Field(default=None, description="Why a limit is not from the platform's own pages yet.")


class Format(SpecModel):
    title: str = Field(min_length=1, description="What the piece is, in Vietnamese.")
    channel: str = Field(pattern=SLUG, description="Output folder: banners, pano, posters, led, web, …")
    size_mm: tuple[Annotated[float, Field(gt=0, le=LIMITS.max_mm)],
                   Annotated[float, Field(gt=0, le=LIMITS.max_mm)]] | None = Field(
        default=None, description="Finished (trim) size, width × height in mm, for print formats.")
    size_px: tuple[Annotated[int, Field(gt=0, le=LIMITS.max_px)], Annotated[int, Field(gt=0, le=LIMITS.max_px)]] | None = Field(
        default=None, description="Width × height in pixels, for screen formats.")
    board: LedBoard | None = Field(
        default=None, description="An LED board by its module type and count (or size in metres): size_px follows.")
    bleed_mm: float = Field(default=0, ge=0, le=200, description="Bleed on each side, print only.")
    safe_mm: float = Field(default=0, ge=0, description="Margin inside the trim that text keeps clear of.")
    safe_px: int = Field(default=0, ge=0, description="The same for screen formats.")
    viewing_distance_m: float | None = Field(default=None, gt=0, description="Typical reading distance.")
    proof_px: int = Field(default=2400, ge=100, le=LIMITS.max_px, description="Long side of a print format's PNG proof.")
    color_space: Literal["cmyk", "rgb"] = Field(
        default="cmyk", description="Colour space of a print format's PDF.")
    crop_marks: bool = Field(default=False, description="Draw crop marks outside the bleed; the page grows by them.")
    large_pdf: Literal["scaled", "user-unit"] = Field(
        default="scaled", description="A piece over 5,080 mm: 1:10 artwork (`scaled`, the file name ends `_1-10`) "
                                      "or full size with /UserUnit 10 (`_uu10`), for a RIP that reads it.")
    pdfx: Literal["x-4", "x-1a"] | None = Field(
        default=None, description="The PDF/X level of this format's PDFs, where it differs from the campaign's.")
    min_contrast: float = Field(default=4.5, ge=1, le=21, description="Preflight: least WCAG contrast of a text.")
    min_image_dpi: float | None = Field(
        default=None, gt=0, description="Preflight: least effective resolution of a placed image at final size.")
    budget_kb: int | None = Field(
        default=None, gt=0, description="Screen formats: the most each PNG/JPEG file may weigh, in KB (1,000 bytes).")
    safe_box_px: tuple[int, int, int, int] | None = Field(
        default=None, description="Screen formats: x, y, width, height of the part every device shows (a "
                                  "Facebook cover loses its sides on phones); the safe area is this box, inset by safe_px.")
    fps: int | None = Field(default=None, ge=1, le=LIMITS.max_fps, description="Frame rate of a video format (default 25).")
    duration_s: float | None = Field(
        default=None, gt=0, le=LIMITS.max_duration_s,
        description="Loop length of a video format: makes a screen format a video one.")
    title_safe_px: tuple[Annotated[int, Field(ge=0)], Annotated[int, Field(ge=0)]] | None = Field(
        default=None, description="Television's title-safe margin, left/right × top/bottom, in pixels.")
    platforms: list[Annotated[str, Field(pattern=SLUG)]] = Field(
        default=[], description="Video formats: the platforms (the file's `platforms:`) it is posted on; their "
                                "strictest limits become the format's `limits`.")
    limits: VideoLimits | None = Field(
        default=None, description="What the video must keep to, checked when it is built and by `assets verify`; "
                                  "set from `platforms`, or written here.")

    @model_validator(mode="before")
    @classmethod
    def _size_of_board(cls, data: Any) -> Any:
        """A board's pixels, as if they were written (a board that is not valid is said by its own field)."""
        if isinstance(data, dict) and isinstance(data.get("board"), dict) and "size_px" not in data:
            try:
                board = LedBoard.model_validate(data["board"])
            except ValueError:
                return data
            return {**data, "size_px": list(board.px)}
        return data

    @model_validator(mode="after")
    def _one_size(self) -> Format:
        if self.board is not None and self.size_px != self.board.px:
            raise ValueError(_("size_px {given} is not the board's {board}: leave size_px out",
                               given=list(self.size_px or ()), board=list(self.board.px)))
        if (self.size_mm is None) == (self.size_px is None):
            raise ValueError(_("give exactly one of size_mm (print) or size_px (screen)"))
        if self.size_px is not None and (self.bleed_mm or self.safe_mm):
            raise ValueError(_("a screen format (size_px) takes safe_px, not bleed_mm or safe_mm"))
        if self.size_mm is not None and self.safe_px:
            raise ValueError(_("a print format (size_mm) takes safe_mm, not safe_px"))
        width, height = self.size
        if 2 * self.margin >= min(width, height):
            raise ValueError(_("the safe margin leaves no room inside the format"))
        if self.safe_box_px is not None:
            x, y, w, h = self.safe_box_px
            if self.size_px is None:
                raise ValueError(_("safe_box_px is for screen formats (size_px)"))
            if x < 0 or y < 0 or w <= 2 * self.safe_px or h <= 2 * self.safe_px or x + w > width or y + h > height:
                raise ValueError(_("safe_box_px must lie inside the format and leave room inside its safe_px margin"))
        if self.budget_kb is not None and self.size_px is None:
            raise ValueError(_("budget_kb is for screen formats (size_px)"))
        if self.size_mm is not None and (self.fps is not None or self.duration_s is not None or self.title_safe_px):
            raise ValueError(_("a print format (size_mm) takes no fps, duration_s or title_safe_px"))
        if self.fps is not None and self.duration_s is None:
            raise ValueError(_("fps belongs to a video format: give its loop length as duration_s"))
        frames = None if self.duration_s is None else self.duration_s * self.frame_rate
        if frames is not None and abs(frames - round(frames)) > 1e-6:
            raise ValueError(_("duration_s × fps must be a whole number of frames ({seconds:g} s × {fps} fps = {frames:g})",
                               seconds=self.duration_s, fps=self.frame_rate, frames=frames))
        margin_x, margin_y = self.margins
        if 2 * margin_x >= width or 2 * margin_y >= height:
            raise ValueError(_("the title-safe margin leaves no room inside the format"))
        if (self.limits is not None or self.platforms) and self.duration_s is None:
            raise ValueError(_("platforms and limits belong to a video format (duration_s)"))
        return self

    def limit_problems(self) -> list[str]:
        """Where the format's own loop length and frame rate leave its platforms' limits."""
        limits, problems = self.limits, []
        if limits is None or self.duration_s is None:
            return []
        if not limits.takes_duration(self.duration_s):
            problems.append(_("duration_s {seconds:g} is outside {least:g}–{most:g} s, what its platforms accept",
                              seconds=self.duration_s, least=limits.min_duration_s, most=limits.max_duration_s or 0))
        if not limits.takes_fps(self.frame_rate):
            problems.append(_("fps {fps} is outside {least}–{most}, what its platforms accept", fps=self.frame_rate,
                              least=limits.min_fps or 1, most=limits.max_fps or LIMITS.max_fps))
        return problems

    @property
    def is_print(self) -> bool:
        return self.size_mm is not None

    @property
    def shown_title(self) -> str:
        """The title, and for an LED board the board it is for, in modules and metres."""
        return f"{self.title} — {self.board.described()}" if self.board is not None else self.title

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in the format's own unit: mm for print, px for screen."""
        size = self.size_mm if self.size_mm is not None else self.size_px
        assert size is not None  # _one_size: exactly one of them is given
        return size

    @property
    def margin(self) -> float:
        return self.safe_mm if self.is_print else self.safe_px

    @property
    def unit_name(self) -> str:
        return "mm" if self.is_print else "px"

    @property
    def margins(self) -> tuple[float, float]:
        """The safe area's margin left/right and top/bottom; on television the title-safe area counts too."""
        title_x, title_y = self.title_safe_px or (0, 0)
        return max(self.margin, title_x), max(self.margin, title_y)

    @property
    def is_video(self) -> bool:
        return self.duration_s is not None

    @property
    def frame_rate(self) -> int:
        return self.fps if self.fps is not None else 25

    @property
    def frames(self) -> int:
        """Exact frame count of one loop."""
        return round((self.duration_s or 0) * self.frame_rate)


class FormatsFile(SpecModel):
    platforms: dict[Annotated[str, Field(pattern=SLUG)], Platform] = Field(
        default={}, description="Platforms videos are posted on, each with its published limits and their source.")
    formats: dict[Annotated[str, Field(pattern=SLUG)], Format] = Field(min_length=1)

    @model_validator(mode="after")
    def _platform_limits(self) -> FormatsFile:
        """Each format's limits: the strictest of its platforms' (an unknown platform is said by the checks)."""
        for key, fmt in self.formats.items():
            known = [self.platforms[p] for p in fmt.platforms if p in self.platforms]
            if known and fmt.limits is None:
                self.formats[key] = fmt.model_copy(update={"limits": VideoLimits.strictest(list(known))})
        return self
