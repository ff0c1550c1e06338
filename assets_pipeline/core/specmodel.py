"""The base of every spec model, and the patterns ids and colours follow."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

from assets_pipeline.core.i18n import _
from assets_pipeline.core.limits import LIMITS
from assets_pipeline.core.suggest import did_you_mean

# An id that becomes part of a file name: lower-case ASCII, digits and '-', and never a name that
# Windows refuses as a file whatever its extension (con, nul, com1, …).
SLUG_CHARS = 63
SLUG = rf"^(?!(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$)[a-z0-9][a-z0-9-]{{0,{SLUG_CHARS - 1}}}$"
HEX_COLOR = r"^#[0-9A-Fa-f]{6}$"


class SpecModel(BaseModel):
    """Base of every spec model: unknown keys are errors that suggest the nearest known key."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=LIMITS.max_template_chars,
                              regex_engine="python-re")

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            known = [f.alias or name for name, f in cls.model_fields.items()]
            for key in data:
                if key not in known:
                    said = _("unknown key '{key}'", key=key) + did_you_mean(str(key), known)
                    raise PydanticCustomError("unknown_key", said.replace("{", "{{").replace("}", "}}"), {"key": key})
        return data
