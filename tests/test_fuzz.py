"""Fuzzing: mutated specs end in a build or a clean SpecError — never a traceback, a hang, or a
write outside output/. The specs are the tiny project's with the overlay tests/data/fuzz, which gives the
street banner, the campaign, the formats and the units every kind of field the product's have (two
layouts, per-kind formats, the pledge, platforms, display names, …), so each is there to be mutated.
CI runs a few dozen examples; set FUZZ_EXAMPLES for a longer campaign."""

from __future__ import annotations

import os

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets_pipeline.engine.build import build
from assets_pipeline.core.errors import SpecError
from assets_pipeline.plan.expand import Selection
from tests.conftest import REPO, snapshot, tiny_project

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
OVERLAY = REPO / "tests" / "data" / "fuzz"
# the files the overlay lays over the tiny project's (or adds): what the build of the banners reads
FILES = ["specs/designs/banner.yaml", "specs/campaign.yaml", "specs/formats.yaml", "specs/units.yaml"]
ORIGINAL = {name: yaml.safe_load((OVERLAY / name).read_text(encoding="utf-8")) for name in FILES}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(["", "{{ unit.name }}", "{{ x }}", "{% for %}", "#FFFFFF", "red", "../x",
                                           "Ể" * 300, "10/10", "con", "{{ campaign.title * 3 }}", "\u0301", "\x00"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=8)


def paths_in(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_in(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_in(value, prefix + (index,))


@st.composite
def mutations(draw):
    name = draw(st.sampled_from(FILES))
    data = yaml.safe_load(yaml.safe_dump(ORIGINAL[name]))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(paths_in(data))[1:]))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(values)
        else:
            parent.append(draw(values))
        if not isinstance(data, (dict, list)) or not data:
            break
    return name, data


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 25,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large])
@given(mutation=mutations())
def test_mutated_specs_build_or_fail_cleanly(tmp_path_factory, mutation):
    name, data = mutation
    root = tiny_project(tmp_path_factory.mktemp("fuzz"), "fuzz")
    (root / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = snapshot(root)
    try:
        result = build(root, root / "output", Selection(unit="huyen", channel="banners"), workers=1)
    except SpecError as exc:
        assert exc.exit_code == 2
        text = str(exc)
        assert text and "Traceback" not in text
        assert (root / "output").exists() is False or not any((root / "output").rglob("*.p*"))
    else:
        assert not result.failed, result.failed
    after = {p: h for p, h in snapshot(root).items() if not p.startswith("output/")}
    assert after == before
