"""The results report read back as the department would: the CSV in a spreadsheet, the PDF on paper."""

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
    assert len(body) == len(units) * len(channels) == 146 * 5
    for row in body:
        key = (row["Mã đơn vị"], row["Mã kênh"])
        assert int(row["Số tệp"]) == counts[key]
        assert int(row["Dung lượng (byte)"]) == sizes[key]
    assert total["Đơn vị"] == "Tổng cộng"
    assert int(total["Số tệp"]) == len(manifest["assets"])
    assert int(total["Dung lượng (byte)"]) == sum(a["bytes"] for a in manifest["assets"])
    ham_yen = {r["Mã kênh"]: r for r in body if r["Mã đơn vị"] == "ham-yen"}
    assert ham_yen["banners"]["Đơn vị"] == "huyện Hàm Yên" and ham_yen["banners"]["Mã ĐVHC"] == "074"
    assert ham_yen["banners"]["Theo định dạng"] == "pdf: 6; png: 6"
    # province-wide files are counted where they were made, not in every district
    assert int(ham_yen["led"]["Số tệp"]) == 0
    # a district's communes follow it, then its subtotal: the district and its 18 communes
    names = [r["Đơn vị"] for r in rows]
    subtotal = next(r for r in rows if r["Đơn vị"].startswith("Cộng huyện Hàm Yên"))
    assert subtotal["Đơn vị"] == "Cộng huyện Hàm Yên và 18 xã, thị trấn"
    members = [r for r in body if r["Mã đơn vị"] == "ham-yen" or r["Thuộc"] == "huyện Hàm Yên"]
    assert len(members) == 19 * 5 and all(names.index(r["Đơn vị"]) < names.index(subtotal["Đơn vị"]) for r in members)
    assert int(subtotal["Số tệp"]) == sum(int(r["Số tệp"]) for r in members)
    assert next(r for r in body if r["Mã đơn vị"] == "tt-tan-yen")["Mã ĐVHC"] == "02374"


def test_pdf_has_embedded_fonts_and_every_unit_under_its_district(bundled_build):
    _, output, _ = bundled_build
    path = output / "report" / "bao-cao-ket-qua.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(" yes yes yes " in row for row in fonts.splitlines()[2:]), fonts
    text = normal(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    assert "BÁO CÁO" in text and "Sở Thông tin và Truyền thông tỉnh Tuyên Quang" in text
    assert "trước ngày 15/10/2022" in text
    for name in ("tỉnh Tuyên Quang", "thành phố Tuyên Quang", "huyện Lâm Bình", "huyện Na Hang",
                 "huyện Chiêm Hóa", "huyện Hàm Yên", "huyện Yên Sơn", "huyện Sơn Dương", "xã Kim Phú",
                 "xã Quý Quân", "Cộng huyện Sơn Dương và 31"):  # (its cell wraps after "31")
        assert name in text
    assert text.index("huyện Hàm Yên") < text.index("thị trấn Tân Yên") < text.index("Cộng huyện Hàm Yên")
    assert "Băng rôn" in text and "Màn hình LED" in text
    files = len(json.loads((output / "manifest.json").read_text(encoding="utf-8"))["assets"])
    assert f"{files} tệp" in text  # the totals row


def test_one_units_report_is_about_that_unit_only(bundled_build):
    root, output, _ = bundled_build
    done = assets("report", "--unit", "ham-yen", "--output", str(output), cwd=root)
    assert done.returncode == 0, done.stderr
    rows = read_csv(output / "report" / "bao-cao-ket-qua-ham-yen.csv")
    reported = {r["Mã đơn vị"] for r in rows[:-1] if r["Mã đơn vị"]}
    assert "ham-yen" in reported and len(reported) == 19  # the district and its communes
    # 12 banners, a QR notice and its proof, one unknown file; 8 banners of each of the 18 communes
    assert int(rows[-1]["Số tệp"]) == 15 + 18 * 8
    text = normal(subprocess.run(["pdftotext", str(output / "report" / "bao-cao-ket-qua-ham-yen.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    assert "ỦY BAN NHÂN DÂN HUYỆN HÀM YÊN" in text
    assert "huyện Lâm Bình" not in text


def test_unknown_unit_is_one_clear_line(bundled_build):
    root, output, _ = bundled_build
    done = assets("report", "--unit", "ham-yenn", "--output", str(output), cwd=root)
    assert done.returncode == 1
    assert "unit 'ham-yenn' is not defined" in done.stderr and "Traceback" not in done.stderr
