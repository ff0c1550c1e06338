"""The `assets` command: options in, stage functions out. Each verb's work lives in its module."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from assets_pipeline import __version__
from assets_pipeline.build import build, media_for, plan, relative_path
from assets_pipeline.expand import Selection
from assets_pipeline.fonts import HAS_RAQM

root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
                           show_default=True, help="Project folder holding specs/ and fonts/.")
selection_options = [
    click.option("--only", "channel", metavar="CHANNEL", help="Only this channel (banners, posters, …)."),
    click.option("--unit", metavar="SLUG", help="Only this unit."),
    click.option("--design", metavar="ID", help="Only this design."),
]


def with_selection(command):
    for option in reversed(selection_options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assets")
def cli() -> None:
    """Campaign media for National Digital Transformation Day, from the YAML files in specs/."""
    if not HAS_RAQM:
        click.echo("note: Pillow has no RAQM layout here; text is set without kerning", err=True)


@cli.command("build")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write (default: ROOT/output).")
@click.option("-j", "--jobs", "workers", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: number of cores).")
@with_selection
def build_command(root: Path, output: Path | None, workers: int | None, channel: str | None,
                  unit: str | None, design: str | None) -> None:
    """Render the campaign (or part of it) into output/."""
    output = output or root / "output"
    selection = Selection(channel=channel, unit=unit, design=design)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total > 1 and sys.stderr.isatty():
            bar = click.progressbar(length=total, label="rendering", file=sys.stderr, show_eta=True)
            bar.__enter__()
        if bar is not None:
            bar.update(1)

    result = build(root, output, selection, workers, progress)
    if bar is not None:
        bar.__exit__(None, None, None)
    for path in result.removed:
        click.echo(f"removed {path}")
    click.echo(f"built {len(result.assets)} files in {result.elapsed_s:.1f} s into {output}")


@cli.command("check")
@root_option
@with_selection
def check_command(root: Path, channel: str | None, unit: str | None, design: str | None) -> None:
    """Load, validate and lay out everything without rendering; list every problem."""
    the_plan = plan(root, Selection(channel=channel, unit=unit, design=design))
    click.echo(f"ok: {len(the_plan.specs.designs)} designs, {len(the_plan.jobs)} pieces laid out")


@cli.command("list")
@root_option
@with_selection
def list_command(root: Path, channel: str | None, unit: str | None, design: str | None) -> None:
    """List the files a build would write."""
    the_plan = plan(root, Selection(channel=channel, unit=unit, design=design))
    for job in the_plan.jobs:
        for media in media_for(job):
            click.echo(relative_path(job, media))


@cli.command("bundle")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build's output folder (default: ROOT/output).")
def bundle_command(root: Path, output: Path | None) -> None:
    """Pack one zip per unit (files, README.txt, manifest, SHA256SUMS, proof sheet) and write index.html."""
    from assets_pipeline.bundles import bundle_all

    output = output or root / "output"
    result = bundle_all(root, output)
    for path in result.removed:
        click.echo(f"removed {path}")
    for bundle in result.bundles:
        click.echo(f"{bundle.zip_path}: {bundle.file_count} files, {bundle.zip_bytes} bytes")
    click.echo(f"wrote {len(result.bundles)} bundles and {output / 'index.html'}")


@cli.command("serve")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder to serve (default: ROOT/output).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port on 127.0.0.1 (0 picks a free one).")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
def serve_command(root: Path, output: Path | None, port: int, verbose: bool) -> None:
    """Serve output/ on 127.0.0.1 to preview the download page."""
    from assets_pipeline.serve import serve

    output = output or root / "output"
    if not (output / "index.html").is_file():
        raise click.ClickException(f"{output / 'index.html'} does not exist: run `assets bundle` first")
    serve(output, port, verbose, lambda url: click.echo(f"serving {output} at {url} (Ctrl+C to stop)"))


@cli.command("report")
@root_option
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The build's output folder (default: ROOT/output).")
@click.option("--unit", metavar="SLUG", help="Only this unit's report (what it sends to the department).")
def report_command(root: Path, output: Path | None, unit: str | None) -> None:
    """Write the results report (per unit and channel: files and sizes) as CSV and a one-page PDF."""
    from assets_pipeline.report import write_report

    output = output or root / "output"
    files = write_report(root, output, unit)
    total = files.summary.total()
    click.echo(f"{total.files} files, {total.bytes} bytes: wrote {files.csv_path} and {files.pdf_path}")


def main() -> None:
    cli(prog_name="assets")
