"""The units files are the official lists, and `assets units import` makes them from GSO's forms.

tests/data/official/ holds the lists of 2022 and 2025 with their sources (README there); the product's
units files must match them code for code, name for name (read, never written). The import itself is
tested on the tiny project: into Tuyên Quang's province and districts (tests/data/units-import) from the
official 2022 list as GSO exports it, and with bad, damaged and oversized lists; the warning of a code
the source list lacks on the tiny units with a list of their own (tests/data/units-listed).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from tests.conftest import assets, REPO, snapshot, tiny_project

OFFICIAL = REPO / "tests" / "data" / "official"
IMPORT_INTO = REPO / "tests" / "data" / "units-import" / "specs" / "units.yaml"
GSO_HEADER = ["Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]


def units_of(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["units"]


def official(name: str) -> list[dict]:
    with open(OFFICIAL / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_2022_units_are_the_official_138_communes_under_their_districts():
    units = units_of(REPO / "specs" / "units.yaml")
    by_code = {u.get("code"): u for u in units}
    slugs = {u["slug"]: u for u in units}
    rows = official("tuyen-quang-communes-2022.csv")
    assert len(rows) == 138 == sum(u["kind"] == "commune" for u in units)
    for row in rows:
        unit = by_code[row["code"]]
        assert unit["kind"] == "commune"
        assert unit["name"] == f"{row['kind'].lower()} {row['name']}"  # GSO's spelling, level in lower case
        assert slugs[unit["parent"]]["name"].lower() == row["district"].lower()
    assert len(slugs) == len(units)  # every slug unique, and ASCII
    assert all(slug.isascii() for slug in slugs)
    # the display forms the province uses, beside GSO's spelling
    assert by_code["02431"]["display_name"] == "xã Quý Quân" and by_code["02431"]["name"] == "xã Quí Quân"
    assert by_code["02263"]["display_name"] == "xã Khâu Tinh"
    assert [by_code[c]["name"] for c in ("08", "070", "076")] == ["tỉnh Tuyên Quang", "thành phố Tuyên Quang",
                                                                  "huyện Sơn Dương"]


def test_2025_units_are_the_official_124_communes_and_wards_of_the_merged_province():
    units = units_of(REPO / "specs" / "campaigns" / "units-2025.yaml")
    rows = official("tuyen-quang-communes-2025.csv")
    communes = {u["code"]: u for u in units if u["kind"] == "commune"}
    assert len(rows) == len(communes) == 124
    for row in rows:
        assert communes[row["code"]]["name"] == f"{row['kind'].lower()} {row['name']}"
        assert communes[row["code"]]["parent"] == "tuyen-quang"
    # 2025 has a xã Yên Sơn where 2022 had a huyện Yên Sơn: the slugs tell them apart
    yen_son = next(u for u in units if u["name"] == "xã Yên Sơn")
    assert yen_son["slug"] == "xa-yen-son" and communes.get("02473", {}).get("slug") != "yen-son"
    assert next(u for u in units if u["name"] == "xã Nà Hang")["slug"] == "xa-na-hang"


def gso_rows(rows: list[dict]) -> list[list]:
    """The 2022 list as GSO's export has it: level inside the name, codes and district codes."""
    district_codes = {"Thành phố Tuyên Quang": "070", "Huyện Lâm Bình": "071", "Huyện Na Hang": "072",
                      "Huyện Chiêm Hóa": "073", "Huyện Hàm Yên": "074", "Huyện Yên Sơn": "075",
                      "Huyện Sơn Dương": "076"}
    return [["Tỉnh Tuyên Quang", "08", r["district"], district_codes[r["district"]], f"{r['kind']} {r['name']}",
             r["code"], r["kind"], ""] for r in rows]


@pytest.fixture
def province(tmp_path: Path) -> Path:
    """The tiny project with Tuyên Quang's province and districts and no communes but one
    (tests/data/units-import): what the units file held before its communes were imported."""
    return tiny_project(tmp_path / "tiny", "units-import")


def check_imported(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    before = IMPORT_INTO.read_text(encoding="utf-8")
    comments = before[:before.index("\nunits:") + 1]
    assert text.startswith(comments)  # the file's leading comments kept
    units = units_of(path)
    assert sum(u["kind"] == "commune" for u in units) == 138
    kim_phu = next(u for u in units if u["name"] == "xã Kim Phú")
    assert kim_phu["slug"] == "kim-phu-cu" and kim_phu["display_name"] == "xã Kim Phú (TP)"  # kept
    assert kim_phu["code"] == "02497" and isinstance(kim_phu["code"], str)
    assert next(u for u in units if u["slug"] == "ham-yen")["code"] == "074"
    # xã Tân Thành (Hàm Yên) and xã Tân Thanh (Sơn Dương) are one name in ASCII
    tan_thanh = sorted(u["slug"] for u in units if u["name"] in ("xã Tân Thành", "xã Tân Thanh"))
    assert tan_thanh == ["xa-tan-thanh-ham-yen", "xa-tan-thanh-son-duong"]
    # no GSO list has the departments: kept as they were
    assert yaml.safe_load(text)["departments"] == yaml.safe_load(before)["departments"]


def write_gso_csv(source: Path, rows: list[dict]) -> None:
    with open(source, "w", encoding="utf-8-sig", newline="") as handle:  # Excel's "CSV UTF-8"
        writer = csv.writer(handle)
        writer.writerow(["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"])  # GSO's exports start with a title row
        writer.writerow(GSO_HEADER)
        writer.writerows(gso_rows(rows))


def test_import_a_gso_csv_export(province):
    project, path = province, province / "specs" / "units.yaml"
    source = project / "danh-muc.csv"
    write_gso_csv(source, official("tuyen-quang-communes-2022.csv"))
    done = assets("units", "import", str(source), "--province", "Tuyên Quang", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "137 added" in done.stdout  # Kim Phú was there already
    check_imported(path)
    again = assets("units", "import", str(source), cwd=project)
    assert "0 added, 0 updated" in again.stdout, again.stdout
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["imported_from"] == str(source)
    assert assets("check", "--only", "banners", cwd=project).returncode == 0


def test_import_a_gso_xlsx_export_with_codes_as_numbers(province):
    project, path = province, province / "specs" / "units.yaml"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(GSO_HEADER)
    for row in gso_rows(official("tuyen-quang-communes-2022.csv")):
        row[5] = int(row[5])  # a spreadsheet drops the leading zero: 02497 → 2497
        sheet.append(row)
    book.save(project / "danh-muc.xlsx")
    done = assets("units", "import", "danh-muc.xlsx", cwd=project)
    assert done.returncode == 0, done.stderr
    check_imported(path)


def test_import_from_vietnamadminunits_gives_the_2025_list(tmp_path):
    # the delivery project's 2025 campaign names its units file (`units:`), as the product's does
    project = tiny_project(tmp_path / "tiny", "delivery")
    path = project / "specs" / "campaigns" / "units-2025.yaml"
    path.write_text("units:\n  - slug: tuyen-quang\n    name: tỉnh Tuyên Quang\n    kind: province\n", encoding="utf-8")
    done = assets("units", "import", "vietnamadminunits", "--province", "Tuyên Quang",
                      "--campaign", "specs/campaigns/2025.yaml", cwd=project)
    assert done.returncode == 0, done.stderr
    assert units_of(path) == units_of(REPO / "specs" / "campaigns" / "units-2025.yaml")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["imported_from"] == "vietnamadminunits"


def test_the_2022_units_name_the_official_list_they_came_from_and_match_it():
    """Read only: the product's units file names its list, which is tests/data/official's, and no
    commune has a code that list lacks (what `assets check` warns of, below)."""
    from assets_pipeline.designer.units_import import unlisted_codes

    units = REPO / "specs" / "units.yaml"
    assert yaml.safe_load(units.read_text(encoding="utf-8"))["imported_from"] == "official/tuyen-quang-communes-2022.csv"
    assert (REPO / "specs/official/tuyen-quang-communes-2022.csv").read_bytes() == (
        OFFICIAL / "tuyen-quang-communes-2022.csv").read_bytes()
    assert unlisted_codes(REPO, None) == []


def test_a_code_not_in_the_list_the_units_came_from_is_a_warning_naming_it(tmp_path):
    project = tiny_project(tmp_path / "tiny", "units-listed")
    units = project / "specs" / "units.yaml"
    clean = assets("check", "--only", "banners", "--unit", "xa", cwd=project)
    assert clean.returncode == 0 and "warning" not in clean.stderr, clean.stderr
    text = units.read_text(encoding="utf-8")
    units.write_text(text.replace('code: "99999"', 'code: "99998"'), encoding="utf-8")  # a hand-typed code
    line = text.splitlines().index('    code: "99999"') + 1
    warned = assets("check", "--only", "banners", "--unit", "xa", cwd=project)
    assert warned.returncode == 0
    assert (f"warning: specs/units.yaml:{line}: unit 'xa' has GSO code 99998, which is not in "
            "official/thu-nghiem-communes.csv, the official list the units were imported from") in warned.stderr


def test_renamed_commune_keeps_its_slug(province):
    project = province
    rows = official("tuyen-quang-communes-2022.csv")
    write_gso_csv(project / "list.csv", rows)
    assert assets("units", "import", "list.csv", cwd=project).returncode == 0  # the communes, with their codes
    source = project / "renamed.csv"
    rows[0] = dict(rows[0], name="Phan Thiết Mới")
    with open(source, "w", encoding="utf-8", newline="") as handle:  # the official list's own columns
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = assets("units", "import", str(source), "--province", "Tuyên Quang", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "changed phuong-phan-thiet: phường Phan Thiết → phường Phan Thiết Mới" in done.stdout
    unit = next(u for u in units_of(project / "specs" / "units.yaml") if u.get("code") == "02200")
    assert unit["slug"] == "phuong-phan-thiet" and unit["name"] == "phường Phan Thiết Mới"


@pytest.mark.parametrize("content, message", [
    ("Phường Xã,Mã PX,Cấp\nXã Kim Phú,2224x,Xã\n", "danh-muc.csv:2: commune code '2224x' is not 5 digits"),
    ("Phường Xã,Mã PX,Cấp\nKim Phú,02224,\n", "danh-muc.csv:2: 'Kim Phú' has no level"),
    ("Phường Xã,Mã PX,Cấp\nXã A,02224,Xã\nXã B,02224,Xã\n", "danh-muc.csv:3: code 02224 is listed twice"),
    ("Tên,Số\nA,1\n", "danh-muc.csv:1: no header row with a code and a name column"),
])
def test_a_bad_list_is_one_line_and_writes_nothing(tiny, content, message):
    (tiny / "danh-muc.csv").write_text(content, encoding="utf-8")
    before = snapshot(tiny / "specs")
    done = assets("units", "import", "danh-muc.csv", "--province", "Thử Nghiệm", cwd=tiny)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert snapshot(tiny / "specs") == before


def test_a_damaged_xlsx_is_one_line(tiny):
    (tiny / "danh-muc.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    before = snapshot(tiny / "specs")
    done = assets("units", "import", "danh-muc.xlsx", cwd=tiny)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "danh-muc.xlsx" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert snapshot(tiny / "specs") == before


# ------------------------------------------------------------------ bounds: a list is bounded like a spec file


def test_a_list_longer_than_the_row_limit_is_refused_at_the_row_that_passes_it(tiny):
    from assets_pipeline.core.limits import LIMITS

    rows = "".join(f"Xã A{i},{i:05d},Xã\n" for i in range(60_000))
    (tiny / "danh-muc.csv").write_text("Phường Xã,Mã PX,Cấp\n" + rows, encoding="utf-8")
    before = snapshot(tiny / "specs")
    done = assets("units", "import", "danh-muc.csv", "--province", "Thử Nghiệm", cwd=tiny)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.strip() == (f"danh-muc.csv:{LIMITS.max_table_rows + 1}: more than {LIMITS.max_table_rows:,} rows: "
                                   "is this the right file? (ASSETS_LIMIT_MAX_TABLE_ROWS raises the limit)")
    assert snapshot(tiny / "specs") == before


def test_an_xlsx_that_unpacks_to_a_million_rows_is_refused_before_it_is_read(tiny):
    """A real workbook whose sheet is a million rows of the same cells: 300 kB packed, 100 MB unpacked."""
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(GSO_HEADER)
    book.save(tiny / "small.xlsx")
    row = '<row><c t="inlineStr"><is><t>Xã A</t></is></c><c t="inlineStr"><is><t>02224</t></is></c></row>'
    with zipfile.ZipFile(tiny / "small.xlsx") as small, \
            zipfile.ZipFile(tiny / "danh-muc.xlsx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in small.infolist():
            data = small.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", row.encode() * 1_000_000 + b"</sheetData>")
            bomb.writestr(member.filename, data)
    assert (tiny / "danh-muc.xlsx").stat().st_size < 2_000_000
    before = snapshot(tiny / "specs")
    done = assets("units", "import", "danh-muc.xlsx", "--province", "Thử Nghiệm", cwd=tiny)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("danh-muc.xlsx: the workbook unpacks to more than") and "xl/worksheets/sheet1.xml" in line
    assert snapshot(tiny / "specs") == before


def test_names_that_would_make_unusable_slugs_still_import_as_ids(tiny):
    """`Côn` would be `con`, which Windows refuses as a file name; a long name, a slug over 63 letters."""
    from assets_pipeline.core.specmodel import SLUG

    long_name = "Xã " + " ".join(["Thượng Lâm Hạ Lâm"] * 5)
    source = tiny / "danh-muc.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(GSO_HEADER)
        writer.writerow(["Tỉnh Thử Nghiệm", "99", "Huyện Côn", "979", "Xã Côn", "99901", "Xã", ""])
        writer.writerow(["Tỉnh Thử Nghiệm", "99", "Huyện Côn", "979", long_name, "99902", "Xã", ""])
        writer.writerow(["Tỉnh Thử Nghiệm", "99", "Huyện Côn", "979", long_name + " Mới", "99903", "Xã", ""])
    done = assets("units", "import", str(source), cwd=tiny)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    units = units_of(tiny / "specs" / "units.yaml")
    slugs = [u["slug"] for u in units]
    assert all(re.fullmatch(SLUG, slug) for slug in slugs) and len(set(slugs)) == len(slugs)
    assert next(u for u in units if u["name"] == "huyện Côn")["slug"] == "con-2"
    assert {u["name"] for u in units} >= {"xã Côn", "x" + long_name[1:], "x" + long_name[1:] + " Mới"}
