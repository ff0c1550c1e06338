"""The results every unit reports back (mục V.1 of the plan): the indicators of the return form
(`bao-cao-ket-qua.xlsx` in each unit's bundle), as the department edits them in specs/indicators.yaml.

An indicator is reported by the units of the kinds it names, as a whole number of its measure
(`count`) or as yes/no (`yes-no`); `max` is the most a unit could plausibly report, beyond which a
return is refused at its cell.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import Field

from assets_pipeline.core.specmodel import SLUG, SpecModel

FILE = "indicators.yaml"


class Indicator(SpecModel):
    name: str = Field(min_length=1, max_length=200, description="The indicator as the form prints it.")
    measure: str = Field(min_length=1, max_length=30, description="Its unit of measure (đơn vị tính): "
                                                                  "`cái`, `phút`, `người`; `có/không` for yes-no.")
    type: Literal["count", "yes-no"] = Field(
        default="count", description="`count`: a whole number ≥ 0; `yes-no`: Có or Không (totals count the units "
                                     "that answered Có).")
    kinds: list[Literal["province", "district", "commune"]] = Field(
        min_length=1, description="The units that report it, by kind.")
    max: int | None = Field(default=None, ge=1, le=10**9,
                            description="Count: the most one unit could plausibly report; a larger value is refused.")
    section: str = Field(min_length=1, description="The section of the plan it comes from, e.g. `III.4.2.a`.")
    to_confirm: str | None = Field(default=None, description="Why this entry is not from an official source yet.")


class IndicatorsFile(SpecModel):
    sections: dict[str, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict, description="The plan's sections by number (`III.4.2`) → their titles: the results "
                                          "report groups the indicators under them.")
    indicators: dict[Annotated[str, Field(pattern=SLUG, max_length=40)], Indicator] = Field(
        min_length=1, max_length=200, description="Indicator id → indicator, in the order the form lists them.")


def indicators_for(indicators: dict[str, Indicator], kind: str) -> dict[str, Indicator]:
    """The indicators a unit of `kind` reports, in the file's order."""
    return {key: indicator for key, indicator in indicators.items() if kind in indicator.kinds}


def form_version(indicators: dict[str, Indicator]) -> str:
    """What a return form is checked against when it comes back: its indicators' ids and types. A changed
    wording or bound keeps the version (a form already sent is still read); a new, removed or retyped
    indicator makes another one."""
    shape = [[key, i.type] for key, i in indicators.items()]
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:8]
