"""The plan's loop (mục V.1): a results return form in every reporting unit's bundle, filled in and sent back
as units would (openpyxl, a CSV editor), collected by `assets results collect`, and the numeric form, the
chase list and the problems read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from assets_pipeline.plan.return_form import FIELDS, HEADER_ROW, SHEET, form_for
from assets_pipeline.render.csvfile import form_csv
from assets_pipeline.render.xlsx import form_workbook
from assets_pipeline.specs.load import load_specs
from tests.conftest import REPO, assets, snapshot, tiny_project

RESULTS = REPO / "tests" / "data" / "results"
TODAY = "2022-10-12"


def results_project(destination: Path) -> Path:
    """The tiny project with a second district of two communes, a deadline and the results form."""
    return tiny_project(destination, "results")


def fill(form: Path, figures: dict[str, object], into: Path, code: object = None) -> Path:
    """A form filled in as a unit does in its spreadsheet program: figures by the indicator's row."""
    book = openpyxl.load_workbook(form)
    sheet = book[SHEET]
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        key = sheet[f"F{row}"].value
        if key in figures:
            sheet[f"D{row}"] = figures[key]
    sheet[f"C{FIELDS['contact'][0]}"] = "Nguyễn Văn An, 0912 345 678"
    if code is not None:
        sheet[f"C{FIELDS['code'][0]}"] = code
    into.parent.mkdir(parents=True, exist_ok=True)
    book.save(into)
    return into


def fill_csv(text: str, figures: dict[str, str], delimiter: str = ",") -> str:
    """A CSV form filled in as in a text editor or a spreadsheet program set to `delimiter`."""
    rows = list(csv.reader(io.StringIO(text)))
    heading = next(r for r in rows if "Mã chỉ tiêu" in r)
    key, figure = heading.index("Mã chỉ tiêu"), heading.index("Số liệu")
    for row in rows[rows.index(heading) + 1:]:
        if len(row) > key and row[key] in figures:
            row[figure] = figures[row[key]]
    written = io.StringIO()
    csv.writer(written, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return written.getvalue()


def collect(root: Path, returns: Path, *more: str):
    return assets("results", "collect", str(returns), "--today", TODAY, *more, cwd=root)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = results_project(tmp_path / "project")
    done = assets("build", "--only", "results", "-j", "1", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def form_of(root: Path, unit: str, extension: str = "xlsx") -> Path:
    return next((root / "output" / unit / "results").glob(f"*.{extension}"))


def test_every_reporting_unit_gets_a_locked_form_that_accepts_only_what_fits(built: Path):
    output = built / "output"
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    units = {a["unit"] for a in manifest["assets"] if a["channel"] == "results"}
    assert units == {"huyen", "xa", "huyen-hai", "xa-hai", "phuong-ba"}  # not the province: it collects
    book = openpyxl.load_workbook(form_of(built, "xa"))
    sheet = book[SHEET]
    assert sheet.protection.sheet and sheet.column_dimensions["F"].hidden
    assert sheet[f"C{FIELDS['unit'][0]}"].value == "xã Quỳnh Lâm" and sheet[f"C{FIELDS['code'][0]}"].value == "99999"
    assert sheet[f"C{FIELDS['deadline'][0]}"].value == "trước ngày 15/10/2022, gửi Ủy ban nhân dân huyện Đồi Núi"
    rows = {sheet[f"F{r}"].value: r for r in range(HEADER_ROW + 1, sheet.max_row + 1) if sheet[f"F{r}"].value}
    assert list(rows) == ["bang-ron", "cong-dan-khong-viet", "nguoi-duoc-huong-dan"]  # the commune's, in order
    for row in rows.values():  # the figure and the note open, the rest locked
        assert not sheet[f"D{row}"].protection.locked and not sheet[f"E{row}"].protection.locked
        assert sheet[f"B{row}"].protection.locked and sheet[f"F{row}"].protection.locked
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    count, answer = rules[f"D{rows['bang-ron']}"], rules[f"D{rows['cong-dan-khong-viet']}"]
    assert (count.type, count.formula1, count.formula2) == ("whole", "0", "500")
    assert (answer.type, answer.formula1) == ("list", '"Có,Không"')
    district = openpyxl.load_workbook(form_of(built, "huyen"))[SHEET]
    assert district[f"C{FIELDS['deadline'][0]}"].value.endswith("gửi Sở Thông tin và Truyền thông tỉnh Thử Nghiệm")
    assert "man-hinh-led" in {district[f"F{r}"].value for r in range(HEADER_ROW + 1, district.max_row + 1)}
    raw = form_of(built, "xa", "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    text = subprocess.run(["pdftotext", "-layout", str(form_of(built, "xa", "pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "BÁO CÁO" in text and "Người dân được hướng dẫn" in text and "Kính gửi: Ủy ban nhân dân huyện Đồi Núi" in text
    assert assets("verify", cwd=built).returncode == 0


def test_the_same_specs_give_the_same_form_bytes(built: Path, tmp_path: Path):
    again = results_project(tmp_path / "again")
    assert assets("build", "--only", "results", "-j", "1", cwd=again).returncode == 0
    assert form_of(built, "huyen").read_bytes() == form_of(again, "huyen").read_bytes()


def test_a_commune_bundle_carries_its_form_and_says_where_it_goes(built: Path):
    assert assets("bundle", cwd=built).returncode == 0
    with zipfile.ZipFile(built / "output" / "bundles" / "xa.zip") as archive:
        names = archive.namelist()
        readme = archive.read("README.txt").decode("utf-8-sig")
    assert {n.rsplit(".", 1)[1] for n in names if "/results/" in n} == {"xlsx", "csv", "pdf"}
    assert "Báo cáo kết quả triển khai về Ủy ban nhân dân huyện Đồi Núi trước ngày 15/10/2022" in " ".join(readme.split())


def test_returns_are_collected_checked_and_added_up_by_district(built: Path, tmp_path: Path):
    returns = tmp_path / "returns"
    fill(form_of(built, "huyen"), {"bang-ron": 40, "cong-dan-khong-viet": "Có", "man-hinh-led": 3},
         returns / "Huyen Doi Nui - bao cao.xlsx")
    fill(form_of(built, "xa"), {"bang-ron": 12, "cong-dan-khong-viet": "Không", "nguoi-duoc-huong-dan": 1234},
         returns / "xa" / "first.xlsx")
    fill(form_of(built, "huyen-hai"), {"bang-ron": "mười", "man-hinh-led": -2}, returns / "song-lo.xlsx")
    fill(form_of(built, "xa-hai"), {"bang-ron": "=2*3"}, returns / "hong-lac.xlsx")
    (returns / "ghi-chu.pdf").write_bytes(b"%PDF-1.4")  # a scan sent along: not a form
    before = snapshot(returns)
    first = collect(built, returns)
    assert first.returncode == 0, first.stderr
    said = first.stderr.splitlines()
    assert said == [
        f"{returns}/ghi-chu.pdf: not a form (only .xlsx and .csv files are read)",
        f"{returns}/hong-lac.xlsx:Báo cáo!D13: a formula (=2*3) is not read: type the figure itself",
        f"{returns}/song-lo.xlsx:Báo cáo!D13: 'mười' is not a whole number",
        f"{returns}/song-lo.xlsx:Báo cáo!D15: -2 is negative",
    ], said
    assert "2 of 5 units have reported; 2 returns refused" in first.stdout
    assert snapshot(returns) == before  # the returns are read, never written

    results = built / "output" / "results"
    totals = json.loads((results / "tong-hop.json").read_text(encoding="utf-8"))
    assert (totals["reported"], totals["expected"]) == (2, 5)
    assert totals["totals"] == {"bang-ron": 52, "cong-dan-khong-viet": 1, "man-hinh-led": 3, "nguoi-duoc-huong-dan": 1234}
    assert totals["districts"]["huyen"]["bang-ron"] == 52 and totals["districts"]["huyen-hai"]["bang-ron"] == 0
    sheet = openpyxl.load_workbook(results / "tong-hop.xlsx")["Tổng hợp"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5)]
    assert [r[1] for r in rows] == ["TỔNG CỘNG (tỉnh Thử Nghiệm)", "huyện Đồi Núi", "xã Quỳnh Lâm", "Cộng huyện Đồi Núi",
                                    "huyện Sông Lô", "xã Hồng Lạc", "phường Ỷ La", "Cộng huyện Sông Lô"]
    assert rows[0][4:6] == ["2/5", 52] and rows[3][4:6] == ["2/2", 52] and rows[7][4:6] == ["0/3", 0]
    assert rows[2][4:] == ["Đã báo cáo", 12, "Không", None, 1234] and rows[4][4] == "Gửi lại (có lỗi)"
    with open(results / "don-doc.csv", encoding="utf-8-sig", newline="") as file:
        chase = list(csv.reader(file))
    assert [r[1] for r in chase[1:]] == ["huyện Sông Lô", "xã Hồng Lạc", "phường Ỷ La"]
    assert chase[3][3:] == ["huyện Sông Lô", "Chưa báo cáo", "15/10/2022", "còn 2 ngày"]
    district = json.loads((results / "huyen-hai" / "tong-hop.json").read_text(encoding="utf-8"))
    assert (district["reported"], district["expected"]) == (0, 3)

    # the province's report (Nghị định 30/2020/NĐ-CP), for a word processor and as PDF
    document = docx.Document(str(results / "bao-cao.docx"))
    header = [p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs]
    assert header[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM"] and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Số: …………/BC-STTTT" in header and "Thử Nghiệm, ngày ………… tháng ………… năm 2022" in header
    body = [p.text.replace("\u00a0", " ") for p in document.paragraphs]  # a figure keeps to its measure
    for line in ("BÁO CÁO", "- Băng rôn đã treo: 52 cái.", "- Màn hình LED đã trình chiếu: 3 màn hình.",
                 "- Người dân được hướng dẫn: 1.234 người.",
                 "- Triển khai mô hình “Công dân không viết”: 1/2 đơn vị đã báo cáo có triển khai.",
                 "Đến ngày 12/10/2022, 2/5 đơn vị đã gửi báo cáo kết quả (1/2 huyện, thành phố; 1/3 xã, phường, thị "
                 "trấn); 3 đơn vị chưa gửi hoặc phải gửi lại (mục III).",
                 "- Tỉnh Thử Nghiệm: phải gửi lại huyện Sông Lô.",
                 "Trên đây là báo cáo kết quả triển khai Kế hoạch truyền thông Ngày thử nghiệm 10/10 năm 2022 của Sở "
                 "Thông tin và Truyền thông./."):
        assert line in body, (line, body)
    assert [p.text for p in document.tables[1].rows[0].cells[1].paragraphs][0] == "GIÁM ĐỐC"
    text = " ".join(subprocess.run(["pdftotext", str(results / "bao-cao.pdf"), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "BÁO CÁO" in text and "Băng rôn đã treo: 52 cái." in text and "Kính gửi:" in text
    district_report = docx.Document(str(results / "huyen-hai" / "bao-cao.docx"))
    district_body = [p.text for p in district_report.paragraphs]
    assert "Kính gửi: Sở Thông tin và Truyền thông tỉnh Thử Nghiệm." in district_body
    assert district_body[-1].endswith("của Ủy ban nhân dân huyện Sông Lô./.")

    # the district sends its form again, corrected; a commune sends a second, later return; a stray file
    fill(form_of(built, "huyen-hai"), {"bang-ron": 7, "man-hinh-led": 1}, returns / "song-lo.xlsx")
    later = fill(form_of(built, "xa"), {"bang-ron": 15}, returns / "xa" / "second.xlsx")
    os.utime(later, (later.stat().st_mtime + 60,) * 2)
    (returns / "bom.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    again = collect(built, returns)
    assert f"{returns}/xa/second.xlsx: xã Quỳnh Lâm sent a return before ({returns}/xa/first.xlsx): this later one is " \
           "counted" in again.stderr
    assert f"{returns}/bom.xlsx: not a readable XLSX workbook" in again.stderr
    totals = json.loads((results / "tong-hop.json").read_text(encoding="utf-8"))
    assert totals["reported"] == 3 and totals["totals"]["bang-ron"] == 40 + 15 + 7


def test_wrong_forms_are_named_and_nothing_collected_is_lost(built: Path, tmp_path: Path):
    returns = tmp_path / "returns"
    good = fill(form_of(built, "huyen"), {"bang-ron": 40}, returns / "huyen.xlsx")
    fill(form_of(built, "xa"), {"bang-ron": 1}, returns / "unknown.xlsx", code="12345")
    other = openpyxl.load_workbook(form_of(built, "xa-hai"))
    other[SHEET][f"C{FIELDS['form'][0]}"] = "cds-2021-khac/commune/00000000"
    other.create_sheet("Nháp")
    other.save(returns / "other-campaign.xlsx")
    extra = openpyxl.load_workbook(form_of(built, "phuong-ba"))
    extra.create_sheet("Nháp")
    extra.save(returns / "extra-sheet.xlsx")
    done = collect(built, returns)
    assert f"{returns}/unknown.xlsx:Báo cáo!C5: unit code '12345' is not a unit of the campaign" in done.stderr
    assert (f"{returns}/other-campaign.xlsx:Báo cáo!C9: a form of campaign 'cds-2021-khac', not of 'thu-nghiem'"
            in done.stderr)
    assert f"{returns}/extra-sheet.xlsx:Nháp: a sheet the form does not have: not read" in done.stderr
    assert "3 of 5 units have reported" not in done.stdout and "2 of 5 units have reported" in done.stdout
    results = built / "output" / "results"
    kept = snapshot(results)

    # a hostile file arrives: a workbook that unpacks to gigabytes; a CSV of a million rows
    bomb = returns / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 80_000_000 + b">")
    with open(returns / "rows.csv", "w", encoding="utf-8") as file:
        file.write("STT,Mã chỉ tiêu,Chỉ tiêu,Đơn vị tính,Số liệu,Ghi chú\n" + "1,bang-ron,x,cái,1,\n" * 1_000_000)
    hostile = collect(built, returns)
    assert hostile.returncode == 0
    assert f"{returns}/bomb.xlsx: the workbook unpacks to more than" in hostile.stderr
    assert f"{returns}/rows.csv: file larger than" in hostile.stderr
    assert {k: v for k, v in snapshot(results).items() if k != "kiem-tra.txt"} == \
        {k: v for k, v in kept.items() if k != "kiem-tra.txt"} and good.is_file()


def test_a_csv_return_counts_like_a_workbook(built: Path, tmp_path: Path):
    returns = tmp_path / "returns"
    returns.mkdir()
    text = form_of(built, "xa", "csv").read_text(encoding="utf-8-sig")
    # saved by a spreadsheet program whose list separator is a semicolon, as Vietnamese settings have it
    filled = fill_csv(text, {"bang-ron": "12", "nguoi-duoc-huong-dan": "1.234", "cong-dan-khong-viet": "có"},
                      delimiter=";")
    (returns / "xa.csv").write_text(filled, encoding="utf-8-sig")
    done = collect(built, returns)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    totals = json.loads((built / "output/results/tong-hop.json").read_text(encoding="utf-8"))
    assert totals["units"]["xa"] == {"bang-ron": 12, "cong-dan-khong-viet": True, "nguoi-duoc-huong-dan": 1234}


@pytest.mark.slow
def test_the_default_campaigns_146_units_round_trip(tmp_path: Path):
    """Every reporting unit of the 2022 campaign: its form made, filled (most correctly, some not), collected."""
    specs = load_specs(REPO)
    returns = tmp_path / "returns"
    returns.mkdir()
    reporting = [u for u in specs.units if u.kind != "province"]
    expected: dict[str, int] = {}
    for index, unit in enumerate(reporting):
        form = form_for(specs, unit)
        if index % 10 == 9:  # a tenth never reports
            continue
        if index % 7 == 3:  # some send the CSV
            (returns / f"{unit.slug}.csv").write_text(fill_csv(form_csv(form), {"bang-ron": str(index)}),
                                                     encoding="utf-8-sig")
            expected[unit.slug] = index
            continue
        source = tmp_path / "form.xlsx"
        source.write_bytes(form_workbook(form, "BÁO CÁO", None))
        value: object = -1 if index == 5 else index  # one types a negative
        fill(source, {"bang-ron": value}, returns / f"{index:03d}.xlsx")
        if value != -1:
            expected[unit.slug] = index
    done = collect(tmp_path, returns, "--root", str(REPO), "--output", str(tmp_path / "output"))
    assert done.returncode == 0
    assert done.stderr == "returns/005.xlsx:Báo cáo!D13: -1 is negative\n"
    totals = json.loads((tmp_path / "output/results/tong-hop.json").read_text(encoding="utf-8"))
    assert totals["expected"] == len(reporting) == 145
    assert totals["totals"]["bang-ron"] == sum(expected.values())
    chase = (tmp_path / "output/results/don-doc.csv").read_text(encoding="utf-8-sig")
    missing = [u.shown for i, u in enumerate(reporting) if i % 10 == 9 or i == 5]
    assert all(name in chase for name in missing) and len(chase.splitlines()) == len(missing) + 1
    assert "còn 2 ngày" in chase
    assert dt.date.fromisoformat(totals["as_of"]) == dt.date(2022, 10, 12)


def infographic_project(destination: Path, totals: str) -> Path:
    root = results_project(destination)
    shutil.copy(RESULTS / "ket-qua.yaml", root / "specs" / "designs" / "ket-qua.yaml")
    (root / "specs" / "ket-qua.csv").write_text(totals, encoding="utf-8")
    return root


TYPED = """# typed by the department before the returns arrive
unit,indicator,value
tinh,bang-ron,1.234
tinh,nguoi-duoc-huong-dan,56789
huyen,bang-ron,1000
huyen,nguoi-duoc-huong-dan,40000
huyen-hai,bang-ron,234
huyen-hai,nguoi-duoc-huong-dan,16789
"""


@pytest.mark.slow
def test_the_infographic_draws_the_totals_as_vietnamese_writes_them(tmp_path: Path):
    root = infographic_project(tmp_path / "project", TYPED)
    done = assets("build", "--design", "ket-qua", "-j", "1", cwd=root)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((root / "output/manifest.json").read_text(encoding="utf-8"))
    made = {(a["unit"], a["format"], a["media"]) for a in manifest["assets"]}
    assert {unit for unit, _f, _m in made} == {"tinh", "huyen", "huyen-hai"}  # the units with results
    sheet = next(a for a in manifest["assets"] if a["unit"] == "tinh" and a["media"] == "pdf")
    assert {"1.234", "56.789", "Đồi Núi", "Sông Lô", "1.000", "234"} <= set(sheet["texts"]), sheet["texts"]
    text = subprocess.run(["pdftotext", str(root / "output" / sheet["path"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "1.234" in text and "56.789" in text and "người" in text and "hướng dẫn" in text
    assert text.index("Đồi Núi") < text.index("Sông Lô")  # the larger bar first
    post = root / "output" / next(a["path"] for a in manifest["assets"] if a["unit"] == "tinh" and a["media"] == "png"
                                  and a["format"] == "post-600x600")
    read = subprocess.run(["tesseract", str(post), "-", "-l", "vie", "--psm", "11"], capture_output=True, text=True,
                          check=True).stdout
    assert "1.234" in read and "56.789" in read, read


def test_collected_totals_become_the_infographics_and_a_bad_total_is_one_line(built: Path, tmp_path: Path):
    returns = tmp_path / "returns"
    fill(form_of(built, "huyen"), {"bang-ron": 40}, returns / "huyen.xlsx")
    fill(form_of(built, "xa"), {"bang-ron": 2, "nguoi-duoc-huong-dan": 1500}, returns / "xa.xlsx")
    assert collect(built, returns, "--update-specs").returncode == 0
    lines = (built / "specs/ket-qua.csv").read_text(encoding="utf-8").splitlines()
    assert "tinh,bang-ron,42" in lines and "huyen,nguoi-duoc-huong-dan,1500" in lines and "huyen-hai,bang-ron,0" in lines
    shutil.copy(RESULTS / "ket-qua.yaml", built / "specs" / "designs" / "ket-qua.yaml")
    assert assets("build", "--design", "ket-qua", "-j", "1", cwd=built).returncode == 0
    manifest = json.loads((built / "output/manifest.json").read_text(encoding="utf-8"))
    sheet = next(a for a in manifest["assets"] if a["design"] == "ket-qua" and a["unit"] == "tinh" and a["media"] == "pdf")
    text = subprocess.run(["pdftotext", str(built / "output" / sheet["path"]), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\n")
    totals = json.loads((built / "output/results/tong-hop.json").read_text(encoding="utf-8"))["totals"]
    assert str(totals["bang-ron"]) in text and f"{totals['nguoi-duoc-huong-dan']:,}".replace(",", ".") in text
    (built / "specs/ket-qua.csv").write_text("unit,indicator,value\ntinh,bang-ron,42\ntinh,bang-ron,mười\n"
                                             "xa-khong-co,bang-ron,1\n", encoding="utf-8")
    before = snapshot(built / "output")
    bad = assets("build", cwd=built)
    assert bad.returncode == 2
    assert "specs/ket-qua.csv:3: 'mười' is not a whole number" in bad.stderr
    assert "specs/ket-qua.csv:4: unit 'xa-khong-co' is not defined" in bad.stderr
    assert snapshot(built / "output") == before


def test_a_form_of_an_earlier_version_is_refused_and_a_reworded_one_is_not(built: Path, tmp_path: Path):
    returns = tmp_path / "returns"
    fill(form_of(built, "huyen"), {"bang-ron": 5}, returns / "huyen.xlsx")
    indicators = built / "specs/indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(text.replace("name: Băng rôn đã treo", "name: Băng rôn, khẩu hiệu đã treo")
                          .replace("max: 500", "max: 800"), encoding="utf-8")
    assert "1 of 5 units have reported" in collect(built, returns).stdout  # wording and bounds: the same form
    indicators.write_text(text + "  tin-bai:\n    name: Tin, bài đã đăng\n    measure: tin, bài\n"
                                 "    kinds: [district]\n    max: 100\n    section: III.4.1.b\n", encoding="utf-8")
    done = collect(built, returns)
    assert "0 of 5 units have reported" in done.stdout
    assert (f"{returns}/huyen.xlsx:Báo cáo!C9: an earlier version of the form" in done.stderr
            and "send huyện Đồi Núi its current form" in done.stderr), done.stderr
