"""The `assets` command: options in, stage functions out. Each verb's work lives in its module."""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assets_pipeline import __version__
from assets_pipeline.core.i18n import LANGUAGES, _, ngettext, set_language

# Each verb imports what it needs when it runs: `assets all` with nothing to do loads almost nothing.
if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from assets_pipeline.engine.build import BuildResult
    from assets_pipeline.plan.expand import Selection

root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
                           show_default=True, help="Project folder holding specs/ and fonts/.")
output_option = click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
                             help="Output folder (default: ROOT/output).")
campaign_option = click.option(
    "--campaign", metavar="FILE", default=None,
    help="The campaign file, under specs/ (default: specs/campaign.yaml), e.g. specs/campaigns/2025.yaml.")
workers_option = click.option("-j", "--jobs", "workers", type=click.IntRange(1, 256), default=None,
                              help="Worker processes (default: number of cores).")
selection_options = [
    click.option("--only", "channel", metavar="CHANNEL", help="Only this channel (banners, posters, …), or these "
                 "(web,social,notices)."),
    click.option("--unit", metavar="SLUG", help="Only this unit."),
    click.option("--design", metavar="ID", help="Only this design."),
]


strict_option = click.option("--strict", is_flag=True, help="Preflight warnings fail too.")


def show_warnings(report) -> None:
    for warning in report.listing("warning").errors:
        click.echo(_("warning: {problem}", problem=warning), err=True)
    for accepted in report.listing("accepted").errors:
        click.echo(_("accepted: {problem}", problem=accepted), err=True)


def selected(channel: str | None = None, unit: str | None = None, design: str | None = None) -> Selection:
    from assets_pipeline.plan.expand import Selection

    return Selection(channel=channel, unit=unit, design=design)


def note_layout_engine() -> None:
    from assets_pipeline.core.fonts import HAS_RAQM

    if not HAS_RAQM:
        click.echo(_("note: Pillow has no RAQM layout here; text is set without kerning"), err=True)


def with_selection(command):
    for option in reversed(selection_options):
        command = option(command)
    return command


class Progress:
    """A bar with counts and ETA on a terminal; plain lines otherwise; JSON lines for machines."""

    def __init__(self, log: str):
        self.log = log
        self.bar: ProgressBar[int] | None = None
        self.done = 0
        self.total = 0
        self.started = time.monotonic()

    def __call__(self, kind: str, data) -> None:
        if self.log == "json":
            if isinstance(data, dict):
                payload = data
            elif kind == "rendered":
                payload = data.as_json()
            else:
                payload = {"message": str(getattr(data, "message", data)),
                           **({"job": data.job} if hasattr(data, "job") else {})}
            click.echo(json.dumps({"event": kind, **payload}, ensure_ascii=False))
            return
        if kind == "wait":
            click.echo(data, err=True)
        elif kind == "start":
            self.total = data["stale"]
            if self.total > 1 and sys.stderr.isatty():
                self.bar = click.progressbar(length=self.total, label=_("rendering"), file=sys.stderr, show_eta=True,
                                             show_pos=True)
                self.bar.__enter__()
        elif kind == "rendered":
            self.done += 1
            if self.done > self.total:  # a combined PDF, made once its pages have landed
                self.total = self.done
                if self.bar is not None:
                    self.bar.length = self.total
            if self.bar is not None:
                self.bar.update(1)
            else:
                click.echo(f"[{self.done}/{self.total}] {data.path}")
        elif kind == "failed":
            click.echo(_("failed: {piece}: {problem}", piece=data.job, problem=data.message), err=True)
            if debugging():
                click.echo(data.traceback.rstrip(), err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def debugging() -> bool:
    """`assets --debug …`: whole tracebacks, for whoever is fixing the pipeline itself."""
    context = click.get_current_context(silent=True)
    return bool(context and context.find_root().params.get("debug"))


class Assets(click.Group):
    """The command group: an error of the pipeline is one line on stderr and its exit code, not a traceback."""

    def invoke(self, ctx: click.Context):
        from assets_pipeline.core.errors import AssetsError

        try:
            return super().invoke(ctx)
        except AssetsError as exc:
            if debugging():
                click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
            click.echo(str(exc), err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        except OSError as exc:
            from assets_pipeline.core.errors import machine_fault

            fault = machine_fault(exc)
            if fault is None:
                raise
            if debugging():
                click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
            click.echo(fault, err=True)
            raise click.exceptions.Exit(1) from None


def choose_language(context: click.Context, parameter: click.Parameter, language: str | None) -> None:
    set_language(language)


@click.group(cls=Assets, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assets")
@click.option("--debug", is_flag=True, help="Show whole tracebacks: of a piece that failed to render, of an error.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, expose_value=False, is_eager=True,
              callback=choose_language,
              help="Language of the messages: vi or en (default: ASSETS_LANG, else LANGUAGE, LC_ALL, LC_MESSAGES or "
                   "LANG when they name en or vi, else vi).")
def cli(debug: bool) -> None:
    """Campaign media for National Digital Transformation Day, from the YAML files in specs/."""


def run_build(root: Path, output: Path | None, workers: int | None, selection: Selection, executor: str,
              scheduler: str | None, log: str, strict: bool, campaign: str | None = None) -> BuildResult:
    from assets_pipeline.engine.build import build

    note_layout_engine()
    output = output or root / "output"
    progress = Progress(log)
    try:
        result = build(root, output, selection, workers, executor=executor, scheduler=scheduler, strict=strict,
                       on_event=progress, campaign=campaign)
    finally:
        progress.close()
    from assets_pipeline.delivery.everything import accepted_warnings, preflight_warnings

    for path in result.removed:
        click.echo(_("removed {path}", path=path))
    warnings = result.preflight.count("warning") if result.preflight else 0
    if warnings and log != "json":
        click.echo(preflight_warnings(warnings, output / "preflight.txt"), err=True)
    accepted = result.preflight.accepted_in({e.path for e in result.rendered}) if result.preflight else 0
    if accepted and log != "json":  # said by the build that makes the pieces, not by every build after
        click.echo(accepted_warnings(accepted), err=True)
    if log != "json":
        for note in result.notes:
            click.echo(note, err=True)
    if log == "json":
        click.echo(json.dumps({"event": "summary", "rendered": len(result.rendered), "reused": len(result.reused),
                               "failed": len(result.failed), "seconds": round(result.elapsed_s, 3)}))
    else:
        click.echo(f"{result.summary()} ({output})")
    if result.failed:
        raise click.exceptions.Exit(1)
    return result


@cli.command("build")
@root_option
@output_option
@workers_option
@with_selection
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Local process pool, or a Dask distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a local cluster).")
@click.option("--log", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Progress as text, or as JSON lines.")
@strict_option
@click.option("--deliver", is_flag=True, help="Then make the bundles, download page and report again from the "
              "new manifest (what `assets bundle` and `assets report` do; only what changed is packed again).")
@campaign_option
def build_command(root, output, workers, channel, unit, design, executor, scheduler, log, strict, deliver,
                  campaign) -> None:
    """Render the campaign (or part of it) into output/; only what changed is rendered again."""
    folder = output or root / "output"
    try:
        run_build(root, output, workers, selected(channel, unit, design), executor, scheduler, log, strict, campaign)
        if deliver:
            deliver_again(root, folder, campaign, log)
    finally:
        from assets_pipeline.delivery.freshness import say_if_stale

        say_if_stale(folder, lambda line: click.echo(line, err=True))


def deliver_again(root: Path, output: Path, campaign: str | None, log: str) -> None:
    from assets_pipeline.delivery.bundles import bundle_all
    from assets_pipeline.delivery.report import write_report
    from assets_pipeline.specs.load import campaign_id

    which = campaign_id(root, campaign)
    bundles = bundle_all(output, which)
    files = write_report(output, campaign_id=which)
    if log == "json":
        click.echo(json.dumps({"event": "delivered", "bundles": len(bundles.bundles), "removed": bundles.removed}))
        return
    for path in bundles.removed:
        click.echo(_("removed {path}", path=path))
    click.echo(ngettext("wrote {count} bundle, {page} and {report}", "wrote {count} bundles, {page} and {report}",
                        len(bundles.bundles), count=len(bundles.bundles), page=output / "index.html",
                        report=files.pdf_path))


@cli.command("check")
@root_option
@output_option
@with_selection
@strict_option
@campaign_option
def check_command(root: Path, output: Path | None, channel: str | None, unit: str | None, design: str | None,
                  strict: bool, campaign: str | None) -> None:
    """Load, validate, lay out and preflight everything without rendering; list every problem."""
    from assets_pipeline.engine.check import check

    note_layout_engine()
    output = output or root / "output"
    checked = check(root, output, selected(channel, unit, design), strict, campaign)
    show_warnings(checked.report)
    from assets_pipeline.designer.units_import import unlisted_codes

    for warning in unlisted_codes(root, campaign):
        click.echo(_("warning: {problem}", problem=warning), err=True)
    click.echo(_("ok: {designs} designs, {pieces} pieces laid out; preflight: {warnings} warnings, {accepted} accepted "
                 "(report in {report})", designs=checked.designs, pieces=checked.pieces,
                 warnings=checked.report.count("warning"), accepted=checked.report.count("accepted"),
                 report=output / "preflight-check.txt"))


@cli.command("list")
@root_option
@with_selection
@campaign_option
def list_command(root: Path, channel: str | None, unit: str | None, design: str | None, campaign: str | None) -> None:
    """List the files a build would write."""
    from assets_pipeline.engine.build import planned_paths

    for path in planned_paths(root, selected(channel, unit, design), campaign):
        click.echo(path)


@cli.command("all")
@root_option
@output_option
@workers_option
@campaign_option
def all_command(root: Path, output: Path | None, workers: int | None, campaign: str | None) -> None:
    """Build everything, bundle, report and verify what changed: `make all` in one process."""
    from assets_pipeline.delivery.everything import make_everything, said_when_up_to_date

    output = output or root / "output"
    done = make_everything(root, output, lambda: run_build(root, output, workers, selected(), "local", None, "text",
                                                          False, campaign),
                           campaign, on_wait=lambda message: click.echo(message, err=True),
                           say=lambda line: click.echo(line, err=True))
    if done.up_to_date is not None:
        said, warned = said_when_up_to_date(done.up_to_date, output)
        click.echo(said)
        if warned:
            click.echo(warned, err=True)
        return
    for problem in done.problems:
        click.echo(problem, err=True)
    if done.problems:
        raise click.exceptions.Exit(1)
    click.echo(_("bundles, download page and report in {folder}; verify: {count} files match the manifest", folder=output,
                 count=done.checked))


@cli.command("verify")
@root_option
@output_option
def verify_command(root: Path, output: Path | None) -> None:
    """Read every file in the manifest back and check it against the manifest."""
    from assets_pipeline.engine.verify import verify

    from assets_pipeline.delivery.everything import step_progress

    output = output or root / "output"
    checked, problems = verify(output, on_progress=step_progress(_("verify"), lambda line: click.echo(line, err=True)))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(ngettext("verify: {count} problem in {files} files", "verify: {count} problems in {files} files",
                            len(problems), count=len(problems), files=checked), err=True)
        raise click.exceptions.Exit(1)
    click.echo(_("verify: {count} files match the manifest", count=checked))


@cli.command("watch")
@root_option
@output_option
@workers_option
@with_selection
@campaign_option
def watch_command(root, output, workers, channel, unit, design, campaign) -> None:
    """Rebuild on every change to specs/ or fonts/, proofs first; print the paths written."""
    from assets_pipeline.designer.watch import watch

    note_layout_engine()
    watch(root, output or root / "output", selected(channel, unit, design), workers,
          lambda line: click.echo(line), campaign=campaign)


@cli.command("preview")
@root_option
@output_option
@click.argument("design")
@click.option("--unit", metavar="SLUG", help="Unit (default: the design's first).")
@click.option("--format", "format_id", metavar="ID", help="Format (default: the design's first).")
@click.option("--variant", metavar="ID", help="Variant (default: the design's first).")
@campaign_option
def preview_command(root, output, design, unit, format_id, variant, campaign) -> None:
    """Render one piece in proof quality under output/preview/ and print its path."""
    from assets_pipeline.designer.preview import preview

    note_layout_engine()
    click.echo(preview(root, output or root / "output", design, unit, format_id, variant, campaign))


@cli.command("studio")
@root_option
@output_option
@workers_option
@click.option("--design", metavar="ID", help="The design shown first (default: every design).")
@click.option("--unit", metavar="SLUG", help="The unit shown first (default: the province).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="TCP port on 127.0.0.1 (0 picks a free one).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
@campaign_option
def studio_command(root, output, workers, design, unit, port, verbose, campaign) -> None:
    """A page on 127.0.0.1 with every format of a design side by side, redrawn on each save under specs/ or fonts/."""
    from assets_pipeline.designer.studio import Choice
    from assets_pipeline.designer.studio_server import run_studio
    from assets_pipeline.specs.campaigns import DEFAULT_CAMPAIGN

    note_layout_engine()
    run_studio(root, output or root / "output", Choice(campaign or DEFAULT_CAMPAIGN, design, unit), port, workers,
               verbose, lambda line: click.echo(line, err=True), lambda line: click.echo(line))


@cli.group("new")
def new_group() -> None:
    """Start a design from an existing one, or add a format."""


@new_group.command("design")
@root_option
@click.argument("name")
@click.option("--from", "source", required=True, metavar="EXISTING", help="The design to start from.")
@click.option("--title", help="The new design's title.")
def new_design_command(root, name, source, title) -> None:
    """Copy specs/designs/EXISTING.yaml to specs/designs/NAME.yaml."""
    from assets_pipeline.designer.scaffold import new_design

    click.echo(new_design(root, name, source, title))


@new_group.command("format")
@root_option
@click.argument("format_id", metavar="ID")
@click.option("--title", required=True, help="What the piece is, in Vietnamese.")
@click.option("--channel", required=True, help="Output folder: banners, pano, posters, led, web, …")
@click.option("--size-mm", type=(float, float), default=None, metavar="W H", help="Trim size of a print format.")
@click.option("--size-px", type=(int, int), default=None, metavar="W H", help="Size of a screen format.")
@click.option("--bleed-mm", type=float, default=None)
@click.option("--safe-mm", type=float, default=None)
@click.option("--safe-px", type=int, default=None)
@click.option("--viewing-distance-m", type=float, default=None)
def new_format_command(root, format_id, title, channel, size_mm, size_px, bleed_mm, safe_mm, safe_px,
                       viewing_distance_m) -> None:
    """Add a format to specs/formats.yaml, its size validated."""
    from assets_pipeline.designer.scaffold import format_next_step, new_format

    fields = {"title": title, "channel": channel, "size_mm": list(size_mm) if size_mm else None,
              "size_px": list(size_px) if size_px else None, "bleed_mm": bleed_mm, "safe_mm": safe_mm,
              "safe_px": safe_px, "viewing_distance_m": viewing_distance_m}
    new_format(root, format_id, fields)
    click.echo(format_next_step(root, format_id, channel))


@cli.group("units")
def units_group() -> None:
    """The campaign's administrative units."""


@units_group.command("import")
@root_option
@click.argument("source")
@click.option("--province", metavar="NAME|CODE", help="The province to take from a list of several, e.g. "
                                                      "'Tuyên Quang' or 08.")
@campaign_option
def units_import_command(root, source, province, campaign) -> None:
    """Write or update the units file from SOURCE: a GSO list (CSV or XLSX) or `vietnamadminunits`
    (the 2025 units of every province). Slugs and display names already set are kept."""
    from assets_pipeline.designer.units_import import import_into_campaign

    for line in import_into_campaign(root, source, province, campaign):
        click.echo(line)


@cli.command("docs")
@root_option
def docs_command(root: Path) -> None:
    """Write docs/specs.md, the editor schemas under specs/schema/ and each spec's modeline."""
    from assets_pipeline.designer.reference import write_modelines, write_reference, write_schemas

    for path in [write_reference(root), *write_schemas(root), *write_modelines(root)]:
        click.echo(path)


@cli.command("schema")
@root_option
def schema_command(root: Path) -> None:
    """Write the JSON Schema of every spec file under specs/schema/."""
    from assets_pipeline.designer.reference import write_schemas

    for path in write_schemas(root):
        click.echo(path)


@cli.command("bundle")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build's output folder (default: ROOT/output).")
@campaign_option
def bundle_command(root: Path, output: Path | None, campaign: str | None) -> None:
    """Pack one zip per unit (files, README.txt, manifest, SHA256SUMS, proof sheet) and write index.html,
    from the manifest the build wrote (specs edited since change nothing until they are built)."""
    from assets_pipeline.delivery.bundles import bundle_all
    from assets_pipeline.specs.load import campaign_id

    output = output or root / "output"
    from assets_pipeline.delivery.everything import step_progress

    result = bundle_all(output, campaign_id(root, campaign),
                        on_progress=step_progress(_("bundles"), lambda line: click.echo(line, err=True)))
    for path in result.removed:
        click.echo(_("removed {path}", path=path))
    for bundle in result.bundles:
        click.echo(_("{zip}: {count} files, {size} bytes", zip=bundle.zip_path, count=bundle.file_count,
                     size=bundle.zip_bytes))
    click.echo(ngettext("wrote {count} bundle and {page}", "wrote {count} bundles and {page}", len(result.bundles),
                        count=len(result.bundles), page=output / "index.html"))


@cli.group("results")
def results_group() -> None:
    """The results the units report back on their return forms (bao-cao-ket-qua)."""


@results_group.command("collect")
@root_option
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@output_option
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date the chase list counts the days left from (default: today), YYYY-MM-DD.")
@click.option("--update-specs", is_flag=True, help="Also write the totals into the campaign's results file under "
                                                   "specs/ (ket-qua.csv), which the results infographic draws.")
@campaign_option
def results_collect_command(root: Path, folder: Path, output: Path | None, today, update_specs: bool,
                            campaign: str | None) -> None:
    """Read every return form in FOLDER (XLSX or CSV, any file names), check it, and write anew under
    OUTPUT/results/ the numeric form with subtotals, the chase list and the problems found, for the
    province and for each district."""
    import datetime as dt

    from assets_pipeline.results.write import PROBLEMS, collect_results

    output = output or root / "output"
    day = today.date() if today is not None else dt.date.today()
    done = collect_results(root, folder, output, campaign, day, on_wait=lambda message: click.echo(message, err=True),
                           update_specs=update_specs)
    for problem in done.collection.problems:
        click.echo(problem, err=True)
    refused = len(done.collection.refused)
    click.echo(_("{count} of {expected} units have reported; {refused} returns refused (listed in {problems}); wrote "
                 "{files} files in {folder}", count=len(done.collection.accepted), expected=done.expected,
                 refused=refused, problems=output / "results" / PROBLEMS, files=len(done.written),
                 folder=output / "results"))


@cli.command("serve")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder to serve (default: ROOT/output).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port on 127.0.0.1 (0 picks a free one).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def serve_command(root: Path, output: Path | None, port: int, verbose: bool) -> None:
    """Serve output/ on 127.0.0.1 to preview the download page."""
    from assets_pipeline.designer.serve import serve

    output = output or root / "output"
    if not (output / "index.html").is_file():
        raise click.ClickException(_("{page} does not exist: run `assets bundle` first", page=output / "index.html"))
    serve(output, port, verbose, lambda url: click.echo(_("serving {folder} at {url} (Ctrl+C to stop)", folder=output,
                                                          url=url)))


@cli.command("report")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build's output folder (default: ROOT/output).")
@click.option("--unit", metavar="SLUG", help="Only this unit's report (what it sends to the department).")
@campaign_option
def report_command(root: Path, output: Path | None, unit: str | None, campaign: str | None) -> None:
    """Write the results report (per unit and channel: files and sizes) as CSV and a one-page PDF."""
    from assets_pipeline.delivery.report import write_report
    from assets_pipeline.specs.load import campaign_id

    output = output or root / "output"
    files = write_report(output, unit, campaign_id(root, campaign))
    total = files.summary.total()
    click.echo(_("{count} files, {size} bytes: wrote {csv} and {pdf}", count=total.files, size=total.bytes,
                 csv=files.csv_path, pdf=files.pdf_path))


@cli.command("typography")
@root_option
@output_option
@click.option("--unit", metavar="SLUG", help="Whose pieces to set (default: the province).")
@campaign_option
def typography_command(root: Path, output: Path | None, unit: str | None, campaign: str | None) -> None:
    """Write output/proof/typography.pdf: every slogan as each format family sets it, large, for sign-off."""
    from assets_pipeline.designer.typography_proof import write_typography_proof

    click.echo(write_typography_proof(root, output or root / "output", unit, campaign))


def main() -> None:
    cli(prog_name="assets")
