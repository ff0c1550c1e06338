"""README.txt of a unit's bundle: what to do with it, and each file in a line, channel by channel.

Read by a district or commune office in a couple of minutes: the steps first (check and sign the
proof sheet, then print, post or broadcast, then report), then the files grouped by channel, each
channel's way of use said once and each file in one line (name, size, what it is). The unit's own
files come first; files shared from the district or the province after, under their own headings.
Nothing in it is a command to type: an office has no tool but its file manager and Notepad.

Written for Windows: UTF-8 with a byte-order mark and CRLF line ends (render/txt.py, as the radio
texts are), so that Notepad shows the Vietnamese correctly whatever its version.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterator
from itertools import groupby

from assets_pipeline import __version__
from assets_pipeline.core.vietnamese import short_date
from assets_pipeline.delivery.catalog import Catalog, Member, UnitInfo
from assets_pipeline.delivery.describe import (byte_size, channel_name, channel_rank, channel_use, product, purpose,
                                               scale_ratio)
from assets_pipeline.render.txt import notepad_bytes

WIDTH = 78
README = "README.txt"
PROOF_SHEET = "to-duyet-mau.pdf"
UNIT_MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"


def _wrapped(text: str, indent: str = "", hanging: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + hanging,
                         break_long_words=False, break_on_hyphens=False) or [indent]


def unit_line(catalog: Catalog, unit: UnitInfo) -> str:
    """`xã Kim Phú, thành phố Tuyên Quang (mã 02200)`: a commune's name alone may be another's too."""
    parent = catalog.unit(unit.parent).name if unit.parent and unit.kind == "commune" and \
        catalog.unit(unit.parent).kind == "district" else None
    official = f", tên chính thức: {unit.official_name}" if unit.official_name else ""
    code = f" (mã đơn vị hành chính {unit.code}{official})" if unit.code else ""
    return unit.name + (f", {parent}" if parent else "") + code


def channel_groups(members: list[Member]) -> Iterator[tuple[str | None, str, list[Member]]]:
    """(shared from, channel, members): the unit's own channels first, in the order of CHANNEL_NAMES,
    then what is shared with it, by the unit it comes from; each group in path order."""
    def order(member: Member) -> tuple:
        return (member.shared_from is not None, member.shared_from or "", channel_rank(member.asset.channel),
                member.asset.path)

    ordered = sorted(members, key=order)
    for (shared_from, channel), group in groupby(ordered, key=lambda m: (m.shared_from, m.asset.channel)):
        yield shared_from, channel, list(group)


def _print_notes(members: list[Member]) -> list[str]:
    """What holds for every PDF of the bundle, said once rather than at each file."""
    prints = [m.asset for m in members if m.asset.is_print]
    if not prints:
        return []
    intents = sorted({a.output_intent for a in prints if a.pdfx and a.output_intent})
    notes = ["Tệp PDF là bản gửi cơ sở in: đúng kích thước thành phẩm, phông chữ đã nhúng"
             + (f", màu CMYK cho điều kiện in {', '.join(intents)} (PDF/X)" if intents else "")
             + ". Ảnh PNG cùng tên với một tệp PDF là ảnh xem trước, không gửi in."]
    ratios = sorted({r for a in prints if (r := scale_ratio(a))})
    for ratio in ratios:
        notes.append(f"Tệp có đuôi _1-{ratio} là bản vẽ tỉ lệ 1:{ratio} (khổ thật vượt giới hạn 5.080 mm của một "
                     f"trang PDF): cơ sở in phóng to ×{ratio}.")
    units = sorted({a.user_unit for a in prints if isinstance(a.user_unit, int) and a.user_unit > 1})
    for user_unit in units:
        notes.append(f"Tệp có đuôi _uu{user_unit} là khổ thật ghi đơn vị trang /UserUnit {user_unit}: chỉ gửi cho cơ "
                     f"sở in có phần mềm đọc được /UserUnit; phần mềm khác sẽ in nhỏ đi {user_unit} lần.")
    return notes


def readme_text(catalog: Catalog, unit: UnitInfo, members: list[Member]) -> str:
    campaign = catalog.campaign
    total = sum(int(m.asset.bytes) for m in members)
    lines = [f"BỘ TỆP TRUYỀN THÔNG {campaign.title.upper()} — NĂM {campaign.year}"]
    lines += _wrapped(f"Đơn vị nhận: {unit_line(catalog, unit)}", hanging="  ")
    lines += [f"Thời gian tuyên truyền: {short_date(campaign.period.start)} – {short_date(campaign.period.end)}",
              f"Ban hành: {campaign.issuer}"]

    steps = [f"Mở {PROOF_SHEET} (tờ duyệt mẫu), in ra, kiểm tra từng khẩu hiệu, tên đơn vị, kích thước và nội "
             "dung chữ; người duyệt ký ở cuối tờ.",
             "Sau khi duyệt: gửi in, đăng tải, phát các tệp dưới đây theo dòng \"Cách dùng\" của từng nhóm."]
    if campaign.report_before is not None:
        parent = catalog.unit(unit.parent) if unit.parent else None
        # a commune reports to its district, which reports on its communes (plan/return_form.py report_to)
        to = (f"Ủy ban nhân dân {parent.name}" if unit.kind == "commune" and parent is not None and parent.kind == "district"
              else campaign.report_to or "cơ quan đầu mối")
        form = " (điền biểu mẫu trong thư mục results/ và gửi lại tệp đó)" if any(
            m.asset.channel == "results" for m in members) else ""
        steps.append(f"Báo cáo kết quả triển khai về {to} trước ngày {short_date(campaign.report_before)}{form}.")
    lines += ["", "VIỆC CẦN LÀM"]
    for index, step in enumerate(steps, 1):
        lines += _wrapped(f"{index}. {step}", hanging="   ")

    lines += ["", f"CÁC TỆP: {len(members)} tệp, tổng {byte_size(total)}"]
    for note in _print_notes(members):
        lines += _wrapped(note)
    if any(m.shared_from for m in members):
        lines += _wrapped("Nhóm ghi \"dùng chung\" là tệp của đơn vị cấp trên, không có bản riêng cho đơn vị: "
                          "dùng đúng tệp đó, không sửa tên đơn vị trên tệp.")
    for shared_from, channel, group in channel_groups(members):
        folders = sorted({m.asset.path.rsplit("/", 1)[0] + "/" for m in group})
        shared = f", dùng chung của {catalog.unit(shared_from).name}" if shared_from else ""
        lines += ["", f"[{channel_name(channel)}] — thư mục {', '.join(folders)} ({len(group)} tệp{shared})"]
        lines += _wrapped(f"Cách dùng: {channel_use(channel, [m.asset for m in group])}", "  ", "  ")
        names = [m.asset.name for m in group]
        sizes = [byte_size(int(m.asset.bytes)) for m in group]
        name_w, size_w = max(map(len, names)), max(map(len, sizes))
        # by format, then by piece, and in each piece the file to use first: the PDF to print, the video to play
        rows = sorted(zip(group, names, sizes), key=lambda row: (row[0].asset.format or "", row[0].asset.identity,
                                                                 row[0].asset.family not in ("print", "video"),
                                                                 row[0].asset.path))
        for heading, pieces in groupby(rows, key=lambda row: product(row[0].asset, catalog)):
            lines.append(f"  {heading}:")
            lines += [f"    {name:<{name_w}}  {size:>{size_w}}  {purpose(member.asset, catalog)}"
                      for member, name, size in pieces]

    lines += ["", "KÈM THEO"]
    for name, what in ((PROOF_SHEET, "tờ duyệt mẫu (việc 1)"),
                       (README, "tệp này"),
                       (UNIT_MANIFEST, "danh mục các tệp cho máy đọc"),
                       (SUMS, "mã SHA-256 của từng tệp, để kiểm tra tệp không hỏng, không bị sửa")):
        lines += _wrapped(f"{name:<18}{what}", "  ", " " * 18)
    lines += ["", f"Tạo bởi assets_pipeline {__version__}, chiến dịch {campaign.id}.", ""]
    return "\n".join(lines)


def readme_bytes(catalog: Catalog, unit: UnitInfo, members: list[Member]) -> bytes:
    return notepad_bytes(unicodedata.normalize("NFC", readme_text(catalog, unit, members)))
