"""Small JPEG previews of every file, for the download page and the proof sheets.

A raster is its own source; a PDF is previewed by the raster proof made beside it, or else by its
first page as PDFium draws it (a radio text, a combined PDF); a video by one of its stills, or else
by a frame that ffmpeg takes from its middle; anything else gets a plain card naming its medium.
Thumbnails land in `output/thumbnails/<path of the file shown>.jpg` and are only made again when the
file they show, or the code that draws them, has changed. A preview that could not be drawn (an
unreadable proof, a video ffmpeg cannot open) shows the placeholder card, and is tried again on the
next run: a failure is never kept as the answer.

A proof sheet shows every page of a PDF that no one raster shows whole (`page_pictures`): each page
of a combined PDF by the proof of the piece it comes from, any other page as PDFium draws it.
"""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from assets_pipeline.delivery.catalog import Asset, Catalog
from assets_pipeline.delivery.describe import media_name
from assets_pipeline.engine.executors import map_shared
from assets_pipeline.engine.keys import file_digest, modules_fingerprint
from assets_pipeline.engine.output import write_bytes

THUMBNAIL_DIR = "thumbnails"
LONG_SIDE_PX = 640
JPEG_QUALITY = 82
# the modules that draw a thumbnail: a change in them draws every thumbnail again
DRAWN_BY = ("delivery/thumbnails.py", "delivery/describe.py")
INDEX = "index.json"


@dataclass(frozen=True)
class Thumbnail:
    path: str  # relative to output/
    px: tuple[int, int]
    source: str  # what it was drawn from: "image", "proof", "still", "frame", "page" or "placeholder"


@dataclass(frozen=True)
class Picture:
    """A JPEG for a proof sheet, with its size in pixels."""

    jpeg: bytes
    px: tuple[int, int]


def thumbnail_path(asset: Asset) -> str:
    return f"{THUMBNAIL_DIR}/{asset.path}.jpg"


def _preview_source(asset: Asset, catalog: Catalog) -> tuple[Asset | None, str]:
    """The raster that shows `asset`: itself, its proof (same stem first) or a still of its video."""
    if asset.is_raster:
        return asset, "image"
    rasters = [a for a in catalog.by_identity(asset.identity) if a.is_raster]
    same_stem = [a for a in rasters if a.stem == asset.stem]
    chosen = next(iter(same_stem or rasters), None)
    return chosen, ("still" if asset.is_video else "proof")


def _video_frame(path: Path, duration_s: float | None) -> Image.Image | None:
    """A frame from the middle of the clip (a loop may open on a fade), or None if ffmpeg can't."""
    import imageio_ffmpeg

    at_s = duration_s / 2 if isinstance(duration_s, (int, float)) and duration_s > 0 else 0
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-ss", f"{at_s:.3f}", "-i", str(path),
               "-frames:v", "1", "-f", "image2pipe", "-vcodec", "png", "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=120, check=True)
        image = Image.open(io.BytesIO(done.stdout))
        image.load()
        return image
    except (subprocess.SubprocessError, OSError, ValueError):
        return None


def _placeholder(asset: Asset, font_path: Path | None) -> Image.Image:
    image = Image.new("RGB", (LONG_SIDE_PX, LONG_SIDE_PX * 5 // 8), "#E9E4DC")
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((12, 12, image.width - 13, image.height - 13), outline="#A3161A", width=4)
    label = media_name(asset.media)
    if font_path is not None:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(font_path), 72)
        small: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(font_path), 30)
    else:
        font = small = ImageFont.load_default()
    middle = image.width / 2
    canvas.text((middle, image.height * 0.45), label, fill="#A3161A", font=font, anchor="mm")
    canvas.text((middle, image.height * 0.70), "Không có ảnh xem trước", fill="#333333", font=small, anchor="mm")
    return image


def _shrink(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        # transparent pixels show on white, as on a page
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    scale = LONG_SIDE_PX / max(image.size)
    if scale < 1:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return image


def _key(shown: Asset, kind: str, font_path: Path | None) -> str:
    font = file_digest(font_path) if font_path is not None else "none"  # the placeholder's lettering
    return ":".join([modules_fingerprint(*DRAWN_BY), kind, shown.sha256, font])


def make_thumbnails(catalog: Catalog, font_path: Path | None) -> dict[str, Thumbnail]:
    """A thumbnail for every asset (asset path → Thumbnail); stale thumbnail files are removed.

    A PDF and the proof it is previewed by share one thumbnail file.
    """
    output = catalog.output
    folder = output / THUMBNAIL_DIR
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        index = {}
    index = index if isinstance(index, dict) else {}
    shows: dict[str, str] = {}  # asset path → the thumbnail that shows it
    drawn: dict[str, Thumbnail] = {}
    keys: dict[str, str] = {}
    to_draw: list[tuple[Asset, Asset | None, str, str]] = []
    for asset in catalog.assets:
        source, kind = _preview_source(asset, catalog)
        if source is None and asset.is_print:
            kind = "page"
        elif source is None and not asset.is_video:
            kind = "placeholder"  # nothing to show: the card is the answer, not a failure
        shown = source if source is not None else asset
        relative = shows[asset.path] = thumbnail_path(shown)
        if relative in keys:
            continue
        cached = index.get(relative)
        keys[relative] = _key(shown, kind, font_path)
        if isinstance(cached, dict) and cached.get("key") == keys[relative] and (output / relative).is_file():
            drawn[relative] = Thumbnail(relative, tuple(cached["px"]), cached["source"])
        else:
            to_draw.append((asset, source, kind, relative))
    # decoding a proof and shrinking it is most of bundling's time: on every core
    for thumbnail in map_shared(_draw, (output, font_path), to_draw, chunksize=16):
        drawn[thumbnail.path] = thumbnail
    made = {path: drawn[relative] for path, relative in shows.items()}
    new_index = {relative: {"key": key, "px": list(drawn[relative].px), "source": drawn[relative].source}
                 for relative, key in keys.items() if not _failed(drawn[relative], key)}

    if new_index == index and (folder / INDEX).is_file():
        return made  # the same thumbnails as last time, whose leftovers went then
    for stale in sorted(folder.rglob("*.jpg")) if folder.is_dir() else []:
        if str(stale.relative_to(output)) not in drawn:
            stale.unlink()
    write_bytes(folder / INDEX, (json.dumps(new_index, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return made


def _failed(thumbnail: Thumbnail, key: str) -> bool:
    """A placeholder where a picture was meant: not recorded, so the next run tries again."""
    return thumbnail.source == "placeholder" and key.split(":")[1] != "placeholder"


def _draw(where: tuple[Path, Path | None], asset: Asset, source: Asset | None, kind: str, relative: str) -> Thumbnail:
    output, font_path = where
    image = None
    if source is not None:
        try:
            with Image.open(output / source.path) as opened:
                image = _shrink(opened)
        except (OSError, ValueError):
            image = None  # unreadable: the placeholder says there is no preview
    elif asset.is_video:
        frame = _video_frame(output / asset.path, asset.duration_s)
        if frame is not None:
            image, kind = _shrink(frame), "frame"
    elif asset.is_print:
        image = next(iter(_pdf_pages(output / asset.path, only_first=True)), None)
    if image is None:
        image, kind = _placeholder(asset, font_path), "placeholder"
    write_bytes(output / relative, _jpeg(image))
    return Thumbnail(relative, image.size, kind)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def _pdf_pages(path: Path, only_first: bool = False) -> list[Image.Image]:
    """The pages of a PDF cut at their trim, as PDFium draws them, LONG_SIDE_PX on their long side;
    none if PDFium cannot read it. PDFium turns CMYK into screen colours plainly, without the press's
    profile: a print piece's own proof shows its colours as printed, these show its pages."""
    import pypdfium2  # loaded only when a PDF has no raster beside it

    try:
        pdf = pypdfium2.PdfDocument(path)
    except (pypdfium2.PdfiumError, OSError):
        return []
    try:
        pages = []
        for number in range(1 if only_first else len(pdf)):
            page = pdf[number]
            left, bottom, right, top = page.get_cropbox()
            trim_left, trim_bottom, trim_right, trim_top = page.get_trimbox()
            crop = (max(0.0, trim_left - left), max(0.0, trim_bottom - bottom), max(0.0, right - trim_right),
                    max(0.0, top - trim_top))
            long_side_pt = max(trim_right - trim_left, trim_top - trim_bottom)
            bitmap = page.render(scale=LONG_SIDE_PX / long_side_pt, crop=crop)
            pages.append(bitmap.to_pil().convert("RGB"))
        return pages
    except pypdfium2.PdfiumError:
        return []
    finally:
        pdf.close()


def shows_whole(asset: Asset, catalog: Catalog) -> bool:
    """Whether a raster of the piece shows every page of the PDF `asset` (a document's proof sets its
    pages side by side); a combined PDF, a radio text's PDF or a proof of one page of many do not."""
    pages = asset.pages if isinstance(asset.pages, int) else 1
    return any(a.is_raster and (a.pages if isinstance(a.pages, int) else 1) == pages
               for a in catalog.by_identity(asset.identity))


def page_pictures(catalog: Catalog, asset: Asset, thumbnails: dict[str, Thumbnail]) -> list[Picture]:
    """Every page of the PDF `asset`, for a proof sheet: a page of a combined PDF by the thumbnail of
    the proof of the piece it comes from (the same page, in its printed colours), any other as PDFium
    draws it. Empty if the PDF cannot be read."""
    output = catalog.output
    drawn: list[Image.Image] | None = None
    pictures = []
    variants = asset.page_variants or []
    pages = asset.pages if isinstance(asset.pages, int) else 1
    for number in range(pages):
        variant = variants[number] if number < len(variants) else None
        identity = (asset.unit, asset.channel, asset.design or "", variant or "", asset.format or "")
        proof = next((a for a in catalog.by_identity(identity) if a.is_raster and not a.pages), None) \
            if variant else None
        thumbnail = thumbnails.get(proof.path) if proof is not None else None
        if thumbnail is not None and thumbnail.source != "placeholder":
            pictures.append(Picture((output / thumbnail.path).read_bytes(), thumbnail.px))
            continue
        if drawn is None:
            drawn = _pdf_pages(output / asset.path)
        if number >= len(drawn):
            return []
        page = _shrink(drawn[number])
        pictures.append(Picture(_jpeg(page), page.size))
    return pictures
