"""README.txt of a unit's bundle: what each file is for, its size, how to print, publish or play it.

Written for a district or commune office on Windows: UTF-8 with a byte-order mark and CRLF line
ends, so that Notepad shows the Vietnamese correctly whatever its version.
"""

from __future__ import annotations

import textwrap
import unicodedata
from itertools import groupby

from assets_pipeline import __version__
from assets_pipeline.core.vietnamese import short_date
from assets_pipeline.delivery.catalog import Catalog, Member, UnitInfo
from assets_pipeline.delivery.describe import byte_size, channel_name, media_name, size_text, slogan_text, usage

WIDTH = 78
README = "README.txt"
PROOF_SHEET = "to-duyet-mau.pdf"
UNIT_MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False) or [indent]



def unit_line(catalog: Catalog, unit: UnitInfo) -> str:
    """`xã Kim Phú, thành phố Tuyên Quang (mã 02200)`: a commune's name alone may be another's too."""
    parent = catalog.unit(unit.parent).name if unit.parent and unit.kind == "commune" and \
        catalog.unit(unit.parent).kind == "district" else None
    official = f", tên chính thức: {unit.official_name}" if unit.official_name else ""
    code = f" (mã đơn vị hành chính {unit.code}{official})" if unit.code else ""
    return unit.name + (f", {parent}" if parent else "") + code


def readme_text(catalog: Catalog, unit: UnitInfo, members: list[Member]) -> str:
    campaign = catalog.campaign
    total = sum(int(m.asset.bytes) for m in members)
    lines = [
        f"BỘ TỆP TRUYỀN THÔNG — {campaign.title.upper()} — NĂM {campaign.year}",
        f"Đơn vị nhận: {unit_line(catalog, unit)}",
        f"Thời gian tuyên truyền: {short_date(campaign.period.start)} – {short_date(campaign.period.end)}",
        f"Ban hành: {campaign.issuer}",
        "",
        f"Bộ tệp gồm {len(members)} tệp sản phẩm (tổng {byte_size(total)}) và:",
        f"  {README:<18}tệp này",
    ]
    lines += _wrapped(f"{PROOF_SHEET:<18}tờ duyệt mẫu: ảnh thu nhỏ của mọi tệp kèm kích thước và nội dung chữ. "
                      "In ra, kiểm tra từng khẩu hiệu và tên đơn vị, ký duyệt trước khi gửi in hoặc đăng tải.", "  ")
    lines += _wrapped(f"{UNIT_MANIFEST:<18}danh mục cho máy đọc: loại, kích thước, mã SHA-256 và nội dung chữ "
                      "của từng tệp.", "  ")
    lines += _wrapped(f"{SUMS:<18}mã SHA-256 của mọi tệp trong bộ, để kiểm tra tệp không bị hỏng hay bị sửa "
                      "(xem cuối tệp này).", "  ")
    if any(m.shared_from for m in members):
        lines += [""] + _wrapped("Các tệp ghi \"dùng chung\" là sản phẩm của đơn vị cấp trên (huyện, tỉnh), "
                                 "không có bản riêng cho đơn vị; đơn vị dùng đúng các tệp đó (đăng lại, trình "
                                 "chiếu), không sửa tên đơn vị trên tệp.", "")

    lines += ["", "DANH SÁCH TỆP", "============="]
    ordered = sorted(members, key=lambda m: (m.asset.channel, m.asset.path))
    for channel, grouped in groupby(ordered, key=lambda m: m.asset.channel):
        group = list(grouped)
        lines += ["", f"[{channel_name(channel)}] — thư mục */{channel}/, {len(group)} tệp"]
        for member in group:
            asset = member.asset
            lines += ["", f"  {asset.path}"]
            title = catalog.format_title(asset.format)
            if title:
                lines += _wrapped(f"Sản phẩm: {title}.", "    ")
            exact = f" ({asset.bytes} byte)" if int(asset.bytes) >= 1000 else ""
            lines += _wrapped(f"Loại: {media_name(asset.media)}. Kích thước: {size_text(asset)}. "
                              f"Dung lượng: {byte_size(int(asset.bytes))}{exact}.", "    ")
            texts = slogan_text(asset)
            if texts:
                lines += _wrapped(f"Nội dung: {texts}", "    ")
            lines += _wrapped(f"Cách dùng: {usage(asset, catalog)}", "    ")
            if member.shared_from:
                lines += _wrapped(f"Tệp dùng chung của {catalog.unit(member.shared_from).name}.", "    ")

    lines += ["", "GỬI IN, ĐĂNG TẢI, TRÌNH CHIẾU", "============================="]
    if any(m.asset.is_print for m in members):
        lines += _wrapped("- Gửi cơ sở in các tệp PDF, không gửi ảnh PNG/JPEG xem trước (ảnh xem trước đã mô phỏng "
                          "màu khi in). Tệp có đuôi _1-10 là bản vẽ tỉ lệ 1:10: cơ sở in phóng to ×10; tệp có đuôi "
                          "_uu10 là khổ thật ghi đơn vị /UserUnit 10; kích thước thành phẩm ghi ở từng tệp trên.", "")
    if any(m.asset.is_video for m in members):
        lines += _wrapped("- Video MP4: mỗi tệp làm cho một cỡ màn hình; chọn tệp có độ phân giải đúng bằng "
                          "màn hình LED, cài phát lặp liên tục.", "")
    if any(m.asset.is_raster for m in members):
        lines += _wrapped("- Ảnh cho cổng thông tin và mạng xã hội: đăng đúng kích thước ghi ở từng tệp.", "")
    if campaign.report_before is not None:
        lines += _wrapped(f"- Báo cáo kết quả triển khai về {campaign.report_to or 'cơ quan đầu mối'} "
                          f"trước ngày {short_date(campaign.report_before)} (lệnh assets report lập sẵn bảng số liệu).", "")

    lines += ["", "KIỂM TRA TÍNH TOÀN VẸN", "======================"]
    lines += _wrapped("Tệp SHA256SUMS ghi mã SHA-256 của mọi tệp. Sau khi giải nén, trong thư mục này:", "")
    lines += ["  Linux, macOS:   sha256sum -c SHA256SUMS",
              "  Windows:        certutil -hashfile <tên tệp> SHA256",
              "                  (so mã in ra với dòng của tệp đó trong SHA256SUMS)",
              "", f"Tạo bởi assets_pipeline {__version__}, chiến dịch {campaign.id}.", ""]
    return "\r\n".join(lines)


def readme_bytes(catalog: Catalog, unit: UnitInfo, members: list[Member]) -> bytes:
    text = unicodedata.normalize("NFC", readme_text(catalog, unit, members))
    return ("\ufeff" + text).encode("utf-8")
