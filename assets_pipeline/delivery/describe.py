"""What a file is and how to use it, in Vietnamese, for the people who receive it.

District and commune offices, print shops and LED operators read these lines in README.txt, on the
proof sheet and on the download page. Everything is worked out from manifest fields and from what the
media registry says of a medium (core/media.py: its name, its family, its own words), so a channel or
medium that appears later is still described (by its id, its size and its byte count).
"""

from __future__ import annotations

from assets_pipeline.core.media import MEDIA
from assets_pipeline.delivery.catalog import Asset, Catalog

# the channels of specs/formats.yaml; a channel added there and not here shows its id
CHANNEL_NAMES = {
    "banners": "Băng rôn",
    "pano": "Pano (biển tấm lớn)",
    "posters": "Áp phích",
    "led": "Màn hình LED công cộng",
    "tv": "Truyền hình",
    "web": "Cổng/trang thông tin điện tử",
    "social": "Mạng xã hội",
    "notices": "Niêm yết thủ tục hành chính bằng mã QR",
    "commendations": "Giấy khen",
    "pledge": "Giao ước thi đua",
    "leaflets": "Tờ rơi Tổ công nghệ số cộng đồng",
    "radio": "Bài phát thanh",
}

# media a manifest may list that are not in the registry (another tool's name for one of them)
OTHER_MEDIA_NAMES = {"jpg": "Ảnh JPEG"}


def channel_name(channel: str) -> str:
    return CHANNEL_NAMES.get(channel, channel)


def media_name(media: str) -> str:
    name = str(media).lower()
    return MEDIA[name].title if name in MEDIA else OTHER_MEDIA_NAMES.get(name, str(media).upper())


def number(value: float) -> str:
    """A number as Vietnamese writes it: decimal comma, no needless decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def byte_size(count: int) -> str:
    """File size in decimal units with a decimal comma: 850 kB, 1,2 MB."""
    if count < 1000:
        return f"{count} byte"
    for unit, factor in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if count < factor * 1000 or unit == "GB":
            value = count / factor
            return f"{number(round(value, 1) if value < 100 else round(value))} {unit}"
    raise AssertionError("unreachable")


def _pair(values) -> tuple[float, float] | None:
    if isinstance(values, (list, tuple)) and len(values) == 2 and all(isinstance(v, (int, float)) for v in values):
        return float(values[0]), float(values[1])
    return None


def scale_ratio(asset: Asset) -> int | None:
    """10 for 1:10 artwork, None at full size."""
    scale = asset.scale
    if isinstance(scale, (int, float)) and 0 < scale < 1:
        return round(1 / scale)
    return None


def size_text(asset: Asset) -> str:
    """The size that matters to whoever uses the file: finished mm for print, px for screens."""
    trim = _pair(asset.trim_mm)
    if trim is not None:
        text = f"{number(trim[0])} × {number(trim[1])} mm"
        ratio = scale_ratio(asset)
        if ratio:
            return text + f" (vẽ tỉ lệ 1:{ratio}, in phóng to ×{ratio})"
        if isinstance(asset.user_unit, int) and asset.user_unit > 1:
            return text + f" (khổ thật, đơn vị trang /UserUnit {asset.user_unit})"
        return text
    px = _pair(asset.px)
    if px is not None:
        return f"{int(px[0])} × {int(px[1])} px"
    return byte_size(int(asset.bytes))


def is_proof(asset: Asset, catalog: Catalog) -> bool:
    """A raster made to check a print file by eye, not to print."""
    if not asset.is_raster:
        return False
    return bool(asset.proof) or any(a.is_print for a in catalog.by_identity(asset.identity))


def video_of(asset: Asset, catalog: Catalog) -> Asset | None:
    return next((a for a in catalog.by_identity(asset.identity) if a.is_video), None)


def usage(asset: Asset, catalog: Catalog) -> str:
    """How to print, publish or play the file."""
    media = str(asset.media).lower()
    title = catalog.format_title(asset.format)
    for_what = f" ({title})" if title else ""
    px = _pair(asset.px)
    if asset.is_print:
        return _print_usage(asset) + "."
    if asset.is_video:
        if px is None:
            return f"Video{for_what}: phát lặp liên tục trên màn hình."
        parts = [f"Video {int(px[0])} × {int(px[1])} px"]
        if isinstance(asset.fps, (int, float)):
            parts.append(f"{number(asset.fps)} hình/giây")
        if isinstance(asset.duration_s, (int, float)):
            parts.append(f"dài {number(asset.duration_s)} giây")
        return (", ".join(parts) + ", phát lặp liên tục. "
                f"Chép vào máy phát của màn hình LED có độ phân giải đúng {int(px[0])} × {int(px[1])} px{for_what}; "
                "màn hình cỡ khác dùng tệp đúng cỡ của nó, không co giãn.")
    if asset.is_raster:
        if is_proof(asset, catalog):
            return "Ảnh xem trước của bản in PDF đi kèm: dùng để duyệt mẫu, không dùng để in."
        video = video_of(asset, catalog)
        if video is not None:
            return (f"Ảnh tĩnh của video {video.name}: để duyệt mẫu, "
                    "hoặc cho màn hình chỉ hiển thị được ảnh tĩnh.")
        if px is not None:
            return (f"Đăng hoặc trình chiếu đúng kích thước {int(px[0])} × {int(px[1])} px, "
                    "không co giãn, không cắt xén.")
        return "Ảnh: đăng hoặc trình chiếu như đã duyệt."
    own = MEDIA[media].usage if media in MEDIA else None
    return own or f"Tệp {media_name(media)}: mở bằng phần mềm phù hợp."


def role(asset: Asset, catalog: Catalog) -> str:
    """A file's part in a few words: to print, to check, to play, to publish."""
    if asset.is_print:
        return "bản in"
    if asset.is_video:
        return "phát trên màn hình"
    if asset.is_raster:
        if is_proof(asset, catalog):
            return "xem trước"
        return "ảnh tĩnh" if video_of(asset, catalog) is not None else "đăng tải"
    media = str(asset.media).lower()
    own = MEDIA[media].role if media in MEDIA else None
    return own or "tệp khác"


def _print_usage(asset: Asset) -> str:
    trim = _pair(asset.trim_mm)
    if trim is None:
        return "Tệp PDF: in theo kích thước trang"
    width, height = trim
    bleed = asset.bleed_mm if isinstance(asset.bleed_mm, (int, float)) else 0
    ratio = scale_ratio(asset)
    pages = asset.pages if isinstance(asset.pages, int) and asset.pages > 1 else None
    text = []
    user_unit = asset.user_unit if isinstance(asset.user_unit, int) else 1
    if ratio:
        text.append(f"Bản vẽ tỉ lệ 1:{ratio} (trang PDF {number(width / ratio)} × {number(height / ratio)} mm, "
                    "vì khổ thật vượt giới hạn 5.080 mm của một trang PDF): "
                    f"cơ sở in phóng to ×{ratio} để được thành phẩm {number(width)} × {number(height)} mm")
    elif user_unit > 1:
        text.append(f"Khổ thật {number(width)} × {number(height)} mm, trang PDF ghi đơn vị /UserUnit {user_unit} "
                    f"(tên tệp có đuôi _uu{user_unit}): chỉ gửi cho cơ sở in có RIP đọc được /UserUnit; phần mềm "
                    f"không đọc sẽ in nhỏ đi {user_unit} lần")
    else:
        text.append(f"In đúng kích thước thành phẩm {number(width)} × {number(height)} mm")
    if bleed:
        text.append(f"đã chừa {number(bleed)} mm lề xén (bleed) mỗi cạnh"
                    + (" (ở tỉ lệ thật)" if ratio else "") + ", xén theo khung TrimBox")
    text.append("phông chữ đã nhúng sẵn")
    if asset.pdfx:
        level = "PDF/X-1a:2001" if asset.pdfx == "x-1a" else "PDF/X-4"
        assert asset.ink_limit is not None  # written with pdfx (render/pdfx.py)
        text.append(f"tệp {level}, màu CMYK cho điều kiện in {asset.output_intent} (hồ sơ màu đã nhúng), "
                    f"tổng mực tối đa {number(asset.ink_limit)} %")
    if pages == 2 and asset.channel == "leaflets":
        text.append("in hai mặt trên một tờ: trang 1 là mặt trước, trang 2 là mặt sau, lật theo cạnh dài")
    elif pages:
        text.append(f"tệp có {pages} trang, in tất cả các trang")
    return "; ".join(text)


SUMMARY_CHARS = 600  # a document's texts run to pages: the listing shows how it begins


def slogan_text(asset: Asset) -> str:
    """The texts placed in the file, in reading order, on one line; a long document's beginning."""
    text = " / ".join(asset.texts_list)
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
