"""The build engine: incremental, parallel, distributed, reproducible, verified, interruptible."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from assets_pipeline.engine.build import build
from assets_pipeline.plan.expand import Selection
from assets_pipeline.engine.output import read_manifest, sha256_of
from assets_pipeline.engine.verify import verify
from tests.conftest import REPO, as_in_a_terminal, assets, run_assets, snapshot, tiny_project

# the tiny project (tests/data/tiny): its district's banners, and every unit's
ONE_UNIT = Selection(unit="huyen", channel="banners")
BANNERS = Selection(channel="banners")
UNIT_FILES = 4  # 2 slogans × 1 format × PDF and PNG
BANNER_FILES = 3 * UNIT_FILES


def hashes(output: Path) -> dict[str, str]:
    return {a["path"]: a["sha256"] for a in read_manifest(output)["assets"]}


def test_a_second_build_renders_nothing_and_touches_nothing(tiny: Path):
    project = tiny
    output = project / "output"
    first = build(project, output, BANNERS, workers=2)
    assert len(first.rendered) == BANNER_FILES and not first.reused
    mtimes = {p: p.stat().st_mtime_ns for p in output.rglob("*.p*")}
    again = build(project, output, BANNERS, workers=2)
    assert not again.rendered and len(again.reused) == BANNER_FILES
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*.p*")} == mtimes
    assert hashes(output) == {a.path: a.sha256 for a in first.assets}


def test_an_output_replaced_keeping_its_size_and_times_is_rendered_again(tiny: Path):
    project = tiny
    """A copy that keeps the old times (`cp -p`, an unzip, a sync) cannot pass for the file the build made."""
    output = project / "output"
    build(project, output, ONE_UNIT, workers=1)
    victim = next((output / "huyen" / "banners").glob("*.png"))
    made, before = victim.read_bytes(), victim.stat()
    time.sleep(0.05)  # past a tick of the file system's clock
    victim.write_bytes(bytes(reversed(made)))
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = build(project, output, ONE_UNIT, workers=1)
    assert [a.path for a in again.rendered] == [str(victim.relative_to(output))]
    assert victim.read_bytes() == made


def test_a_build_with_nothing_to_do_answers_from_its_stamp_until_anything_changes(tiny: Path):
    project = tiny
    from assets_pipeline.core.files import RACY_NS

    output = project / "output"
    build(project, output, ONE_UNIT, workers=1)
    time.sleep(RACY_NS / 1e9)  # the files are older than a tick of the clock: the next build stamps them
    build(project, output, ONE_UNIT, workers=1)
    events: list[str] = []
    answered = build(project, output, ONE_UNIT, workers=1, on_event=lambda kind, _: events.append(kind))
    assert not answered.rendered and len(answered.reused) == UNIT_FILES and "start" not in events  # nothing planned
    assert answered.preflight is not None and answered.preflight.pieces

    victim = next((output / "huyen" / "banners").glob("*.png"))
    made, before = victim.read_bytes(), victim.stat()
    victim.write_bytes(bytes(reversed(made)))
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert [a.path for a in build(project, output, ONE_UNIT, workers=1).rendered] == [str(victim.relative_to(output))]

    time.sleep(RACY_NS / 1e9)
    build(project, output, ONE_UNIT, workers=1)
    units = project / "specs/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("huyện Đồi Núi", "huyện Đồi  Núi (mới)"), encoding="utf-8")
    assert len(build(project, output, ONE_UNIT, workers=1).rendered) == UNIT_FILES
    everything = build(project, output, BANNERS, workers=1)  # another selection plans again
    assert len(everything.reused) == UNIT_FILES and len(everything.rendered) == BANNER_FILES - UNIT_FILES


def test_editing_one_unit_renders_only_that_unit(tiny: Path):
    project = tiny
    output = project / "output"
    build(project, output, BANNERS, workers=2)
    units = project / "specs/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("huyện Đồi Núi", "huyện Đồi  Núi (mới)"),
                     encoding="utf-8")
    result = build(project, output, BANNERS, workers=2)
    assert {a.unit for a in result.rendered} == {"huyen"}
    assert len(result.rendered) == UNIT_FILES and len(result.reused) == BANNER_FILES - UNIT_FILES
    assert all("Ủy ban nhân dân huyện Đồi Núi (mới)" in a.texts for a in result.rendered)


def test_moving_a_line_in_a_spec_renders_nothing(tiny: Path):
    project = tiny
    output = project / "output"
    build(project, output, selection=ONE_UNIT)
    design = project / "specs/designs/banner.yaml"
    design.write_text("# a comment that moves every line down\n" + design.read_text(encoding="utf-8"),
                      encoding="utf-8")
    assert not build(project, output, selection=ONE_UNIT).rendered


def test_a_replaced_image_or_font_renders_again_what_reads_it_and_nothing_else(tiny: Path):
    """Every file a piece reads is in its content key, by its bytes: the same name with other bytes is
    another input (the district's poster shows the image; its banner does not)."""
    project, output = tiny, tiny / "output"
    district = Selection(unit="huyen", channel="posters"), ONE_UNIT
    for selection in district:
        build(project, output, selection, workers=1)

    def rendered() -> set[str]:
        return {a.path.split("/")[2].split("-")[0] for s in district for a in build(project, output, s, workers=1).rendered}
    assert rendered() == set()
    Image.new("RGB", (240, 150), "#0B4EA2").save(project / "specs/images/dau.png")
    assert rendered() == {"poster"}
    regular, bold = project / "fonts/BeVietnamPro-Regular.ttf", project / "fonts/BeVietnamPro-Bold.ttf"
    regular.write_bytes(bold.read_bytes())  # the poster's message is set in the regular face; the banner's lines are not
    assert rendered() == {"poster"}


def test_deleting_a_design_or_unit_leaves_no_orphans(tiny: Path):
    project = tiny
    output = project / "output"
    build(project, output, BANNERS, workers=2)
    units = project / "specs/units.yaml"
    text = units.read_text(encoding="utf-8")
    units.write_text(text[:text.index("  - slug: huyen")], encoding="utf-8")  # the district and its commune
    result = build(project, output, BANNERS, workers=2)
    assert len(result.removed) == 2 * UNIT_FILES and not result.rendered
    for unit in ("huyen", "xa"):
        assert not (output / unit).exists() or not any((output / unit).rglob("*.*"))
    assert {a["unit"] for a in read_manifest(output)["assets"]} == {"tinh"}

    design = project / "specs/designs/banner.yaml"
    design.rename(project / "specs/designs/banner-2.yaml")
    result = build(project, output, BANNERS, workers=2)
    assert len(result.removed) == len(result.rendered) == UNIT_FILES
    assert {a["design"] for a in read_manifest(output)["assets"]} == {"banner-2"}
    assert not list(output.rglob("banner-[nd]*"))


def test_a_partial_build_keeps_the_rest_of_the_manifest(tiny: Path):
    project = tiny
    output = project / "output"
    build(project, output, BANNERS, workers=2)
    before = hashes(output)
    result = build(project, output, selection=Selection(unit="xa", design="banner", channel="banners"))
    assert not result.rendered
    assert hashes(output) == before


def test_same_manifest_across_j1_j2_and_a_dask_cluster(tiny: Path, tmp_path: Path):
    project = tiny
    build(project, tmp_path / "j1", selection=ONE_UNIT, workers=1)
    build(project, tmp_path / "j2", selection=ONE_UNIT, workers=2)
    build(project, tmp_path / "dask", selection=ONE_UNIT, executor="dask", workers=2)  # a LocalCluster
    one, two, dask = (read_manifest(tmp_path / name)["assets"] for name in ("j1", "j2", "dask"))
    assert one == two == dask
    assert len(one) == UNIT_FILES
    assert snapshot(tmp_path / "j1").keys() >= {a["path"] for a in one}
    for name in ("j2", "dask"):
        assert {p: h for p, h in snapshot(tmp_path / name).items() if not p.startswith(".")} == \
               {p: h for p, h in snapshot(tmp_path / "j1").items() if not p.startswith(".")}


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_the_readmes_dask_recipe_gives_the_bytes_of_a_local_build(tiny: Path, tmp_path: Path):
    project = tiny
    """README's "On a Dask cluster", run as written: a scheduler process, a worker process with two
    worker processes of its own, and `assets build --executor dask --scheduler …`."""
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{free_port()}"
    started = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                 "--no-dashboard"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        started.append(subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                                         "--no-dashboard"], cwd=project, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
        done = run_assets("build", "--unit", "huyen", "--only", "banners", "--executor", "dask",
                          "--scheduler", address, cwd=project)
        assert done.returncode == 0, done.stderr
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=60)
    build(project, tmp_path / "local", selection=ONE_UNIT, workers=1)
    assert read_manifest(project / "output")["assets"] == read_manifest(tmp_path / "local")["assets"]
    assert {p: h for p, h in snapshot(project / "output").items() if not p.startswith(".")} == \
           {p: h for p, h in snapshot(tmp_path / "local").items() if not p.startswith(".")}


def test_verify_finds_a_tampered_and_a_missing_file(tiny: Path):
    project = tiny
    output = project / "output"
    build(project, output, selection=ONE_UNIT)
    assert assets("verify", cwd=project).returncode == 0
    entries = read_manifest(output)["assets"]
    png = next(a for a in entries if a["media"] == "png")
    pdf = next(a for a in entries if a["media"] == "pdf")
    data = bytearray((output / png["path"]).read_bytes())
    data[-20] ^= 0xFF
    (output / png["path"]).write_bytes(bytes(data))
    (output / pdf["path"]).unlink()
    result = assets("verify", cwd=project)
    assert result.returncode == 1
    assert f"{png['path']}: SHA-256 differs from the manifest" in result.stderr
    assert f"{pdf['path']}: missing" in result.stderr
    # and the next build repairs both
    repaired = build(project, output, selection=ONE_UNIT)
    assert {a.path for a in repaired.rendered} == {png["path"], pdf["path"]}
    assert verify(output)[1] == []


def test_verify_reads_page_boxes_back(tiny: Path):
    project = tiny
    output = project / "output"
    build(project, output, selection=ONE_UNIT)
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    pdf = next(a for a in manifest["assets"] if a["media"] == "pdf")
    pdf["trim_mm"] = [pdf["trim_mm"][0] + 10, pdf["trim_mm"][1]]
    (output / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    checked, problems = verify(output)
    assert checked == UNIT_FILES
    assert problems and all(p.startswith(pdf["path"]) for p in problems) and "TrimBox" in problems[0]


def children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
            for child in (task / "children").read_text().split()]


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent to reap it counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_a_killed_build_leaves_consistent_files_and_the_next_one_finishes(tmp_path: Path, how: int):
    """The banners of tests/data/delivery with 40 more communes (476 files: the province and 4 districts
    × 2 slogans × 3 formats × PDF and PNG, and 52 communes' 2 formats): a build of several seconds, which
    records what has landed every second, stopped in the middle."""
    project = tiny_project(tmp_path / "delivery", "delivery")
    with (project / "specs/units.yaml").open("a", encoding="utf-8") as units:
        for number in range(40):
            units.write(f"  - slug: xa-{number}\n    name: xã Thử {number}\n    kind: commune\n    parent: huyen\n"
                        f"    code: \"98{number:03}\"\n")
    banner_files = 5 * 12 + 52 * 8
    output = project / "output"
    process = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "build", "-j", "2", "--only", "banners"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=as_in_a_terminal)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        manifest = read_manifest(output)
        if manifest and len(manifest["assets"]) >= 10:
            break
        time.sleep(0.05)
    workers = children(process.pid)
    assert len(workers) >= 2  # the pool's processes
    process.send_signal(how)
    _, stderr = process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if alive(pid)]  # none left holding the output folder's lock
    assert process.returncode != 0
    assert "Traceback" not in stderr
    manifest = read_manifest(output)
    assert 10 <= len(manifest["assets"]) < banner_files
    for entry in manifest["assets"]:  # everything recorded is exactly what is on disk
        assert sha256_of(output / entry["path"]) == entry["sha256"]
    result = build(project, output, BANNERS, workers=2)
    assert len(result.reused) >= len(manifest["assets"])
    assert len(result.assets) == banner_files
    assert verify(output)[1] == []
    assert not list(output.rglob(".*.tmp"))


@pytest.mark.slow
def test_a_second_build_waits_for_the_first(tiny: Path):
    project = tiny
    output = project / "output"
    output.mkdir()
    held = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        process = subprocess.Popen([sys.executable, "-m", "assets_pipeline", "build", "--unit", "huyen", "--only", "banners"],
                                   cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        assert process.poll() is None  # still waiting
        assert read_manifest(output) is None
    finally:
        os.close(held)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0
    assert f"process {os.getpid()} (" in stderr and "waiting for it to finish" in stderr  # who holds it
    assert f"rendered {UNIT_FILES}," in stdout


def test_json_log_ends_with_a_summary(tiny: Path):
    project = tiny
    result = assets("build", "--unit", "huyen", "--only", "banners", "--log", "json", cwd=project)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["event"] == "start" and events[-1]["event"] == "summary"
    assert events[-1]["rendered"] == UNIT_FILES and events[-1]["failed"] == 0
    assert sum(e["event"] == "rendered" for e in events) == UNIT_FILES


def test_watch_rebuilds_what_a_change_affects(tiny: Path):
    project = tiny
    from assets_pipeline.designer.watch import watch

    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project, project / "output", ONE_UNIT, 1, lines.append, stop),
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not any(line.startswith("watching") for line in lines) and time.monotonic() < deadline:
        time.sleep(0.1)
    first_round = len(lines)
    units = project / "specs/units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("huyện Đồi Núi", "huyện Đồi  Núi mới"),
                     encoding="utf-8")
    while len([line for line in lines[first_round:] if line.endswith((".png", ".pdf"))]) < UNIT_FILES \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join(timeout=30)
    written = [line for line in lines[first_round:] if line.endswith((".png", ".pdf"))]
    assert len(written) == UNIT_FILES
    # proofs first
    half = UNIT_FILES // 2
    assert all(line.endswith(".png") for line in written[:half]) and all(line.endswith(".pdf") for line in written[half:])


@pytest.mark.slow
def test_make_all_with_nothing_to_do_touches_nothing_and_any_change_runs_in_full(tiny: Path):
    project = tiny
    for design in (project / "specs/designs").glob("*.yaml"):
        if design.stem != "banner":
            design.unlink()
    output = project / "output"
    first = run_assets("all", "-j", "2", cwd=project)
    assert first.returncode == 0, first.stderr
    files = len(read_manifest(output)["assets"])
    stamps = {p: p.stat().st_mtime_ns for p in output.rglob("*")}
    again = run_assets("all", cwd=project)
    assert again.returncode == 0 and again.stdout.startswith(f"nothing changed since the last run: {files} files")
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*")} == stamps

    (project / "specs/units.yaml").touch()  # saved, not changed: specs count by content, still nothing to do
    assert run_assets("all", cwd=project).stdout.startswith("nothing changed since the last run")
    (output / "studio").mkdir()  # what `assets studio` draws is its own, never the build's
    (output / "studio" / f"{'0' * 32}-proof.png").write_bytes(b"a picture")
    assert run_assets("all", cwd=project).stdout.startswith("nothing changed since the last run")
    units = project / "specs/units.yaml"  # changed in a way that draws nothing new: the full run finds nothing to make
    units.write_text(units.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert run_assets("all", cwd=project).stdout.startswith(f"rendered 0, reused {files}, failed 0")
    victim = next((output / "huyen" / "banners").glob("*.png"))
    victim.unlink()
    assert f"rendered 1, reused {files - 1}, failed 0" in run_assets("all", cwd=project).stdout
    assert victim.is_file()
    settings = subprocess.run([sys.executable, "-m", "assets_pipeline", "all"], cwd=project, capture_output=True,
                              text=True, env={**os.environ, "ASSETS_LIMIT_MAX_JOBS": "99999"})
    assert settings.stdout.startswith(f"rendered 0, reused {files}, failed 0")
    assert run_assets("all", cwd=project).stdout.startswith("rendered 0")  # the settings changed back
    assert run_assets("all", cwd=project).stdout.startswith("nothing changed")


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_not_called_a_spec_error(tiny: Path):
    project = tiny
    result = assets("build", "--unit", "huyen", "--only", "banners", "--executor", "dask",
                    "--scheduler", "tcp://127.0.0.1:9", cwd=project)
    # exit 3: what the build runs on failed; exit 2 would send the designer looking through specs/
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not (project / "output" / "manifest.json").exists()


def test_the_code_fingerprint_is_the_drawing_stages_only(tmp_path: Path):
    import shutil

    package = tmp_path / "assets_pipeline"
    shutil.copytree(REPO / "assets_pipeline", package, ignore=shutil.ignore_patterns("__pycache__"))

    def fingerprint() -> str:
        return subprocess.run([sys.executable, "-c", "from assets_pipeline.engine.keys import code_fingerprint; "
                               "print(code_fingerprint())"], cwd=tmp_path, capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONPATH": str(tmp_path)}).stdout

    first = fingerprint()
    for after_the_drawing in ("cli.py", "engine/verify.py", "delivery/report.py", "designer/watch.py"):
        (package / after_the_drawing).write_text((package / after_the_drawing).read_text() + "\n# changed\n")
    assert fingerprint() == first
    for drawing in ("core/fonts.py", "blocks/textfit.py", "render/png.py", "plan/new_stage_module.py"):
        # an existing module of each drawing stage edited, and a new module added to one
        assert (package / drawing).exists() == (drawing != "plan/new_stage_module.py"), drawing
        (package / drawing).write_text(((package / drawing).read_text() if (package / drawing).exists() else "")
                                       + "\n# changed\n")
        assert fingerprint() != first, drawing
        first = fingerprint()


def test_manifest_entries_are_one_typed_record_read_and_written_unchanged(tiny: Path):
    from assets_pipeline.render.entry import Entry

    build(tiny, tiny / "output", Selection(), workers=2)  # a file of every medium
    manifest = read_manifest(tiny / "output")
    for data in manifest["assets"]:
        entry = Entry.from_json(data)
        assert entry.as_json() == data and list(entry.as_json()) == list(data)  # same fields, same order
        assert entry.extra == {}
    newer = {**manifest["assets"][0], "colour_profile": "ISO Coated v2"}  # a field of a later version
    assert Entry.from_json(newer).as_json() == newer
    with pytest.raises(AttributeError):
        _ = Entry.from_json(newer).colour_profile  # a typo is an error, not None
    with pytest.raises(TypeError):  # a renderer returning a field the record does not know
        Entry(path="a/b.png", unit="a", channel="web", pxx=[1, 1])
    assert Entry.from_json({"path": "a/b.png", "unit": "a"}) is None


def test_a_panel_encoded_at_even_sides_is_noted():
    from assets_pipeline.engine.build import build_notes
    from assets_pipeline.render.entry import Entry

    odd = Entry(path="tuyen-quang/led/x__led-97x49.mp4", unit="tuyen-quang", channel="led", media="mp4",
                px=[97, 49], encoded_px=[98, 50])
    even = Entry(path="tuyen-quang/led/x__led-96x48.mp4", unit="tuyen-quang", channel="led", media="mp4",
                 px=[96, 48], encoded_px=[96, 48])
    assert build_notes([odd, even]) == [
        "note: tuyen-quang/led/x__led-97x49.mp4: the 97×49 px panel is encoded as 98×50 (H.264 yuv420p needs "
        "even sides; the extra row/column is background, not a resize)"]


def test_only_plain_runs_of_all_are_answered_before_the_command_line_loads():
    from assets_pipeline.launch import _where

    assert _where(["all"]) == {}
    assert _where(["all", "--root", "p", "--output=o", "-j", "2", "--campaign", "c.yaml"]) == \
        {"root": "p", "output": "o", "campaign": "c.yaml"}
    for other in (["build"], ["all", "--help"], ["all", "--root"], ["--debug", "all"], ["all", "-j2"], []):
        assert _where(other) is None  # the command line parses these, and says what is wrong


def test_jobs_reach_a_local_dask_cluster():
    """`-j 1` with `--executor dask`: a cluster of one worker process, not one per core."""
    from assets_pipeline.engine.executors import run_dask

    pids = set(run_dask(os.getpid, [()] * 12, None, [], workers=1))
    assert len(pids) == 1 and os.getpid() not in pids
