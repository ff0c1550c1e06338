"""The download page in a real browser: Debian's Chromium, driven by Playwright, over `assets serve`.

Every card, every link (it must be a file of the size the page states), every thumbnail, the filters,
the keyboard, the console; from http:// and from file://. Screenshots go to the test's tmp folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
UNITS = 8


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, dict]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        for key in ("href", "src"):
            if attributes.get(key):
                self.urls.append((tag, attributes[key], attributes))


def test_page_links_are_relative_files_of_the_stated_size(bundled_build):
    _, output, manifest = bundled_build
    html = (output / "index.html").read_text(encoding="utf-8")
    parser = Links()
    parser.feed(html)
    assert '<html lang="vi">' in html
    for tag, url, attributes in parser.urls:
        if url.startswith(("data:", "#")):
            continue
        assert "://" not in url and not url.startswith(("/", "//")), url  # nothing from outside
        target = output / unquote(url)
        assert target.is_file(), url
        if "data-bytes" in attributes:
            assert int(attributes["data-bytes"]) == target.stat().st_size, url
        if tag == "img":
            assert attributes.get("alt"), url
            assert url.startswith("thumbnails/")
    linked = {unquote(url) for tag, url, _ in parser.urls if tag == "a"}
    assert {a["path"] for a in manifest["assets"]} <= linked
    assert html.count('class="card"') == UNITS


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def served(bundled_build):
    """`assets serve` on a free loopback port, as a user starts it; stopped at the end."""
    root, output, _ = bundled_build
    server = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "serve", "--port", "0",
                               "--output", str(output)], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert " at http://127.0.0.1:" in line, line
        yield line.split(" at ")[1].split()[0]
    finally:
        server.terminate()
        server.wait(timeout=10)


def open_page(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.goto(url, wait_until="load")
    return page, problems


def load_every_thumbnail(page) -> list[dict]:
    """Scroll each (lazy) thumbnail into view, wait for it, and report what the browser decoded."""
    images = page.locator("img")
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=20_000)
    return page.evaluate("Array.from(document.images).map(i => ({src: i.getAttribute('src'), alt: i.alt, "
                         "width: i.naturalWidth, height: i.naturalHeight}))")


def test_every_card_link_and_thumbnail_over_http(browser, served, bundled_build, tmp_path):
    _, output, manifest = bundled_build
    page, problems = open_page(browser, served, 1366, 900)
    assert page.title().startswith("Tải tệp truyền thông")
    cards = page.locator("article.card")
    assert cards.count() == UNITS
    for index in range(UNITS):
        card = cards.nth(index)
        slug = card.get_attribute("data-unit")
        zip_link = card.locator("a[data-kind=zip]")
        assert zip_link.get_attribute("href") == f"bundles/{slug}.zip"
        assert int(zip_link.get_attribute("data-bytes")) == (output / "bundles" / f"{slug}.zip").stat().st_size
        assert card.locator("h2").inner_text().strip()
        stated_count = int(zip_link.get_attribute("data-count"))
        assert card.locator(".files a").count() == stated_count

    links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => "
                          "({href: a.getAttribute('href'), bytes: a.getAttribute('data-bytes')}))")
    targets = {link["href"]: link["bytes"] for link in links if not link["href"].startswith("#")}
    assert {a["path"] for a in manifest["assets"]} <= set(targets)
    for href, stated in targets.items():
        response = page.request.get(urljoin(served, href))
        assert response.status == 200, href
        body = response.body()
        assert stated is not None and len(body) == int(stated) == (output / unquote(href)).stat().st_size, href
        assert int(response.headers["content-length"]) == len(body)

    images = load_every_thumbnail(page)
    assert len(images) == page.locator(".piece").count() > UNITS
    assert all(image["width"] > 0 and image["height"] > 0 and image["alt"] for image in images), images
    page.screenshot(path=str(tmp_path / "desktop.png"), full_page=False)
    assert problems == []


def test_filters_by_unit_and_channel(browser, served):
    page, problems = open_page(browser, served, 1366, 900)
    visible_cards = "Array.from(document.querySelectorAll('article.card')).filter(c => !c.hidden).map(c => c.dataset.unit)"
    visible_channels = ("Array.from(document.querySelectorAll('article.card:not([hidden]) section.channel'))"
                        ".filter(s => !s.hidden).map(s => s.dataset.channel)")
    page.select_option("#loc-don-vi", "ham-yen")
    assert page.evaluate(visible_cards) == ["ham-yen"]
    assert "1 / 8" in page.inner_text("#dem")
    page.select_option("#loc-kenh", "ar")  # a channel only Hàm Yên has
    assert page.evaluate(visible_channels) == ["ar"]
    page.select_option("#loc-don-vi", "")
    assert page.evaluate(visible_cards) == ["ham-yen"]
    page.select_option("#loc-kenh", "led")  # province-wide: every unit shows it
    assert len(page.evaluate(visible_cards)) == UNITS
    assert set(page.evaluate(visible_channels)) == {"led"}
    page.select_option("#loc-don-vi", "tuyen-quang")
    page.select_option("#loc-kenh", "notices")  # the province has no QR notice of its own
    assert page.evaluate(visible_cards) == []
    assert page.is_visible("#trong")
    page.select_option("#loc-kenh", "")
    page.select_option("#loc-don-vi", "")
    assert len(page.evaluate(visible_cards)) == UNITS
    assert problems == []


def test_keyboard_reaches_the_filters_and_the_downloads(browser, served):
    page, problems = open_page(browser, served, 1366, 900)
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
    assert reached[0] == "skip"
    assert "loc-don-vi" in reached and "loc-kenh" in reached and "button" in reached
    page.focus("#loc-don-vi")
    page.keyboard.press("ArrowDown")  # choose the first unit without a mouse
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelectorAll('article.card:not([hidden])').length") == 1
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    assert problems == []


def test_phone_width_has_no_sideways_scrolling(browser, served, tmp_path):
    page, problems = open_page(browser, served, 360, 740)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("article.card").first.bounding_box()
    assert box["width"] <= 360
    font_px = float(page.evaluate("getComputedStyle(document.querySelector('.files a')).fontSize").rstrip("px"))
    assert font_px >= 13
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=False)
    assert problems == []


def test_page_works_opened_from_disk(browser, bundled_build, tmp_path):
    _, output, _ = bundled_build
    copy = tmp_path / "copied"
    shutil.copytree(output, copy)  # a copy: nothing may point back at the folder it was built in
    page, problems = open_page(browser, (copy / "index.html").as_uri(), 1366, 900)
    images = load_every_thumbnail(page)
    assert images and all(image["width"] > 0 for image in images)
    page.select_option("#loc-don-vi", "na-hang")
    assert page.evaluate("document.querySelectorAll('article.card:not([hidden])').length") == 1
    assert problems == []
