"""Messages in Vietnamese by default, in English on request (`--lang en`, `ASSETS_LANG`, `LANG`), from a
catalogue that says every message the code has: spec errors, preflight findings, a build's progress and
summary, the studio. The `file:line:` shape stays in both; the files a build writes do not change with
the language. (The rest of the suite reads the English messages: conftest.py sets ASSETS_LANG=en.)"""

from __future__ import annotations

import json
import os
import re
import signal
import string
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from assets_pipeline.core import i18n
from assets_pipeline.launch import _without_language
from tests.conftest import REPO, as_in_a_terminal, edit, line_of, snapshot

LOCALE = REPO / "assets_pipeline" / "locale"
# the tiny project (tests/data/tiny): its A5 sheet and its web banner
POSTER = "specs/designs/poster.yaml"
WEB = "specs/designs/web.yaml"
LANGUAGE_VARIABLES = ("ASSETS_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def gold_on_red(project: Path) -> None:
    """The web banner's slogan in gold on the flag red (3.68:1), at a size that needs 4.5:1."""
    edit(project, WEB, "font: bold\n        color: white", "font: bold\n        color: yellow")
    edit(project, "specs/formats.yaml", "size_px: [600, 150]", "size_px: [320, 80]")


def environment(**language: str) -> dict[str, str]:
    """The environment of a user who set none of the language variables but `language`."""
    return {**{k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}, **language}


def assets(*args: str, cwd: Path, **language: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assets_pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=environment(**language))


@pytest.fixture
def vietnamese() -> Iterator[None]:
    """This process speaks Vietnamese for the test."""
    i18n.set_language("vi")
    try:
        yield
    finally:
        i18n.set_language(None)


# ---------------------------------------------------------------- the catalogue


def messages(path: Path) -> dict:
    with path.open("rb") as file:
        return {m.id: m for m in read_po(file) if m.id}


def placeholders(text: str) -> Counter:
    """Each `{name!conversion:spec}` of a python-brace-format message, counted."""
    return Counter((name, conversion, spec) for _, name, spec, conversion in string.Formatter().parse(text)
                   if name is not None)


def test_the_template_holds_every_message_of_the_code(tmp_path: Path):
    """`pybabel extract` as locale/babel.cfg says, now: the same messages as the template in the repository."""
    extracted = tmp_path / "extracted.pot"
    CommandLineInterface().run(["pybabel", "--quiet", "extract", "-F", str(LOCALE / "babel.cfg"), "--no-location",
                                "-o", str(extracted), str(REPO / "assets_pipeline")])
    now, kept = set(messages(extracted)), set(messages(LOCALE / "assets_pipeline.pot"))
    assert now - kept == set(), "new messages: run pybabel extract and update (locale/babel.cfg says how)"
    assert kept - now == set(), "messages the code no longer has: run pybabel extract and update"
    assert len(now) > 300


def test_every_message_has_its_vietnamese_with_the_same_placeholders():
    template, vietnamese = messages(LOCALE / "assets_pipeline.pot"), messages(i18n.catalogue_path("vi"))
    assert set(vietnamese) == set(template)
    for msgid, message in vietnamese.items():
        assert "fuzzy" not in message.flags, msgid
        said = message.string if isinstance(msgid, str) else message.string[0]
        assert said and said.strip(), f"no translation of {msgid!r}"
        for english in (msgid,) if isinstance(msgid, str) else msgid:
            assert placeholders(said) == placeholders(english), (msgid, said)


def test_the_language_is_the_option_then_assets_lang_then_the_locale_then_vietnamese():
    chosen = i18n.language_from_environment
    assert chosen({}) == "vi"
    assert chosen({"LANG": "C.UTF-8"}) == "vi" and chosen({"LANG": "fr_FR.UTF-8"}) == "vi"
    assert chosen({"LANG": "en_US.UTF-8"}) == "en" and chosen({"LANG": "vi_VN.UTF-8"}) == "vi"
    assert chosen({"LANGUAGE": "fr:en", "LANG": "vi_VN.UTF-8"}) == "en"  # the first that names one of them
    assert chosen({"LC_ALL": "C", "LC_MESSAGES": "en_GB", "LANG": "vi_VN"}) == "en"
    assert chosen({"ASSETS_LANG": "vi", "LANG": "en_US.UTF-8"}) == "vi"
    assert chosen({"ASSETS_LANG": "en", "LANGUAGE": "vi"}) == "en"
    try:
        i18n.set_language("vi")
        assert i18n.current_language() == "vi"  # --lang, over ASSETS_LANG=en (conftest.py)
        with pytest.raises(ValueError):
            i18n.set_language("fr")
    finally:
        i18n.set_language(None)
    assert i18n.current_language() == "en"


def test_numbers_are_written_as_the_language_writes_them_and_spec_values_as_they_are(vietnamese):
    said = i18n._("{text!r}: contrast {ratio:.2f}:1 below {minimum:g}:1", text="a.b", ratio=3.678, minimum=4.5)
    assert said == "'a.b': độ tương phản 3,68:1, thấp hơn mức tối thiểu 4,5:1"
    assert i18n.ngettext("… and {count:,} more problem like these", "… and {count:,} more problems like these",
                         1234, count=1234) == "… và 1.234 lỗi tương tự khác"
    assert i18n._("'{name}': {message} (got {value!r})", name="x", message="m", value=2.5) == "'x': m (đang là 2.5)"
    i18n.set_language("en")
    assert i18n._("{text!r}: contrast {ratio:.2f}:1 below {minimum:g}:1", text="a", ratio=3.678,
                  minimum=4.5) == "'a': contrast 3.68:1 below 4.5:1"


def test_pydantic_messages_are_said_by_their_type(vietnamese, tmp_path: Path):
    from assets_pipeline.core.errors import SpecError
    from assets_pipeline.specs.designs import Design
    from assets_pipeline.specs.load import validate
    from assets_pipeline.specs.models import FormatsFile
    from assets_pipeline.specs.yamlsource import parse

    formats = "formats:\n  a:\n    title: A\n    channel: web\n    size_px: [10, 10]\n    min_contrast: 30\n"
    with pytest.raises(SpecError) as raised:
        validate(FormatsFile, parse(formats, "specs/formats.yaml"))
    assert str(raised.value) == "specs/formats.yaml:6: 'min_contrast': phải nhỏ hơn hoặc bằng 21 (đang là 30)"
    design = "title: T\nformats: [a]\nmedia: [svg]\nvariants: {v: {}}\nlayouts: []\n"
    with pytest.raises(SpecError) as raised:
        validate(Design, parse(design, "specs/designs/t.yaml"))
    said = "specs/designs/t.yaml:3: 'media': phải là 'pdf', 'png', 'jpeg', 'mp4', 'txt', 'xlsx' hoặc 'csv' (đang là 'svg')"
    assert said in str(raised.value)


def test_a_leading_lang_is_understood_before_the_command_line_loads():
    try:
        assert _without_language(["--lang", "en", "all", "-j", "2"]) == ["all", "-j", "2"]
        assert i18n.current_language() == "en"
        assert _without_language(["--lang=vi", "all"]) == ["all"] and i18n.current_language() == "vi"
        assert _without_language(["--lang", "fr", "all"]) is None  # the command line says what is wrong
        assert _without_language(["all"]) == ["all"]
    finally:
        i18n.set_language(None)


# ---------------------------------------------------------------- the command line


def test_a_spec_error_is_vietnamese_by_default_and_english_on_request(tiny: Path):
    project = tiny
    edit(project, POSTER, "        color: ink", "        colr: ink")
    where = f"{POSTER}:{line_of(project, POSTER, 'colr: ink')}: "
    said = assets("check", "--only", "posters", "--unit", "huyen", cwd=project)
    assert said.returncode == 2 and "Traceback" not in said.stderr
    assert f"{where}khóa 'colr' không có trong mẫu (có phải ý bạn là 'color'?)" in said.stderr.splitlines()
    for english in (assets("--lang", "en", "check", cwd=project),
                    assets("check", cwd=project, LANG="en_US.UTF-8"),
                    assets("check", cwd=project, ASSETS_LANG="en", LANG="vi_VN.UTF-8")):
        assert english.returncode == 2
        assert f"{where}unknown key 'colr' (did you mean 'color'?)" in english.stderr.splitlines()
    # --lang wins over the environment
    assert f"{where}khóa 'colr'" in assets("--lang", "vi", "check", cwd=project, ASSETS_LANG="en").stderr


def test_a_yaml_syntax_error_keeps_the_parsers_words_after_a_vietnamese_lead(tiny: Path):
    project = tiny
    (project / "specs/designs/hong.yaml").write_text("title: Hỏng\nformats: [to-a5\nmedia: [png]\n",
                                                      encoding="utf-8")
    said = assets("check", cwd=project)
    assert said.returncode == 2
    assert re.search(r"^specs/designs/hong\.yaml:3: lỗi cú pháp YAML: did not find expected ',' or ']'$", said.stderr,
                     re.M), said.stderr
    english = assets("check", cwd=project, LANG="en_US.UTF-8")
    assert re.search(r"^specs/designs/hong\.yaml:3: invalid YAML: did not find expected ',' or ']'$", english.stderr,
                     re.M), english.stderr


def test_a_preflight_warning_in_vietnamese_then_in_english_from_what_the_first_check_found(tiny: Path):
    project = tiny
    """The findings a check keeps (its report, and by content key) are said in the language of whoever
    reads them: a second check in English answers from the first one's report, in English."""
    # the mobile banner's yellow slogan on the flag red instead of the deep red: 3.68:1
    gold_on_red(project)
    said = assets("check", "--only", "web", "--unit", "huyen", cwd=project)
    assert said.returncode == 0, said.stderr
    warning = next(x for x in said.stderr.splitlines() if ": contrast: " in x)
    assert warning.startswith(f"cảnh báo: {WEB}:")
    assert re.search(r": contrast: '.*': độ tương phản 3,68:1, thấp hơn mức tối thiểu 4,5:1 \[huyen/web/", warning)
    assert "kiểm tra trước khi in: 2 cảnh báo" in said.stdout
    report = json.loads((project / "output/preflight-check.json").read_text(encoding="utf-8"))
    found = [f for p in report["pieces"] for f in p["findings"]]
    assert {f["rule"] for f in found} == {"contrast"} and {f["level"] for f in found} == {"warning"}
    assert all("độ tương phản" in f["message"] for f in found)
    english = assets("check", "--only", "web", "--unit", "huyen", cwd=project, LANG="en_US.UTF-8")
    assert english.returncode == 0
    assert f"warning: {WEB}:" in english.stderr and "contrast 3.68:1 below 4.5:1" in english.stderr
    assert "độ tương phản" not in english.stderr + english.stdout


def test_a_build_says_its_progress_in_vietnamese_and_writes_the_same_files_in_either_language(tiny: Path):
    project = tiny
    gold_on_red(project)
    selection = ("--design", "web", "--unit", "huyen", "-j", "1")
    built = assets("build", *selection, cwd=project)
    assert built.returncode == 0, built.stderr
    assert re.fullmatch(r"\[1/2\] huyen/web/web-mot__web-600x150\.(png|jpg)", built.stdout.splitlines()[0])
    assert re.fullmatch(r"đã xuất 2, dùng lại 0, lỗi 0, \d+,\d giây \(output\)", built.stdout.splitlines()[-1])
    assert "kiểm tra trước khi in: 2 cảnh báo (lệnh assets check liệt kê; báo cáo trong output/preflight.txt)" \
        in built.stderr
    assert "độ tương phản 3,68:1" in (project / "output/preflight.txt").read_text(encoding="utf-8")
    # nothing to do in English either: the language is no input of the files
    again = assets("build", *selection, cwd=project, LANG="en_US.UTF-8")
    assert again.returncode == 0 and again.stdout.startswith("rendered 0, reused 2, failed 0, ")
    # and a build from scratch in English writes the very same files and manifest
    vietnamese = snapshot(project / "output")
    for path in (project / "output").rglob("*"):
        if path.is_file():
            path.unlink()
    english = assets("--lang", "en", "build", *selection, cwd=project)
    assert english.returncode == 0 and english.stdout.splitlines()[-1].startswith("rendered 2, reused 0, failed 0, ")
    assert "contrast 3.68:1 below 4.5:1" in (project / "output/preflight.txt").read_text(encoding="utf-8")

    def files(found: dict[str, str]) -> dict[str, str]:
        return {name: digest for name, digest in found.items()
                if not name.startswith((".", "preflight")) and "/." not in name}
    assert files(snapshot(project / "output")) == files(vietnamese) and "manifest.json" in files(vietnamese)


# ---------------------------------------------------------------- the studio


def wait_for(url: str, wanted, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        with urllib.request.urlopen(url + "state.json", timeout=10) as response:
            state = json.load(response)
        if wanted(state):
            return state
        assert time.monotonic() < deadline, f"never reached the state wanted: {state['error'] or state['choice']}"
        time.sleep(0.1)


def test_the_studio_says_findings_and_spec_errors_in_vietnamese(tiny: Path):
    project = tiny
    gold_on_red(project)
    process = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "studio", "--port", "0", "-j", "1",
                                "--design", "web", "--unit", "huyen"], cwd=project, env=environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=as_in_a_terminal)
    try:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(60)
        assert first and first[0].startswith("xưởng thiết kế tại http://127.0.0.1:"), first
        url = re.search(r"http://127\.0\.0\.1:\d+/", first[0])[0]
        # a finding of a picture drawn in a worker process
        state = wait_for(url, lambda s: s["slots"] and s["busy"] == 0 and not s["error"])
        found = [f for slot in state["slots"] for p in slot["pictures"] for f in p.get("findings", [])]
        contrast = [f for f in found if f["rule"] == "contrast"]
        assert contrast and all("độ tương phản 3,68:1, thấp hơn mức tối thiểu 4,5:1" in f["message"] for f in contrast)
        # a spec error, as the command line says it
        edit(project, WEB, "units:\n", "unitz:\n")
        state = wait_for(url, lambda s: bool(s["error"]))
        line = line_of(project, WEB, "unitz:")
        assert state["error"] == f"{WEB}:{line}: khóa 'unitz' không có trong mẫu (có phải ý bạn là 'units'?)"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "nothing-here", timeout=10)
        assert refused.value.code == 404 and refused.value.read().decode("utf-8") == "không tìm thấy\n"
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0 and "xưởng thiết kế đã dừng" in errors
    # the terminal that runs the studio says the spec error too, as the command line does
    assert f"{WEB}:{line}: khóa 'unitz' không có trong mẫu (có phải ý bạn là 'units'?)" in errors.splitlines()
