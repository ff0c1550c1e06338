"""The output media a design may ask for (`media: [pdf, png]`), in one registry.

A medium is a module that writes a file from a laid-out piece (render/) and its entry here, which
carries everything the other stages ask of it: the extension of its files, which pieces it is made
for, the function that writes it, the check `assets verify` reads it back with, what README.txt and
the download page call it, how a bundle packs it and whether `assets watch` makes it first. Code is
named as `package.module:function` and imported when first used, so that naming a file never loads
reportlab or ffmpeg; a medium registered at run time may give the functions themselves.

The registry lives here, under every stage, because a design's `media:` is checked against it when
the specs load (specs/designs.py), before anything is rendered; `register_medium` adds one at run time
and rebuilds the models that hold a medium's name.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

# `package.module:function`, imported when first called, or the function itself
Code = str | Callable[..., Any]
Family = Literal["print", "raster", "video"]
NAME = r"[a-z0-9]+"


def every_piece(job: Any) -> bool:
    return True


def print_pieces(job: Any) -> bool:
    """PDF is a print medium: a screen format gets its raster only."""
    return bool(job.format.is_print)


def form_pieces(job: Any) -> bool:
    """A results return form (plan/return_form.py) is the only piece made as a spreadsheet."""
    return job.document is not None and job.document.form is not None


def clip_pieces(job: Any) -> bool:
    """A video file needs a video design's clip."""
    return job.clip is not None


@dataclass(frozen=True)
class Medium:
    """One output medium: what each stage asks of it."""

    name: str  # as designs and the manifest write it: `jpeg`
    extension: str  # of its files: `jpg`
    render: Code  # (job, layout, path) → the manifest fields of this medium, having written the file at `path`
    title: str  # what README.txt, the proof sheet and the download page call a file of it: `Ảnh JPEG`
    applies: Callable[[Any], bool] = every_piece  # whether a piece (plan/jobs.py `Job`) is made in it
    check: Code | None = None  # (path, manifest entry) → what is wrong with the file, read back (`assets verify`)
    name_suffix: Code | None = None  # (job) → what a file's name says before its extension (a PDF's scale)
    # how delivery describes a file from its manifest fields: a print file by its finished size, a raster
    # as a proof, a still or a picture to publish, a video by its panel and length; None: `usage` says it
    family: Family | None = None
    usage: str | None = None  # README.txt's "Cách dùng" for a medium without a family
    role: str | None = None  # its part in a few words on the download page, for a medium without a family
    compressed: bool = False  # compressed already: a bundle's zip stores it as it is, not deflated
    proof: bool = False  # what a designer looks at: `assets watch` makes it before the other media

    def __post_init__(self) -> None:
        for key in ("name", "extension"):
            if not re.fullmatch(NAME, getattr(self, key)):
                raise ValueError(f"a medium's {key} is lower-case ASCII letters and digits, not {getattr(self, key)!r}")


MEDIA: dict[str, Medium] = {medium.name: medium for medium in (
    Medium("pdf", "pdf", "assets_pipeline.render.pdf:render", "PDF", applies=print_pieces,
           check="assets_pipeline.engine.verify:check_pdf", name_suffix="assets_pipeline.render.names:pdf_suffix",
           family="print", compressed=True),
    Medium("png", "png", "assets_pipeline.render.png:render", "Ảnh PNG",
           check="assets_pipeline.engine.verify:check_raster", family="raster", compressed=True, proof=True),
    Medium("jpeg", "jpg", "assets_pipeline.render.jpeg:render", "Ảnh JPEG",
           check="assets_pipeline.engine.verify:check_raster", family="raster", compressed=True, proof=True),
    Medium("mp4", "mp4", "assets_pipeline.render.mp4:render", "Video MP4", applies=clip_pieces,
           check="assets_pipeline.engine.verify:check_video", family="video", compressed=True),
    Medium("txt", "txt", "assets_pipeline.render.txt:render", "Văn bản TXT",
           usage="Văn bản để phát thanh viên đọc trên sóng (UTF-8, mở bằng Notepad hay bất kỳ trình soạn thảo nào); "
                 "bản PDF đi kèm là bản để duyệt và lưu, có ghi thời lượng đọc.",
           role="để đọc"),
    Medium("xlsx", "xlsx", "assets_pipeline.render.xlsx:render", "Bảng tính XLSX", applies=form_pieces,
           check="assets_pipeline.engine.verify:check_xlsx", role="để điền, gửi lại", compressed=True),
    Medium("csv", "csv", "assets_pipeline.render.csvfile:render", "Bảng CSV", applies=form_pieces,
           check="assets_pipeline.engine.verify:check_csv", role="để điền, gửi lại"),
)}

_rebuilds: list[Callable[[], Any]] = []
_code: dict[str, Callable[..., Any]] = {}


def medium(name: str) -> Medium:
    if name not in MEDIA:
        raise KeyError(f"no medium {name!r} (known: {', '.join(MEDIA)})")
    return MEDIA[name]


def code(reference: Code) -> Callable[..., Any]:
    """The function a medium names, imported on first use."""
    if not isinstance(reference, str):
        return reference
    if reference not in _code:
        module, _, function = reference.partition(":")
        _code[reference] = getattr(importlib.import_module(module), function)
    return _code[reference]


def code_module(reference: Code) -> str:
    """The module a medium's function is in, without importing it."""
    return reference.partition(":")[0] if isinstance(reference, str) else reference.__module__


def on_change(rebuild: Callable[[], Any]) -> None:
    """Call `rebuild` whenever the registry changes: a model that checks media names against it."""
    _rebuilds.append(rebuild)


def register_medium(new: Medium) -> Medium:
    """Add a medium at run time; designs may name it from now on."""
    if new.name in MEDIA:
        raise ValueError(f"medium {new.name!r} is registered already")
    MEDIA[new.name] = new
    _changed()
    return new


def unregister_medium(name: str) -> None:
    """Take a medium out of the registry again (the end of a test that added one)."""
    if MEDIA.pop(name, None) is not None:
        _changed()


def _changed() -> None:
    for rebuild in _rebuilds:
        rebuild()


if TYPE_CHECKING:  # a type checker cannot read a set of names known at run time: to it, any text
    MediumName = str
else:
    class MediumName(str):
        """A medium's name, one of the registry's: checked (and shown in the editor schema) as the list of
        names registered when the model holding it was last built."""

        @classmethod
        def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
            return handler(Literal[tuple(MEDIA)])
