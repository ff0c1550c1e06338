"""The typography proof: every slogan as each format family sets it, large, for the department's sign-off.

Marks are where Vietnamese type fails (a dot below on the mark beneath, a hook read as an acute), and
on a 6 m banner's proof they are a few pixels. This PDF sets each slogan with the line breaks, the
line spacing and the font of one format of each family, at a size where every mark can be read, so
the diacritics can be checked before anything goes to print.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from collections.abc import Iterator

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from assets_pipeline.blocks.text import TextItem
from assets_pipeline.core.geometry import PT_MM
from assets_pipeline.delivery.document_fonts import fonts_from_files
from assets_pipeline.engine.build_record import document_font_files
from assets_pipeline.layout.items import Layout
from assets_pipeline.layout.piece import lay_out
from assets_pipeline.plan.expand import Selection, expand
from assets_pipeline.plan.jobs import Job
from assets_pipeline.core.fonts import reportlab_name
from assets_pipeline.render.pdf import kerned_runs
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.load import load_specs

PAGE_W, PAGE_H = landscape(A4)
MARGIN_PT = 36
EM_PT = 40  # the slogan's em on the proof: a stacked mark is then about 8 pt tall
LEAST_EM_PT = 22  # a long line is set smaller to fit the page, never below this


def format_family(format_id: str) -> str:
    """`pano-600x300` and `pano-800x400` are one family; so are `poster-a0` … `poster-a3`."""
    return re.sub(r"-(\d+x\d+|a\d)$", "", format_id)


def slogan_items(specs: Specs, unit: str) -> Iterator[tuple[Job, Layout, TextItem]]:
    """Every slogan the unit's pieces set, video slides included, with its piece and layout."""
    for job in expand(specs, Selection(unit=unit)):
        layout = lay_out(job)
        pieces = [(job, layout)]
        if layout.clip is not None:
            pieces = [(slide.job, slide_layout) for slide, slide_layout in zip(job.clip.slides, layout.clip.slides)]
        for piece, piece_layout in pieces:
            for item in piece_layout.items:
                if isinstance(item, TextItem) and item.slogan is not None:
                    yield piece, piece_layout, item


def slogan_settings(specs: Specs, unit: str) -> list[tuple[Job, TextItem]]:
    """One setting per design × format family × slogan: the one with the most lines."""
    chosen: dict[tuple[str, str, str], tuple[Job, TextItem]] = {}
    for piece, _, item in slogan_items(specs, unit):
        assert item.slogan is not None  # slogan_items yields slogans only
        key = (piece.design, format_family(piece.format_id), item.slogan)
        if key not in chosen or len(item.fitted.lines) > len(chosen[key][1].fitted.lines):
            chosen[key] = (piece, item)
    return [chosen[key] for key in sorted(chosen)]


def _size_at_final(job: Job, item: TextItem) -> str:
    if job.format.is_print:
        return f"{item.fitted.size / PT_MM:.0f} pt"
    return f"{item.fitted.size:.0f} px"


def write_typography_proof(root: Path, output: Path, unit: str | None = None, campaign: str | None = None) -> Path:
    """Write output/proof/typography.pdf (atomically) and return its path."""
    specs = load_specs(root, campaign)
    unit = unit or next(u.slug for u in specs.units if u.parent is None)
    settings = slogan_settings(specs, unit)
    fonts = fonts_from_files(*document_font_files(specs).values())
    target = output / "proof" / "typography.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".typography-", suffix=".pdf")
    os.close(handle)
    try:
        # initialFontName: no unembedded Helvetica in the page preamble
        canvas = Canvas(temporary, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1,
                        initialFontName=fonts.regular)
        canvas.setTitle(f"Bản thử chữ – {specs.campaign.title}")
        canvas.setCreator("assets_pipeline")
        y = _heading(canvas, fonts, specs.campaign.title, unit)
        for job, item in settings:
            fitted = item.fitted
            widest = fitted.ink.width / fitted.size
            em_pt = max(LEAST_EM_PT, min(EM_PT, (PAGE_W - 2 * MARGIN_PT) / widest))
            block_pt = fitted.ink.height / fitted.size * em_pt + 30
            if y - block_pt < MARGIN_PT:
                canvas.showPage()
                y = PAGE_H - MARGIN_PT
            canvas.setFont(fonts.bold, 9)
            canvas.setFillColorRGB(0.35, 0.35, 0.35)
            canvas.drawString(MARGIN_PT, y - 9, f"{job.design} · {format_family(job.format_id)} ({job.format_id}) · "
                              f"{item.slogan} · {len(fitted.lines)} dòng · cỡ chữ thật {_size_at_final(job, item)}")
            top = y - 18
            canvas.setFillColorRGB(0, 0, 0)
            canvas.setFont(reportlab_name(item.font_path), em_pt)
            for line in fitted.lines:
                x = MARGIN_PT + (line.x - fitted.ink.x) / fitted.size * em_pt
                baseline = top - (line.baseline - fitted.ink.y) / fitted.size * em_pt
                # glyph by glyph where kerning moves one, as the print files place them
                for offset_em, run in kerned_runs(line.text, item.font_path):
                    canvas.drawString(x + offset_em * em_pt, baseline, run)
            y = top - fitted.ink.height / fitted.size * em_pt - 12
        canvas.save()
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def _heading(canvas: Canvas, fonts, title: str, unit: str) -> float:
    canvas.setFont(fonts.bold, 14)
    canvas.drawString(MARGIN_PT, PAGE_H - MARGIN_PT - 14, f"Bản thử chữ: khẩu hiệu theo từng nhóm khổ – {title}")
    canvas.setFont(fonts.regular, 9)
    canvas.drawString(MARGIN_PT, PAGE_H - MARGIN_PT - 30,
                      f"Ngắt dòng, khoảng cách dòng và phông chữ đúng như trong tệp (đơn vị {unit}); chữ được phóng "
                      f"to để soát từng dấu trước khi in.")
    return PAGE_H - MARGIN_PT - 44
