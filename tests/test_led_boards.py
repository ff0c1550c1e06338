"""LED boards are sized as they are built: whole modules, whose pixels and metres follow, and say so in
the bundle's README. The default boards are checked module by module; the tiny project's board is built."""

from __future__ import annotations

import re
import zipfile

import pytest
import yaml
from pydantic import ValidationError

from assets_pipeline.core.led import MODULES
from assets_pipeline.specs.models import Format
from tests.conftest import REPO, assets

FORMATS = yaml.safe_load((REPO / "specs" / "formats.yaml").read_text(encoding="utf-8"))["formats"]


def test_every_default_outdoor_board_is_whole_modules_of_its_type():
    boards = {key: Format.model_validate(raw) for key, raw in FORMATS.items() if "board" in raw}
    assert set(boards) == {"led-p10-320x192", "led-p10-608x304", "led-p5-640x384", "led-p5-1216x608"}
    for key, fmt in boards.items():
        assert fmt.board is not None
        module = MODULES[fmt.board.module]
        across, down = fmt.board.count
        assert fmt.size_px == (across * module.px[0], down * module.px[1])
        assert key.endswith(f"-{fmt.size_px[0]}x{fmt.size_px[1]}")  # the id says the pixels
    p10 = boards["led-p10-608x304"]
    assert p10.size_px == (608, 304) and p10.board is not None and p10.board.count == (19, 19)
    assert p10.shown_title == "Bảng LED P10 ngoài trời 6 × 3 m — 19 × 19 mô-đun P10 (6,08 × 3,04 m), 608 × 304 điểm ảnh"
    assert not [key for key, raw in FORMATS.items() if key.startswith("led-p") and "board" not in raw]


def test_a_board_in_metres_takes_the_nearest_whole_modules():
    fmt = Format.model_validate({"title": "Bảng", "channel": "led", "board": {"module": "p10", "size_m": [6, 3]},
                                 "fps": 25, "duration_s": 15})
    assert fmt.board is not None and fmt.board.count == (19, 19) and fmt.size_px == (608, 304)


@pytest.mark.parametrize("board, extra, said", [
    ({"module": "p10", "modules": [19, 19]}, {"size_px": [600, 300]}, "is not the board's [608, 304]"),
    ({"module": "p11", "modules": [19, 19]}, {}, "unknown LED module 'p11' (did you mean 'p10'?)"),
    ({"module": "p10", "modules": [19, 19], "size_m": [6, 3]}, {}, "exactly one of modules"),
], ids=["pixels one module off", "unknown module", "both counts"])
def test_a_board_that_is_not_built_so_is_refused(board, extra, said):
    with pytest.raises(ValidationError, match=re.escape(said)):
        Format.model_validate({"title": "Bảng", "channel": "led", "board": board, **extra, "fps": 25, "duration_s": 15})


def test_the_readme_says_the_board_in_modules_and_metres(tiny):
    done = assets("build", "--only", "led", "--unit", "tinh", "--deliver", "-j", "1", cwd=tiny)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tiny / "output" / "bundles" / "tinh.zip") as archive:
        readme = archive.read("README.txt").decode("utf-8-sig")
    assert "Bảng LED P10 3 × 1,5 m — 10 × 10 mô-đun P10 (3,2 × 1,6 m), 320 × 160 điểm ảnh:" in readme
