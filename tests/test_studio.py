"""The studio in a real browser: `assets studio` started as a designer starts it, on a copy of the tiny
project with the studio overlay (tests/data/studio: the poster in A0–A3, a second district, a second
campaign), the page in Debian's Chromium (Playwright). Every format shown at its aspect, a save shown
without a reload, a spec error shown as the command line says it and cleared, choices made from the
page, a video's stills and its playable loop, requests outside the studio's pictures refused, Ctrl-C.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import as_in_a_terminal, run_assets, tiny_project
from tests.test_download_page import browser  # noqa: F401 (the Chromium fixture)

POSTER = "specs/designs/poster.yaml"
POSTER_FORMATS = {"poster-a0": (841, 1189), "poster-a1": (594, 841), "poster-a2": (420, 594), "poster-a3": (297, 420)}
BLEED_MM = 3
TITLE_BOX = "box: [0.05, 0.15, 0.9, 0.07]"
MESSAGE_COLOR = ("        font: regular\n        color: ink", '        font: regular\n        color: "#BBBBBB"')
PROVINCE, COMMUNE = "tinh", "xa"


def start_studio(root: Path, *args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "studio", "--port", "0", *args], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=as_in_a_terminal)
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    url = re.search(r"http://127\.0\.0\.1:\d+/", found[0] if found else "")
    assert url, f"no address printed: {found!r}"
    return process, url[0]


def stop(process: subprocess.Popen, how: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(how)  # Ctrl-C, by default
    _, errors = process.communicate(timeout=20)
    return process.returncode, errors


def state(url: str) -> dict:
    with urllib.request.urlopen(url + "state.json", timeout=10) as response:
        return json.load(response)


def wait_state(url: str, wanted: Callable[[dict], bool], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        now = state(url)
        if wanted(now):
            return now
        assert time.monotonic() < deadline, f"never reached the state wanted: {now['error'] or now['choice']}"
        time.sleep(0.1)


def choose(url: str, **choice: str) -> None:
    request = urllib.request.Request(url + "choose", json.dumps(choice).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="module")
def studio(tmp_path_factory) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    root = tiny_project(tmp_path_factory.mktemp("studio"), "studio")
    # the tiny web banner names the slogan `dai`, which the second campaign has not: every design shown
    # here takes its slogans from the campaign, as the product's do
    (root / "specs/designs/web.yaml").unlink()
    process, url = start_studio(root, "--design", "poster")
    wait_state(url, lambda s: s["slots"] and s["busy"] == 0)
    yield root, url, process
    if process.poll() is None:
        stop(process)


@pytest.fixture
def page(browser, studio):  # noqa: F811 (the fixture imported above)
    """The page open on the poster for the province, as the studio starts; console errors collected."""
    _, url, process = studio
    choose(url, campaign="", design="poster", unit="", variant="")
    wait_state(url, lambda s: s["choice"]["design"] == "poster" and s["choice"]["unit"] == PROVINCE
               and s["choice"]["campaign"] == "specs/campaign.yaml" and not s["error"] and s["busy"] == 0
               and len(s["slots"]) == 4)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.wait_for_function("document.body.dataset.version >= 0 && document.querySelectorAll('figure.piece').length")
    # and every picture loaded: a busy machine serves them a moment after the page
    page.wait_for_function("Array.from(document.querySelectorAll('figure.piece img'))"
                           ".every(img => img.complete && img.naturalWidth > 0)")
    yield page
    context.close()
    assert process.poll() is None, "the studio stopped"


@contextlib.contextmanager
def edited(root: Path, name: str, old: str, new: str) -> Iterator[None]:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer holds {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(text, encoding="utf-8")


def version(page) -> int:
    return int(page.evaluate("document.body.dataset.version"))


def wait_version(page, after: int, timeout_ms: int = 30_000) -> None:
    page.wait_for_function(f"Number(document.body.dataset.version) > {after}", polling=50, timeout=timeout_ms)


PIECES = """Array.from(document.querySelectorAll('figure.piece')).map(f => {
    const img = f.querySelector('img'), box = img.getBoundingClientRect();
    return {format: f.dataset.format, caption: f.querySelector('figcaption').textContent, src: img.src,
            loaded: img.complete && img.naturalWidth > 0, width: box.width, height: box.height,
            natural: [img.naturalWidth, img.naturalHeight]};
})"""


def pieces(page) -> list[dict]:
    return page.evaluate(PIECES)


def test_the_page_shows_every_format_of_the_design_at_its_aspect(page):
    shown = pieces(page)
    assert [p["format"] for p in shown] == list(POSTER_FORMATS)
    for piece in shown:
        width, height = POSTER_FORMATS[piece["format"]]
        assert piece["loaded"], piece
        assert f"{width} × {height} mm" in piece["caption"] and "Áp phích" in piece["caption"], piece["caption"]
        assert f"Poster {piece['format'][-2:].upper()}" in piece["caption"]
        aspect = (width + 2 * BLEED_MM) / (height + 2 * BLEED_MM)
        assert piece["width"] / piece["height"] == pytest.approx(aspect, rel=0.01)
        assert piece["natural"][0] / piece["natural"][1] == pytest.approx(aspect, rel=0.01)
    heights = [p["height"] for p in shown]
    assert max(heights) - min(heights) < 2, "side by side at one height, so that the sizes compare"
    assert page.errors == []


def test_a_click_opens_the_piece_with_its_trim_safe_area_and_bleed(page, studio):
    _, url, _ = studio
    wait_state(url, lambda s: all(p["detail"] for slot in s["slots"] for p in slot["pictures"]))
    page.click("figure.piece[data-format=poster-a0] img")
    page.wait_for_selector("#detail[open] .zoom img")
    page.wait_for_function("document.querySelector('#detail .zoom img').src.includes('-detail.png') "
                           "&& document.querySelector('#detail .zoom img').complete")
    marks = page.evaluate("""Object.fromEntries(['bleed', 'trim', 'safe'].map(k => {
        const r = document.querySelector('#detail svg rect.' + k);
        return [k, ['x', 'y', 'width', 'height'].map(a => Number(r.getAttribute(a)))];
    }))""")
    width, height = POSTER_FORMATS["poster-a0"]
    outer = (width + 2 * BLEED_MM, height + 2 * BLEED_MM)
    assert marks["bleed"] == [0, 0, 1, 1]
    assert marks["trim"] == pytest.approx([BLEED_MM / outer[0], BLEED_MM / outer[1], width / outer[0],
                                           height / outer[1]], abs=1e-4)
    safe_mm = 25  # formats.yaml: poster-a0 safe_mm
    assert marks["safe"][0] == pytest.approx((BLEED_MM + safe_mm) / outer[0], abs=1e-4)
    assert "Kiểm tra: không có lỗi hay cảnh báo." in page.inner_text("#detail")
    detail = page.evaluate("[document.querySelector('#detail .zoom img').naturalWidth, "
                           "document.querySelector('#detail .zoom img').naturalHeight]")
    assert max(detail) > 1200, "the full-size picture, drawn after the proof"
    page.keyboard.press("Escape")
    page.wait_for_selector("#detail:not([open])", state="attached")


def test_a_save_is_shown_without_a_reload_and_timed(page, studio):
    root, url, _ = studio
    page.evaluate("window.notReloaded = true")
    # the pieces as the page shows them the moment it says the save is shown (its timing set, its version
    # passed): the sharper pictures drawn next may replace them a moment later
    page.evaluate(f"""new MutationObserver(() => {{
        if (!window.saved && document.querySelector('#timing').dataset.seconds)
            window.saved = {{version: Number(document.body.dataset.version), pieces: {PIECES}}};
    }}).observe(document.body, {{attributes: true, attributeFilter: ['data-version']}})""")
    before, sources = version(page), [p["src"] for p in pieces(page)]
    with edited(root, POSTER, TITLE_BOX, "box: [0.05, 0.15, 0.8, 0.07]"):
        page.wait_for_function("window.saved", polling=50, timeout=30_000)
        saved = page.evaluate("window.saved")
        assert saved["version"] > before
        assert all(p["loaded"] for p in saved["pieces"]), saved["pieces"]
        after = [p["src"] for p in saved["pieces"]]
        assert all(new != old for new, old in zip(after, sources)), "every format drawn again"
        seconds = float(page.evaluate("document.querySelector('#timing').dataset.seconds"))
        assert 0 < seconds < 30
        assert "lưu → trang" in page.inner_text("#timing")
        assert page.evaluate("window.notReloaded") is True
        edited_version = version(page)
    wait_version(page, edited_version)  # the file put back: the first pictures again, found already drawn
    wait_state(url, lambda s: s["timing"].get("reused") == 4 and s["timing"].get("drawn") == 0)
    assert page.errors == []


CLI_ERRORS = {
    # what is broken: (file, text, replacement)
    "wrong type": (POSTER, "max_lines: 6", "max_lines: six"),
    "malformed yaml": (POSTER, TITLE_BOX, "box: [0.05, 0.15, 0.9, 0.07"),
    "damaged font": ("fonts/BeVietnamPro-Black.ttf", None, None),
}


@pytest.mark.parametrize("case", list(CLI_ERRORS))
def test_a_spec_error_shows_as_the_command_line_says_it_over_the_last_pictures(page, studio, case):
    root, url, process = studio
    name, old, new = CLI_ERRORS[case]
    before, sources = version(page), [p["src"] for p in pieces(page)]
    path = root / name
    kept = path.read_bytes()
    if old is None:
        path.write_bytes(b"\x00\x01\x00\x00" + bytes(range(256)) * 8)  # a font file cut and overwritten
    else:
        path.write_text(kept.decode("utf-8").replace(old, new, 1), encoding="utf-8")
    try:
        expected = run_assets("check", "--design", "poster", cwd=root).stderr.strip()
        assert expected, "the command line says nothing"
        page.wait_for_function("!document.querySelector('#error').hidden", polling=50, timeout=30_000)
        shown = page.inner_text("#error pre").strip()
        assert shown == expected
        assert re.match(r"(specs|fonts)/[\w./-]+(:\d+)?: ", shown), shown
        assert [p["src"] for p in pieces(page)] == sources and all(p["loaded"] for p in pieces(page)), \
            "the last good pictures stay"
    finally:
        path.write_bytes(kept)
    page.wait_for_function("document.querySelector('#error').hidden", polling=50, timeout=30_000)
    wait_version(page, before)
    assert process.poll() is None


def test_a_preflight_finding_is_marked_where_it_is(page, studio):
    root, url, _ = studio
    before = version(page)
    with edited(root, POSTER, *MESSAGE_COLOR):
        page.wait_for_selector("figure.piece[data-format=poster-a2] .badge.error", timeout=30_000)
        wait_version(page, before)  # the badge shows before the new pictures are decoded and the version set
        page.click("figure.piece[data-format=poster-a2] img")
        page.wait_for_selector("#detail[open] ol.findings li.error")
        item = page.inner_text("#detail ol.findings li.error")
        assert "contrast" in item and "specs/designs/poster.yaml:" in item, item
        box = page.evaluate("""['x', 'y', 'width', 'height'].map(a =>
            Number(document.querySelector('#detail svg rect.finding.error').getAttribute(a)))""")
        # the message block: box [0.02, 0.60, 0.64, 0.27] of the safe area, its ink inside it
        assert 0.02 < box[0] < 0.2 and 0.55 < box[1] < 0.9 and 0 < box[2] < 0.7 and 0 < box[3] < 0.3, box
        assert page.is_visible("#detail .number")
        page.uncheck("#detail input[data-layer=finding]")
        assert not page.is_visible("#detail svg rect.finding")
        page.keyboard.press("Escape")
    page.wait_for_selector("figure.piece[data-format=poster-a2] .badge.error", state="detached", timeout=30_000)


def test_unit_variant_and_campaign_are_chosen_from_the_page(page, studio):
    _, url, _ = studio
    options = page.evaluate("Array.from(document.querySelectorAll('#unit optgroup')).map(g => g.label)")
    assert options == ["huyện Đồi Núi"], "a commune under its district"
    before = version(page)
    page.select_option("#unit", COMMUNE)
    wait_version(page, before)
    page.wait_for_function("document.querySelectorAll('figure.piece').length === 1")
    assert [p["format"] for p in pieces(page)] == ["poster-a3"], "a commune prints A3"
    assert state(url)["choice"]["unit"] == COMMUNE

    before = version(page)
    page.select_option("#variant", "dai")  # the second slogan's
    page.wait_for_function("document.querySelector('section[data-design=poster] h2 small').textContent"
                           ".includes('dai')", timeout=30_000)
    wait_version(page, before)  # and the page drawn again: a busy machine may show the title first

    page.select_option("#campaign", "specs/campaigns/2023.yaml")
    page.wait_for_function("Array.from(document.querySelectorAll('#unit option')).some(o => o.value === "
                           "'phuong-doi-cao')", timeout=30_000)
    now = state(url)
    assert now["choice"]["campaign"] == "specs/campaigns/2023.yaml" and now["choice"]["unit"] == PROVINCE
    assert now["choice"]["variant"] is None and now["error"] is None
    assert page.errors == []


def test_the_unit_search_matches_as_the_download_page_and_enter_chooses(page, studio):
    _, url, _ = studio
    shown = "Array.from(document.querySelectorAll('#unit option')).filter(o => !o.hidden).map(o => o.value)"
    page.fill("#unit-search", "quynhlam")
    assert page.evaluate(shown) == [COMMUNE]
    page.fill("#unit-search", "99999")  # its GSO code
    assert page.evaluate(shown) == [COMMUNE]
    page.fill("#unit-search", "yen doi")  # huyện Yên Đồi, never huyện Đồi Núi ("huyen doi…")
    assert page.evaluate(shown) == ["yen-doi"]
    page.fill("#unit-search", "quynh lam")
    before = version(page)
    page.press("#unit-search", "Enter")
    wait_version(page, before)
    assert state(url)["choice"]["unit"] == COMMUNE
    page.fill("#unit-search", "")
    assert len(page.evaluate(shown)) > 2
    assert page.errors == []


def test_the_grid_shows_each_piece_at_its_proof_size_once_drawn(page, studio):
    _, url, _ = studio
    wait_state(url, lambda s: all(p.get("detail") for slot in s["slots"] for p in slot["pictures"]))
    # without a reload: the page takes each sharper picture as it is drawn
    page.wait_for_function("Array.from(document.querySelectorAll('figure.piece img'))"
                           ".every(img => img.src.endsWith('-detail.png') && img.complete && img.naturalWidth > 0)",
                           timeout=60_000)
    for piece in pieces(page):
        assert piece["src"].endswith("-detail.png"), piece
        assert max(piece["natural"]) > 640, "sharper than the 640 px first proof"


def test_a_video_shows_its_slides_and_a_playable_loop(page, studio):
    _, url, _ = studio
    page.select_option("#design", "loop")  # the tiny project's: a slide per slogan and a marquee
    now = wait_state(url, lambda s: s["slots"] and all(slot["design"] == "loop" and (slot["loop"] or {}).get("url")
                                                       for slot in s["slots"]), timeout=180)
    slot = next(s for s in now["slots"] if s["format"] == "led-320x160")
    assert [p["slide"] for p in slot["pictures"]] == ["01-ngan", "02-dai"]
    card = "figure.piece[data-format=led-320x160]"
    page.wait_for_selector(f"{card} video", timeout=30_000)
    assert page.evaluate(f"document.querySelectorAll('{card} .stills img').length") == 2
    played = page.evaluate(f"""(async () => {{
        const video = document.querySelector('{card} video');
        if (video.readyState < 1) await new Promise(r => video.addEventListener('loadedmetadata', r, {{once: true}}));
        await video.play();
        await new Promise(r => setTimeout(r, 600));
        return {{duration: video.duration, time: video.currentTime, width: video.videoWidth}};
    }})()""")
    assert played["duration"] == pytest.approx(slot["loop"]["seconds"], abs=0.1)
    assert played["time"] > 0 and played["width"] == 640  # the 320 px panel's proof loop, 640 px on its long side


@pytest.mark.parametrize("path", ["/files/../specs/campaign.yaml", "/files/%2e%2e/%2e%2e/specs/campaign.yaml",
                                  "/../../specs/campaign.yaml", "/files/..%2f..%2fspecs%2fcampaign.yaml",
                                  "/files/%2E%2E%5Cspecs%5Ccampaign.yaml", "/specs/campaign.yaml",
                                  "/files/index.html", "/files/", "//etc/passwd"])
def test_nothing_outside_the_studio_is_served(studio, path):
    _, url, _ = studio
    host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_host=True)  # the path as written, never normalised
    connection.putheader("Host", f"{host}:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    assert response.status in (403, 404), (path, response.status)
    assert b"slogans" not in body and b"root:" not in body


def test_only_the_loopback_host_is_answered(studio):
    _, url, _ = studio
    host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
    assert host == "127.0.0.1"
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/state.json", headers={"Host": "studio.example.com"})
    assert connection.getresponse().status == 403


@pytest.mark.parametrize("headers, body, status", [
    ({"Content-Type": "text/plain"}, b'{"design": ""}', 415),  # a form or text POST from any web page
    ({"Content-Type": "application/json", "Origin": "https://example.com"}, b'{"design": ""}', 403),
    ({"Content-Type": "application/json", "Content-Length": "-1"}, b'{"design": ""}', 400),
    ({"Content-Type": "application/json", "Content-Length": "20000"}, b"x" * 20_000, 400),
    ({"Content-Type": "application/json"}, b'{"design": ', 400),  # malformed JSON
    ({"Content-Type": "application/json"}, b'["design"]', 400),
], ids=["text-plain", "other-origin", "negative-length", "too-long", "malformed", "not-an-object"])
def test_a_choice_comes_only_from_the_studios_own_page(studio, headers, body, status):
    _, url, process = studio
    host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
    before = state(url)["choice"]
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("POST", "/choose")
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        connection.putheader(name, value)
    connection.endheaders(body)
    answer = connection.getresponse()
    assert answer.status == status and "Traceback" not in answer.read().decode("utf-8", "replace")
    assert state(url)["choice"] == before and process.poll() is None


REQUEST_FUZZ = settings(max_examples=int(os.environ.get("INPUT_FUZZ_EXAMPLES", "25")), deadline=None, derandomize=True,
                        database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HEADER_VALUES = st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-8", "", "-1", "0",
                                 "99999999999999999999", "http://127.0.0.1", "null", "\u00e9"]) | st.text(
    st.characters(min_codepoint=32, max_codepoint=126), max_size=30)


@REQUEST_FUZZ
@given(method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "OPTIONS"]),
       path=st.sampled_from(["/choose", "/state.json", "/", "/%2e%2e/specs", "/choose?x=1"]) | st.text(max_size=20),
       headers=st.dictionaries(st.sampled_from(["Content-Type", "Content-Length", "Origin", "Transfer-Encoding",
                                                "X-Other"]), HEADER_VALUES, max_size=4),
       body=st.binary(max_size=300) | st.sampled_from([b'{"design": "poster"}', b'{"unit": "../../etc"}',
                                                       b'{"design": null, "x": [1]}', b'{"__class__": ""}']))
def test_no_request_breaks_the_studio(studio, method: str, path: str, headers: dict, body: bytes):
    """Whatever a page or a program sends: an answer of the studio's own (never a dropped connection or a
    traceback), and the studio goes on."""
    _, url, process = studio
    host, port = re.match(r"http://([\d.]+):(\d+)/", url).groups()
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.putrequest(method, "/" + path.lstrip("/").replace(" ", "%20").replace("\n", "").replace("\r", ""))
    except (http.client.InvalidURL, ValueError, UnicodeEncodeError):
        return  # not a request http.client will send
    connection.putheader("Host", f"{host}:{port}")
    for name, value in {"Content-Length": str(len(body)), **headers}.items():
        connection.putheader(name, value)
    connection.endheaders(body)
    answer = connection.getresponse()
    assert answer.status in (200, 204, 400, 403, 404, 405, 411, 415, 501), answer.status
    assert b"Traceback" not in answer.read()
    assert process.poll() is None
    assert "choice" in state(url)


def running(pids: list[str]) -> list[str]:
    """The processes still running: a zombie has exited, and waits only for init to collect it."""
    alive = []
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if status != "Z":
            alive.append(pid)
    return alive


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_ctrl_c_stops_the_studio_and_its_workers(tmp_path, how):
    root = tiny_project(tmp_path / "project")
    process, url = start_studio(root, "--design", "banner")
    wait_state(url, lambda s: s["slots"] and s["busy"] == 0)
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert workers, "the studio draws in worker processes"
    code, errors = stop(process, how)
    assert code == 0 and "Traceback" not in errors and "Warning" not in errors, errors
    assert "studio stopped" in errors
    deadline = time.monotonic() + 10
    while running(workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not running(workers), "a worker outlived the studio"


def test_a_port_in_use_is_one_line(studio, tmp_path):
    _, url, _ = studio
    port = re.search(r":(\d+)/", url)[1]
    result = run_assets("studio", "--port", port, cwd=studio[0])
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"cannot listen on 127.0.0.1:{port}: Address already in use "
                                                  f"(another port: --port N, or 0 for any)"]

