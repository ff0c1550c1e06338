"""Text layout: property tests over random Vietnamese text, checked on the rendered pixels."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import ImageChops, Image

from assets_pipeline.blocks.base import RASTER_GUARD_PX, inset
from assets_pipeline.blocks.text import TextItem
from assets_pipeline.blocks.textfit import TextDoesNotFit, fit_text, glued_gaps
from assets_pipeline.core.fonts import MASK_PX, face
from assets_pipeline.core.geometry import Box
from assets_pipeline.layout.items import Layout
from assets_pipeline.render.png import draw
from tests.conftest import REPO, assets, edit
from tests.ink_gap import line_gaps_em

FONT = str(REPO / "fonts/BeVietnamPro-ExtraBold.ttf")
# Letters whose marks reach farthest above the cap height and below the baseline, and their lower case.
TALL = "ỂỖẬỸẲẴẶỀỄỆỒỘỜỠỢỪỮỰỲỴÁÀẢÃẠĂÂĐÊÔƠƯ"
LETTERS = TALL + TALL.lower() + "ABCDEGHIKLMNOPQRSTUVXYabcdeghiklmnopqrstuvxy"
words = st.one_of(st.text(alphabet=LETTERS, min_size=1, max_size=8), st.just("10/10"))
texts = st.lists(words, min_size=1, max_size=14).map(" ".join)
MARGIN = 40
# DESIGN.md's rule for the ink of two consecutive lines, written here and not read from the code, so
# that a fitter that lets lines come closer fails
RULE_GAP_EM = 0.08


def ink_box(image: Image.Image, background: str) -> tuple[int, int, int, int] | None:
    return ImageChops.difference(image, Image.new("RGB", image.size, background)).getbbox()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, width=st.integers(60, 1400), height=st.integers(30, 700), max_lines=st.integers(1, 5),
       align=st.sampled_from(["left", "center", "right"]), valign=st.sampled_from(["top", "middle", "bottom", "spread"]))
def test_every_line_ink_stays_inside_its_box(text, width, height, max_lines, align, valign):
    box = Box(MARGIN, MARGIN, width, height)
    try:
        # as lay_out does for screen formats
        # below 9 px a screen format's text is unreadable anyway (the default min_size_px)
        fitted = fit_text(text, face(FONT), inset(box, RASTER_GUARD_PX), max_lines=max_lines, min_size=9, max_size=2000,
                          line_height=1.0, align=align, valign=valign)
    except TextDoesNotFit:
        assume(False)
    # nothing lost, nothing split: the lines are the words, in order (a "10/10" broken at its slash
    # would join back as "10/ 10")
    assert " ".join(line.text for line in fitted.lines) == " ".join(text.split())
    if len(fitted.lines) > 1 and len(text.split()) > len(fitted.lines):
        assert len(fitted.lines[-1].text.split()) > 1, "lone word on the last line"
    layout = Layout(width + 2 * MARGIN, height + 2 * MARGIN, 0, "px", "#000000",
                    (TextItem(text, FONT, "#FFFFFF", fitted, None),))
    inked = ink_box(draw(layout, 1.0), "#000000")
    assert inked is not None
    left, top, right, bottom = inked
    # one pixel of antialiasing either side is the raster's, not the layout's
    assert left >= MARGIN - 1 and top >= MARGIN - 1, (inked, box)
    assert right <= MARGIN + width + 1 and bottom <= MARGIN + height + 1, (inked, box)


def test_marks_above_the_cap_height_are_measured():
    font = face(FONT)
    plain, marked = font.ink("HA"), font.ink("ỂẬ")
    assert marked.top > plain.top * 1.3  # the stacked mark of Ể rises well above H
    assert marked.bottom > plain.bottom + 0.1  # the dot of Ậ sinks below the baseline


def test_lines_never_break_inside_a_compound_word():
    text = "CHÀO MỪNG NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA 10/10"
    fitted = fit_text(text, face(FONT), Box(0, 0, 700, 1600), max_lines=8, min_size=1, max_size=5000,
                      line_height=1.15, keep_together=("chuyển đổi số", "quốc gia", "chào mừng"))
    lines = [line.text for line in fitted.lines]
    assert "CHUYỂN ĐỔI SỐ" in lines and "QUỐC GIA 10/10" in lines


def test_glued_gaps_match_case_insensitively():
    assert glued_gaps("VÌ NGƯỜI DÂN".split(), ("người dân",)) == frozenset({2})


def test_lines_are_balanced():
    text = "CHUYỂN ĐỔI SỐ GIẢI QUYẾT CÁC VẤN ĐỀ CỦA XÃ HỘI VÌ MỘT CUỘC SỐNG TỐT ĐẸP HƠN CHO NGƯỜI DÂN"
    font = face(FONT)
    fitted = fit_text(text, font, Box(0, 0, 4900, 560), max_lines=2, min_size=1, max_size=5000, line_height=1.1)
    widths = [font.advance(line.text) for line in fitted.lines]
    assert len(widths) == 2 and min(widths) / max(widths) > 0.9


# Lines of the tallest marks and the deepest dots, which meet where a dot below sits over a stacked mark.
STACKED = "ẤẦẨẪẬẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰÍÌỈĨỊ"
DOTTED = "ẠẶẬẸỆỊỌỘỢỤỰỴ"
tight_words = st.one_of(st.text(alphabet=STACKED + DOTTED + "VIÌTLHĐ", min_size=1, max_size=6), st.just("10/10"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(tight_words, min_size=2, max_size=10).map(" ".join), max_lines=st.integers(2, 5),
       line_height=st.floats(0.8, 1.3), gap_em=st.sampled_from([None, 0.12, 0.2]),
       align=st.sampled_from(["left", "center", "right"]), width=st.integers(200, 1400))
def test_consecutive_lines_ink_keeps_its_gap_in_every_direction(text, max_lines, line_height, gap_em, align, width):
    try:
        fitted = fit_text(text, face(FONT), Box(0, 0, width, 2000), max_lines=max_lines, min_size=1, max_size=400,
                          line_height=line_height, align=align, **({"line_gap_em": gap_em} if gap_em else {}))
    except TextDoesNotFit:
        assume(False)
    assume(len(fitted.lines) > 1)
    item = TextItem(text, FONT, "#FFFFFF", fitted, None)
    # drawn large, each line alone: less one pixel of antialiasing here and one of the layout's own
    # raster (MASK_PX a em), the gap is the one asked for
    em_px = 96
    for gap in line_gaps_em(item, em_px=em_px):
        assert gap >= (gap_em or RULE_GAP_EM) - 1 / em_px - 1 / MASK_PX, (fitted.lines, gap)


def test_the_gap_is_kept_at_screen_size_too():
    # the 4-line slogan at the LED loop's size, drawn 1:1 as the PNG and the video frames are
    text = "CHUYỂN ĐỔI SỐ GIẢI QUYẾT CÁC VẤN ĐỀ CỦA XÃ HỘI VÌ MỘT CUỘC SỐNG TỐT ĐẸP HƠN CHO NGƯỜI DÂN"
    for width, height in ((1800, 900), (560, 260), (1100, 240)):
        fitted = fit_text(text, face(FONT), Box(0, 0, width, height), max_lines=4, min_size=9, max_size=400,
                          line_height=1.0)
        size_px = fitted.size
        gaps = line_gaps_em(TextItem(text, FONT, "#FFFFFF", fitted, None))
        assert gaps and min(gaps) >= RULE_GAP_EM - 1 / size_px, (width, height, gaps)


def test_a_design_may_ask_for_a_wider_gap_never_a_narrower_one(tiny):
    # the poster's slogan asks for the gap the product's poster asks for, at print size: taken
    edit(tiny, "specs/designs/poster.yaml", "        max_lines: 3\n", "        max_lines: 3\n        line_gap_em: 0.14\n")
    assert assets("check", cwd=tiny).returncode == 0
    design = tiny / "specs/designs/poster.yaml"
    edit(tiny, "specs/designs/poster.yaml", "line_gap_em: 0.14", "line_gap_em: 0.05")
    result = assets("check", cwd=tiny)
    assert result.returncode == 2
    line = next(i for i, row in enumerate(design.read_text(encoding="utf-8").splitlines(), 1) if "line_gap_em" in row)
    assert f"specs/designs/poster.yaml:{line}:" in result.stderr and "0.08" in result.stderr, result.stderr


OTHER_YEARS = [
    ("Khai thác dữ liệu số để tạo ra giá trị", ("khai thác", "dữ liệu", "giá trị")),
    ("Phổ cập hạ tầng số và sáng tạo ứng dụng số để phát triển kinh tế số - Động lực mới cho tăng trưởng "
     "kinh tế và năng suất lao động",
     ("phổ cập", "hạ tầng", "sáng tạo", "ứng dụng", "phát triển", "động lực", "tăng trưởng", "năng suất", "lao động")),
    ("Chuyển đổi số: Nhanh hơn - hiệu quả hơn - gần dân hơn", ("chuyển đổi", "hiệu quả")),
    ("Ủy ban nhân dân xã Kim Phú", ("ủy ban nhân dân",)),
]


@pytest.mark.parametrize("text, words", OTHER_YEARS)
@pytest.mark.parametrize("upper", [False, True])
def test_a_new_slogan_breaks_between_words_with_no_list(text, words, upper):
    text = text.upper() if upper else text
    font = face(FONT)
    for width in (300, 500, 800, 1200):
        fitted = fit_text(text, font, Box(0, 0, width, 5000), max_lines=12, min_size=1, max_size=60,
                          line_height=1.15)
        lines = [line.text.casefold() for line in fitted.lines]
        for word in words:
            assert any(word in line for line in lines), (word, lines)
