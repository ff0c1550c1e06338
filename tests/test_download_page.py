"""The download page in a real browser: Debian's Chromium, driven by Playwright, over `assets serve`.

On the delivery test project (tests/data/delivery, built by `bundled_build`: a province, four
districts in closed groups, their communes and townships, the files of tests/other_channels.py, and a
2025 campaign beside it): every card, every link (it must be a file of the size the page states), every
thumbnail and that they load only when scrolled to, the search, the filters, the keyboard, the
console, the page's own weight, what axe-core finds (nothing, whichever groups are open); from http://
and from file://. On that project with both campaigns built, a commune each: the pages link to each
other, and a unit searched for on the wrong one is shown where it is.
Screenshots go to the test's tmp folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from assets_pipeline.core.vietnamese import ascii_fold
from assets_pipeline.delivery.bundles import bundle_all
from assets_pipeline.delivery.catalog import Catalog, UnitInfo
from assets_pipeline.delivery.download_page import other_campaigns, unit_groups
from assets_pipeline.engine.build import build
from assets_pipeline.plan.expand import Selection
from assets_pipeline.specs.load import load_specs
from tests.conftest import tiny_project

CAMPAIGN_2025 = "specs/campaigns/2025.yaml"
ID_2022, ID_2025 = "thu-nghiem", "thu-nghiem-2025"  # tests/data/delivery/specs: campaign.yaml, campaigns/2025.yaml
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# what the page weighs, as HTML, per unit, when every file is described once: 0.94 MB for the 146 units
# of the default campaign (1.65 MB before shared files became one line per channel and indentation
# went), 106 kB for the 17 of bundled_build; the bound (1.5 MB for 146) leaves room for a few more
# pieces per commune, not for describing shared files again (each file is described once:
# test_page_links_are_relative_files_of_the_stated_size) nor for indenting lines (asserted beside it)
PAGE_BYTES_PER_UNIT_MAX = 10_000
# Chromium fetches a lazy image once it is this close to the viewport (1250–2500 px by connection)
LAZY_DISTANCE_PX = 3000
# the cards a person sees: not hidden by a filter, nor inside a closed group
VISIBLE_CARDS = ("Array.from(document.querySelectorAll('article.card'))"
                 ".filter(c => c.checkVisibility()).map(c => c.dataset.unit)")


@pytest.fixture(scope="module")
def units(bundled_build):
    """The units of the campaign that was built, as its units file lists them."""
    root, _, _ = bundled_build
    return load_specs(root).units


@pytest.fixture(scope="module")
def bundle_channels(bundled_build) -> dict[str, tuple[set[str], set[str]]]:
    """Each unit's channels as the manifest.json in its zip lists them: all, and those shared from a parent."""
    _, output, _ = bundled_build
    found = {}
    for path in sorted((output / "bundles").glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        found[path.stem] = ({a["channel"] for a in manifest["assets"]},
                            {a["channel"] for a in manifest["assets"] if a["path"] in manifest["shared_from"]})
    return found


class Links(HTMLParser):
    """Every URL of the page, with the card it is on, and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, dict]] = []
        self.ids: set[str] = set()
        self.card: str | None = None

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = dict(attrs)
        if tag == "article":
            self.card = attributes["data-unit"]
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for key in ("href", "src"):
            if attributes.get(key):
                self.urls.append((tag, attributes[key], {**attributes, "card": self.card}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.card = None


def test_page_links_are_relative_files_of_the_stated_size(bundled_build, units):
    _, output, manifest = bundled_build
    html = (output / "index.html").read_text(encoding="utf-8")
    parser = Links()
    parser.feed(html)
    assert '<html lang="vi">' in html
    for tag, url, attributes in parser.urls:
        if url.startswith("#"):
            assert url[1:] in parser.ids, url  # a link within the page leads somewhere
            continue
        if url.startswith("data:"):
            continue
        if "data-campaign" in attributes:  # the other campaign's page, beside this one (built in campaign_pair)
            assert (tag, url, attributes["data-campaign"]) == ("a", "../output-2025/index.html", ID_2025)
            continue
        assert "://" not in url and not url.startswith(("/", "//")), url  # nothing from outside
        target = output / unquote(url)
        assert target.is_file(), url
        if "data-bytes" in attributes:
            assert int(attributes["data-bytes"]) == target.stat().st_size, url
        if tag == "img":
            assert attributes.get("alt"), url
            assert url.startswith("thumbnails/")
            assert attributes.get("loading") == "lazy"  # fetched when scrolled to
            assert int(attributes["width"]) > 0 and int(attributes["height"]) > 0  # its place kept meanwhile
    # every file is described once, on the card of the unit it was made for; cards that share it link there
    described = [(unquote(url), attributes["card"]) for tag, url, attributes in parser.urls
                 if tag == "a" and attributes["card"] and not url.startswith(("#", "bundles/", "proofs/"))]
    assert sorted(path for path, _ in described) == sorted(a["path"] for a in manifest["assets"])
    unit_of = {a["path"]: a["unit"] for a in manifest["assets"]}
    assert all(unit_of[path] == card for path, card in described)
    assert html.count('class="card"') == len(units) == 17


def test_the_page_states_its_own_weight_and_it_stays_small(bundled_build, units):
    _, output, _ = bundled_build
    page = output / "index.html"
    html = page.read_text(encoding="utf-8")
    stated = re.search(r'<p id="trang-nang" data-bytes="(\d+)">Trang này nặng ([\d.]+) kB', html)
    assert stated, "the footer states the page's weight"
    assert int(stated[1]) == page.stat().st_size == len(html.encode("utf-8"))
    assert int(stated[2].replace(".", "")) == round(page.stat().st_size / 1000)
    assert page.stat().st_size < PAGE_BYTES_PER_UNIT_MAX * len(units)
    assert not any(line[:1].isspace() for line in html.splitlines())  # indentation is a sixth of a long page


@pytest.mark.parametrize("campaign", [None, "specs/campaigns/2025.yaml"])
def test_cards_are_grouped_by_district_in_the_order_of_the_units_file(campaign, tmp_path):
    """The units files of tests/data/delivery (read, not built), whose order is not the alphabet's."""
    root = tiny_project(tmp_path / "project", "delivery")
    specs = load_specs(root, campaign)
    units = [UnitInfo(u.slug, u.shown, u.kind, u.parent, u.code) for u in specs.units]
    stray = UnitInfo("xa-moi", "xã Mới", "commune", "huyen-khong-co")  # its district is not in the file
    province = next(u for u in units if u.kind == "province")
    listed = [stray, *(u for u in units if u is not province), province]  # the province first all the same
    catalog = Catalog(root / "output", {}, specs, [], listed)
    groups = unit_groups([{"slug": u.slug} for u in catalog.units], catalog)

    districts = [u for u in units if u.kind == "district"]
    assert [g["name"] for g in groups] == [province.name] + [d.name for d in districts] + ["Đơn vị khác"]
    assert [g["open"] for g in groups] == [True] + [False] * (len(groups) - 1)
    for group, head in zip(groups, [province, *districts]):
        expected = [head.slug] + [u.slug for u in units if u.parent == head.slug and u.kind == "commune"]
        assert [card["slug"] for card in group["cards"]] == expected
    assert [card["slug"] for card in groups[-1]["cards"]] == ["xa-moi"]
    if not districts:  # 2025: the communes stand under the province
        assert [card["slug"] for card in groups[0]["cards"]] == [u.slug for u in units]  # and 8 communes


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
    """Open every group, have every (lazy) thumbnail fetched, and report what the browser decoded.

    Scrolling 600 thumbnails into view one by one takes minutes; their lazy loading has its own test.
    """
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; }); "
                  "document.querySelectorAll('img').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=60_000)
    return page.evaluate("Array.from(document.images).map(i => ({src: i.getAttribute('src'), alt: i.alt, "
                         "width: i.naturalWidth, height: i.naturalHeight}))")


def test_every_card_link_and_thumbnail_over_http(browser, served, bundled_build, units, tmp_path):
    _, output, manifest = bundled_build
    page, problems = open_page(browser, served, 1366, 900)
    assert page.title().startswith("Tải tệp truyền thông")
    cards = page.evaluate("""Array.from(document.querySelectorAll('article.card')).map(card => {
        const zip = card.querySelector('a[data-kind=zip]');
        return {slug: card.dataset.unit, name: card.querySelector('h3').textContent.trim(),
                zip: zip.getAttribute('href'), bytes: +zip.dataset.bytes, count: +zip.dataset.count,
                own: card.querySelectorAll('.files a').length,
                shared: Array.from(card.querySelectorAll('.shared li')).reduce((n, l) => n + +l.dataset.count, 0)};
    })""")
    assert len(cards) == len(units)
    for card in cards:
        assert card["zip"] == f"bundles/{card['slug']}.zip" and card["name"]
        assert card["bytes"] == (output / card["zip"]).stat().st_size
        # its own files in full, the shared ones counted on their line: together, what the zip holds
        assert card["own"] + card["shared"] == card["count"], card

    # every link fetched as the browser fetches it, a few at a time (`assets serve` answers in threads);
    # but the other campaign's page: `assets serve` serves one output folder (see campaign_pair)
    fetched = page.evaluate("""async () => {
        const links = Array.from(document.querySelectorAll('a[href]:not([href^="#"]):not([data-campaign])'));
        const targets = [...new Map(links.map(a => [a.getAttribute('href'), a.dataset.bytes])).entries()];
        const results = [];
        for (let start = 0; start < targets.length; start += 16) {
            results.push(...await Promise.all(targets.slice(start, start + 16).map(async ([href, stated]) => {
                const response = await fetch(href);
                const body = await response.arrayBuffer();
                return {href, stated, status: response.status, length: body.byteLength,
                        header: response.headers.get('content-length')};
            })));
        }
        return results;
    }""")
    assert {a["path"] for a in manifest["assets"]} <= {link["href"] for link in fetched}
    for link in fetched:
        size = (output / unquote(link["href"])).stat().st_size
        assert link["status"] == 200 and link["stated"] is not None, link
        assert link["length"] == int(link["stated"]) == int(link["header"]) == size, link

    images = load_every_thumbnail(page)
    assert len(images) == page.locator(".piece").count() > len(units)
    assert all(image["width"] > 0 and image["height"] > 0 and image["alt"] for image in images), images
    page.screenshot(path=str(tmp_path / "desktop.png"), full_page=False)
    assert problems == []


def test_thumbnails_are_fetched_only_when_scrolled_to(browser, served):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url.split("/thumbnails/", 1)[1])
            if "/thumbnails/" in request.url else None)
    page.goto(served, wait_until="networkidle")
    where = ("Array.from(document.images).map(i => ({src: i.getAttribute('src').slice('thumbnails/'.length), "
             "top: i.getBoundingClientRect().top + scrollY, shown: i.checkVisibility()}))")
    images = page.evaluate(where)
    in_view = {i["src"] for i in images if i["shown"] and i["top"] < 900}
    assert in_view and in_view <= set(fetched) <= {i["src"] for i in images if i["shown"]}

    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # every card laid out
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    images = page.evaluate(where)
    top_of = {i["src"]: i["top"] for i in images}
    assert len(set(fetched)) < len(images) / 4, (len(set(fetched)), len(images))
    assert all(top_of[src] < 900 + LAZY_DISTANCE_PX for src in fetched)

    last = page.locator("img").last
    with page.expect_request(lambda request: request.url.endswith(last.get_attribute("src"))):
        last.scroll_into_view_if_needed()
    page.close()


def shown_cards(page) -> list[str]:
    return page.evaluate(VISIBLE_CARDS)


def test_search_finds_a_unit_typed_without_marks(browser, served, units):
    page, problems = open_page(browser, served, 1366, 900)
    search = page.locator("#tim")
    assert page.locator("label[for=tim]").inner_text() == "Tìm đơn vị"
    quynh_lam = next(u for u in units if u.name == "xã Quỳnh Lâm")
    for typed in ("quynh lam", "Quỳnh Lâm", "  QUỲNH  LAM ", "quynhlam", "QuỳnhLâm", "xã quynhl", quynh_lam.code):
        search.fill("")
        search.press_sequentially(typed)  # typed key by key, as a person does
        assert shown_cards(page) == [quynh_lam.slug], typed
        assert page.locator(f"#don-vi-{quynh_lam.slug} h3").is_visible()
        assert f"1 / {len(units)} đơn vị" in page.inner_text("#dem")
        assert page.is_hidden("#trong")

    # each typed word begins a word of a name: "yen hoa" is huyện Yên Hòa and thị trấn Yên Hòa, never
    # huyện Hòa Phong, whose "huyện" holds "yen"; the middle of a word finds nothing
    named = [u.slug for u in units if re.search(r"\byen hoa\b", ascii_fold(u.name))]
    assert sorted(named) == ["tt-yen-hoa", "yen-hoa"]
    assert "yen hoa" in ascii_fold(next(u.name for u in units if u.slug == "hoa-phong"))
    for typed in ("yen hoa", "Yên Hòa", "yenhoa"):
        search.fill(typed)
        assert sorted(shown_cards(page)) == sorted(named), typed
    for typed in ("uynh lam", "uynhlam", "hu nghiem", "quynh lam 5"):
        search.fill(typed)
        assert shown_cards(page) == [], typed

    # a district's name finds the units whose names hold it: the district and its township
    search.fill("hoa phong")
    expected = [u.slug for u in units if "hoa phong" in ascii_fold(u.name)]
    assert "hoa-phong" in expected and 1 < len(expected) < 5
    assert sorted(shown_cards(page)) == sorted(expected)
    group = page.locator("#nhom-hoa-phong")
    in_group = 1 + sum(u.parent == "hoa-phong" for u in units)
    assert group.locator("summary .count").inner_text() == f"{len(expected)} / {in_group} đơn vị"
    assert page.locator(".group").evaluate_all("gs => gs.filter(g => !g.hidden).map(g => g.id)") == ["nhom-hoa-phong"]

    # with the channel filter: only units that have the channel, and a message when none has
    search.fill("ho sen")
    page.select_option("#loc-kenh", "ar")  # a channel only huyện Hồ Sen and its communes have
    assert shown_cards(page) == ["ho-sen"]
    search.fill("hoa phong")
    assert shown_cards(page) == []
    assert page.is_visible("#trong") and f"0 / {len(units)}" in page.inner_text("#dem")
    page.select_option("#loc-kenh", "")
    search.fill("không có đơn vị này")
    assert shown_cards(page) == [] and page.is_visible("#trong")
    search.fill("")
    assert page.locator("article.card:not([hidden])").count() == len(units)
    assert problems == []


def test_a_link_to_a_card_opens_its_group(browser, served, units, bundle_channels):
    page, problems = open_page(browser, served + "#don-vi-xa", 1366, 900)
    card = page.locator("#don-vi-xa")
    assert card.is_visible() and card.evaluate("c => c.getBoundingClientRect().top") < 900
    # a "dùng chung" line leads to the card of the unit that made the files, which the search was hiding
    commune = next(u for u in units if u.kind == "commune" and bundle_channels[u.slug][1])
    page.fill("#tim", ascii_fold(commune.name))
    page.locator(f"#don-vi-{commune.slug} .shared a").first.click()
    target = page.evaluate("location.hash.slice(1)")
    assert page.locator(f"#{target}").is_visible() and page.input_value("#tim") == ""
    assert page.locator(f"#{target}").evaluate("t => t.getBoundingClientRect().top") < 900
    # and the table of contents opens the group it names
    page.click(".toc a[href='#nhom-yen-hoa']")
    assert page.locator("#nhom-yen-hoa details").evaluate("d => d.open")
    assert page.locator("#don-vi-yen-hoa").is_visible()
    assert problems == []


def test_filters_by_unit_and_channel(browser, served, units, bundle_channels):
    page, problems = open_page(browser, served, 1366, 900)
    visible_cards = "Array.from(document.querySelectorAll('article.card')).filter(c => !c.hidden).map(c => c.dataset.unit)"
    visible_channels = ("Array.from(document.querySelectorAll('article.card:not([hidden]) .channel'))"
                        ".filter(s => !s.hidden).map(s => s.dataset.channel)")
    visible_shared = ("Array.from(document.querySelectorAll('article.card:not([hidden]) .shared li'))"
                      ".filter(l => !l.hidden).map(l => l.dataset.channel)")

    def having(channel: str, shared: bool = False) -> set[str]:
        return {slug for slug, (every, from_parent) in bundle_channels.items()
                if channel in (from_parent if shared else every)}

    page.select_option("#loc-don-vi", "ho-sen")
    assert page.evaluate(visible_cards) == ["ho-sen"]
    assert shown_cards(page) == ["ho-sen"]  # its group opened
    assert f"1 / {len(units)}" in page.inner_text("#dem")
    page.select_option("#loc-kenh", "ar")  # a channel only Hồ Sen makes, and shares with its communes
    assert page.evaluate(visible_channels) == ["ar"]
    page.select_option("#loc-don-vi", "")
    assert set(page.evaluate(visible_cards)) == having("ar") and len(having("ar")) > 1
    assert page.evaluate(visible_channels) == ["ar"]  # described once, on Hồ Sen's card
    page.select_option("#loc-kenh", "led")  # the province's, shared with the units its design names
    assert set(page.evaluate(visible_cards)) == having("led")
    assert set(page.evaluate(visible_channels)) == {"led"}
    assert sorted(page.evaluate(visible_shared)) == ["led"] * len(having("led", shared=True))
    assert "notices" not in bundle_channels["tinh"][0]
    page.select_option("#loc-don-vi", "tinh")
    page.select_option("#loc-kenh", "notices")  # the province has no QR notice of its own
    assert page.evaluate(visible_cards) == []
    assert page.is_visible("#trong")
    page.select_option("#loc-kenh", "")
    page.select_option("#loc-don-vi", "")
    assert len(page.evaluate(visible_cards)) == len(units)
    assert problems == []


def test_keyboard_reaches_the_search_the_filters_and_the_downloads(browser, served):
    page, problems = open_page(browser, served, 1366, 900)
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id || document.activeElement.className || "
                                     "document.activeElement.dataset.campaign"))
    assert reached[:5] == ["skip", ID_2025, "tim", "loc-don-vi", "loc-kenh"]
    assert "button" in reached
    # search, then Tab straight on to the one card found
    page.focus("#tim")
    page.keyboard.type("quynh lam")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.kind") == "zip":
            break
    assert page.evaluate("document.activeElement.getAttribute('href')") == "bundles/xa.zip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    # clearing the search closes the groups it opened; a group opens and closes from the keyboard
    page.fill("#tim", "")
    assert page.locator("details[open]").count() == 1 and page.locator("#nhom-tinh details[open]").count() == 1
    summary = page.locator("#nhom-hoa-phong summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#don-vi-hoa-phong").is_visible()
    page.keyboard.press("Enter")
    assert not page.locator("#don-vi-hoa-phong").is_visible()
    page.focus("#loc-don-vi")
    page.keyboard.press("ArrowDown")  # choose the first unit without a mouse
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelectorAll('article.card:not([hidden])').length") == 1
    assert problems == []


@pytest.mark.parametrize("width", [360, 390])
def test_phone_width_has_no_sideways_scrolling(browser, served, tmp_path, width):
    page, problems = open_page(browser, served, width, 800)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.fill("#tim", "hoa phong")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for card in page.locator("article.card:not([hidden])").all():
        assert card.bounding_box()["width"] <= width
    font_px = float(page.evaluate("getComputedStyle(document.querySelector('.files a')).fontSize").rstrip("px"))
    assert font_px >= 13
    page.screenshot(path=str(tmp_path / f"phone-{width}.png"), full_page=False)
    assert problems == []


def test_page_works_opened_from_disk(browser, bundled_build, tmp_path):
    _, output, _ = bundled_build
    copy = tmp_path / "copied"
    shutil.copytree(output, copy)  # a copy: nothing may point back at the folder it was built in
    page, problems = open_page(browser, (copy / "index.html").as_uri(), 1366, 900)
    page.fill("#tim", "doi nui")
    assert "huyen" in shown_cards(page)
    page.select_option("#loc-don-vi", "huyen")
    assert page.evaluate("document.querySelectorAll('article.card:not([hidden])').length") == 1
    images = load_every_thumbnail(page)
    assert images and all(image["width"] > 0 for image in images)
    assert problems == []


def axe_violations(page) -> list[str]:
    """What axe-core (every rule) finds on the page as it stands, one line per rule broken."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']}: {len(v['nodes'])} × {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in found]


def test_axe_finds_nothing_whichever_groups_are_open(browser, served):
    """And with a search answered by the other campaign's page: see test_a_unit_searched_on_the_wrong_page…"""
    page, problems = open_page(browser, served, 1366, 900)
    assert page.locator("details[open]").count() == 1
    assert axe_violations(page) == []  # as it loads: the province's group open
    # every group open: every card and its files, where landmarks named alike were once many
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert page.locator("details:not([open])").count() == 0
    assert axe_violations(page) == []
    assert problems == []


def test_a_unit_of_the_other_campaign_is_shown_where_it_is(browser, served, units, tmp_path):
    page, problems = open_page(browser, served, 1366, 900)
    search, elsewhere = page.locator("#tim"), page.locator("#o-trang-khac")
    assert elsewhere.is_hidden()
    search.press_sequentially("lung may")  # a commune of the 2025 map only
    assert shown_cards(page) == [] and page.is_hidden("#trong") and page.is_hidden(".toc")
    assert elsewhere.is_visible()
    assert elsewhere.locator("p").all_inner_texts() == ["Trang này không có đơn vị nào khớp.",
                                                        "xã Lũng Mây có trong trang của chiến dịch 2025."]
    links = elsewhere.locator("a").evaluate_all("links => links.map(a => [a.textContent, a.getAttribute('href')])")
    assert links == [["xã Lũng Mây", "../output-2025/index.html#don-vi-xa-lung-may"],
                     ["trang của chiến dịch 2025", "../output-2025/index.html"]]
    assert page.inner_text("#dem") == f"Đang hiện 0 / {len(units)} đơn vị; 1 đơn vị có trong trang của chiến dịch 2025"
    page.screenshot(path=str(tmp_path / "hint.png"), full_page=False)

    # found here and there: thị trấn Yên Hòa is xã Yên Hòa in 2025
    search.fill("yen hoa")
    assert sorted(shown_cards(page)) == ["tt-yen-hoa", "yen-hoa"]
    assert elsewhere.locator("p").all_inner_texts() == ["xã Yên Hòa có trong trang của chiến dịch 2025."]
    page.screenshot(path=str(tmp_path / "found-and-hint.png"), full_page=False)
    # a name both pages have (the province) is this page's; a 2022 commune has no other page
    for typed in ("thu nghiem", "quynh lam"):
        search.fill(typed)
        assert shown_cards(page) and elsewhere.is_hidden(), typed
    # many found there: six named, the others counted
    search.fill("xa")
    assert re.fullmatch(r"(xã [^,]+, ){5}xã [^,]+ và \d+ đơn vị khác có trong trang của chiến dịch 2025\.",
                        elsewhere.inner_text())
    assert elsewhere.locator("a").count() == 7
    # a unit chosen from the list is no search
    page.select_option("#loc-don-vi", "xa")
    assert elsewhere.is_hidden()
    page.select_option("#loc-don-vi", "")
    search.fill("")
    assert elsewhere.is_hidden() and page.inner_text("#dem") == f"Đang hiện {len(units)} / {len(units)} đơn vị"
    assert problems == []


def test_the_other_campaigns_are_the_project_campaign_files(tmp_path):
    root = tiny_project(tmp_path / "project", "delivery")
    found = other_campaigns(root / "output", ID_2022)
    assert [(c["id"], c["year"], c["href"]) for c in found] == [(ID_2025, 2025, "../output-2025/index.html")]
    units_2025 = load_specs(root, CAMPAIGN_2025).units
    assert [unit[:2] for unit in found[0]["units"]] == [[u.slug, u.shown] for u in units_2025]
    assert ["xa-lung-may", "xã Lũng Mây", "xa lung may|99982"] in found[0]["units"]

    # a campaign file added for 2026 joins the others, by year; 2025's page links back to 2022's
    text_2025 = (root / CAMPAIGN_2025).read_text(encoding="utf-8")
    (root / "specs/campaigns/2026.yaml").write_text(
        text_2025.replace(f"id: {ID_2025}", "id: thu-nghiem-2026").replace("year: 2025", "year: 2026"),
        encoding="utf-8")
    assert [c["href"] for c in other_campaigns(root / "output-2025", ID_2025)] == [
        "../output/index.html", "../output-2026/index.html"]
    assert [c["year"] for c in other_campaigns(root / "output", ID_2022)] == [2025, 2026]
    # the same from a folder given as a relative path
    assert other_campaigns(Path(os.path.relpath(root / "output", Path.cwd())), ID_2022) == \
        other_campaigns(root / "output", ID_2022)

    # what is not a campaign has no page: units-2025.yaml beside the campaign files, a file broken (its
    # own build says what is wrong), a campaign whose units file lies outside specs/
    (root / "specs/campaigns/2027.yaml").write_text(text_2025.replace("year: 2025", "year: [2025"), encoding="utf-8")
    shutil.copy(root / "specs/campaigns/units-2025.yaml", root / "units-outside.yaml")
    (root / "specs/campaigns/2028.yaml").write_text(
        text_2025.replace(f"id: {ID_2025}", "id: thu-nghiem-2028").replace("year: 2025", "year: 2028")
        .replace("units: campaigns/units-2025.yaml", "units: ../units-outside.yaml"), encoding="utf-8")
    assert [c["year"] for c in other_campaigns(root / "output", ID_2022)] == [2025, 2026]
    # an output folder outside a project has none
    assert other_campaigns(tmp_path / "elsewhere" / "output", ID_2022) == []


@pytest.fixture(scope="module")
def campaign_pair(tmp_path_factory) -> tuple[Path, bytes]:
    """Both campaigns of the delivery test project built where `make all` builds them, a commune each:
    2022's xã Quỳnh Lâm into output/, 2025's xã Lũng Mây into output-2025/. 2022's page is made before
    2025 is built and again after; its first bytes are returned with the project."""
    root = tiny_project(tmp_path_factory.mktemp("pair"), "delivery")
    first, second = root / "output", root / "output-2025"
    build(root, first, Selection(channel="banners", unit="xa"), workers=2)
    bundle_all(first)
    before = (first / "index.html").read_bytes()
    build(root, second, Selection(channel="banners", unit="xa-lung-may"), workers=2, campaign=CAMPAIGN_2025)
    bundle_all(second)
    bundle_all(first)
    return root, before


def campaign_links(page: Path) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return [(url, attributes["data-campaign"]) for _, url, attributes in parser.urls if "data-campaign" in attributes]


def test_campaign_pages_link_to_each_other_whichever_was_built_first(browser, campaign_pair):
    root, before = campaign_pair
    page_2022, page_2025 = root / "output" / "index.html", root / "output-2025" / "index.html"
    assert page_2022.read_bytes() == before  # made before 2025 was built, and the same after
    assert campaign_links(page_2022) == [("../output-2025/index.html", ID_2025)]
    assert campaign_links(page_2025) == [("../output/index.html", ID_2022)]
    page, problems = open_page(browser, page_2022.as_uri(), 1366, 900)
    assert page.locator("a[data-campaign]").inner_text() == "trang của chiến dịch 2025"
    page.click("a[data-campaign]")
    page.wait_for_url(page_2025.as_uri())
    assert page.locator("h1").inner_text().endswith("năm 2025")
    page.click("a[data-campaign]")
    page.wait_for_url(page_2022.as_uri())
    assert page.locator("h1").inner_text().endswith("năm 2022")
    assert problems == []


def in_view(element, height: int) -> bool:
    """The element's heading is on the screen (scrolled to, it may stand half a pixel above)."""
    top = element.evaluate("e => e.getBoundingClientRect().top")
    return -1 < top < height - 50


def test_a_unit_searched_on_the_wrong_page_leads_to_its_card_on_the_other(browser, campaign_pair, tmp_path):
    root, _ = campaign_pair
    page, problems = open_page(browser, (root / "output" / "index.html").as_uri(), 390, 800)
    page.locator("#tim").press_sequentially("lungmay")
    assert shown_cards(page) == []
    page.screenshot(path=str(tmp_path / "hint-2022-phone.png"), full_page=False)
    page.locator("#o-trang-khac a", has_text="xã Lũng Mây").click()
    page.wait_for_url((root / "output-2025" / "index.html").as_uri() + "#don-vi-xa-lung-may")
    card = page.locator("#don-vi-xa-lung-may")
    assert card.is_visible() and in_view(card, 800)
    # and back: a 2022 commune searched for on the 2025 page, its card in a closed group there
    page.locator("#tim").press_sequentially("quynh lam")
    assert shown_cards(page) == []
    assert page.locator("#o-trang-khac p").all_inner_texts() == ["Trang này không có đơn vị nào khớp.",
                                                                 "xã Quỳnh Lâm có trong trang của chiến dịch 2022."]
    assert axe_violations(page) == []
    page.locator("#o-trang-khac a", has_text="xã Quỳnh Lâm").click()
    page.wait_for_url((root / "output" / "index.html").as_uri() + "#don-vi-xa")
    card = page.locator("#don-vi-xa")
    assert shown_cards(page) == ["xa"] and in_view(card, 800)
    assert problems == []
