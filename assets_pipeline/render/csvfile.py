"""A unit's results return form as CSV, for an office without a spreadsheet program: the particulars as
`label,value` lines, a blank line, then one line per indicator with its figure and note left empty.

Written for the commune office's Windows computer as README.txt is (render/txt.py): UTF-8 with a
byte-order mark, which Excel needs to read Vietnamese from a CSV, and CRLF line ends.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from assets_pipeline.layout.items import Layout
from assets_pipeline.plan.jobs import Job
from assets_pipeline.plan.return_form import CSV_COLUMNS, FIELDS, NO, YES, ReturnForm
from assets_pipeline.render.txt import notepad_bytes


def render(job: Job, layout: Layout, path: Path) -> dict[str, Any]:
    if job.document is None or job.document.form is None:
        raise ValueError("a CSV file is made of a results return form")
    path.write_bytes(notepad_bytes(form_csv(job.document.form)))
    return {}


def form_csv(form: ReturnForm) -> str:
    values = form.particulars()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    for key, (_, label) in FIELDS.items():
        writer.writerow([label, values[key]])
    writer.writerow([])
    writer.writerow(CSV_COLUMNS)
    for number, row in enumerate(form.rows, start=1):
        writer.writerow([number, row.id, row.name, f"{YES}/{NO}" if row.type == "yes-no" else row.measure, "", ""])
    return text.getvalue()
