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
    for entry in result.assets:
        if entry.get("encoded_px") not in (None, entry.get("px")):
            (w, h), (ew, eh) = entry["px"], entry["encoded_px"]
            click.echo(f"note: {entry['path']}: the {w}×{h} px panel is encoded as {ew}×{eh} "
                       f"(H.264 yuv420p needs even sides; the extra row/column is background, not a resize)")
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


def main() -> None:
    cli(prog_name="assets")
