"""`assets studio`: every format of a design for one unit, redrawn as the designer saves.

The studio keeps what the page shows: the choice (campaign, design, unit, variant), the pieces of that
choice with their pictures, the last error, and how long the last save took to show. One thread
redraws: on each save under specs/ or fonts/, and on each choice made in the page. A piece is drawn
again only when its content key changes (the build's own key, engine/keys.py), first as a fast proof
on every core, then at the format's proof size, and a video's loop as a small proof. A spec error is
kept as the one line the command line prints; the pictures drawn before it stay.
"""

from __future__ import annotations

import concurrent.futures
import functools
import multiprocessing
import os
import queue
import re
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from collections.abc import Callable

from assets_pipeline.core.errors import AssetsError
from assets_pipeline.core.i18n import _, current_language, ngettext, set_language
from assets_pipeline.delivery.describe import channel_name, number
from assets_pipeline.delivery.download_page import search_key
from assets_pipeline.designer import studio_pictures as pictures
from assets_pipeline.engine.keys import job_keys
from assets_pipeline.plan.expand import Selection, expand
from assets_pipeline.plan.jobs import Job
from assets_pipeline.specs.campaigns import DEFAULT_CAMPAIGN
from assets_pipeline.specs.load import load_specs

FOLDER = "studio"  # under the output folder: the only files the studio serves
KEPT = 500  # pictures kept beyond those shown, the most recently shown first


@dataclass(frozen=True)
class Choice:
    campaign: str = DEFAULT_CAMPAIGN
    design: str | None = None  # None: every design
    unit: str | None = None  # None: the first unit the designs reach (the province)
    variant: str | None = None  # None: each design's first


def campaign_files(root: Path) -> list[str]:
    """The campaigns the page offers: the current one and those under specs/campaigns/ (a file with slogans)."""
    found = [DEFAULT_CAMPAIGN]
    for path in sorted((root / "specs" / "campaigns").glob("*.yaml")):
        if re.search(r"^slogans:", path.read_text(encoding="utf-8", errors="replace"), re.M):
            found.append(path.relative_to(root).as_posix())
    return found


def size_label(job: Job) -> str:
    fmt = job.format
    width, height = fmt.size
    if not fmt.is_print:
        return f"{width} × {height} px"
    bleed = f", xén {number(fmt.bleed_mm)} mm" if fmt.bleed_mm else ""
    return f"{number(width)} × {number(height)} mm{bleed}"


@dataclass
class Slot:
    """One format of one design and variant as the page shows it: its pieces (a video: one per slide)."""

    id: str
    design: str
    variant: str
    job: Job  # the format's piece (a video: its loop)
    stills: list[tuple[Job, str]]  # (piece, key) drawn as pictures: the piece itself, or a video's slides
    loop_key: str | None = None


def _fault(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _worker_start(language: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the studio's to handle, not each worker's
    set_language(language)  # a spawned worker says its errors and findings as the studio does


class Studio:
    def __init__(self, root: Path, output: Path, choice: Choice, workers: int | None = None,
                 say: Callable[[str], None] = print):
        self.root = root.resolve()
        self.files = (output if output.is_absolute() else Path.cwd() / output) / FOLDER
        self.files.mkdir(parents=True, exist_ok=True)
        self.choice = choice
        self.say = say
        self.changed = threading.Condition()
        self.version = 0
        self.error: str | None = None
        self.slots: list[Slot] = []
        self.results: dict[str, dict[str, Any]] = {}  # file name → what drawing it returned
        self.pending: set[str] = set()  # file names being drawn in the background
        self.menus: dict[str, Any] = {"campaigns": campaign_files(self.root), "designs": [], "units": [],
                                      "variants": []}
        self.timing: dict[str, Any] = {}
        self.titles: dict[str, str] = {}
        self.requests: queue.Queue = queue.Queue()
        self.workers = workers or min(os.cpu_count() or 1, 4)
        self.pool = self._new_pool()

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        # spawned, not forked: the studio's threads hold locks a forked child would inherit held
        return concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                      initializer=_worker_start, initargs=(current_language(),))

    # what the page reads ------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        with self.changed:
            return {"version": self.version, "choice": self.choice.__dict__, "error": self.error,
                    "busy": len(self.pending), "menus": self.menus, "timing": self.timing,
                    "slots": [self._slot_json(s) for s in self.slots]}

    def _slot_json(self, slot: Slot) -> dict[str, Any]:
        job = slot.job
        def picture(key: str, still: Job) -> dict[str, Any]:
            proof, detail = self.results.get(f"{key}-proof.png"), self.results.get(f"{key}-detail.png")
            shown = detail if detail and "error" not in detail else proof
            return {"slide": still.slide, "proof": f"files/{key}-proof.png",
                    "detail": f"files/{key}-detail.png" if detail and "error" not in detail else None,
                    **{k: v for k, v in (shown or {}).items() if k != "error"}}
        loop = self.results.get(f"{slot.loop_key}-loop.mp4") if slot.loop_key else None
        return {"id": slot.id, "design": slot.design, "design_title": self.titles.get(slot.design, slot.design),
                "variant": slot.variant, "format": job.format_id, "title": job.format.title,
                "size": size_label(job), "channel": channel_name(job.channel),
                "print": job.format.is_print, "video": slot.loop_key is not None,
                "pictures": [picture(key, still) for still, key in slot.stills],
                "loop": {"url": f"files/{slot.loop_key}-loop.mp4", **loop} if loop and "error" not in loop else
                        {"pending": True} if slot.loop_key else None}

    def wait(self, version: int, timeout: float) -> int:
        """Block until the state's version passes `version` (or `timeout`); the version now."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout)
            return self.version

    def _publish(self, **fields: Any) -> None:
        with self.changed:
            for name, value in fields.items():
                setattr(self, name, value)
            self.version += 1
            self.changed.notify_all()

    # what changes it ----------------------------------------------------------------------------------

    def choose(self, **changes: str | None) -> None:
        """A choice made in the page: campaign, design, unit or variant ('' for the default)."""
        self.requests.put(("choose", {k: (v or None) for k, v in changes.items()
                                      if k in ("campaign", "design", "unit", "variant")}))

    def saved(self, paths: list[str]) -> None:
        """Files under specs/ or fonts/ were saved: the time of the newest save counts as the start."""
        times = [os.stat(p).st_mtime for p in paths if os.path.exists(p)]
        self.requests.put(("saved", max(times) if times else time.time()))

    def run(self, stop: threading.Event) -> None:
        """The one thread that redraws: requests that arrive while it draws are taken together."""
        self.refresh(time.time())
        while not stop.is_set():
            try:
                request = self.requests.get(timeout=0.2)
            except queue.Empty:
                continue
            started = None
            while True:
                kind, value = request
                if kind == "choose":
                    choice = replace(self.choice, **value)
                    if "campaign" in value:
                        choice = replace(choice, campaign=value["campaign"] or DEFAULT_CAMPAIGN, unit=None,
                                         variant=None)
                    if "design" in value:
                        choice = replace(choice, variant=None)
                    self.choice = choice
                    started = started or time.time()
                else:
                    started = min(started or value, value)
                try:
                    request = self.requests.get_nowait()
                except queue.Empty:
                    break
            self.refresh(started)

    def refresh(self, started: float) -> None:
        try:
            self._refresh(started)
        except AssetsError as exc:
            print(exc, file=sys.stderr, flush=True)  # the terminal that runs the studio says it too
            self._publish(error=str(exc), timing={"started": started, "drawn_s": round(time.time() - started, 3),
                                                  "drawn": 0, "reused": 0})
        except Exception as exc:  # a fault of the tool itself: said, and the studio goes on
            traceback.print_exc(file=sys.stderr)
            if isinstance(exc, concurrent.futures.process.BrokenProcessPool):
                self.pool = self._new_pool()
            self._publish(error=_("internal error: {problem} (assets --debug check shows more)", problem=_fault(exc)))

    def _refresh(self, started: float) -> None:
        choice = self.choice
        specs = load_specs(self.root, choice.campaign)
        if choice.design is not None and choice.design not in specs.designs:
            choice = replace(choice, design=None, variant=None)
        reachable = specs.units_for(specs.designs[choice.design]) if choice.design else specs.units
        if choice.unit not in {u.slug for u in reachable}:
            choice = replace(choice, unit=reachable[0].slug if reachable else None)
        jobs = expand(specs, Selection(design=choice.design, unit=choice.unit)) if choice.unit else []
        variants = list(dict.fromkeys(job.variant for job in jobs)) if choice.design else []
        if choice.variant not in variants:
            choice = replace(choice, variant=None)
        slots = self._slots(jobs, choice)
        self.choice = choice
        self.titles = {d: specs.designs[d].title for d in specs.designs}
        units = [{"slug": u.slug, "name": u.shown, "parent": u.parent, "kind": u.kind,
                  "search": search_key(u.shown, u.name, u.code)} for u in reachable]
        menus = {"campaigns": campaign_files(self.root),
                 "designs": [{"id": d, "title": specs.designs[d].title} for d in specs.designs],
                 "units": units, "variants": variants}
        planned = time.time()
        drawn, reused, errors = self._draw(slots, "proof", pictures.PROOF_PX)
        seconds = time.time() - started
        self._publish(slots=slots, menus=menus, error="\n".join(dict.fromkeys(errors)) or None,
                      timing={"started": started, "drawn_s": round(seconds, 3), "drawn": drawn, "reused": reused})
        said = _("{design} for {unit}: {drawn} drawn, {reused} reused in {seconds:.2f} s (planned in {planned:.2f} s)",
                 design=choice.design or _("every design"), unit=choice.unit, drawn=drawn, reused=reused, seconds=seconds,
                 planned=planned - started)
        if errors:
            said += "; " + ngettext("{count} error", "{count} errors", len(errors), count=len(errors))
        self.say(said)
        for error in dict.fromkeys(errors):
            print(error, file=sys.stderr, flush=True)
        self._in_background(slots)

    def _slots(self, jobs: list[Job], choice: Choice) -> list[Slot]:
        firsts: dict[str, str] = {}
        for job in jobs:
            firsts.setdefault(job.design, job.variant)
        slots: dict[str, Slot] = {}
        for job in jobs:
            if job.variant != (choice.variant or firsts[job.design]):
                continue
            slot_id = f"{job.design}/{job.variant}/{job.format_id}"
            key = job_keys(job, ["studio"])["studio"]
            slot = slots.get(slot_id)
            if slot is None:
                slot = slots[slot_id] = Slot(slot_id, job.design, job.variant, job, [])
            if job.clip is not None:
                slot.job, slot.loop_key = job, key
            else:
                slot.stills.append((job, key))
        return list(slots.values())

    def _draw(self, slots: list[Slot], size: str, long_px: int | None) -> tuple[int, int, list[str]]:
        """Each still not drawn yet at `size`, on every core; an error keeps the piece's last good picture."""
        futures, reused, errors = {}, 0, []
        for slot in slots:
            for still, key in slot.stills:
                name = f"{key}-{size}.png"
                if name in self.results:
                    with self.changed:
                        self.results[name] = self.results.pop(name)  # the most recently shown last
                    reused += 1
                    continue
                futures[name] = self.pool.submit(pictures.draw_picture, still, str(self.files / name), long_px)
        for name, future in futures.items():
            result = future.result()
            if "error" in result:
                errors.append(result["error"])
            else:
                with self.changed:
                    self.results[name] = result
        for slot in slots:  # a piece that failed shows its last good picture, if it had one
            slot.stills = [(still, key if f"{key}-{size}.png" in self.results else self._last_good(slot, still, key))
                           for still, key in slot.stills]
        return len(futures), reused, errors

    def _last_good(self, slot: Slot, still: Job, key: str) -> str:
        for old in self.slots:
            if old.id == slot.id:
                for old_still, old_key in old.stills:
                    if old_still.slide == still.slide and f"{old_key}-proof.png" in self.results:
                        return old_key
        return key

    def _in_background(self, slots: list[Slot]) -> None:
        """Then the format's proof size, and video loops; each shows as soon as it is made."""
        def done(name: str, future: concurrent.futures.Future) -> None:
            if future.cancelled():
                return
            try:
                result = future.result()
            except Exception as exc:  # a worker that died: said where the picture would be
                result = {"error": _("internal error: {problem}", problem=_fault(exc))}
            with self.changed:
                self.pending.discard(name)
                self.results[name] = result
                self.version += 1
                self.changed.notify_all()

        jobs: list[tuple[str, Callable[..., dict[str, Any]], tuple[Any, ...]]]
        jobs = [(f"{key}-detail.png", pictures.draw_picture, (still, None)) for slot in slots
                for still, key in slot.stills if f"{key}-proof.png" in self.results]
        jobs += [(f"{slot.loop_key}-loop.mp4", pictures.encode_loop, (slot.job,)) for slot in slots if slot.loop_key]
        for name, function, args in jobs:
            if name in self.results or name in self.pending:
                continue
            self.pending.add(name)
            future = self.pool.submit(function, args[0], str(self.files / name), *args[1:])
            future.add_done_callback(functools.partial(done, name))
        shown = {n for slot in slots for _, key in slot.stills for n in (f"{key}-proof.png", f"{key}-detail.png")}
        with self.changed:
            shown |= {f"{slot.loop_key}-loop.mp4" for slot in slots if slot.loop_key} | self.pending
            # what was shown lately stays too: undoing a change, or going back to a unit, draws nothing
            recent = [name for name in self.results if name not in shown][-KEPT:]
            self.results = {name: self.results[name] for name in self.results if name in shown or name in recent}
            keep = set(self.results) | shown
        pictures.remove_stale(self.files, keep)

    def close(self) -> None:
        """Stop at once: what the workers are drawing is of no use any more."""
        workers = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        # an idle worker leaves on its own at once (killed, it may leave its queue's semaphore to be
        # reported leaked at exit); one still drawing is stopped
        deadline = time.monotonic() + 0.5
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        for worker in workers:
            worker.join(5)
        # the executor's own thread closes its queues now the workers are gone: left to the interpreter's
        # exit, it may not, and the queues' semaphores are reported leaked
        self.pool.shutdown(wait=True)


def watch(studio: Studio, stop: threading.Event) -> None:
    """Saves under specs/ and fonts/, as soon as the editor has finished writing (50 ms of quiet)."""
    from watchfiles import watch as watch_paths

    for changes in watch_paths(studio.root / "specs", studio.root / "fonts", stop_event=stop, debounce=400,
                               step=50, raise_interrupt=False):
        studio.saved([path for _, path in changes])
