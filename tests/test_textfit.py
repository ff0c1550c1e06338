"""Text layout: property tests over random Vietnamese text, checked on the rendered pixels."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import ImageChops, Image

from assets_pipeline.fonts import face
from assets_pipeline.layout import RASTER_GUARD_PX, Layout, TextItem, inset
from assets_pipeline.render.png import draw
from assets_pipeline.textfit import Box, TextDoesNotFit, fit_text, glued_gaps
from tests.conftest import REPO

FONT = str(REPO / "fonts/BeVietnamPro-ExtraBold.ttf")
# Letters whose marks reach farthest above the cap height and below the baseline, and their lower case.
TALL = "ỂỖẬỸẲẴẶỀỄỆỒỘỜỠỢỪỮỰỲỴÁÀẢÃẠĂÂĐÊÔƠƯ"
LETTERS = TALL + TALL.lower() + "ABCDEGHIKLMNOPQRSTUVXYabcdeghiklmnopqrstuvxy"
words = st.one_of(st.text(alphabet=LETTERS, min_size=1, max_size=8), st.just("10/10"))
texts = st.lists(words, min_size=1, max_size=14).map(" ".join)
MARGIN = 40


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
    # nothing lost, nothing split: the lines are the words, in order
    assert " ".join(line.text for line in fitted.lines) == " ".join(text.split())
    assert all("10/10" not in line.text.replace("10/10", "") for line in fitted.lines)
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


def test_consecutive_lines_keep_their_marks_apart():
    font = face(FONT)
    # a dot below on the upper line, a stacked mark on the lower one, at a tight line height
    fitted = fit_text("ẬẬẬẬ ỂỂỂỂ", font, Box(0, 0, 300, 1000), max_lines=2, min_size=1, max_size=200,
                      line_height=0.9)
    upper, lower = fitted.lines
    gap = (lower.baseline - upper.baseline) / fitted.size
    assert gap >= font.ink("ẬẬẬẬ").bottom + font.ink("ỂỂỂỂ").top
