"""The studio: from saving a design to the page showing every print format of it again, in Chromium.

A copy of the project; `assets studio` on it, as a designer starts it; the page open in Debian's
Chromium. Each round saves a design with its first text box a little narrower than before (so every
format's text is fitted and drawn again, nothing found already drawn), and reads on the page the time
from the file's save to the last picture shown (the page measures it: #timing[data-seconds]).
Target: at most 1 s for a design's print formats at proof size on 2 cores. The server's own share
(planning and drawing) is printed beside it. Tiny mode (bench/measure.py): the poster, one save after
the warming one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import REPO, TINY, verdict  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGET_S = 1.0
ROUNDS = 2 if TINY else 6
DESIGNS = ("poster",) if TINY else ("poster", "pano")  # A0–A3; the five billboard sizes


def start(root: Path, design: str) -> tuple[subprocess.Popen, str]:
    # SIGINT as a terminal's foreground process has it, even when the benchmark runs in the background
    # (where the shell set it to be ignored, and children inherit that)
    process = subprocess.Popen([str(REPO / ".venv" / "bin" / "assets"), "studio", "--design", design, "--port", "0"],
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    line = process.stdout.readline()
    url = re.search(r"http://\S+", line)
    if not url:
        raise SystemExit(f"studio did not start: {line!r}")
    return process, url[0]


def first_text_box(path: Path) -> tuple[str, float, str]:
    """A design's first text block's box line, its width, and the line with the width left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() == "- type: text":
            for following in lines[number + 1:number + 8]:
                found = re.match(r"\s*box: \[([\d.]+), ([\d.]+), ([\d.]+), ([\d.]+)\]", following)
                if found:
                    x, y, w, h = found.groups()
                    return following.strip(), float(w), f"box: [{x}, {y}, {{}}, {h}]"
    raise SystemExit(f"{path}: no text box to edit")


def idle(url: str) -> dict:
    """The studio's state once nothing is being drawn: the previous save's full-size pictures are done."""
    while True:
        with urllib.request.urlopen(url + "state.json") as response:
            state = json.load(response)
        if state["busy"] == 0:
            return state
        time.sleep(0.1)


def measure(page, url: str, root: Path, design: str) -> tuple[list[float], list[float]]:
    path = root / "specs" / "designs" / f"{design}.yaml"
    line, width, form = first_text_box(path)
    shown, drawn = [], []
    for round_ in range(ROUNDS):
        idle(url)
        time.sleep(1)  # a designer's saves are seconds apart
        before = page.evaluate("document.body.dataset.version")
        text = path.read_text(encoding="utf-8")
        # a width not seen before, so that nothing is found already drawn
        new = form.format(f"{width - 0.005 * (round_ + 1):.3f}")
        path.write_text(text.replace(line, new, 1), encoding="utf-8")
        line = new
        page.wait_for_function(f"document.body.dataset.version > {before} && "
                               f"document.querySelector('#timing').dataset.seconds", polling=50, timeout=60_000)
        seconds = float(page.evaluate("document.querySelector('#timing').dataset.seconds"))
        server = idle(url)["timing"]["drawn_s"]
        page.evaluate("delete document.querySelector('#timing').dataset.seconds")
        if round_:  # the first round warms the workers' caches of this design's texts
            shown.append(seconds)
            drawn.append(server)
    return shown, drawn


def main() -> int:
    if not Path(CHROMIUM).exists():
        print("bench_studio: Debian's chromium is not installed (apt-get install chromium); skipped")
        return 0
    from playwright.sync_api import sync_playwright

    print(f"studio on {os.cpu_count()} cores: save → every print format of the design shown again at proof size")
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        root = Path(folder)
        for part in ("specs", "fonts"):
            shutil.copytree(REPO / part, root / part)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for design in DESIGNS:
            process, url = start(root, design)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url)
                page.wait_for_function("document.body.dataset.version >= 0 && document.querySelector('figure.piece')",
                                       timeout=120_000)
                formats = page.evaluate("document.querySelectorAll('figure.piece').length")
                shown, drawn = measure(page, url, root, design)
                median = statistics.median(shown)
                print(f"  {design}: {formats} formats, save → page median {median:.2f} s (min {min(shown):.2f}, "
                      f"max {max(shown):.2f}, {len(shown)} saves; server {statistics.median(drawn):.2f} s); "
                      f"target {TARGET_S:g} s: ratio {median / TARGET_S:.2f} {verdict(median, TARGET_S)}")
                page.close()
            finally:
                process.send_signal(signal.SIGINT)  # Ctrl-C, as a designer stops it
                process.wait(10)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
