"""Caches of fonts and images are keyed by what the file holds: a file replaced while a process runs
(`assets watch`) is read again, and two files of one name in different folders never mix."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from assets_pipeline.blocks.image import rgba_image
from assets_pipeline.core.fonts import face
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
    path = tmp_path / "emblem.png"
    Image.new("RGB", (4, 4), "#DA251D").save(path)
    assert rgba_image(str(path)).getpixel((0, 0)) == (218, 37, 29, 255)
    Image.new("RGB", (4, 4), "#0B4EA2").save(path)
    assert rgba_image(str(path)).getpixel((0, 0)) == (11, 78, 162, 255)
