"""Where jobs run: a local process pool (default) or a Dask distributed cluster.

Both take picklable tasks and yield each result as it completes. Workers write the files
themselves (on a cluster, `output/` must be a shared file system) and return paths and hashes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any
from collections.abc import Callable, Iterator, Sequence

from assets_pipeline.core.errors import BuildError, InfrastructureError
from assets_pipeline.core.i18n import _, current_language, set_language

Task = tuple[Any, ...]


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def prepare_worker(parent: int | None = None) -> None:
    # A full disk or a file-size limit must fail one write with an error, not kill the process.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    if parent is not None:
        die_with(parent)


def die_with(parent: int) -> None:
    """A pool worker dies when the build that started it does, however it ends (SIGKILL from the OOM
    killer included): a worker left behind would hold the output folder's lock and stall the next build."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build was gone before the signal was asked for
        os._exit(1)


def run_local(function: Callable[..., Any], tasks: Sequence[Task], workers: int) -> Iterator[Any]:
    prepare_worker()
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield function(*task)
        return
    # Jobs go in order (the costliest first, as the caller sorted them) but never more than the
    # pool can start, so a Ctrl-C leaves little queued work behind.
    with ProcessPoolExecutor(max_workers=workers, initializer=prepare_worker, initargs=(os.getpid(),)) as pool:
        pending = list(tasks)[::-1]
        running: set[Future[Any]] = set()
        try:
            while pending or running:
                while pending and len(running) < workers * 2:
                    running.add(pool.submit(function, *pending.pop()))
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        except BrokenProcessPool:
            raise BuildError(_("a worker process died (out of memory?); the files written so far are kept: run the build "
                               "again to finish")) from None


_shared: Any = None  # what every task of a `map_shared` pool reads, set once per worker


def _receive(parent: int, shared: Any) -> None:
    global _shared
    prepare_worker(parent)
    _shared = shared


def _call(function: Callable[..., Any], task: Task) -> Any:
    return function(_shared, *task)


def map_shared(function: Callable[..., Any], shared: Any, tasks: Sequence[Task], workers: int | None = None,
               chunksize: int = 4, on_done: Callable[[int], None] | None = None) -> list[Any]:
    """`function(shared, *task)` for every task, on every core; the results in the tasks' order.

    The workers are forked, so `shared` (a whole catalogue) reaches each of them once, with its
    memory, instead of being pickled with every task; only the tasks and results travel. Fewer tasks
    than a chunk for each worker run here: a worker would cost more than it saves. `on_done` hears how
    many results are in, as they come (for a progress line)."""
    workers = min(workers or os.cpu_count() or 1, -(-len(tasks) // chunksize))
    results: list[Any] = []

    def landed(result: Any) -> None:
        results.append(result)
        if on_done is not None:
            on_done(len(results))

    if workers <= 1:
        for task in tasks:
            landed(function(shared, *task))
        return results
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_receive, initargs=(os.getpid(), shared))
    try:
        with pool:
            for result in pool.map(_call, [function] * len(tasks), tasks, chunksize=chunksize):
                landed(result)
            return results
    except BrokenProcessPool:
        raise BuildError(_("a worker process died (out of memory?); run the command again to finish")) from None


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # <malloc.h>


def keep_freed_memory() -> None:
    """Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=64 KiB, which also turns off glibc's
    adaptive thresholds: every picture's buffers are mapped, faulted in and given back anew, 4× the
    system time of a local pool and 1.2× its wall time for the posters. A worker keeps what it frees
    for the next picture instead, as a process left to glibc's defaults does."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None)
            libc.mallopt(M_MMAP_THRESHOLD, 32 << 20)
            libc.mallopt(M_TRIM_THRESHOLD, 256 << 20)
        except (OSError, AttributeError):
            pass  # not glibc: its own allocator's ways


BATCHES_PER_WORKER = 8  # enough to even out the tail; each batch costs the scheduler and the wire once


def in_batches(tasks: Sequence[Task], slots: int) -> list[list[Task]]:
    """Consecutive tasks in batches: a task is a few milliseconds of Dask's bookkeeping, which for
    hundreds of small pieces is more than their drawing on the same cores."""
    size = max(1, -(-len(tasks) // (slots * BATCHES_PER_WORKER)))
    return [list(tasks[i:i + size]) for i in range(0, len(tasks), size)]


def _run_batch(function: Callable[..., Any], batch: list[Task]) -> list[Any]:
    return [function(*task) for task in batch]


def run_dask(function: Callable[..., Any], tasks: Sequence[Task], scheduler: str | None,
             font_paths: list[str], workers: int | None = None, retries: int = 2) -> Iterator[Any]:
    """The tasks on a Dask cluster: the scheduler's, or a local one of `workers` processes (`-j`,
    else one per core); a scheduler's cluster has the workers it was started with."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InfrastructureError(_("the dask executor needs the 'distributed' package "
                                    "(pip install 'dask[distributed]')")) from None
    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            # the machinery, not the specs: nothing in specs/ to fix
            raise InfrastructureError(_("cannot reach the Dask scheduler at {address}: {problem}", address=scheduler,
                                        problem=exc)) from None
    else:
        import dask

        with dask.config.set({"distributed.worker.profile.enabled": False}):  # a build needs no sampling profiler
            # its HTTP server on a free port: without a dashboard it still takes 8787, and a second build
            # (or a notebook's cluster) on the machine would be warned that the port is in use
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=":0")
        client = Client(cluster)
    from distributed.diagnostics.plugin import WorkerPlugin

    class FontFiles(WorkerPlugin):
        """Loads the campaign's fonts once on each worker, before its first job; and speaks the build's language."""

        name = "assets-pipeline-fonts"

        def __init__(self, paths: list[str], language: str):
            self.paths, self.language = paths, language

        def setup(self, worker: Any) -> None:
            from assets_pipeline.core.fonts import face

            set_language(self.language)
            keep_freed_memory()
            for path in self.paths:
                face(path)

    try:
        client.register_plugin(FontFiles(font_paths, current_language()))
        slots = sum(client.nthreads().values()) or 1
        batches = in_batches(tasks, slots)
        # the costliest first, as the caller sorted them: a batch sent earlier is run earlier
        futures = [client.submit(_run_batch, function, batch, retries=retries, pure=False, priority=len(batches) - i)
                   for i, batch in enumerate(batches)]
        for future in as_completed(futures):
            yield from future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
