"""The report on the results (mục V.1: "tổng hợp, báo cáo Ủy ban nhân dân tỉnh, Bộ"), as an administrative
document in the form of Nghị định 30/2020/NĐ-CP: the issuing body and the national motto side by side, the
number and symbol, place and date, "BÁO CÁO" and its subject, the body with the totals written into
sentences, "Nơi nhận" and the signature block. The department's report on the province, and each
district's on its communes; as DOCX for the office to edit, complete and sign, and as PDF.

The number, the day and the assessment are left for the office to write: the report is signed when they are.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from assets_pipeline.core.vietnamese import ascii_fold, grouped, short_date
from assets_pipeline.layout.documents import MOTTO, NATION
from assets_pipeline.render.xlsx import fixed_zip
from assets_pipeline.results.collect import Collection
from assets_pipeline.results.tables import Scope, added_up, chase_rows, columns
from assets_pipeline.specs.container import Specs

TO_WRITE = "…………"  # what the office fills in before signing
NBSP = "\u00a0"


@dataclass(frozen=True)
class Report:
    parent: str  # the body above the issuer, upper case ("" for a district's committee)
    issuer: tuple[str, ...]  # its lines, upper case, bold
    symbol: str  # "Số:        /BC-STTTT"
    place_date: str
    subject: str  # the line under BÁO CÁO
    to: tuple[str, ...]  # Kính gửi
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # heading → paragraphs
    closing: str
    copies: tuple[str, ...]  # Nơi nhận
    signer: tuple[str, ...]  # "KT. GIÁM ĐỐC"-like lines, upper case


def initials(name: str) -> str:
    """A body's abbreviation in a document's symbol: Sở Thông tin và Truyền thông → STTTT."""
    return "".join(word[0] for word in ascii_fold(name).upper().split() if word not in ("VA", "CUA"))


def section_order(number: str) -> list[tuple[int, str]]:
    """III.4.1.b before III.4.2.a, and III.1 before both: the plan's own numbering, part by part."""
    roman = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}
    return [(int(part), "") if part.isdigit() else (roman.get(part, 0), part) for part in number.split(".")]


def header_lines(name: str, most: int = 24) -> tuple[str, ...]:
    """A body's name in a document's header, upper case, on two balanced lines where it is long:
    ỦY BAN NHÂN DÂN / TỈNH TUYÊN QUANG, SỞ THÔNG TIN / VÀ TRUYỀN THÔNG."""
    words = name.upper().split()
    if len(name) <= most or len(words) < 2:
        return (name.upper(),)
    cut = min(range(1, len(words)), key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    return " ".join(words[:cut]), " ".join(words[cut:])


def report_of(specs: Specs, collection: Collection, scope: Scope, today: dt.date) -> Report:
    campaign = specs.campaign
    province = scope.head.kind == "province"
    issuer: tuple[str, ...]
    signer: tuple[str, ...]
    if province:
        department = next((d for d in specs.departments if campaign.report_to and d.name in campaign.report_to), None)
        # under the province's committee, the department by its own name: "Sở Thông tin và Truyền thông"
        issuer_name = department.name if department else (campaign.report_to or campaign.issuer).split(" tỉnh ")[0]
        parent, issuer = campaign.issuer.upper(), header_lines(issuer_name)
        symbol, to = f"BC-{initials(issuer_name)}", tuple(campaign.report_recipients)
        signer = (department.head_title if department  # a department (sở) is headed by its director
                  else "GIÁM ĐỐC" if issuer_name.startswith("Sở ") else "THỦ TRƯỞNG CƠ QUAN",)
        place = campaign.province
    else:
        parent, issuer = "", header_lines(scope.head.authority)
        symbol, to = "BC-UBND", (campaign.report_to or campaign.issuer,)
        signer = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
        place = scope.head.short_name
    subject = (f"Kết quả triển khai Kế hoạch truyền thông {campaign.title} năm {campaign.year} "
               f"trên địa bàn {scope.head.shown}")
    indicators = columns(specs, scope.units)
    accepted = [collection.accepted[u.slug] for u in scope.units if u.slug in collection.accepted]
    sums = added_up(collection, scope.units, indicators)
    levels = []
    for kind, words in (("district", "huyện, thành phố"), ("commune", "xã, phường, thị trấn")):
        of_kind = [u for u in scope.units if u.kind == kind]
        if of_kind:
            done = sum(u.slug in collection.accepted for u in of_kind)
            levels.append(f"{done}/{len(of_kind)} {words}")
    missing = chase_rows(specs, collection, scope, today)
    situation = (f"Đến ngày {short_date(today)}, {len(accepted)}/{len(scope.units)} đơn vị đã gửi báo cáo kết quả"
                 + (f" ({'; '.join(levels)})" if levels else "") + "; "
                 + (f"{len(missing)} đơn vị chưa gửi hoặc phải gửi lại (mục III)." if missing
                    else "tất cả các đơn vị đã gửi báo cáo."))
    by_section: dict[str, list[str]] = {}
    for key, indicator in indicators.items():
        if indicator.type == "yes-no":
            asked = sum(1 for a in accepted if key in a.values)
            line = f"- {indicator.name}: {grouped(sums[key])}/{grouped(asked)}{NBSP}đơn vị đã báo cáo có triển khai."
        else:
            line = f"- {indicator.name}: {grouped(sums[key])}{NBSP}{indicator.measure}."
        by_section.setdefault(indicator.section, []).append(line)
    results = [(specs.indicator_sections.get(number, f"Mục {number}"), lines)
               for number, lines in sorted(by_section.items(), key=lambda item: section_order(item[0]))]
    by_parent: dict[str, dict[str, list[str]]] = {}
    for row in missing:
        said = "phải gửi lại" if str(row[4]).startswith("Gửi lại") else "chưa gửi"
        by_parent.setdefault(str(row[3]), {}).setdefault(said, []).append(str(row[1]))
    sections = (
        ("I. TÌNH HÌNH BÁO CÁO", (situation,)),
        ("II. KẾT QUẢ TRIỂN KHAI", tuple(f"{i}. {heading}\n" + "\n".join(lines)
                                        for i, (heading, lines) in enumerate(results, start=1))),
        ("III. ĐƠN VỊ CHƯA GỬI HOẶC PHẢI GỬI LẠI BÁO CÁO",
         tuple(f"- {parent_name[0].upper()}{parent_name[1:]}: "
               + "; ".join(f"{said} {', '.join(names)}" for said, names in kinds.items()) + "."
               for parent_name, kinds in by_parent.items()) or ("Không có.",)),
        ("IV. ĐÁNH GIÁ, ĐỀ XUẤT", (TO_WRITE,)),
    )
    return Report(parent, issuer, f"Số: {TO_WRITE}/{symbol}", f"{place}, ngày {TO_WRITE} tháng {TO_WRITE} năm {today.year}",
                  subject, to, sections,
                  f"Trên đây là báo cáo kết quả triển khai Kế hoạch truyền thông {campaign.title} năm {campaign.year} "
                  f"của {issuer_name if province else scope.head.authority}./.",
                  ("Như trên;", "Lưu: VT."), signer)


def addressed(to: tuple[str, ...]) -> list[str]:
    """`Kính gửi: X.`, or with several recipients, each on a line of its own."""
    if len(to) <= 1:
        return [f"Kính gửi: {''.join(to)}."]
    return ["Kính gửi:", *(f"- {name}{'.' if i == len(to) - 1 else ';'}" for i, name in enumerate(to))]


def report_docx(report: Report, when: dt.datetime) -> bytes:
    """The report for a word processor: A4, the margins and Times New Roman of Nghị định 30."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    style.paragraph_format.space_after = Pt(6)
    properties = document.core_properties
    properties.created = properties.modified = when
    properties.last_printed = when
    properties.author = properties.last_modified_by = "assets_pipeline"
    properties.title, properties.revision = report.subject, 1

    def cell_lines(cell, lines: list[tuple[str, bool, bool, int]]) -> None:
        cell.paragraphs[0].text = ""
        for index, (text, bold, italic, size) in enumerate(lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            run = paragraph.add_run(text)
            run.bold, run.italic, run.font.size = bold, italic, Pt(size)

    header = document.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left = [(line, False, False, 13) for line in header_lines(report.parent)] if report.parent else []
    left += [(line, True, False, 13) for line in report.issuer] + [("―――――", False, False, 13),
                                                                     (report.symbol, False, False, 13)]
    cell_lines(header.rows[0].cells[0], left)
    cell_lines(header.rows[0].cells[1], [(NATION, True, False, 13), (MOTTO, True, False, 14), ("―――――――――", False, False, 13),
                                        (report.place_date, False, True, 14)])
    header.rows[0].cells[0].width, header.rows[0].cells[1].width = Cm(6.5), Cm(10)
    for text, bold, size, after in (("BÁO CÁO", True, 14, 0), (report.subject, True, 14, 12)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before, paragraph.paragraph_format.space_after = Pt(12 if not after else 0), Pt(after)
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    for line in addressed(report.to):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, paragraphs in report.sections:
        document.add_paragraph().add_run(heading).bold = True
        for text in paragraphs:
            for line in text.split("\n"):
                paragraph = document.add_paragraph(line)
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                paragraph.paragraph_format.first_line_indent = Cm(1)
    closing = document.add_paragraph(report.closing)
    closing.alignment, closing.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, Cm(1)
    footer = document.add_table(rows=1, cols=2)
    copies = footer.rows[0].cells[0]
    copies.paragraphs[0].text = ""
    run = copies.paragraphs[0].add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    for line in report.copies:
        copies.add_paragraph().add_run(f"- {line}").font.size = Pt(11)
    cell_lines(footer.rows[0].cells[1], [(line, True, False, 14) for line in report.signer]
               + [("", False, False, 14)] * 4 + [(TO_WRITE, True, False, 14)])
    written = io.BytesIO()
    document.save(written)
    return fixed_zip(written.getvalue())


def report_pdf(report: Report, regular_path: str, bold_path: str, phrases: tuple[str, ...] = ()) -> bytes:
    """The same report as PDF, set in the campaign's fonts (A4, the margins of Nghị định 30)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.colors import black
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus.flowables import HRFlowable

    from assets_pipeline import __version__
    from assets_pipeline.core.fonts import face, reportlab_name
    from assets_pipeline.core.geometry import PT_PER_MM
    from assets_pipeline.core.words import compound_words

    regular, bold = reportlab_name(regular_path), reportlab_name(bold_path)

    def style(size: float = 12.5, font: str = regular, align: int = TA_JUSTIFY, indent: float = 0,
              after: float = 4) -> ParagraphStyle:
        return ParagraphStyle(f"r{size}{font}{align}{indent}{after}", fontName=font, fontSize=size, leading=size * 1.4,
                              alignment=align, firstLineIndent=indent, spaceAfter=after)

    def para(text: str, paragraph_style: ParagraphStyle) -> Paragraph:
        for word in sorted(set(compound_words(text)) | {p for p in phrases if p.lower() in text.lower()}, key=len,
                           reverse=True):  # a line breaks between words, never inside one
            text = text.replace(word, word.replace(" ", "\u00a0"))
        return Paragraph(escape(text), paragraph_style)

    width = (210 - 30 - 15) * PT_PER_MM
    centred, small = style(11.5, bold, TA_CENTER, after=0), style(11.5, regular, TA_CENTER, after=0)
    left = [para(line, small) for line in header_lines(report.parent)] if report.parent else []
    left += [para(line, centred) for line in report.issuer]
    rule = max(face(bold_path).advance(line) for line in report.issuer) * 11.5 * 0.4  # under the issuer, centred
    left.append(HRFlowable(width=rule, thickness=0.6, color=black, hAlign="CENTER", spaceBefore=1, spaceAfter=0))
    motto = face(bold_path).advance(MOTTO) * 12  # the rule under the motto is as long as it
    right = [para(NATION, centred), para(MOTTO, style(12, bold, TA_CENTER, after=0)),
             HRFlowable(width=motto, thickness=0.6, color=black, hAlign="CENTER", spaceBefore=1, spaceAfter=0)]
    header = Table([[left, right], [para(report.symbol, small), para(report.place_date, small)]],
                   colWidths=[width * 0.4, width * 0.6])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 1), (-1, 1), 6)]))
    story = [header, Spacer(1, 8 * PT_PER_MM), para("BÁO CÁO", style(14, bold, TA_CENTER, after=2)),
             para(report.subject, style(13, bold, TA_CENTER, after=2)),
             HRFlowable(width="20%", thickness=0.6, color=black, spaceBefore=2, spaceAfter=8)]
    to = addressed(report.to)
    if len(to) == 1:
        story.append(para(to[0], style(13, regular, TA_CENTER, after=2)))
    else:  # "Kính gửi:" and the recipients under one another, the block centred
        lines = [para(line, style(13, regular, TA_LEFT, after=0)) for line in to[1:]]
        block = Table([[para(to[0], style(13, regular, TA_LEFT, after=0)), lines]],
                      colWidths=[26 * PT_PER_MM, max(face(regular_path).advance(line) for line in to[1:]) * 13 + 16])
        block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(block)
    story.append(Spacer(1, 8))
    body = style(indent=10 * PT_PER_MM)
    heading_style = style(12.5, bold, TA_LEFT, after=4)
    heading_style.keepWithNext = 1
    for heading, paragraphs in report.sections:
        story.append(para(heading, heading_style))
        for text in paragraphs:
            lines = text.split("\n")
            if len(lines) > 1:  # a numbered part's title stays with its first line
                title = style(indent=10 * PT_PER_MM)
                title.keepWithNext = 1
                story.append(para(lines[0], title))
                lines = lines[1:]
            story += [para(line, body) for line in lines]
    copies = [para("Nơi nhận:", style(11, bold, TA_LEFT, after=0))] + [
        para(f"- {line}", style(10, regular, TA_LEFT, after=0)) for line in report.copies]
    signer = [para(line, style(12.5, bold, TA_CENTER, after=0)) for line in report.signer]
    signer += [Spacer(1, 25 * PT_PER_MM), para("…………………………", style(12.5, bold, TA_CENTER, after=0))]
    footer = Table([[copies, signer]], colWidths=[width * 0.45, width * 0.55])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    # the closing sentence and the signature on one page: a signature never stands alone
    story.append(KeepTogether([para(report.closing, body), Spacer(1, 6 * PT_PER_MM), footer]))

    def page_number(canvas: Any, document: Any) -> None:  # from the second page, at the top (Nghị định 30)
        canvas.saveState()
        canvas.setFont(regular, 12)
        canvas.drawCentredString(105 * PT_PER_MM, 287 * PT_PER_MM - 12, str(document.page))
        canvas.restoreState()

    written = io.BytesIO()
    SimpleDocTemplate(written, pagesize=(210 * PT_PER_MM, 297 * PT_PER_MM), leftMargin=30 * PT_PER_MM,
                      rightMargin=15 * PT_PER_MM, topMargin=20 * PT_PER_MM, bottomMargin=20 * PT_PER_MM,
                      invariant=1, title=report.subject, author="", creator=f"assets_pipeline {__version__}",
                      producer=f"assets_pipeline {__version__}", initialFontName=regular).build(
        story, onLaterPages=page_number)
    return written.getvalue()
