"""The results report read back as the department would: the CSV in a spreadsheet, the PDF on paper."""

from __future__ import annotations

import csv
import io
import subprocess
import unicodedata
from collections import Counter

from tests.conftest import run_assets


def normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def read_csv(path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_counts_every_unit_and_channel(bundled_build):
    _, output, manifest = bundled_build
    rows = read_csv(output / "report" / "bao-cao-ket-qua.csv")
    counts = Counter((a["unit"], a["channel"]) for a in manifest["assets"])
    sizes = Counter()
    for asset in manifest["assets"]:
        sizes[(asset["unit"], asset["channel"])] += asset["bytes"]
    units = {a["unit"] for a in manifest["assets"]}
    channels = {a["channel"] for a in manifest["assets"]}
    body, total = rows[:-1], rows[-1]
    assert len(body) == len(units) * len(channels) == 8 * 5
    for row in body:
        key = (row["Mã đơn vị"], row["Mã kênh"])
        assert int(row["Số tệp"]) == counts[key]
        assert int(row["Dung lượng (byte)"]) == sizes[key]
    assert total["Đơn vị"] == "Tổng cộng"
    assert int(total["Số tệp"]) == len(manifest["assets"])
    assert int(total["Dung lượng (byte)"]) == sum(a["bytes"] for a in manifest["assets"])
    ham_yen = {r["Mã kênh"]: r for r in body if r["Mã đơn vị"] == "ham-yen"}
    assert ham_yen["banners"]["Đơn vị"] == "huyện Hàm Yên"
    assert ham_yen["banners"]["Theo định dạng"] == "pdf: 6; png: 6"
    # province-wide files are counted where they were made, not in every district
    assert int(ham_yen["led"]["Số tệp"]) == 0


def test_pdf_is_one_page_with_embedded_fonts_and_every_unit(bundled_build):
    _, output, _ = bundled_build
    path = output / "report" / "bao-cao-ket-qua.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(" yes yes yes " in row for row in fonts.splitlines()[2:]), fonts
    text = normal(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    assert "BÁO CÁO" in text and "Sở Thông tin và Truyền thông tỉnh Tuyên Quang" in text
    assert "trước ngày 15/10/2022" in text
    for name in ("tỉnh Tuyên Quang", "thành phố Tuyên Quang", "huyện Lâm Bình", "huyện Na Hang",
                 "huyện Chiêm Hóa", "huyện Hàm Yên", "huyện Yên Sơn", "huyện Sơn Dương"):
        assert name in text
    assert "Băng rôn" in text and "Màn hình LED" in text
    assert "103 tệp" in text  # 96 banner files and 7 of the other channels, in the totals row


def test_one_units_report_is_about_that_unit_only(bundled_build):
    root, output, _ = bundled_build
    done = run_assets("report", "--unit", "ham-yen", "--output", str(output), cwd=root)
    assert done.returncode == 0, done.stderr
    rows = read_csv(output / "report" / "bao-cao-ket-qua-ham-yen.csv")
    assert {r["Mã đơn vị"] for r in rows[:-1]} == {"ham-yen"}
    assert int(rows[-1]["Số tệp"]) == 15  # 12 banners, a QR notice and its proof, one unknown file
    text = normal(subprocess.run(["pdftotext", str(output / "report" / "bao-cao-ket-qua-ham-yen.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    assert "ỦY BAN NHÂN DÂN HUYỆN HÀM YÊN" in text
    assert "huyện Lâm Bình" not in text


def test_unknown_unit_is_one_clear_line(bundled_build):
    root, output, _ = bundled_build
    done = run_assets("report", "--unit", "ham-yenn", "--output", str(output), cwd=root)
    assert done.returncode == 1
    assert "unit 'ham-yenn' is not defined" in done.stderr and "Traceback" not in done.stderr
