"""Small JPEG previews of every file, for the download page and the proof sheets.

A raster is its own source; a PDF is previewed by the raster proof made beside it; a video by one
of its stills, or else by a frame that ffmpeg takes from its middle; anything else gets a plain
card naming its medium. Thumbnails land in `output/thumbnails/<path of the file shown>.jpg` and
are only made again when the file they show, or the code that draws them, has changed. A preview
that could not be drawn (an unreadable proof, a video ffmpeg cannot open) shows the placeholder
card, and is tried again on the next run: a failure is never kept as the answer.
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
    source: str  # what it was drawn from: "image", "proof", "still", "frame" or "placeholder"


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
        if source is None and not asset.is_video:
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
    if image is None:
        image, kind = _placeholder(asset, font_path), "placeholder"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    write_bytes(output / relative, buffer.getvalue())
    return Thumbnail(relative, image.size, kind)
