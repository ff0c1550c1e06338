"""Bundles opened as a district office would: every zip against the manifest, its README, its checksums.

On the delivery test project (tests/data/delivery, built by `bundled_build`): the province `tinh`, the
district `ho-sen` with the QR notice and the 3D scene of tests/other_channels.py, the commune `xa` of a
district that shares nothing with its communes, `xa-qui-thanh` printed under its display name. Which
channels the product's designs give a commune, and that its channels all have Vietnamese names, are read
from the product's own specs/ (nothing built): they are facts of the default campaign.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from assets_pipeline.delivery.archive import ArchiveError, ZipMember, write_zip
from assets_pipeline.delivery.bundles import bundle_all
from assets_pipeline.delivery.report import write_report
from assets_pipeline.specs.load import load_specs
from tests.conftest import REPO, assets, snapshot, tiny_project

EXTRAS = ("README.txt", "SHA256SUMS", "manifest.json", "to-duyet-mau.pdf")
DERIVED = ("bundles", "proofs", "thumbnails", "report", "index.html")


def expected_members(manifest: dict, unit: str, root: Path) -> set[str]:
    """The rule of catalog.py, restated: own files, plus for each design the unit lacks the files of
    its nearest ancestor that has it, if the design shares with the unit's kind."""
    specs = load_specs(root)
    units = {u.slug: u for u in specs.units}

    def shares(design: str) -> bool:
        found = specs.designs.get(design)
        return found is None or found.units.shared_with is None or units[unit].kind in found.units.shared_with

    members = [a for a in manifest["assets"] if a["unit"] == unit]
    designs = {a["design"] for a in members}
    parent = units[unit].parent
    while parent:
        theirs = [a for a in manifest["assets"] if a["unit"] == parent and a["design"] not in designs
                  and shares(a["design"])]
        members += theirs
        designs |= {a["design"] for a in theirs}
        parent = units[parent].parent
    return {a["path"] for a in members}


def units_of(root: Path) -> dict[str, str | None]:
    return {u.slug: u.parent for u in load_specs(root).units}


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_every_unit_has_a_zip_with_exactly_its_files(bundled_build):
    root, output, manifest = bundled_build
    by_path = {a["path"]: a for a in manifest["assets"]}
    units = units_of(root)
    assert sorted(p.stem for p in (output / "bundles").glob("*.zip")) == sorted(units)
    for unit in units:
        with zipfile.ZipFile(output / "bundles" / f"{unit}.zip") as archive:
            names = archive.namelist()
            assert archive.testzip() is None
            media = set(names) - set(EXTRAS)
            assert set(EXTRAS) <= set(names)
            assert media == expected_members(manifest, unit, root)
            for name in media:
                data = archive.read(name)
                assert len(data) == by_path[name]["bytes"]
                assert hashlib.sha256(data).hexdigest() == by_path[name]["sha256"]
                assert data == (output / name).read_bytes()

            unit_manifest = json.loads(archive.read("manifest.json"))
            assert unit_manifest["unit"]["slug"] == unit
            assert [a["path"] for a in unit_manifest["assets"]] == sorted(media)
            assert all(a == by_path[a["path"]] for a in unit_manifest["assets"])
            assert set(unit_manifest["shared_from"]) == {p for p in media if by_path[p]["unit"] != unit}

            sums = archive.read("SHA256SUMS").decode("utf-8").splitlines()
            listed = {}
            for line in sums:
                digest, name = line.split("  ", 1)
                listed[name] = digest
            assert set(listed) == set(names) - {"SHA256SUMS"}
            for name, digest in listed.items():
                assert hashlib.sha256(archive.read(name)).hexdigest() == digest


def test_district_gets_its_own_banners_and_the_province_wide_files(bundled_build):
    _, output, _ = bundled_build
    with zipfile.ZipFile(output / "bundles" / "ho-sen.zip") as archive:
        names = set(archive.namelist())
    assert any(n.startswith("ho-sen/banners/") for n in names)
    assert not any(n.startswith("tinh/banners/") for n in names)  # the district has banners of its own
    assert "tinh/led/led-loop-ngan__led-96x48.mp4" in names  # made for the province only
    assert "tinh/web/web-banner-ngan__web-1200x630.jpg" in names
    with zipfile.ZipFile(output / "bundles" / "tinh.zip") as archive:
        province = set(archive.namelist())
    assert not any(n.startswith("ho-sen/") for n in province)


def test_commune_gets_its_own_pieces_and_nothing_for_a_portal_it_does_not_run(bundled_build):
    _, output, _ = bundled_build
    with zipfile.ZipFile(output / "bundles" / "xa.zip") as archive:
        names = set(archive.namelist())
        readme = normal(archive.read("README.txt").decode("utf-8-sig"))
        shared_from = json.loads(archive.read("manifest.json"))["shared_from"]
    own = {n for n in names if n.startswith("xa/banners/")}
    # the short and the vertical banner: the design gives a commune no 1:10 one (banner.yaml units.formats)
    assert {n.split("__")[1] for n in own} == {"bang-ron-200x40.pdf", "bang-ron-200x40.png",
                                              "bang-ron-doc-40x120.pdf", "bang-ron-doc-40x120.png"}
    assert not any(n.startswith("huyen/banners/") for n in names)
    # the province's web banner goes to a district's portal, never to a commune (web-banner.yaml), nor
    # its LED loop (no screen)
    assert shared_from == {}
    assert "Đơn vị nhận: xã Quỳnh Lâm, huyện Đồi Núi (mã đơn vị hành chính 99999)" in readme
    assert "dùng chung" not in readme
    with zipfile.ZipFile(output / "bundles" / "xa-qui-thanh.zip") as archive:
        readme = normal(archive.read("README.txt").decode("utf-8-sig"))
        texts = [t for a in json.loads(archive.read("manifest.json"))["assets"] for t in a["texts"]]
    assert "xã Quý Thạnh, huyện Yên Hòa (mã đơn vị hành chính 99922, tên chính thức: xã Quí Thạnh)" in readme
    assert "Ủy ban nhân dân xã Quý Thạnh" in texts  # the pieces print the local spelling


def test_a_commune_receives_the_channels_the_plan_gives_communes():
    """Banners, posters, QR notices, leaflets, radio, its own certificates (plan III.4.1.b, 4.2.a, 4.3) and
    its results return form (V.1), and the profile-picture frame its officials put on (the ministry's letters
    for the day): made for it, or shared with it by a design made for its district or province; nothing else."""
    specs = load_specs(REPO)
    channels = {}
    for design_id, design in specs.designs.items():
        made = design.units.kinds is not None and "commune" in design.units.kinds
        shared = design.units.shared_with is None or "commune" in design.units.shared_with
        if made or shared:
            channels[design_id] = {specs.formats[f].channel for f in design.formats}
    assert set().union(*channels.values()) == {"banners", "posters", "notices", "commendations", "leaflets",
                                               "radio", "avatar", "results"}, channels


def test_readme_explains_every_file_in_vietnamese(bundled_build):
    _, output, _ = bundled_build
    with zipfile.ZipFile(output / "bundles" / "ho-sen.zip") as archive:
        raw = archive.read("README.txt")
        names = [n for n in archive.namelist() if n not in EXTRAS]
    assert raw.startswith(b"\xef\xbb\xbf")  # Notepad on older Windows needs the BOM to see UTF-8
    text = raw.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", "") and unicodedata.is_normalized("NFC", text)
    rows = text.split("\r\n")
    flat = normal(text)
    assert "huyện Hồ Sen" in flat
    for name in names:  # each file in one line, under the folder its group names
        folder, file_name = name.rsplit("/", 1)
        assert len([row for row in rows if row.split()[:1] == [file_name]]) == 1, name
        assert f"thư mục {folder}/" in text
    assert "phóng to ×10 thành 5200 × 400 mm" in flat  # the 1:10 banner
    assert "Chép tệp MP4 có độ phân giải đúng bằng màn hình LED" in flat and "phát lặp liên tục" in flat
    assert "96 × 48 px:" in flat  # the LED loop's size heads its files
    assert "bản in, 2 trang" in flat  # the two-page QR notice
    assert "dùng chung của tỉnh Thử Nghiệm" in flat
    assert "SHA256SUMS" in text and "sha256sum" not in text and not re.search(r"\bassets [a-z]", text)
    assert "trước ngày 15/10/2022" in flat
    # the unit's own channels first, then what it shares
    assert text.index("thư mục ho-sen/notices/") < text.index("thư mục tinh/led/")


def test_proof_sheet_shows_every_piece_once_with_embedded_fonts(bundled_build):
    _, output, manifest = bundled_build
    with zipfile.ZipFile(output / "bundles" / "ho-sen.zip") as archive:
        proof = archive.read("to-duyet-mau.pdf")
        names = [n for n in archive.namelist() if n not in EXTRAS]
    assert proof == (output / "proofs" / "ho-sen.pdf").read_bytes()
    path = output / "proofs" / "ho-sen.pdf"
    by_path = {a["path"]: a for a in manifest["assets"]}
    pieces = {tuple(by_path[n][k] for k in ("unit", "channel", "design", "variant", "format")) for n in names}
    # one picture per piece (a PDF and its proof, a video and its still are one), but for the two
    # pages of the QR notice, which its proof of page 1 does not show whole
    drawn = sum(page.get_contents().get_data().count(b" Do") for page in PdfReader(path).pages)
    assert drawn == len(pieces) + 1
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows), fonts
    text = normal(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    assert "TỜ DUYỆT MẪU" in text and "huyện Hồ Sen" in text
    assert "CHUYỂN ĐỔI SỐ GIẢI QUYẾT CÁC VẤN ĐỀ CỦA XÃ HỘI VÌ CUỘC SỐNG TỐT ĐẸP HƠN" in text
    assert "Video MP4" in text and "Không có ảnh xem trước" in text  # the video and the unknown medium
    assert text.count("Nội dung:") == len(pieces) - 1  # the unknown medium carries no text
    assert "Các trang của tệp PDF, theo thứ tự: 2 trang." in text
    # the district's own pieces, then the province's, marked as shared
    assert text.index("SẢN PHẨM CỦA HUYỆN HỒ SEN") < text.index("SẢN PHẨM DÙNG CHUNG") < \
        text.index("Dùng chung · của tỉnh Thử Nghiệm")


def test_thumbnails_come_from_the_right_source(bundled_build):
    _, output, _ = bundled_build
    from PIL import Image

    index = json.loads((output / "thumbnails" / "index.json").read_text(encoding="utf-8"))
    sources = {path: entry["source"] for path, entry in index.items()}
    assert sources["thumbnails/tinh/led/led-loop-ngan__led-64x32.mp4.jpg"] == "frame"
    assert sources["thumbnails/tinh/led/led-loop-ngan__led-96x48-slide-1.png.jpg"] == "image"
    assert sources["thumbnails/ho-sen/ar/scene-ngan__ar-room.glb.jpg"] == "placeholder"
    # a PDF is previewed by its proof: no thumbnail of its own
    assert (output / "thumbnails/ho-sen/banners/banner-ngan__bang-ron-200x40.png.jpg").is_file()
    assert not (output / "thumbnails/ho-sen/banners/banner-ngan__bang-ron-200x40.pdf.jpg").exists()
    for path in index:
        with Image.open(output / path) as image:
            assert image.format == "JPEG" and max(image.size) <= 640
    frame = Image.open(output / "thumbnails/tinh/led/led-loop-ngan__led-64x32.mp4.jpg")
    assert frame.size == (64, 32) and len(frame.getcolors(4096) or []) > 8  # ffmpeg's test pattern, not a blank


def test_zip_entries_are_sorted_dated_and_safe(bundled_build):
    _, output, _ = bundled_build
    for path in (output / "bundles").glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert not info.filename.startswith("/") and ".." not in info.filename.split("/")
            assert "\\" not in info.filename


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "C:/x", "a\\b", "a//b", "./a", ""])
def test_unsafe_zip_names_are_refused(tmp_path, name):
    with pytest.raises(ArchiveError):
        write_zip(tmp_path / "x.zip", [ZipMember(name, data=b"x")])
    assert not (tmp_path / "x.zip").exists()


def test_same_outputs_give_byte_identical_bundles(bundled_build, tmp_path):
    """Bundling the same files again, from scratch in another folder, gives the same bytes (the
    banners' own determinism is test_print_output.py's)."""
    root, output, manifest = bundled_build
    first = {k: v for k, v in snapshot(output).items() if k.startswith(DERIVED)}
    again = tiny_project(tmp_path / "again", "delivery")
    for asset in manifest["assets"]:
        target = again / "output" / asset["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(output / asset["path"], target)
    shutil.copyfile(output / "manifest.json", again / "output" / "manifest.json")
    shutil.copytree(output / ".fonts", again / "output" / ".fonts")  # the document fonts the build kept
    bundle_all(again / "output")
    write_report(again / "output")
    second = {k: v for k, v in snapshot(again / "output").items() if k.startswith(DERIVED)}
    assert first == second
    assert sum(1 for k in first if k.endswith(".zip")) == len({a["unit"] for a in manifest["assets"]}) == 17


def test_bundling_again_reuses_thumbnails_and_changes_nothing(bundled_build):
    root, output, _ = bundled_build
    before = snapshot(output)
    stamps = {p: p.stat().st_mtime_ns for p in (output / "thumbnails").rglob("*.jpg")}
    bundle_all(output)
    assert snapshot(output) == before
    assert {p: p.stat().st_mtime_ns for p in (output / "thumbnails").rglob("*.jpg")} == stamps


def test_current_pieces_are_not_made_again_and_touched_ones_are(bundled_build):
    root, output, _ = bundled_build
    page, report = output / "index.html", output / "report" / "bao-cao-ket-qua.pdf"
    made = [page, report, output / "report" / "bao-cao-ket-qua.csv", *(output / "bundles").glob("*.zip"),
            *(output / "proofs").glob("*.pdf")]
    stamps = {p: p.stat().st_mtime_ns for p in made}
    bundle_all(output)
    write_report(output)
    assert {p: p.stat().st_mtime_ns for p in made} == stamps  # nothing written again
    shown = page.read_bytes()
    page.write_text("edited by hand", encoding="utf-8")
    report.unlink()
    bundle_all(output)
    write_report(output)
    assert page.read_bytes() == shown and report.is_file()
    untouched = [p for p in made if p.parent.name in ("bundles", "proofs")]
    assert {p: p.stat().st_mtime_ns for p in untouched} == {p: stamps[p] for p in untouched}


def test_a_file_changed_after_the_build_is_refused_and_old_zips_stay(tiny):
    output = tiny / "output"
    assert assets("build", "--unit", "huyen", "--only", "banners", "-j", "1", cwd=tiny).returncode == 0
    assert assets("bundle", cwd=tiny).returncode == 0
    before = snapshot(output / "bundles")
    victim = next((output / "huyen" / "banners").glob("*.png"))
    victim.write_bytes(victim.read_bytes() + b"tampered")
    done = assets("bundle", cwd=tiny)
    assert done.returncode == 1
    assert "has changed since the build" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(output / "bundles") == before
    assert not list((output / "bundles").glob(".*.tmp"))


def test_bundle_without_a_build_says_what_to_do(tiny):
    done = assets("bundle", cwd=tiny)
    assert done.returncode == 1 and "run `assets build` first" in done.stderr


def test_every_channel_of_the_formats_has_its_vietnamese_name(bundled_build):
    """Every channel of the product's formats (specs/formats.yaml, read, not built): the names are for them."""
    from assets_pipeline.delivery.describe import CHANNEL_NAMES, CHANNEL_USES

    channels = {f.channel for f in load_specs(REPO).formats.values()}
    assert channels == set(CHANNEL_NAMES), channels ^ set(CHANNEL_NAMES)
    _, output, _ = bundled_build
    with zipfile.ZipFile(output / "bundles" / "ho-sen.zip") as archive:
        readme = archive.read("README.txt").decode("utf-8-sig")
    assert "[Niêm yết thủ tục hành chính bằng mã QR] — thư mục ho-sen/notices/" in readme
    assert channels == set(CHANNEL_USES), channels ^ set(CHANNEL_USES)  # and its way of use, in README.txt


def test_a_thumbnail_that_could_not_be_drawn_is_tried_again(tiny):
    output = tiny / "output"
    assert assets("build", "--unit", "huyen", "--only", "banners", "-j", "1", cwd=tiny).returncode == 0
    path = output / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    png = next(a for a in manifest["assets"] if a["media"] == "png")
    shown, made = output / png["path"], (output / png["path"]).read_bytes()
    unreadable = b"\x89PNG\r\n\x1a\n" + bytes(64)  # a PNG's signature and nothing Pillow can read

    def record(data: bytes) -> None:
        shown.write_bytes(data)
        png["bytes"], png["sha256"] = len(data), hashlib.sha256(data).hexdigest()
        path.write_text(json.dumps(manifest), encoding="utf-8")

    record(unreadable)
    assert assets("bundle", cwd=tiny).returncode == 0
    thumbnail = f"thumbnails/{png['path']}.jpg"
    index = json.loads((output / "thumbnails" / "index.json").read_text(encoding="utf-8"))
    assert (output / thumbnail).is_file() and thumbnail not in index  # the card shows, the failure is not kept
    record(made)
    assert assets("bundle", cwd=tiny).returncode == 0
    index = json.loads((output / "thumbnails" / "index.json").read_text(encoding="utf-8"))
    assert index[thumbnail]["source"] in ("image", "proof")  # drawn from the PNG this time
