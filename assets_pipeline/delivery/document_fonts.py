"""The campaign's own fonts for the documents that go with the files (proof sheets, the report).

reportlab's built-in Helvetica has no Vietnamese and is never embedded; these TrueType fonts are
embedded as subsets, so a PDF prints the same on any office's machine. They are the files the build
kept under output/.fonts/ (engine/build_record.py), not those of fonts/ now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping

from assets_pipeline.core.fonts import reportlab_name
from assets_pipeline.delivery.catalog import Catalog


@dataclass(frozen=True)
class DocumentFonts:
    regular: str  # reportlab font names
    bold: str
    regular_path: Path


def document_fonts(catalog: Catalog) -> DocumentFonts:
    """The fonts the build kept for the documents."""
    return fonts_from_files(catalog.font_path("regular"), catalog.font_path("bold"))


def fonts_from_files(regular_path: Path, bold_path: Path) -> DocumentFonts:
    regular = reportlab_name(str(regular_path))  # named by content: a replaced font is a new one
    bold = reportlab_name(str(bold_path))
    # so that <b> in a Paragraph picks the bold face
    for is_bold, is_italic, face in ((0, 0, regular), (1, 0, bold), (0, 1, regular), (1, 1, bold)):
        addMapping(regular, is_bold, is_italic, face)
    return DocumentFonts(regular, bold, regular_path)
