"""The results report read back as the department would: the CSV in a spreadsheet, the PDF on paper.

Of the delivery test project (tests/data/delivery, built by `bundled_build`): a province, four districts
and their communes and townships, with the files of other channels of tests/other_channels.py.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import unicodedata
from collections import Counter

from tests.conftest import assets


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_counts_every_unit_and_channel_and_communes_under_their_district(bundled_build):
    _, output, manifest = bundled_build
    rows = read_csv(output / "report" / "bao-cao-ket-qua.csv")
    counts = Counter((a["unit"], a["channel"]) for a in manifest["assets"])
    sizes = Counter()
    for asset in manifest["assets"]:
        sizes[(asset["unit"], asset["channel"])] += asset["bytes"]
    units = {a["unit"] for a in manifest["assets"]}
    channels = {a["channel"] for a in manifest["assets"]}
    body, total = [r for r in rows[:-1] if r["Mã đơn vị"]], rows[-1]
    assert len(body) == len(units) * len(channels) == 17 * 5
    for row in body:
        key = (row["Mã đơn vị"], row["Mã kênh"])
        assert int(row["Số tệp"]) == counts[key]
        assert int(row["Dung lượng (byte)"]) == sizes[key]
    assert total["Đơn vị"] == "Tổng cộng"
    assert int(total["Số tệp"]) == len(manifest["assets"])
    assert int(total["Dung lượng (byte)"]) == sum(a["bytes"] for a in manifest["assets"])
    ho_sen = {r["Mã kênh"]: r for r in body if r["Mã đơn vị"] == "ho-sen"}
    assert ho_sen["banners"]["Đơn vị"] == "huyện Hồ Sen" and ho_sen["banners"]["Mã ĐVHC"] == "991"
    assert ho_sen["banners"]["Theo định dạng"] == "pdf: 6; png: 6"
    # province-wide files are counted where they were made, not in every district
    assert int(ho_sen["led"]["Số tệp"]) == 0
    # a district's communes follow it, then its subtotal: the district, its township and its 2 communes
    names = [r["Đơn vị"] for r in rows]
    subtotal = next(r for r in rows if r["Đơn vị"].startswith("Cộng huyện Hồ Sen"))
    assert subtotal["Đơn vị"] == "Cộng huyện Hồ Sen và 3 xã, thị trấn"
    assert next(r for r in rows if r["Đơn vị"].startswith("Cộng huyện Đồi Núi"))["Đơn vị"] == \
        "Cộng huyện Đồi Núi và 3 xã"  # the levels its communes have
    members = [r for r in body if r["Mã đơn vị"] == "ho-sen" or r["Thuộc"] == "huyện Hồ Sen"]
    assert len(members) == 4 * 5 and all(names.index(r["Đơn vị"]) < names.index(subtotal["Đơn vị"]) for r in members)
    assert int(subtotal["Số tệp"]) == sum(int(r["Số tệp"]) for r in members)
    assert next(r for r in body if r["Mã đơn vị"] == "tt-tan-lap")["Mã ĐVHC"] == "99911"


def test_pdf_has_embedded_fonts_and_every_unit_under_its_district(bundled_build):
    _, output, _ = bundled_build
    path = output / "report" / "bao-cao-ket-qua.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(" yes yes yes " in row for row in fonts.splitlines()[2:]), fonts
    text = normal(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    assert "BÁO CÁO" in text and "Sở Thông tin và Truyền thông tỉnh Thử Nghiệm" in text
    assert "trước ngày 15/10/2022" in text
    for name in ("tỉnh Thử Nghiệm", "huyện Đồi Núi", "huyện Hồ Sen", "huyện Yên Hòa", "huyện Hòa Phong",
                 "xã Quỳnh Lâm", "xã Quý Thạnh", "Cộng huyện Hòa Phong và 3 xã, thị trấn"):
        assert name in text
    assert text.index("huyện Hồ Sen") < text.index("thị trấn Tân Lập") < text.index("Cộng huyện Hồ Sen")
    assert "Băng rôn" in text and "Màn hình LED" in text
    files = len(json.loads((output / "manifest.json").read_text(encoding="utf-8"))["assets"])
    assert f"{files} tệp" in text  # the totals row


def test_one_units_report_is_about_that_unit_only(bundled_build):
    root, output, _ = bundled_build
    done = assets("report", "--unit", "ho-sen", "--output", str(output), cwd=root)
    assert done.returncode == 0, done.stderr
    rows = read_csv(output / "report" / "bao-cao-ket-qua-ho-sen.csv")
    reported = {r["Mã đơn vị"] for r in rows[:-1] if r["Mã đơn vị"]}
    assert "ho-sen" in reported and len(reported) == 4  # the district and its communes
    # 12 banners, a QR notice and its proof, one unknown file; 8 banners of each of the 3 communes
    assert int(rows[-1]["Số tệp"]) == 15 + 3 * 8
    text = normal(subprocess.run(["pdftotext", str(output / "report" / "bao-cao-ket-qua-ho-sen.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    assert "ỦY BAN NHÂN DÂN HUYỆN HỒ SEN" in text
    assert "huyện Đồi Núi" not in text and "xã Quỳnh Lâm" not in text


def test_unknown_unit_is_one_clear_line(bundled_build):
    root, output, _ = bundled_build
    done = assets("report", "--unit", "ho-senn", "--output", str(output), cwd=root)
    assert done.returncode == 1
    assert "unit 'ho-senn' is not defined" in done.stderr and "Traceback" not in done.stderr
