"""The campaign's own fonts for the documents that go with the files (proof sheets, the report).

reportlab's built-in Helvetica has no Vietnamese and is never embedded; these TrueType fonts are
embedded as subsets, so a PDF prints the same on any office's machine. They are the files the build
kept under output/.fonts/ (engine/build_record.py), not those of fonts/ now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from assets_pipeline.core.files import content_digest
from assets_pipeline.delivery.catalog import Catalog


@dataclass(frozen=True)
class DocumentFonts:
    regular: str  # reportlab font names
    bold: str
    regular_path: Path


def _register(path: Path) -> str:
    name = f"doc-{path.stem}-{content_digest(path)[:12]}"  # of its content: a replaced font is new
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def document_fonts(catalog: Catalog) -> DocumentFonts:
    """The fonts the build kept for the documents."""
    return fonts_from_files(catalog.font_path("regular"), catalog.font_path("bold"))


def fonts_from_files(regular_path: Path, bold_path: Path) -> DocumentFonts:
    regular = _register(regular_path)
    bold = _register(bold_path)
    # so that <b> in a Paragraph picks the bold face
    for is_bold, is_italic, face in ((0, 0, regular), (1, 0, bold), (0, 1, regular), (1, 1, bold)):
        addMapping(regular, is_bold, is_italic, face)
    return DocumentFonts(regular, bold, regular_path)
