"""`assets results collect FOLDER`: every return in a folder, whatever its file name, identified by the
unit code inside it and checked against the campaign's units and indicators.

A return with any error is refused as a whole (its unit is asked to send it again, collect.Collection
`refused`): a total that silently leaves out a mistyped cell would be worse than a late one. Of a unit's
returns that can be read, the one saved last counts, and the others are named; a refused return never
replaces one already accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assets_pipeline.core.i18n import _
from assets_pipeline.plan.return_form import FIELDS, NO, YES, form_id
from assets_pipeline.results.returns import FORMULA, Cell, Problem, Return, read_return
from assets_pipeline.specs.container import Specs
from assets_pipeline.specs.indicators import Indicator, form_version, indicators_for
from assets_pipeline.specs.models import Unit
from assets_pipeline.specs.totals import whole_number

FORM_SUFFIXES = (".xlsx", ".csv")
ANSWERS = {"có": True, "co": True, "x": True, "yes": True, "không": False, "khong": False, "no": False}

Value = int | bool


@dataclass
class Accepted:
    unit: Unit
    file: str
    saved_ns: int
    values: dict[str, Value]  # indicator id → figure (blank cells are left out)
    notes: dict[str, str]
    contact: str


@dataclass
class Collection:
    accepted: dict[str, Accepted] = field(default_factory=dict)  # unit slug → the return that counts
    refused: dict[str, list[str]] = field(default_factory=dict)  # unit slug → its refused files (not accepted since)
    problems: list[Problem] = field(default_factory=list)  # every line to show, in the order found
    files: int = 0  # forms read


def collect(specs: Specs, folder: Path, shown: str) -> Collection:
    found = Collection()
    by_code = {u.code: u for u in specs.units if u.code} | {u.slug: u for u in specs.units if not u.code}
    returns: list[tuple[Return, Unit | None, dict[str, Value]]] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        name = f"{shown.rstrip('/')}/{relative}"
        if path.name.startswith((".", "~$")) or path.is_dir():  # hidden files, a spreadsheet program's lock file
            continue
        if path.is_symlink() or not path.is_file():
            found.problems.append(Problem(name, _("a link or a special file: not read"), refuses=False))
            continue
        if path.suffix.lower() not in FORM_SUFFIXES:
            found.problems.append(Problem(name, _("not a form (only .xlsx and .csv files are read)"), refuses=False))
            continue
        found.files += 1
        sent = read_return(path, name)
        unit = _unit_of(sent, specs, by_code) if sent.readable else None
        returns.append((sent, unit, _read_values(sent, specs.indicators, unit) if unit is not None else {}))
    said: dict[str, list[Problem]] = {}  # by file, said in the order of the files' names
    for sent, unit, values in sorted(returns, key=lambda r: (r[0].saved_ns, r[0].file)):  # the later one wins
        said.setdefault(sent.file, []).extend(sent.problems)
        if unit is None:
            continue
        earlier = found.accepted.get(unit.slug)
        if not sent.readable:
            found.refused.setdefault(unit.slug, []).append(sent.file)
            if earlier is not None:
                said[sent.file].append(Problem(sent.file, _("{unit} sent this after {earlier}, which is counted until "
                                                            "this one is sent again without errors",
                                                            unit=unit.shown, earlier=earlier.file), refuses=False))
            continue
        if earlier is not None:
            said[sent.file].append(Problem(sent.file, _("{unit} sent a return before ({earlier}): this later one is "
                                                        "counted", unit=unit.shown, earlier=earlier.file), refuses=False))
        found.refused.pop(unit.slug, None)
        found.accepted[unit.slug] = Accepted(unit, sent.file, sent.saved_ns, values,
                                             {key: str(note.value).strip() for key, (_f, note) in sent.rows.items()
                                              if note.value not in (None, "", FORMULA)}, sent.text("contact"))
    for file in sorted(said):
        found.problems.extend(said[file])
    return found


def _unit_of(sent: Return, specs: Specs, by_code: dict[str, Unit]) -> Unit | None:
    """The unit the return is from, by the code in it, once its form is this campaign's current one."""
    code = sent.particulars.get("code")
    place = code.place if code is not None else sent.file
    form = sent.particulars.get("form")
    written = sent.text("form")
    if form is None or written.count("/") != 2:
        sent.problems.append(Problem(form.place if form else sent.file,
                                     _("no form id ('{label}'): not a results form of this tool", label=FIELDS["form"][1])))
        return None
    campaign, kind, version = written.split("/")
    if campaign != specs.campaign.id:
        sent.problems.append(Problem(form.place, _("a form of campaign '{other}', not of '{campaign}'", other=campaign,
                                                   campaign=specs.campaign.id)))
        return None
    value = sent.text("code")
    if value.isdigit() and len(value) in (1, 2, 4) and code is not None and isinstance(code.value, int | float):
        value = value.zfill({1: 2, 2: 2, 4: 5}[len(value)])  # a code a spreadsheet took for a number: 2497 → 02497
    unit = by_code.get(value)
    if unit is None:
        sent.problems.append(Problem(place, _("unit code '{code}' is not a unit of the campaign", code=value)
                                     if value else _("no unit code")))
        return None
    if kind != unit.kind:
        sent.problems.append(Problem(form.place, _("the form of another level of unit than {unit}'s", unit=unit.shown)))
        return None
    current = form_id(specs.campaign.id, unit.kind, form_version(indicators_for(specs.indicators, unit.kind)))
    if written != current:
        sent.problems.append(Problem(form.place, _("an earlier version of the form ({version}); the indicators have "
                                                   "changed since: send {unit} its current form", version=version,
                                                   unit=unit.shown)))
        return None
    return unit


def _read_values(sent: Return, indicators: dict[str, Indicator], unit: Unit) -> dict[str, Value]:
    """The return's figures in the indicators' order (blank cells left out); what is wrong with it is added
    to its problems."""
    asked = indicators_for(indicators, unit.kind)
    for key in sent.rows.keys() - asked.keys():
        sent.problems.append(Problem(sent.rows[key][0].place, _("indicator '{id}' is not on this form", id=key)))
    for key in asked.keys() - sent.rows.keys():
        sent.problems.append(Problem(sent.file, _("the row of '{name}' is missing", name=asked[key].name)))
    read: dict[str, Value] = {}
    for key, (figure, _note) in sent.rows.items():
        if key in asked:
            value, problem = _value(figure, asked[key])
            if problem:
                sent.problems.append(Problem(figure.place, problem))
            elif value is not None:
                read[key] = value
    return {key: read[key] for key in asked if key in read}


def _value(cell: Cell, indicator: Indicator) -> tuple[Value | None, str]:
    """The figure a cell holds for `indicator`, or why it holds none that can be counted."""
    value = cell.value
    if value == FORMULA:
        return None, _("a formula ({formula}) is not read: type the figure itself", formula=cell.formula)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if indicator.type == "yes-no":
        answer = ANSWERS.get(str(value).strip().lower())
        if answer is None:
            return None, _("'{value}' is not {yes} or {no}", value=value, yes=YES, no=NO)
        return answer, ""
    if isinstance(value, bool):
        return None, _("'{value}' is not a whole number", value=value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        number = -int(text[1:]) if text.startswith("-") and text[1:].isdigit() else whole_number(text)
        value = value if number is None else number
    if not isinstance(value, int):
        return None, _("'{value}' is not a whole number", value=value)
    if value < 0:
        return None, _("{value} is negative", value=value)
    if indicator.max is not None and value > indicator.max:
        return None, _("{value} is more than one unit could report for '{name}' (at most {most}): check the figure",
                       value=value, name=indicator.name, most=indicator.max)
    return value, ""
