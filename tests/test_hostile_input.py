"""Hostile and broken input: every case ends in a clean `file:line` error or a correct build,
nothing is written outside output/, and earlier outputs stay as they were. The cases are edits of the
tiny project with the hostile overlay (tests/data/hostile: a banner of two layouts, a billboard placing
the image twice, procedures.csv); its district `huyen` is the unit built."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from assets_pipeline.engine.build import build
from assets_pipeline.engine.output import read_manifest
from assets_pipeline.plan.expand import Selection
from tests.conftest import assets, edit, line_of, run_assets, snapshot, tiny_project

DESIGN = "specs/designs/banner.yaml"
IMAGE = "specs/images/dau.png"


def refused(project: Path, expected: str, file: str | None = None, seconds: float = 20, places: int = 1,
            apart: bool = False) -> str:
    """Build; assert a one-line error (exit 2) containing `expected`, fast, with output untouched. In this
    process, or `apart` in a process of its own where the input could make a build run away (a loop, a
    pipe, a memory bomb): there the process's timeout turns a hang into a failure, and a blow-up stays
    out of the test's own process."""
    before = snapshot(project / "output") if (project / "output").exists() else {}
    started = time.monotonic()
    build = ("build", "--unit", "huyen", "--only", "banners")
    result = run_assets(*build, cwd=project) if apart else assets(*build, cwd=project)
    assert time.monotonic() - started < seconds
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == places, result.stderr  # one line per place in the specs
    for line in lines:
        assert expected in line, line
        if file:
            assert line.startswith(file + ":"), line
    after = snapshot(project / "output") if (project / "output").exists() else {}
    assert after == before
    return lines[0]


def hostile_project(destination: Path) -> Path:
    return tiny_project(destination, "hostile")


def image_users(project: Path) -> int:
    """The blocks that place the image, each said at its line: the tiny poster's and both of the billboard's."""
    return sum(path.read_text(encoding="utf-8").count("file: images/dau.png")
               for path in (project / "specs/designs").glob("*.yaml"))


@pytest.fixture
def unbuilt(tmp_path: Path) -> Path:
    """The project as it is, nothing built."""
    return hostile_project(tmp_path / "project")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    root = hostile_project(tmp_path_factory.mktemp("built") / "project")
    build(root, root / "output", Selection(unit="huyen", channel="banners"), workers=2)
    return root


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A project with a district's banners built: a copy of the module's one build for each case."""
    return Path(shutil.copytree(built_once, tmp_path / "project", symlinks=True))


# ------------------------------------------------------------------ YAML


SLOGAN = "ngan: CHUYỂN ĐỔI SỐ VÌ NGƯỜI DÂN"


@pytest.mark.parametrize("written, said", [
    ("ngan: CHUYỂN ĐỔI\u200b SỐ", "U+200B ZERO WIDTH SPACE"),
    ("ngan: CHUYỂN \u202eĐỔI SỐ", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ('ngan: "CHUYỂN\\a ĐỔI SỐ"', "U+0007"),  # an escape in a quoted scalar
    ('ngan: "CHUYỂN ĐỔI\\LSỐ"', "U+2028 LINE SEPARATOR"),  # YAML's \L escape
], ids=["zero width", "bidi override", "bell escape", "line separator"])
def test_a_character_that_does_not_print_is_refused_where_it_was_written(built: Path, written, said):
    edit(built, "specs/campaign.yaml", SLOGAN, written)
    line = refused(built, f"text holds {said}, which does not print", "specs/campaign.yaml")
    assert line.startswith(f"specs/campaign.yaml:{line_of(built, 'specs/campaign.yaml', 'ngan:')}:")
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl") for c in line)  # shown, never echoed


def test_a_binary_value_is_not_text(built: Path):
    edit(built, "specs/campaign.yaml", SLOGAN, "ngan: !!binary Q0jDgE8gTeG7qk5H")
    refused(built, "a binary value (!!binary) is not text", "specs/campaign.yaml")


@pytest.mark.parametrize("tagged, tag", [
    ("units: !!python/object/apply:os.system ['touch pwned']", "!!python/object/apply:os.system"),
    ("units: !!set {a, b}", "!!set"),
    ("units: !!python/name:os.system ''", "!!python/name:os.system"),
    ("units: !custom [1]", "!custom"),
])
def test_a_tag_that_is_not_plain_yaml_is_refused_and_nothing_runs(built: Path, tagged: str, tag: str):
    path = built / "specs/units.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("units:", tagged + "\nold:", 1), encoding="utf-8")
    line = refused(built, f"the tag '{tag}' is not allowed", "specs/units.yaml")
    assert line.startswith(f"specs/units.yaml:{line_of(built, 'specs/units.yaml', tag)}:")
    assert not (built / "pwned").exists()


def test_a_csv_cell_that_does_not_print_is_refused_at_its_line(built: Path):
    csv = built / "specs/procedures.csv"
    text = csv.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "Đăng ký khai tử" in row)
    csv.write_text(text.replace("Đăng ký khai tử", "Đăng ký khai\u200b tử", 1), encoding="utf-8")
    assert refused(built, "U+200B ZERO WIDTH SPACE", "specs/procedures.csv").startswith(f"specs/procedures.csv:{line}:")

def test_alias_bomb_is_refused_quickly(built: Path):
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [{', '.join(['*' + previous] * 9)}]")
    (built / "specs/units.yaml").write_text("\n".join(bomb) + "\nunits: []\n", encoding="utf-8")
    refused(built, "document too large", "specs/units.yaml", apart=True)


def test_deep_nesting_is_refused(built: Path):
    (built / "specs/units.yaml").write_text("units: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    refused(built, "nest", "specs/units.yaml", apart=True)  # "nested deeper than 64 levels" or libyaml's own limit


def test_a_tab_for_indentation_is_refused_at_its_line(built: Path):
    edit(built, DESIGN, "        font: bold\n", "\tfont: bold\n")
    line = refused(built, "invalid YAML", DESIGN)
    assert "character '\\t'" in line or "tab" in line.lower()


def test_a_byte_order_mark_is_accepted(unbuilt: Path):
    path = unbuilt / "specs/campaign.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert assets("build", "--unit", "huyen", "--only", "banners", cwd=unbuilt).returncode == 0


def test_nfd_text_is_normalised(unbuilt: Path):
    path = unbuilt / "specs/units.yaml"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")
    assert assets("build", "--unit", "huyen", "--only", "banners", cwd=unbuilt).returncode == 0
    for asset in read_manifest(unbuilt / "output")["assets"]:
        assert "Ủy ban nhân dân huyện Đồi Núi" in asset["texts"]


@pytest.mark.parametrize("pasted", ["ChuyÓn ®æi sè", "Chuyeån ñoåi soá"], ids=["TCVN3", "VNI"])
def test_legacy_vietnamese_encodings_are_refused(built: Path, pasted: str):
    edit(built, "specs/units.yaml", "name: huyện Đồi Núi", f"name: {pasted}")
    refused(built, "TCVN3 or VNI", "specs/units.yaml")


def test_a_spec_that_is_not_utf8_is_refused(built: Path):
    path = built / "specs/units.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    refused(built, "not UTF-8", "specs/units.yaml")


# ------------------------------------------------------------------ paths

@pytest.mark.parametrize("slug", ["../etc", "/abs", "con", "Doi Nui", "a" * 80])
def test_unsafe_unit_slugs_are_refused(built: Path, slug: str):
    edit(built, "specs/units.yaml", "slug: xa", f"slug: '{slug}'")  # a unit not being built
    refused(built, "'slug'", "specs/units.yaml")


def test_font_paths_cannot_leave_fonts(built: Path):
    edit(built, "specs/campaign.yaml", "bold: fonts/BeVietnamPro-Bold.ttf", "bold: fonts/../../../etc/passwd")
    refused(built, "must be a file under fonts/", "specs/campaign.yaml")


def test_a_font_link_pointing_outside_is_refused(built: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.ttf"
    outside.write_bytes((built / "fonts/BeVietnamPro-Bold.ttf").read_bytes())
    (built / "fonts/linked.ttf").symlink_to(outside)
    edit(built, "specs/campaign.yaml", "bold: fonts/BeVietnamPro-Bold.ttf", "bold: fonts/linked.ttf")
    refused(built, "must be a file under fonts/", "specs/campaign.yaml")


def test_a_design_link_pointing_outside_is_refused(built: Path, tmp_path: Path):
    outside = tmp_path / "design.yaml"
    outside.write_text((built / DESIGN).read_text(encoding="utf-8"), encoding="utf-8")
    (built / "specs/designs/linked.yaml").symlink_to(outside)
    refused(built, "outside specs/")


@pytest.mark.parametrize("file, said, where", [
    ("fonts/BeVietnamPro-Bold.ttf", "font 'BeVietnamPro-Bold.ttf' is a link that leads round in a loop", "specs/campaign.yaml"),
    (IMAGE, "image 'dau.png' is a link that leads round in a loop", None),
    ("specs/units.yaml", "units file 'units.yaml' is a link that leads round in a loop", "specs/campaign.yaml"),
    ("specs/designs/circular.yaml", "cannot read file: Too many levels of symbolic links", "specs/designs/circular.yaml"),
], ids=["font", "image", "units", "design"])
def test_a_link_that_leads_round_in_a_loop_is_one_line(built: Path, file: str, said: str, where: str | None):
    path = built / file
    path.unlink(missing_ok=True)
    path.symlink_to(path.name)
    refused(built, said, where, places=1 if where else image_users(built))


def test_a_spec_that_is_a_pipe_is_refused_not_waited_on(built: Path):
    os.mkfifo(built / "specs/designs/pipe.yaml")
    refused(built, "not a regular file", "specs/designs/pipe.yaml", apart=True)


def test_an_output_folder_linked_elsewhere_is_not_written_through(built: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    unit_folder = built / "output/tinh"  # a unit not built yet
    assert not unit_folder.exists()
    unit_folder.symlink_to(elsewhere)
    result = assets("build", "--unit", "tinh", "--only", "banners", cwd=built)
    assert result.returncode == 1
    assert "outside" in result.stderr
    assert not any(elsewhere.iterdir())


# ------------------------------------------------------------------ templates

@pytest.mark.parametrize("template, said", [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
    ("{{ cycler.__init__.__globals__.os }}", "not allowed"),
    ("{{ range(10**9) | list }}", "range() longer than"),
    ("{{ 'x' * 10**9 }}", "repetition longer than"),
    ("{% for i in range(9999) %}{% for j in range(9999) %}{% for k in range(9999) %}{% endfor %}{% endfor %}{% endfor %}",
     "took longer than"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "template error"),
    ("{% for i in range(9999) %}ABCDEFGHIJ{% endfor %}", "longer than 2000 characters"),
    ("{{ '%999999999d' % 1 }}", "a width or precision over 2000"),
])
def test_templates_are_sandboxed_and_bounded(built: Path, template: str, said: str):
    edit(built, DESIGN, '"Ủy ban nhân dân {{ unit.name }}"', json.dumps(template))
    line = refused(built, said, DESIGN, seconds=30, apart=True)
    assert "jinja2" not in line and "File " not in line



def test_a_slow_template_is_stopped_off_the_main_thread_too():
    """The studio and `watch` render in threads, where no timer signal reaches."""
    import threading

    from assets_pipeline.core.errors import SpecError
    from assets_pipeline.specs.templating import render

    slow = "{% for i in range(9999) %}{% for j in range(9999) %}{% for k in range(9998) %}{% endfor %}{% endfor %}{% endfor %}"
    said: list[str] = []

    def studio_request() -> None:
        try:
            render(slow, {})
        except SpecError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=studio_request, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive() and said == ["template took longer than 2 s"]


@pytest.mark.parametrize("template", [
    "{{ '%999999999d' % 1 }}", "{{ '%*d' % (999999999, 1) }}", "{{ '%.999999999f' % 1 }}",
    "{{ '{:>999999999}'.format(1) }}", "{{ '{:{w}}'.format(1, w=999999999) }}", "{{ '{0:>999999999}'.format_map({}) }}",
    "{{ 'x'|center(999999999) }}", "{{ 'x'|indent(999999999, true) }}", "{{ '%999999999d'|format(1) }}",
])
def test_a_width_is_refused_before_it_builds_its_string(template: str):
    """Each of these makes one huge string in one step, where no deadline or output limit can stop it."""
    from assets_pipeline.core.errors import SpecError
    from assets_pipeline.specs.templating import render

    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SpecError, match="not allowed"):
        render(template, {})
    assert time.monotonic() - started < 0.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB


REPLACE_CHAIN = "'aaaaaaaaaa'" + "|replace('a','aaaaaaaaaa')" * 8


@pytest.mark.parametrize("template", [
    "{{ 'a'.ljust(999999999) }}", "{{ 'a'.zfill(999999999) }}", "{{ '\t'.expandtabs(999999999) }}",
    "{{ 'a'.translate({97: 'bbbbbbbbbb'}) }}", f"{{{{ {REPLACE_CHAIN} }}}}",
    f"{{{{ {REPLACE_CHAIN.replace('|replace', '.replace')} }}}}",
    "{{ range(10000)|join(range(10000)|join) }}", "{{ (range(10000)|join).join(range(10000)|map('string')) }}",
    "{% set a = range(10000)|join %}{% set b = a ~ a ~ a %}{% set b = b ~ b ~ b %}{{ b|length }}",
    "{% set a = range(10000)|join %}{% set x %}{% for i in range(10000) %}{{ a }}{% endfor %}{% endset %}{{ x|length }}",
    "{% set a = range(10000)|list %}{% set b = [a,a,a,a,a,a,a,a,a,a] %}{% set c = [b,b,b,b,b,b,b,b,b,b] %}"
    "{{ [c,c,c,c,c,c,c,c,c,c] }}",
    "{% set a = range(10000)|list %}{{ (a + a + a + a + a + a + a + a + a + a + a)|length }}",
    "{% set ns = namespace(a=[1]) %}{% for i in range(40) %}{{ ns.a.extend(ns.a) }}{% endfor %}",
    "{{ range(10)|slice(999999999)|list|length }}", "{{ [1]|batch(999999999)|list|length }}",
    "{{ range(10000)|join('\\n')|indent(2000, true) }}", "{{ lipsum(999999) }}",
    "{{ range(10000)|join(' ')|wordwrap(1, true, 'x' * 2000) }}",
])
def test_a_step_that_would_build_too_much_is_refused_before_it_runs(template: str):
    """One step in C (a replace, a join, str() of nested lists, a list grown in place) is past any deadline."""
    from assets_pipeline.core.errors import SpecError
    from assets_pipeline.specs.templating import compile_template, render

    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    compile_template(template)  # Jinja2 folds constant expressions here, before any render
    with pytest.raises(SpecError, match="not allowed|undefined"):
        render(template, {})
    assert time.monotonic() - started < 0.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # kB


def test_thousands_of_wrong_rows_are_said_in_a_hundred_lines(built: Path):
    csv = built / "specs/procedures.csv"
    csv.write_bytes(csv.read_bytes() * 600)  # some 4,000 rows, within the 2 MB a spec file may have
    result = assets("check", cwd=built)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 101, lines[-3:]
    assert lines[0].startswith("specs/procedures.csv:") and "more problems like these" in lines[-1]


def test_printf_and_format_widths_within_the_limit_still_work():
    from assets_pipeline.specs.templating import render

    assert render("{{ '%03d' % 7 }}-{{ '{:0>3}'.format(8) }}-{{ '%s'|format('Hàm Yên') }}", {}) == "007-008-Hàm Yên"


# ------------------------------------------------------------------ limits

def test_a_huge_format_is_refused(built: Path):
    edit(built, "specs/formats.yaml", "size_mm: [3000, 500]", "size_mm: [3000000, 500]")  # the banner's
    refused(built, "'size_mm'", "specs/formats.yaml")


def test_the_job_limit_is_clear_and_can_be_raised_on_purpose(built: Path):
    # a process of its own: the limits are read from the environment when the package loads
    env = {**os.environ, "ASSETS_LIMIT_MAX_JOBS": "5"}
    result = subprocess.run([sys.executable, "-m", "assets_pipeline", "build"], cwd=built, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 2 and "more than 5 pieces" in result.stderr
    assert "ASSETS_LIMIT_MAX_JOBS" in result.stderr



def test_fractional_limits_are_read_and_a_bad_one_is_one_line(tiny: Path):
    env = {**os.environ, "ASSETS_LIMIT_MAX_FPS": "29.97", "ASSETS_LIMIT_MAX_MM": "150000.5"}
    result = subprocess.run([sys.executable, "-c", "from assets_pipeline.core.limits import LIMITS; "
                             "print(LIMITS.max_fps, LIMITS.max_mm)"], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["29.97", "150000.5"], result.stderr
    for name, value in (("ASSETS_LIMIT_MAX_JOBS", "1.5"), ("ASSETS_LIMIT_MAX_FPS", "fast"),
                        ("ASSETS_LIMIT_MAX_PX", "-3")):
        result = subprocess.run([sys.executable, "-m", "assets_pipeline", "check"], cwd=tiny,
                                env={**os.environ, name: value}, capture_output=True, text=True)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [f"{name}: must be a positive "
                                                      f"{'' if 'FPS' in name else 'whole '}number (got {value!r})"]



@pytest.mark.parametrize("damage", [b"{not json", b'{"assets": 3}', b"\xff\xfe"])
def test_an_unreadable_manifest_is_said_not_taken_for_none(built: Path, damage: bytes):
    (built / "output/manifest.json").write_bytes(damage)
    refused(built, "cannot be read as a manifest" if damage != b'{"assets": 3}' else "is not a manifest",
            "output/manifest.json")
    before = snapshot(built / "output")
    result = assets("bundle", cwd=built)
    assert result.returncode == 2 and result.stderr.startswith("output/manifest.json: "), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and snapshot(built / "output") == before


# ------------------------------------------------------------------ broken assets

def test_a_font_file_that_is_not_a_font(built: Path):
    (built / "fonts/BeVietnamPro-Bold.ttf").write_bytes(b"<html>not a font</html>" * 50)
    refused(built, "BeVietnamPro-Bold.ttf is not a usable TrueType font", "specs/campaign.yaml")



def test_a_truncated_font_is_refused_not_divided_by(built: Path):
    bold = built / "fonts/BeVietnamPro-Bold.ttf"
    bold.write_bytes(bold.read_bytes()[:60_000])  # every advance kept, every outline lost
    line = refused(built, "BeVietnamPro-Bold.ttf is damaged: '0', '1'", "specs/campaign.yaml")
    assert "have no outline" in line


def test_a_font_with_corrupted_outlines_is_refused(built: Path):
    bold = built / "fonts/BeVietnamPro-Bold.ttf"
    data = bytearray(bold.read_bytes())
    for offset in range(2000, len(data), 997):
        data[offset] ^= 0x5A
    bold.write_bytes(bytes(data))
    refused(built, "BeVietnamPro-Bold.ttf is not a usable TrueType font", "specs/campaign.yaml")


def _png(width: int, height: int) -> bytes:
    """A valid PNG header promising width × height pixels, over a few bytes of data: a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1) * 4))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("size", [(30_000, 30_000), (10_001, 10_000)])  # Pillow's own bomb error, and just over ours
def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(built: Path, size):
    (built / IMAGE).write_bytes(_png(*size))
    line = refused(built, f"is {size[0]} × {size[1]} px, more than the 100,000,000 pixels", places=image_users(built))
    assert "image 'images/dau.png'" in line


def test_a_truncated_image_is_refused(built: Path):
    image = built / IMAGE
    image.write_bytes(image.read_bytes()[:700])  # half of it: the header and part of the pixels
    refused(built, "image 'images/dau.png' cannot be read:", places=image_users(built))

def test_a_font_missing_a_vietnamese_glyph(built: Path):
    from fontTools import subset

    font = built / "fonts/BeVietnamPro-Bold.ttf"
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    keep = "".join(chr(c) for c in range(0x20, 0x250)) + "ỦủỆệỒồ"  # the letters of "Ủy ban nhân dân huyện Đồi Núi"
    loaded = subset.load_font(str(font), options)
    subsetter.populate(text=keep.replace("ệ", ""))
    subsetter.subset(loaded)
    subset.save_font(loaded, str(font), options)
    line = refused(built, "has no glyph for 'ệ' (U+1EC7)", DESIGN, places=2)  # both layouts name the unit in it
    assert "fonts/BeVietnamPro-Bold.ttf" in line


# ------------------------------------------------------------------ failures mid-build

def test_a_full_disk_fails_some_files_keeps_the_rest_and_the_next_build_retries_them(built: Path):
    output = built / "output"
    # a file size limit between the PDFs of one slogan and the longer slogan's: these do not fit
    sizes = {slogan: [p.stat().st_size for p in output.glob(f"huyen/banners/banner-{slogan}__*.pdf")]
             for slogan in ("ngan", "dai")}
    assert max(sizes["ngan"]) < min(sizes["dai"])
    limit = (max(sizes["ngan"]) + min(sizes["dai"])) // 2

    def _small_file_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    edit(built, "specs/units.yaml", "name: huyện Đồi Núi", "name: huyện Đồi Núi mới")  # every file stale
    before = snapshot(output)
    # processes of their own, for the file size limit
    result = subprocess.run([sys.executable, "-m", "assets_pipeline", "build", "--unit", "huyen", "--only", "banners"],
                            cwd=built,
                            capture_output=True, text=True, preexec_fn=_small_file_limit)
    assert result.returncode == 1, result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert failed and "Traceback" not in result.stderr
    assert "cannot write: the file is larger than this system allows" in failed[0]
    manifest = read_manifest(output)
    after = snapshot(output)
    for entry in manifest["assets"]:  # the manifest matches the disk, new files and kept old ones alike
        assert after[entry["path"]] == entry["sha256"]
    unchanged = {path for path in before if path in after and before[path] == after[path] and "/" in path
                 and not path.startswith(".")}  # the unit's files, not the document fonts the build keeps
    pieces = {line.split(": ")[1] for line in failed}  # failed: <unit>/<channel>/<stem>: …
    # the old files stay where new ones could not be written (a piece's PDF comes first: its proof waits)
    assert unchanged == {path for path in before if path.rsplit(".", 1)[0].removesuffix("_1-10") in pieces}
    assert 0 < len(pieces) < len(sizes["ngan"] + sizes["dai"])
    debug = subprocess.run([sys.executable, "-m", "assets_pipeline", "--debug", "build", "--unit", "huyen",
                            "--only", "banners"], cwd=built, capture_output=True, text=True, preexec_fn=_small_file_limit)
    assert debug.returncode == 1 and debug.stderr.count("Traceback (most recent call last):") >= len(failed)
    assert "render_job" in debug.stderr and "OSError: [Errno 27] File too large" in debug.stderr  # every frame
    again = assets("build", "--unit", "huyen", "--only", "banners", cwd=built)
    assert again.returncode == 0
    assert f"rendered {len(unchanged)}, " in again.stdout
