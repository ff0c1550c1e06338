"""Caches of fonts and images are keyed by what the file holds: a file replaced while a process runs
(`assets watch`) is read again, and two files of one name in different folders never mix."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from PIL import Image

from assets_pipeline.blocks.image import rgba_image
from assets_pipeline.core.fonts import face
from assets_pipeline.core.files import RACY_NS, content_digest, file_stamp
from assets_pipeline.engine import keys
from assets_pipeline.engine.keys import file_digest
from assets_pipeline.core.fonts import reportlab_name as font_name
from tests.conftest import REPO

BOLD, REGULAR = REPO / "fonts/BeVietnamPro-Bold.ttf", REPO / "fonts/BeVietnamPro-Regular.ttf"


def test_two_fonts_of_one_name_in_two_folders_stay_apart(tmp_path: Path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    a, b = shutil.copy(BOLD, tmp_path / "a/Brand.ttf"), shutil.copy(REGULAR, tmp_path / "b/Brand.ttf")
    assert face(a).advance("ĐỔI MỚI") != face(b).advance("ĐỔI MỚI")
    assert font_name(str(a)) != font_name(str(b))


def test_a_font_replaced_while_running_is_the_one_measured_drawn_and_keyed(tmp_path: Path):
    path = Path(shutil.copy(BOLD, tmp_path / "Brand.ttf"))
    bold_width, bold_name, bold_key = face(path).advance("ĐỔI MỚI"), font_name(str(path)), file_digest(path)
    shutil.copy(REGULAR, path)
    assert face(path).advance("ĐỔI MỚI") == face(REGULAR).advance("ĐỔI MỚI") != bold_width
    assert font_name(str(path)) != bold_name and file_digest(path) != bold_key


def test_an_image_replaced_while_running_is_decoded_again(tmp_path: Path):
    """Replaced with another image of the same size and the same modification time: the content decides."""
    path = tmp_path / "emblem.png"
    Image.new("RGB", (4, 4), "#DA251D").save(path)
    old = path.stat()
    time.sleep(RACY_NS / 1e9)  # old enough to be cached by its stamp
    assert rgba_image(str(path)).getpixel((0, 0)) == (218, 37, 29, 255)
    Image.new("RGB", (4, 4), "#0B4EA2").save(path)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    assert rgba_image(str(path)).getpixel((0, 0)) == (11, 78, 162, 255)


def test_a_file_rewritten_keeping_its_size_and_times_is_read_again(tmp_path: Path):
    path = tmp_path / "emblem.png"
    path.write_bytes(b"a" * 64)
    old = path.stat()
    time.sleep(RACY_NS / 1e9)  # old enough to be cached by its stamp
    digest = content_digest(path)
    path.write_bytes(b"b" * 64)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert path.stat().st_size == old.st_size and path.stat().st_mtime_ns == old.st_mtime_ns
    assert file_stamp(path.stat()) != file_stamp(old)
    assert content_digest(path) != digest


def test_content_keys_hold_the_drawing_libraries_as_installed_and_built():
    """Pillow with its FreeType, HarfBuzz and raqm, reportlab, and the ffmpeg actually run: an upgrade of
    any of them renders again."""
    import imageio_ffmpeg
    import reportlab
    from PIL import __version__ as pillow, features

    versions = keys.library_versions()
    for part in (f"pillow={pillow}", f"reportlab={reportlab.Version}", f"freetype2={features.version('freetype2')}",
                 f"harfbuzz={features.version('harfbuzz')}", f"raqm={features.version('raqm')}",
                 f"ffmpeg={imageio_ffmpeg.get_ffmpeg_version()}"):
        assert part in versions.split(), part


def test_a_library_upgrade_changes_every_content_key(monkeypatch):
    from assets_pipeline.plan.expand import Selection, expand
    from assets_pipeline.specs.load import load_specs

    job = next(iter(expand(load_specs(REPO), Selection(unit="tuyen-quang", channel="banners"))))
    before = keys.job_key(job)
    monkeypatch.setattr(keys, "library_versions", lambda: "pillow=99.0 freetype2=9.9.9 ffmpeg=99")
    assert keys.job_key(job) != before
