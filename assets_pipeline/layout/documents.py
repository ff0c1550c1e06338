"""Documents typeset with reportlab's platypus: text that flows over pages (the pledge, the radio text)
or must fit the pages it has (the two sides of a leaflet).

Pagination is layout: where a page breaks decides what the document is, so this stage makes the
pages themselves, once, and the renderers write them (the PDF) or rasterise them (the proof).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import CMYKColor, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Paragraph, Spacer,
                                Table, TableStyle)
from reportlab.platypus.flowables import HRFlowable

from assets_pipeline import __version__
from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.fonts import face, reportlab_name
from assets_pipeline.core.geometry import PT_PER_MM
from assets_pipeline.core.qr import MIN_MODULE_MM, symbol
from assets_pipeline.core.words import compound_words
from assets_pipeline.plan.documents import ServiceSteps, reading_time
from assets_pipeline.plan.jobs import Job

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DRAFT = "DỰ THẢO"
SIGN_HERE = "(Ký, ghi rõ họ tên và đóng dấu)"
SIGNATURE_SPACE_MM = 30  # the signature and the seal over it
QR_MM = 26  # a leaflet's QR codes: 0.6 mm modules for a URL of 40 characters, read at arm's length
QR_MAX_MM = 40  # a longer address's code grows up to this, leaving the steps beside it two thirds of the side
CAPTION_MIN_PT = 6  # the address under a code: the smallest print read at arm's length; below it the line wraps
WHITE = "#FFFFFF"
NBSP = "\u00a0"
BACK_TITLE = "HƯỚNG DẪN TỪNG BƯỚC"


@dataclass(frozen=True)
class TypesetDocument:
    pdf: bytes
    pages: int
    trim_mm: tuple[float, float]
    bleed_mm: float
    color_space: str
    texts: tuple[str, ...]  # every text set, in reading order
    qr: tuple[str, ...]  # what its QR codes say
    plain: str  # the text an announcer reads (radio), UTF-8


def typeset(job: Job) -> TypesetDocument:
    setter = Typesetter(job)
    if job.document.draft:
        setter.texts.append(DRAFT)
    pdf = {"pledge": setter.pledge, "radio": setter.radio, "leaflet": setter.leaflet,
           "results": setter.results}[job.document.kind]()
    return TypesetDocument(pdf, setter.pages, job.format.size, job.format.bleed_mm, setter.color_space,
                           tuple(setter.texts), tuple(setter.qr), setter.plain)


class Typesetter:
    def __init__(self, job: Job):
        self.job, self.document = job, job.document
        self.cmyk = dict(job.cmyk) if job.format.color_space == "cmyk" else None
        self.color_space = "cmyk" if self.cmyk else "rgb"
        self.texts: list[str] = []
        self.qr: list[str] = []
        self.plain = ""
        self.pages = 0
        d = self.document
        self.regular, self.bold = reportlab_name(d.font_path), reportlab_name(d.bold_path)
        # <b> in a paragraph (a step's number) is the document's bold font
        registerFontFamily(self.regular, normal=self.regular, bold=self.bold, italic=self.regular, boldItalic=self.bold)
        width, height = job.format.size
        self.bleed = job.format.bleed_mm
        self.page_size = ((width + 2 * self.bleed) * PT_PER_MM, (height + 2 * self.bleed) * PT_PER_MM)
        self.margin = job.format.safe_mm

    # colours and styles

    def color(self, hex_color: str) -> Any:
        if self.cmyk is None:
            return HexColor(hex_color)
        return CMYKColor(*self.cmyk[hex_color])

    def style(self, *, bold: bool = False, scale: float = 1.0, align: int = TA_JUSTIFY, color: str | None = None,
              indent: float = 0.0, before: float = 0.0, after: float = 0.4) -> ParagraphStyle:
        size = self.document.size_pt * scale
        return ParagraphStyle(f"s{id(self)}", fontName=self.bold if bold else self.regular, fontSize=size,
                              leading=size * self.document.leading, alignment=align,
                              textColor=self.color(color or self.document.color), firstLineIndent=indent,
                              spaceBefore=before * size, spaceAfter=after * size,
                              allowWidows=0, allowOrphans=0)  # no paragraph's one line alone on a page

    def para(self, text: str, style: ParagraphStyle, prefix: str = "") -> Paragraph:
        self.texts.append(f"{prefix}{text}")
        bound = escape(self.bound(text))
        return Paragraph(f"<b>{escape(prefix)}</b>{bound}" if prefix else bound, style)

    def bound(self, text: str) -> str:
        """The text with no-break spaces inside each word and name ("quốc gia", "huyện Sơn Dương", in
        capitals too): a line breaks between words, never inside one."""
        chars, upper = list(text), text.upper()
        for word in {*compound_words(text), *self.job.keep_together}:
            start = upper.find(word.upper())
            while start >= 0:
                for i in range(start, start + len(word)):
                    chars[i] = NBSP if chars[i] == " " else chars[i]
                start = upper.find(word.upper(), start + len(word))
        return "".join(chars)

    def table(self, rows: list[list], widths: list[float], *style: tuple) -> Table:
        """Cells side by side in the document's font: a table sets its own before each cell, Helvetica
        unless told, and it would be left unembedded."""
        table = Table(rows, colWidths=widths)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("FONT", (0, 0), (-1, -1), self.regular),
                                   *style]))
        return table

    def fitted(self, text: str, font_path: str, width_pt: float, max_pt: float) -> float:
        """The largest size up to max_pt at which a line that must not wrap (the national motto) fits."""
        return min(max_pt, width_pt / face(font_path).advance(text) * 0.98)

    # the parts every state document has

    def national_header(self, width_pt: float) -> list[Flowable]:
        d = self.document
        left_w, right_w = width_pt * 0.42, width_pt * 0.58
        nation_pt = self.fitted(NATION, d.bold_path, right_w, d.size_pt * 0.95)
        scale = nation_pt / d.size_pt
        left: list[Flowable] = []  # made first: the texts are listed in reading order
        if d.header:
            left = [self.para(d.header, self.style(bold=True, scale=scale, align=TA_CENTER, after=0.2)),
                    HRFlowable(width="35%", thickness=0.6, color=self.color(d.color), spaceBefore=0, spaceAfter=0)]
        motto_w = face(d.bold_path).advance(MOTTO) * nation_pt  # the rule under the motto is as long as it
        right = [self.para(NATION, self.style(bold=True, scale=scale, align=TA_CENTER, after=0)),
                 self.para(MOTTO, self.style(bold=True, scale=scale, align=TA_CENTER, after=0.2)),
                 HRFlowable(width=motto_w, thickness=0.6, color=self.color(d.color), spaceBefore=0, spaceAfter=0)]
        table = self.table([[left, right]], [left_w, right_w], ("ALIGN", (0, 0), (-1, -1), "CENTER"))
        place = self.para(d.place_date, self.style(align=TA_RIGHT, before=0.8, after=1.0))
        return [table, place]

    def flowing(self, story: list[Flowable]) -> bytes:
        """A document over as many pages as its story needs, a page number at the foot of each."""
        d, job = self.document, self.job
        buffer = io.BytesIO()
        left = self.margin + 10  # a state document's left margin: 30 mm, for binding
        frame = Frame((self.bleed + left) * PT_PER_MM, (self.bleed + self.margin) * PT_PER_MM,
                      (job.format.size[0] - left - self.margin) * PT_PER_MM, (job.format.size[1] - 2 * self.margin) * PT_PER_MM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        footer = self.style(scale=0.8, align=TA_CENTER)

        def on_page(canvas: Canvas, doc: Any) -> None:
            self.pages = doc.page
            canvas.saveState()
            canvas.setFont(self.regular, footer.fontSize)
            canvas.setFillColor(self.color(d.color))
            canvas.drawCentredString(self.page_size[0] / 2, (self.bleed + self.margin / 2) * PT_PER_MM, str(doc.page))
            if d.draft:
                self.stamp(canvas, d.accent, self.margin * 0.4)  # above the header, in the top margin
            canvas.restoreState()

        template = BaseDocTemplate(buffer, pagesize=self.page_size, invariant=1, pageCompression=1,
                                   initialFontName=self.regular, enforceColorSpace=self.cmyk and "cmyk",
                                   title=f"{job.design} {job.format.title} {job.unit}", author=None,
                                   subject=self.subject(), creator=f"assets_pipeline {__version__}",
                                   producer=f"assets_pipeline {__version__}", **self.boxes())
        template.addPageTemplates([PageTemplate("page", [frame], onPage=on_page)])
        template.build(story)
        return buffer.getvalue()

    def boxes(self) -> dict[str, Any]:
        w, h = self.page_size
        b = self.bleed * PT_PER_MM
        return {"trimBox": (b, b, w - b, h - b), "bleedBox": (0, 0, w, h)}

    def subject(self) -> str:
        width, height = self.job.format.size
        return (f"Scale 1:1 (full size); trim {width:g} x {height:g} mm; bleed {self.bleed:g} mm; "
                f"{self.color_space.upper()}")

    def stamp(self, canvas: Canvas, color: str, top_mm: float) -> None:
        """DỰ THẢO in a box at the top right, `top_mm` below the trim: the text is not the official one yet."""
        text, size = DRAFT, self.document.size_pt
        width = face(self.document.bold_path).advance(text) * size + size
        x = self.page_size[0] - (self.bleed + self.margin) * PT_PER_MM - width
        y = self.page_size[1] - (self.bleed + top_mm) * PT_PER_MM - size * 1.15
        canvas.setStrokeColor(self.color(color))
        canvas.setFillColor(self.color(color))
        canvas.setLineWidth(1)
        canvas.rect(x, y - size * 0.45, width, size * 1.6, stroke=1, fill=0)
        canvas.setFont(self.bold, size)
        canvas.drawCentredString(x + width / 2, y, text)

    # the three documents

    def pledge(self) -> bytes:
        d = self.document
        width = (self.job.format.size[0] - 2 * self.margin - 10) * PT_PER_MM
        story = self.national_header(width)
        story.append(self.para(d.title, self.style(bold=True, scale=1.4, align=TA_CENTER, color=d.accent, after=0.2)))
        if d.subtitle:
            story.append(self.para(d.subtitle, self.style(bold=True, align=TA_CENTER, after=1.0)))
        body = self.style(indent=10 * PT_PER_MM)
        story += [self.para(p, body) for p in d.paragraphs]
        story += [self.para(a, self.style(indent=10 * PT_PER_MM), prefix=f"{i}. ") for i, a in enumerate(d.articles, 1)]
        if d.closing:
            story.append(self.para(d.closing, body))
        heading = self.style(bold=True, align=TA_CENTER, before=1.0, after=0.6)
        heading.keepWithNext = 1  # never alone at the foot of a page
        story.append(self.para("ĐẠI DIỆN CÁC ĐƠN VỊ KÝ GIAO ƯỚC", heading))
        for row in range(0, len(d.signers), 2):
            story.append(self.signature_row(d.signers[row:row + 2], width))
        return self.flowing(story)

    def signature_row(self, signers: tuple, width: float) -> Flowable:
        """Two signature blocks side by side, as one table row: a row never splits over two pages."""
        titles, names = [], []
        for signer in signers:
            titles.append([*(self.para(line, self.style(bold=True, scale=0.85, align=TA_CENTER, after=0))
                             for line in signer.org),
                           self.para(signer.title, self.style(bold=True, scale=0.85, align=TA_CENTER, after=0)),
                           self.para(SIGN_HERE, self.style(scale=0.75, align=TA_CENTER, after=0))])
            names.append([Spacer(1, SIGNATURE_SPACE_MM * PT_PER_MM),
                          self.para(signer.name or "……………………………", self.style(bold=True, align=TA_CENTER, after=0))])
        style: list[tuple[Any, ...]] = [("TOPPADDING", (0, 0), (-1, 0), 6 * PT_PER_MM)]
        if len(signers) == 1:  # the last one alone: centred under the others
            titles.append([])
            names.append([])
            style += [("SPAN", (0, 0), (1, 0)), ("SPAN", (0, 1), (1, 1))]
        # the names on one line whatever the titles' lengths; the two rows kept on one page
        table = self.table([titles, names], [width / 2, width / 2], *style)
        return KeepTogether([table])

    def radio(self) -> bytes:
        d = self.document
        width = (self.job.format.size[0] - 2 * self.margin - 10) * PT_PER_MM
        story = self.national_header(width) if d.header else []
        story.append(self.para(d.title, self.style(bold=True, scale=1.4, align=TA_CENTER, color=d.accent, after=0.2)))
        if d.subtitle:
            story.append(self.para(d.subtitle, self.style(bold=True, align=TA_CENTER, after=0.4)))
        timing = (f"Thời lượng đọc: khoảng {reading_time(d.minutes)}, {d.syllables} tiếng, "
                  f"đọc {d.syllables_per_minute} tiếng/phút")
        story.append(self.para(timing, self.style(scale=0.85, align=TA_CENTER, after=1.2)))
        body = self.style(indent=10 * PT_PER_MM)
        story += [self.para(p, body) for p in d.paragraphs]
        if d.closing:
            story.append(self.para(d.closing, self.style(bold=True, align=TA_CENTER, before=0.6)))
        lines = [d.title, *([d.subtitle] if d.subtitle else []), f"({timing})", "", *[p + "\n" for p in d.paragraphs]]
        if d.closing:
            lines.append(d.closing)
        self.plain = "\n".join(lines).rstrip("\n") + "\n"
        return self.flowing(story)

    def results(self) -> bytes:
        """The return form on paper: the copy an office fills by hand, signs and keeps (the figures go back
        in the spreadsheet or the CSV)."""
        d, form = self.document, self.document.form
        width = (self.job.format.size[0] - 2 * self.margin - 10) * PT_PER_MM
        story = self.national_header(width)
        story.append(self.para(d.title, self.style(bold=True, scale=1.3, align=TA_CENTER, color=d.accent, after=0.1)))
        if d.subtitle:
            story.append(self.para(d.subtitle, self.style(bold=True, align=TA_CENTER, after=0.6)))
        if form.report_to:
            story.append(self.para(f"Kính gửi: {form.report_to}", self.style(align=TA_CENTER, after=0.8)))
        values = form.particulars(recipient=False)
        facts = [(label, values[key]) for key, label in (
            ("unit", "Đơn vị báo cáo"), ("code", "Mã đơn vị (mã GSO)"), ("period", "Kỳ báo cáo"),
            ("cut_off", "Số liệu tính đến ngày"), ("deadline", "Hạn gửi báo cáo"), ("form", "Mã biểu mẫu"))]
        small = self.style(scale=0.9, align=TA_LEFT, after=0)
        story.append(self.table([[self.para(label + ":", small), self.para(value, small)] for label, value in facts],
                                [width * 0.32, width * 0.68], ("BOTTOMPADDING", (0, 0), (-1, -1), 1)))
        story.append(Spacer(1, 4 * PT_PER_MM))
        head = self.style(bold=True, scale=0.85, align=TA_CENTER, after=0)
        cell, centred = self.style(scale=0.85, align=TA_LEFT, after=0), self.style(scale=0.85, align=TA_CENTER, after=0)
        rows: list[list[Any]] = [[self.para(h, head) for h in ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")]]
        for number, row in enumerate(form.rows, start=1):
            answer = "Có / Không" if row.type == "yes-no" else ""
            rows.append([self.para(str(number), centred), self.para(row.name, cell), self.para(row.measure, centred),
                         self.para(answer, centred) if answer else "", ""])
        widths = [width * f for f in (0.08, 0.46, 0.15, 0.13, 0.18)]
        grid = Table(rows, colWidths=widths, repeatRows=1)
        grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, self.color(d.color)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                  ("FONT", (0, 0), (-1, -1), self.regular), ("TOPPADDING", (0, 0), (-1, -1), 3),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 5), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
        story.append(grid)
        story += [self.para(p, self.style(scale=0.85, before=0.8)) for p in d.paragraphs]
        signers = (("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên, số điện thoại)"), ("THỦ TRƯỞNG ĐƠN VỊ", SIGN_HERE))
        blocks = [[self.para(title, self.style(bold=True, scale=0.9, align=TA_CENTER, after=0)),
                   self.para(hint, self.style(scale=0.75, align=TA_CENTER, after=0))] for title, hint in signers]
        story.append(KeepTogether([Spacer(1, 6 * PT_PER_MM), self.table([blocks], [width / 2, width / 2]),
                                   Spacer(1, SIGNATURE_SPACE_MM * PT_PER_MM)]))
        return self.flowing(story)

    def leaflet(self) -> bytes:
        """Two sides of one sheet: the front says what the team helps with, the back gives each service's
        steps beside its QR code; the contact line is at the foot of both."""
        d, job = self.document, self.job
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=self.page_size, invariant=1, pageCompression=1, initialFontName=self.regular,
                        enforceColorSpace=self.cmyk and "cmyk")
        canvas.setTitle(f"{job.design} {job.format.title} {job.unit}")
        canvas.setSubject(self.subject())
        canvas.setCreator(f"assets_pipeline {__version__}")
        canvas.setProducer(f"assets_pipeline {__version__}")
        w, h = self.page_size
        b, m = self.bleed * PT_PER_MM, self.margin * PT_PER_MM
        canvas.setTrimBox((b, b, w - b, h - b))
        canvas.setBleedBox((0, 0, w, h))
        inner = w - 2 * (b + m)
        white = self.style(bold=True, align=TA_CENTER, color=WHITE, after=0)

        def band(top: bool, paragraphs: list[Paragraph]) -> float:
            """A band of the accent colour to the bleed's edge, its texts centred in white; its height."""
            heights = [p.wrap(inner, h)[1] for p in paragraphs]
            band_h = sum(heights) + 2 * m
            y0 = h - band_h - b if top else 0
            canvas.setFillColor(self.color(d.accent))
            canvas.rect(0, y0, w, band_h + b, stroke=0, fill=1)
            y = (h - b - m) if top else (b + band_h - m)
            for p, ph in zip(paragraphs, heights):
                y -= ph
                p.drawOn(canvas, b + m, y)
            return band_h

        def side(top_texts: list[Paragraph], story: list[Flowable], what: str) -> None:
            top = band(True, top_texts)
            bottom = band(False, [self.para(d.contact, self.style(scale=0.8, align=TA_CENTER, color=WHITE, after=0))])
            frame = Frame(b + m, b + bottom + m * 0.6, inner, h - 2 * b - top - bottom - m * 1.2,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            left = list(story)
            frame.addFromList(left, canvas)
            if left:
                raise SpecError(_("the front of the leaflet of {unit} does not fit its A5 side: shorten its texts",
                                  unit=job.unit) if what == "front" else
                                _("the back of the leaflet of {unit} does not fit its A5 side: shorten its texts",
                                  unit=job.unit), d.where)
            if d.draft:
                self.stamp(canvas, WHITE, self.margin)
            canvas.showPage()
            canvas.setTrimBox((b, b, w - b, h - b))
            canvas.setBleedBox((0, 0, w, h))

        front_band = [self.para(t, white) for t in (d.header, d.subtitle) if t]
        front = [self.para(d.title, self.style(bold=True, scale=1.5, align=TA_CENTER, color=d.accent, after=0.6))]
        front += [self.para(p, self.style(after=0.6)) for p in d.paragraphs]
        front.append(self.para("Mặt sau hướng dẫn từng bước:", self.style(bold=True, align=TA_LEFT, before=0.4)))
        front += [self.para(s.name, self.style(align=TA_LEFT, after=0.2), prefix=f"{i}. ")
                  for i, s in enumerate(d.services, 1)]
        if d.closing:
            front.append(self.para(d.closing, self.style(bold=True, align=TA_CENTER, color=d.accent, before=0.8)))
        side(front_band, front, "front")
        self.fit_services(d.services, inner, h - 2 * b)
        back_band = [self.para(BACK_TITLE, white)]
        side(back_band, [self.service(i, s, inner) for i, s in enumerate(d.services, 1)], "back")
        canvas.save()
        self.pages = 2
        return buffer.getvalue()

    @functools.cached_property
    def qr_side(self) -> float:
        """The side of the leaflet's codes in points, the same for all: 26 mm, more for an address whose
        code would have modules under the printable minimum; an address too long even at the largest
        side is named at its line."""
        side = float(QR_MM)
        for s in self.document.services:
            need = symbol(s.url).modules_with_quiet_zone * MIN_MODULE_MM
            if need > QR_MAX_MM:
                raise SpecError(_("the address of service '{service}' makes a QR code of {modules} modules: at "
                                  "{module} mm each it needs {need} mm, the leaflet gives at most {most} mm; "
                                  "use a shorter address", service=s.id, modules=symbol(s.url).modules,
                                  module=MIN_MODULE_MM, need=round(need, 1), most=QR_MAX_MM), s.url_where)
            side = max(side, need)
        return side * PT_PER_MM

    def service(self, number: int, service: ServiceSteps, width: float) -> Flowable:
        """A service's name, its numbered steps, and beside them the QR code to its official address."""
        d = self.document
        side = self.qr_side
        text_w = width - side - 4 * PT_PER_MM
        steps = [self.para(f"{number}. {service.name}", self.style(bold=True, scale=1.1, align=TA_LEFT,
                                                                   color=d.accent, after=0.3))]
        steps += [self.para(step, self.style(scale=0.9, align=TA_LEFT, after=0.25), prefix=f"Bước {i}: ")
                  for i, step in enumerate(service.steps, 1)]
        self.qr.append(service.url)
        address = caption(service.url)
        # the same size under every code of the leaflet, on one line where it fits at a legible size;
        # a longer address wraps after its slashes and dots rather than shrinking
        address_pt = max(CAPTION_MIN_PT, min(self.fitted(caption(s.url), d.font_path, side, d.size_pt * 0.65)
                                             for s in d.services))
        self.texts.append(address)
        style = self.style(scale=address_pt / d.size_pt, align=TA_CENTER, after=0)
        code = [QrFlowable(service.url, side, self.color(d.color)),
                *(Paragraph(escape(line), style) for line in address_lines(address, face(d.font_path).advance,
                                                                           address_pt, side))]
        return self.table([[steps, code]], [text_w + 4 * PT_PER_MM, side],
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * PT_PER_MM))

    def fit_services(self, services: tuple[ServiceSteps, ...], width: float, height: float) -> None:
        """Which step first overflows the back, said at the services file (the steps are the designer's text)."""
        d = self.document
        saved = (list(self.texts), list(self.qr))
        white = self.style(bold=True, align=TA_CENTER, color=WHITE, after=0)
        m = self.margin * PT_PER_MM
        band = self.para(BACK_TITLE, white).wrap(width, height)[1] + 2 * m
        band += self.para(d.contact, self.style(scale=0.8, align=TA_CENTER, color=WHITE, after=0)).wrap(width, height)[1] + 2 * m
        room, used = height - band - m * 1.2, 0.0
        for number, service in enumerate(services, 1):
            for count in range(1, len(service.steps) + 1):
                partial = dataclasses.replace(service, steps=service.steps[:count])
                need = self.service(number, partial, width).wrap(width, room)[1]
                if used + need > room:
                    self.texts, self.qr = saved
                    raise SpecError(_("service '{service}' step {step} ({text}…) does not fit on the back of the leaflet: "
                                      "shorten the steps", service=service.id, step=count,
                                      text=service.steps[count - 1][:40]), service.wheres[count - 1])
            used += self.service(number, service, width).wrap(width, room)[1]
        self.texts, self.qr = saved


def caption(url: str) -> str:
    """An address as people type it: no scheme, no trailing slash."""
    return url.removeprefix("https://").removeprefix("http://").rstrip("/")


def address_lines(address: str, advance: Callable[[str], float], size_pt: float, width_pt: float) -> list[str]:
    """An address cut into lines that fit `width_pt`, after a "/", ".", "-", "?", "&" or "=" where it can,
    inside a part only where one part alone is wider than the line."""
    lines, line = [], ""
    for part in re.split(r"(?<=[/.?&=-])", address):
        while part:
            if advance(line + part) * size_pt <= width_pt:
                line, part = line + part, ""
            elif line:
                lines.append(line)
                line = ""
            else:  # one part wider than the line: as many of its letters as fit, one at least
                cut = next((i for i in range(len(part), 1, -1) if advance(part[:i]) * size_pt <= width_pt), 1)
                lines.append(part[:cut])
                part = part[cut:]
    return [*lines, line] if line else lines


class QrFlowable(Flowable):
    """A QR code of `side` points, quiet zone included: one filled path of its dark runs."""

    def __init__(self, data: str, side: float, color: Any):
        super().__init__()
        self.symbol, self.side, self.fill = symbol(data), side, color

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        module = self.side / self.symbol.modules_with_quiet_zone
        canvas = self.canv
        path = canvas.beginPath()
        for row, column, length in self.symbol.dark_runs():
            path.rect(column * module, self.side - (row + 1) * module, length * module, module)
        canvas.setFillColor(self.fill)
        canvas.drawPath(path, stroke=0, fill=1)
