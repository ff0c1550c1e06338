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
    "avatar": "Khung ảnh đại diện",
    "notices": "Niêm yết thủ tục hành chính bằng mã QR",
    "commendations": "Giấy khen",
    "pledge": "Giao ước thi đua",
    "leaflets": "Tờ rơi Tổ công nghệ số cộng đồng",
    "radio": "Bài phát thanh",
    "results": "Báo cáo kết quả",
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


def product(asset: Asset, catalog: Catalog) -> str:
    """The piece a file is of, as README.txt heads its files: the format's title, with the pixel size
    where the title does not say it."""
    title = catalog.format_title(asset.format)
    px = _pair(asset.px)
    shown = f"{int(px[0])} × {int(px[1])}" if px is not None else None
    if title and shown and shown not in title and not asset.is_print and not is_proof(asset, catalog):
        return f"{title} ({shown} px)"
    return title or size_text(asset)


def purpose(asset: Asset, catalog: Catalog) -> str:
    """A file's part in its piece, in a few words (the piece is said by `product`, how a whole channel
    is used by `channel_use`)."""
    if asset.is_print:
        ratio = scale_ratio(asset)
        what = f"bản in vẽ tỉ lệ 1:{ratio}, phóng to ×{ratio} thành {size_text(asset).split(' (')[0]}" if ratio \
            else "bản in"
        if asset.page_variants and isinstance(asset.pages, int):
            return f"bản in gộp {asset.pages} trang (mọi tệp PDF trên), để in một lần"
        if isinstance(asset.pages, int) and asset.pages > 1:
            what += f", {asset.pages} trang"
        return what
    if asset.is_raster:
        if is_proof(asset, catalog):
            return "ảnh xem trước, không in"
        if video_of(asset, catalog) is not None:
            return f"ảnh tĩnh cảnh {asset.slide}" if asset.slide else "ảnh tĩnh của video"
        return media_name(asset.media)
    if asset.is_video:
        return f"video, dài {number(asset.duration_s)} giây" if isinstance(asset.duration_s, (int, float)) else "video"
    return media_name(asset.media)  # what it is for is its medium's own words, said with its channel's


# How an office uses a channel's files, said once per channel in README.txt. A medium that describes
# itself (core/media.py `usage`: the radio's TXT) adds its own words after; a channel not here is said
# by the families of its files.
CHANNEL_USES = {
    "banners": "Gửi cơ sở in tệp PDF, in trên vải hoặc bạt đúng kích thước thành phẩm ghi ở từng tệp; "
               "treo tại trụ sở và trên các tuyến đường chính.",
    "pano": "Gửi cơ sở in tệp PDF, in đúng kích thước thành phẩm ghi ở từng tệp; dựng ở nơi đông người qua lại.",
    "posters": "Gửi cơ sở in tệp PDF đúng khổ giấy ghi ở từng tệp; dán tại trụ sở, trường học, nơi công cộng.",
    "led": "Chép tệp MP4 có độ phân giải đúng bằng màn hình LED vào máy phát của màn hình, cài phát lặp liên tục; "
           "màn hình cỡ khác dùng tệp đúng cỡ của nó, không co giãn. Ảnh PNG là từng cảnh, cho màn hình chỉ "
           "hiện được ảnh tĩnh.",
    "tv": "Gửi đài truyền thanh - truyền hình: tệp MP4 là hình hiệu mở đầu chuyên mục trên truyền hình, phát một "
          "lần ở đầu mỗi số chuyên mục, không phát lặp. Ảnh PNG là từng cảnh, để duyệt mẫu.",
    "web": "Đăng lên cổng/trang thông tin điện tử của đơn vị, ở vị trí có đúng kích thước ghi ở từng tệp, không "
           "co giãn, không cắt xén. Mỗi ảnh có hai tệp giống nhau: JPEG nhẹ hơn, PNG nét chữ hơn; dùng một tệp.",
    "social": "Đăng lên trang mạng xã hội của đơn vị (fanpage Facebook, Zalo OA) làm ảnh bìa, ảnh bài đăng đúng "
              "kích thước ghi ở từng tệp. Mỗi ảnh có hai tệp giống nhau: JPEG nhẹ hơn, PNG nét chữ hơn; dùng một tệp.",
    "avatar": "Thay ảnh đại diện Facebook, Zalo từ ngày 1 đến 10/10: ghép ảnh chân dung bên dưới khung (PNG nền "
              "trong suốt), khuôn mặt nằm trong vòng tròn giữa khung.",
    "notices": "In tệp PDF trên giấy A4, dán tại bộ phận một cửa; người dân quét mã QR bằng điện thoại để xem "
               "thủ tục. Trước khi dán, quét thử mỗi mã một lần.",
    "commendations": "In tệp PDF trên phôi giấy khen, trình người có thẩm quyền ký và đóng dấu.",
    "pledge": "Bản giao ước để đọc trước lễ ký; bản ký tại buổi lễ do cơ quan tổ chức in.",
    "leaflets": "Gửi cơ sở in tệp PDF, in hai mặt trên một tờ: trang 1 là mặt trước, trang 2 là mặt sau, lật "
                "theo cạnh dài; Tổ công nghệ số cộng đồng phát cho người dân khi hướng dẫn.",
    "radio": "Chỉ phát sau khi bản PDF đã được duyệt, ký; phát trên Đài truyền thanh cơ sở trong thời gian "
             "tuyên truyền.",
    "results": "Mở tệp XLSX bằng Excel, LibreOffice hoặc WPS (máy không có chương trình bảng tính: tệp CSV, bằng "
               "Notepad), điền số liệu vào cột “Số liệu”, lưu và gửi lại tệp trước hạn ghi trong biểu. Bản PDF để in, "
               "điền tay, ký và lưu tại đơn vị.",
}
FAMILY_USES = {
    "print": "Gửi cơ sở in tệp PDF, in đúng kích thước thành phẩm ghi ở từng tệp.",
    "raster": "Đăng hoặc trình chiếu ảnh đúng kích thước ghi ở từng tệp, không co giãn, không cắt xén.",
    "video": "Phát video trên màn hình có độ phân giải đúng như ghi ở từng tệp, không co giãn.",
}


# a channel's videos made for social networks (formats.yaml: platforms)
PLATFORM_VIDEO_USE = ("Video MP4: đăng lên đúng nền tảng ghi ở tên khổ (vuông 1:1 cho bài đăng, dọc 9:16 cho thước "
                      "phim Facebook, TikTok, YouTube Shorts, ngang 16:9), không cắt, không co giãn; tệp đã có sẵn "
                      "tiếng (im lặng) và ở trong giới hạn độ dài, dung lượng của các nền tảng đó. Ảnh PNG là từng "
                      "cảnh, dùng làm ảnh bìa của bài đăng.")


def channel_use(channel: str, assets: list[Asset]) -> str:
    """How the files of one channel are used, in a sentence or three."""
    media = sorted({str(a.media).lower() for a in assets if a.family is None})
    own = [usage for m in media if m in MEDIA and (usage := MEDIA[m].usage)]
    if channel in CHANNEL_USES:
        said = [CHANNEL_USES[channel]]
        if any(a.platforms for a in assets):
            said.append(PLATFORM_VIDEO_USE)
    else:
        families = {a.family for a in assets}
        if "print" in families:  # its pictures are the PDFs' proofs
            families.discard("raster")
        said = [words for family, words in FAMILY_USES.items() if family in families]
    return " ".join(own + said) or f"Tệp {', '.join(media_name(m) for m in media)}: mở bằng phần mềm phù hợp."


def channel_rank(channel: str) -> tuple[int, str]:
    """The order channels are listed in: as CHANNEL_NAMES lists them, any other after, by id."""
    order = list(CHANNEL_NAMES)
    return (order.index(channel), "") if channel in order else (len(order), channel)


SUMMARY_CHARS = 600  # a document's texts run to pages: the listing shows how it begins


def slogan_text(asset: Asset) -> str:
    """The texts placed in the file, in reading order, on one line; a long document's beginning."""
    text = " / ".join(asset.texts_list)
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
