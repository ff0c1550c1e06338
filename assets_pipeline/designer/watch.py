"""`assets watch`: rebuild what a change to specs/ or fonts/ affects, proofs first.

Built on the incremental engine: only jobs whose content key changed are rendered. Rasters
(the proofs a designer looks at) are rendered first, then the print and video files.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from assets_pipeline.core.errors import SpecError
from assets_pipeline.core.i18n import _
from assets_pipeline.core.media import MEDIA
from assets_pipeline.delivery.freshness import say_if_stale
from assets_pipeline.engine.build import BuildResult, build
from assets_pipeline.plan.expand import Selection


def rebuild(root: Path, output: Path, selection: Selection, workers: int | None,
            say: Callable[[str], None], campaign: str | Path | None = None) -> BuildResult | None:
    """One round: proofs, then everything else. A spec error is said, not raised."""
    try:
        proofs = {name for name, medium in MEDIA.items() if medium.proof}  # what a designer looks at
        for media_only in (proofs, None):
            result = build(root, output, selection, workers, media_only=media_only, campaign=campaign)
            for entry in result.rendered:
                say(str(output / entry.path))
            for failure in result.failed:
                say(_("failed: {piece}: {problem}", piece=failure.job, problem=failure.message))
        say_if_stale(output, say)
        return result
    except SpecError as exc:
        say(str(exc))
        return None


def watch(root: Path, output: Path, selection: Selection, workers: int | None, say: Callable[[str], None],
          stop_event=None, campaign: str | Path | None = None) -> None:
    from watchfiles import watch as watch_paths

    rebuild(root, output, selection, workers, say, campaign)
    say(_("watching specs/ and fonts/ (Ctrl-C to stop)"))
    for changes in watch_paths(root / "specs", root / "fonts", stop_event=stop_event, debounce=300):
        names = sorted({Path(path).name for _, path in changes})
        say(_("changed: {files}", files=", ".join(names)))
        rebuild(root, output, selection, workers, say, campaign)
