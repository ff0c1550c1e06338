"""A block type and a medium added from outside the package: one module each, found through the registries.

This module is both: a `dots` block (a grid of square dots, drawn with the pen's rectangles, with a
preflight rule of its own) and an `svg` medium (the layout as SVG, read back by its own check). They
are registered at run time, a design uses both, and the project (the tiny one, with two IAB web
banners from tests/data/extension-points) is checked, built, verified and bundled as a user would,
through the command line in this process. The registries are as they were afterwards.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from xml.sax.saxutils import quoteattr

import pytest
from click.testing import CliRunner
from PIL import Image
from pydantic import Field

from assets_pipeline.blocks import BLOCK_TYPES, register_block_type, unregister_block_type
from assets_pipeline.blocks.base import NAME, PRIORITY, Area, BlockType, Checker, FractionBox, Frame, Inspector, Item, \
    Pen, ResolvedBlock, Resolver
from assets_pipeline.cli import cli
from assets_pipeline.core.color import hex_rgb
from assets_pipeline.core.errors import SpecError, Where
from assets_pipeline.core.geometry import Box
from assets_pipeline.core.media import MEDIA, Medium
from assets_pipeline.core.specmodel import SpecModel
from assets_pipeline.render import register_medium, unregister_medium
from tests.conftest import tiny_project

# ---------------------------------------------------------------- the block type: dots

LEAST_DOT_PX, LEAST_DOT_MM = 2.0, 0.5  # smaller, a dot blurs into a tint


class DotsBlock(SpecModel):
    """A grid of square dots, each centred in its cell and half its shorter side."""

    type: Literal["dots"]
    name: str | None = NAME
    priority: int | None = PRIORITY
    box: FractionBox
    area: Area = "safe"
    color: str
    grid: tuple[Annotated[int, Field(ge=1, le=64)], Annotated[int, Field(ge=1, le=64)]] = Field(
        description="Columns and rows.")

    def check(self, checker: Checker) -> None:
        checker.color("color", self.color)

    def resolve(self, ctx: Resolver) -> ResolvedBlock:
        return ResolvedBlock("dots", self.box, self.area, ctx.color(self.color), ctx.where(), name=self.name,
                             priority=self.priority, data=Grid(*self.grid))


@dataclass(frozen=True)
class Grid:
    columns: int
    rows: int


@dataclass(frozen=True)
class DotsItem(Item):
    box: Box
    color: str
    grid: Grid
    where: Where | None = field(default=None, compare=False, repr=False)

    @property
    def side(self) -> float:
        return min(self.box.width / self.grid.columns, self.box.height / self.grid.rows) / 2

    def dots(self) -> list[Box]:
        width, height = self.box.width / self.grid.columns, self.box.height / self.grid.rows
        return [Box(self.box.x + (c + 0.5) * width - self.side / 2, self.box.y + (r + 0.5) * height - self.side / 2,
                    self.side, self.side) for r in range(self.grid.rows) for c in range(self.grid.columns)]

    def draw(self, pen: Pen) -> None:
        pen.rects(self.dots(), self.color)

    def preflight(self, inspector: Inspector) -> None:
        least, unit = (LEAST_DOT_MM, "mm") if inspector.is_print else (LEAST_DOT_PX, "px")
        if self.side < least:
            inspector.report("dot-size", "warning", str(self.where), f"dots of {self.side:.1f} {unit} blur into a "
                             f"tint (at least {least:g} {unit})", round(self.side, 2), least)


def place_dots(block: ResolvedBlock, box: Box, frame: Frame) -> DotsItem:
    return DotsItem(box, block.color, block.data, block.where)


DOTS = BlockType("dots", DotsBlock, place_dots, colors=lambda block: [block.color],
                 rules=(("dot-size", f"dots at least {LEAST_DOT_PX:g} px on screen, {LEAST_DOT_MM:g} mm in print "
                                     "(warning)"),))

# ---------------------------------------------------------------- the medium: svg

SVG = "{http://www.w3.org/2000/svg}"


class SvgPen:
    """The pen's primitives as SVG elements, one layout unit (a pixel) to one user unit."""

    def __init__(self) -> None:
        self.elements: list[str] = []

    def rect(self, box: Box, color: str) -> None:
        self.elements.append(f'<rect x="{box.x:.2f}" y="{box.y:.2f}" width="{box.width:.2f}" height="{box.height:.2f}" '
                             f'fill="{color}"/>')

    def rects(self, boxes: list[Box], color: str) -> None:
        for box in boxes:
            self.rect(box, color)

    def text(self, item: Any) -> None:
        for line in item.fitted.lines:
            self.elements.append(f'<text x="{line.x:.2f}" y="{line.baseline:.2f}" font-size="{item.fitted.size:.2f}" '
                                 f'font-family={quoteattr(Path(item.font_path).stem)} fill="{item.color}">'
                                 f'{line.text.replace("&", "&amp;").replace("<", "&lt;")}</text>')

    def image(self, item: Any) -> None:
        raise ValueError("this SVG writer places no images")


def render_svg(job: Any, layout: Any, path: Path) -> dict[str, Any]:
    pen = SvgPen()
    for item in layout.items:
        item.draw(pen)
    width, height = round(layout.width), round(layout.height)
    path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                    f'viewBox="0 0 {width} {height}">\n<rect width="100%" height="100%" fill="{layout.background}"/>\n'
                    + "\n".join(pen.elements) + "\n</svg>\n", encoding="utf-8")
    return {"px": [width, height]}


def check_svg(path: Path, entry: dict[str, Any]) -> list[str]:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as exc:
        return [f"not a readable SVG: {exc}"]
    if root.tag != f"{SVG}svg":
        return [f"is {root.tag}, not an SVG"]
    size = [int(root.get("width", 0)), int(root.get("height", 0))]
    return [] if size == entry.get("px", size) else [f"is {size[0]}×{size[1]} px, manifest says "
                                                       f"{entry['px'][0]}×{entry['px'][1]}"]


SVG_MEDIUM = Medium(
    "svg", "svg", render_svg, "Ảnh vector SVG", check=check_svg,
    applies=lambda job: not job.format.is_print and job.clip is None and job.document is None,
    usage="Ảnh vector: mở bằng trình duyệt hoặc phần mềm đồ họa; phóng to không vỡ nét.", role="ảnh vector")


@contextmanager
def registered() -> Iterator[None]:
    register_block_type(DOTS)
    try:
        register_medium(SVG_MEDIUM)
        try:
            yield
        finally:
            unregister_medium("svg")
    finally:
        unregister_block_type("dots")


# ---------------------------------------------------------------- a design that uses both

DESIGN = """\
title: Chấm bi
formats: [iab-300x250, iab-320x50]
units:
  slugs: [huyen]
media: [png, svg]
variants:
  ngan: {slogan: ngan}
layouts:
  - name: cham-bi
    background: red
    blocks:
      - type: stack
        direction: row
        box: [0, 0, 1, 1]
        shares: [0.4, 0.6]
        blocks:
          - type: dots
            box: [0, 0, 1, 1]
            color: yellow
            grid: [4, 12]
          - type: text
            text: "10/10"
            box: [0.05, 0, 0.9, 1]
            font: black
            color: yellow
"""
WIDE, NARROW = "huyen/web/cham-bi-ngan__iab-300x250", "huyen/web/cham-bi-ngan__iab-320x50"


def assets(*arguments: str | Path) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in arguments], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def project_with_both(tmp_path: Path) -> Iterator[Path]:
    """The tiny project with the design that uses both, the block type and the medium registered."""
    root = tiny_project(tmp_path / "project", "extension-points")
    (root / "specs/designs/cham-bi.yaml").write_text(DESIGN, encoding="utf-8")
    with registered():
        yield root


def test_a_block_type_and_a_medium_from_outside_the_package(project_with_both: Path):
    project = project_with_both
    output = project / "output"
    selection = ["--root", project, "--design", "cham-bi"]

    # check: the new type's rule is one of the report's, and holds the dots of the narrow banner to it
    assets("check", *selection)
    checked = json.loads((output / "preflight-check.json").read_text(encoding="utf-8"))
    assert "dot-size" in checked["rules"]
    found = {(piece["piece"], f["rule"], f["level"]) for piece in checked["pieces"] for f in piece["findings"]}
    assert (NARROW, "dot-size", "warning") in found and not any(p == WIDE and r == "dot-size" for p, r, _ in found)

    # build: both media of both formats, each in the manifest as written
    assets("build", *selection, "-j", "1")
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in manifest["assets"]}
    assert set(entries) == {f"{stem}.{ext}" for stem in (WIDE, NARROW) for ext in ("png", "svg")}
    svg = entries[f"{WIDE}.svg"]
    assert svg["media"] == "svg" and svg["px"] == [300, 250] and svg["texts"] == ["10/10"]
    assert svg["bytes"] == (output / svg["path"]).stat().st_size

    # the new block drew its dots, in the PNG and in the SVG alike, where its placement put them
    from assets_pipeline.engine.build import lay_out_all, plan
    from assets_pipeline.plan.expand import Selection

    jobs = [job for job in plan(project, Selection(design="cham-bi")).jobs if job.format_id == "iab-300x250"]
    dots = next(item for item in lay_out_all(jobs, workers=1)[0].items if isinstance(item, DotsItem))
    assert len(dots.dots()) == 4 * 12 and dots.side > 5
    yellow, red = hex_rgb("#FFDE00"), hex_rgb("#DA251D")
    with Image.open(output / f"{WIDE}.png") as image:
        picture = image.convert("RGB")
        for dot in dots.dots():
            assert picture.getpixel((math.floor(dot.x + dot.width / 2), math.floor(dot.y + dot.height / 2))) == yellow
            assert picture.getpixel((math.floor(dot.x - 1), math.floor(dot.y - 1))) == red  # between the dots
    drawn = ElementTree.parse(output / f"{WIDE}.svg").getroot().findall(f"{SVG}rect[@fill='#FFDE00']")
    assert len(drawn) == 4 * 12
    assert [float(drawn[0].get(key, "")) for key in ("x", "y")] == [round(dots.dots()[0].x, 2), round(dots.dots()[0].y, 2)]

    # verify: every file read back, the SVG by its medium's own check
    assert "verify: 4 files match the manifest" in assets("verify", "--root", project)
    said = dict(svg, px=[320, 250])
    changed = {**manifest, "assets": [said if e["path"] == svg["path"] else e for e in manifest["assets"]]}
    (output / "manifest.json").write_text(json.dumps(changed, ensure_ascii=False, indent=2), encoding="utf-8")
    failed = CliRunner().invoke(cli, ["verify", "--root", str(project)])
    assert failed.exit_code == 1 and f"{svg['path']}: is 300×250 px, manifest says 320×250" in failed.output
    (output / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")

    # bundle: the unit's zip holds the SVG, deflated, and its README says what it is and how to use it
    assets("bundle", "--root", project)
    with zipfile.ZipFile(output / "bundles/huyen.zip") as bundle:
        assert bundle.getinfo(svg["path"]).compress_type == zipfile.ZIP_DEFLATED
        assert bundle.read(svg["path"]) == (output / svg["path"]).read_bytes()
        readme = " ".join(bundle.read("README.txt").decode("utf-8-sig").split())  # its lines unwrapped
    from assets_pipeline.delivery.describe import byte_size

    svg_name = svg["path"].rsplit("/", 1)[1]  # a line of its own under its format, in its folder's group
    assert "thư mục huyen/web/" in readme and "Banner IAB 300 × 250 (medium rectangle):" in readme
    assert f"{svg_name} {byte_size(svg['bytes'])} Ảnh vector SVG" in readme
    assert f"Cách dùng: {SVG_MEDIUM.usage}" in readme


def test_registration_is_undone(tmp_path: Path):
    with registered():
        assert "dots" in BLOCK_TYPES and "svg" in MEDIA
    assert "dots" not in BLOCK_TYPES and "svg" not in MEDIA
    root = tiny_project(tmp_path / "project", "extension-points")
    (root / "specs/designs/cham-bi.yaml").write_text(DESIGN, encoding="utf-8")
    from assets_pipeline.specs.load import load_specs

    with pytest.raises(SpecError) as raised:
        load_specs(root)
    said = str(raised.value)
    assert "'media': Input should be 'pdf', 'png', 'jpeg', 'mp4', 'txt', 'xlsx' or 'csv' (got 'svg')" in said
    assert "unknown block type 'dots' (known: rect, ring, text, image, qr, stack, figure, chart)" in said
