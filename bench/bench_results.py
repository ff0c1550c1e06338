"""Collecting the results returns: `assets results collect` of every reporting unit's form, and a national
roll-up. Target (issue: the plan's loop): the 2022 campaign's 145 returns (7 districts, 138 communes,
XLSX as the units fill them in) read, checked, and every table, report and list written in ≤ 5 s on
2 cores. Then the 2025 campaign with every province's communes (PyPI `vietnamadminunits`, about 3,300),
one return each (CSV, every tenth as XLSX), at a quarter of them and at all: the time should grow
linearly. Tiny mode (bench/measure.py): ten returns; two provinces at half and all of their communes.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_national import copy_project as national_project  # noqa: E402
from bench_national import national_units, write_project  # noqa: E402
from measure import REPO, TINY, run, verdict  # noqa: E402

sys.path.insert(0, str(REPO))
import openpyxl  # noqa: E402

from assets_pipeline.plan.return_form import HEADER_ROW, SHEET, form_for  # noqa: E402
from assets_pipeline.render.csvfile import form_csv  # noqa: E402
from assets_pipeline.render.xlsx import form_workbook  # noqa: E402
from assets_pipeline.specs.load import load_specs  # noqa: E402

TARGET_S = 5.0
TODAY = "2022-10-12"


def write_returns(root: Path, campaign: str | None, folder: Path, limit: int | None = None, xlsx_every: int = 1) -> int:
    """One filled return per reporting unit of the campaign (the first `limit`): as XLSX (every
    `xlsx_every`-th) or CSV."""
    specs = load_specs(root, campaign)
    folder.mkdir(parents=True)
    units = [u for u in specs.units if u.kind != "province"][:limit]
    for index, unit in enumerate(units):
        form = form_for(specs, unit)
        figures = {row.id: ("Có" if row.type == "yes-no" else index % 50 + 1) for row in form.rows}
        if index % xlsx_every == 0:
            book = openpyxl.load_workbook(io.BytesIO(form_workbook(form, "BÁO CÁO", None)))
            sheet = book[SHEET]
            for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(form.rows)):
                sheet[f"D{row}"] = figures[sheet[f"F{row}"].value]
            book.save(folder / f"{unit.slug}.xlsx")
        else:
            rows = list(csv.reader(io.StringIO(form_csv(form))))
            heading = rows.index(["STT", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú"])
            for row in rows[heading + 1:]:
                row[4] = str(figures[row[1]])
            text = io.StringIO()
            csv.writer(text, lineterminator="\r\n").writerows(rows)
            (folder / f"{unit.slug}.csv").write_text(text.getvalue(), encoding="utf-8-sig")
    return len(units)


def collect(root: Path, folder: Path, *more: str):
    return run([sys.executable, "-m", "assets_pipeline", "results", "collect", str(folder), "--today", TODAY, *more],
               cwd=root, env={"ASSETS_LIMIT_MAX_JOBS": "1000000"})


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "project"
        national_project(root)  # the default specs and fonts (and the 2025 procedures every commune posts)
        count = write_returns(root, None, Path(scratch) / "returns", 10 if TINY else None)
        done = collect(root, Path(scratch) / "returns")
        print(f"2022 campaign: {count} returns (XLSX) collected, checked and written in {done.seconds:.2f} s, "
              f"{done.peak_mb:.0f} MB (target ≤ {TARGET_S:g} s)  {verdict(done.seconds, TARGET_S)}")
        print(f"  [{done.stdout.strip()}]")

        units = national_units()
        rows = []
        for share in (0.5, 1.0) if TINY else (0.25, 1.0):
            write_project(root, units, share)
            folder = Path(scratch) / f"returns-{share}"
            count = write_returns(root, "specs/campaigns/2025.yaml", folder, xlsx_every=10)
            rows.append((count, collect(root, folder, "--campaign", "specs/campaigns/2025.yaml",
                                        "--output", str(Path(scratch) / f"output-{share}"))))
        for count, done in rows:
            print(f"national roll-up: {count:5d} returns in {done.seconds:6.2f} s ({done.seconds / count * 1000:.1f} ms "
                  f"a return), {done.peak_mb:.0f} MB")
        (small, first), (large, last) = rows
        ratio = (last.seconds / first.seconds) / (large / small)
        print(f"growth: {large / small:.1f}× the returns, {last.seconds / first.seconds:.1f}× the time "
              f"({ratio:.2f}× linear; target ≤ 1.2×)  {verdict(ratio, 1.2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
