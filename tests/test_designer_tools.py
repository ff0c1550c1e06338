"""The designer's tools: one-file preview, scaffolding, and the generated spec reference."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from tests.conftest import REPO, assets, tiny_project


def test_preview_writes_one_png_and_prints_its_path(tiny: Path):
    project = tiny
    result = assets("preview", "banner", "--unit", "huyen", "--format", "bang-ron-200x40", "--variant", "dai",
                    cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / result.stdout.strip()
    assert path.parent == project / "output/preview"
    with Image.open(path) as image:
        assert max(image.size) == 1200 and image.size[0] > 4 * image.size[1]  # 2 × 0.4 m and its bleed
    assert not (project / "output/manifest.json").exists()  # a preview builds nothing else


def test_preview_of_a_video_is_a_contact_strip_of_frames(tiny: Path):
    project = tiny
    result = assets("preview", "loop", cwd=project)
    assert result.returncode == 0, result.stderr
    with Image.open(project / result.stdout.strip()) as image:
        assert image.width == 1200 and image.height > 300
        # eight frames in two rows: the strip is not one blank colour
        assert len(image.convert("RGB").getcolors(1 << 20)) > 50


def test_preview_of_an_unknown_variant_suggests_one(tiny: Path):
    result = assets("preview", "banner", "--variant", "dia", cwd=tiny)
    assert result.returncode == 2
    assert "did you mean 'dai'?" in result.stderr


def test_new_design_starts_from_an_existing_one_and_builds(tiny: Path):
    project = tiny
    result = assets("new", "design", "bang-ron-moi", "--from", "banner", "--title", "Băng rôn mới", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "specs/designs/bang-ron-moi.yaml").read_text(encoding="utf-8")
    assert "title: Băng rôn mới" in text
    listed = assets("list", "--design", "bang-ron-moi", "--unit", "huyen", cwd=project)
    assert listed.returncode == 0 and "huyen/banners/bang-ron-moi-dai__bang-ron-200x40.pdf" in listed.stdout
    again = assets("new", "design", "bang-ron-moi", "--from", "banner", cwd=project)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_new_format_is_validated_and_appended(tmp_path: Path):
    project = tiny_project(tmp_path / "delivery", "delivery")  # its banner gives communes a list of formats
    bad = assets("new", "format", "bang-ron-400x60", "--title", "Băng rôn 4 × 0,6 m", "--channel", "banners",
                     "--size-mm", "4000", "-600", cwd=project)
    assert bad.returncode == 2 and "greater than 0" in bad.stderr
    good = assets("new", "format", "bang-ron-400x60", "--title", "Băng rôn 4 × 0,6 m", "--channel", "banners",
                      "--size-mm", "4000", "600", "--bleed-mm", "30", "--safe-mm", "40", "--viewing-distance-m", "12",
                      cwd=project)
    assert good.returncode == 0, good.stderr
    assert "  bang-ron-400x60:\n    title: Băng rôn 4 × 0,6 m" in (project / "specs/formats.yaml").read_text(encoding="utf-8")
    # and it says what is left before anything is made in it: the channel's design, its communes' list
    assert "Next: add 'bang-ron-400x60' to the formats: of specs/designs/banner.yaml" in good.stdout
    assert "specs/designs/banner.yaml: units.formats.commune" in good.stdout
    assert assets("check", "--only", "banners", "--unit", "huyen", cwd=project).returncode == 0


def test_committed_reference_and_schemas_match_the_models(tmp_path: Path):
    from assets_pipeline.designer.reference import reference_markdown, schema_of, SPEC_FILES, SCHEMA_DIR
    import json

    committed = (REPO / "docs/specs.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "docs/specs.md is out of date: run `make docs`"
    for model, name, _ in SPEC_FILES.values():
        on_disk = json.loads((REPO / SCHEMA_DIR / name).read_text(encoding="utf-8"))
        assert on_disk == schema_of(model), f"{SCHEMA_DIR}/{name} is out of date: run `make docs`"


def test_every_spec_starts_with_its_editor_modeline():
    from assets_pipeline.designer.reference import modeline, spec_files

    names = spec_files(REPO)
    assert len(names) >= 12
    for name in names:
        first = (REPO / name).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == modeline(name), name
        schema = (REPO / name).parent / first.split("$schema=", 1)[1]
        assert schema.resolve().is_file(), name


def test_the_schema_catches_what_the_loader_catches():
    import json

    import jsonschema
    import yaml

    schema = json.loads((REPO / "specs/schema/design.schema.json").read_text(encoding="utf-8"))
    design = yaml.safe_load((REPO / "specs/designs/street-banner.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(design, schema)  # the default design is valid for the editor too
    design["layouts"][0]["blocks"][2]["colr"] = "white"
    try:
        jsonschema.validate(design, schema)
    except jsonschema.ValidationError as exc:
        assert "colr" in exc.message
    else:
        raise AssertionError("the schema let an unknown key through")
