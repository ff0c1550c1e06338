"""`assets serve`: output/ over HTTP on the loopback address, to preview the download page as users see it."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path
from collections.abc import Callable

HOST = "127.0.0.1"  # loopback only: a preview, not a publication


class OutputHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mp4": "video/mp4", ".zip": "application/zip", ".txt": "text/plain; charset=utf-8",
                      ".json": "application/json", ".html": "text/html; charset=utf-8"}

    def end_headers(self) -> None:
        # a preview must show the latest build, never a cached page
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)


def make_server(output: Path, port: int = 8000, verbose: bool = False) -> http.server.ThreadingHTTPServer:
    """A server bound to 127.0.0.1:`port` (0 picks a free port) serving `output`."""
    handler = functools.partial(OutputHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer((HOST, port), handler)
    server.verbose = verbose  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server


def serve(output: Path, port: int, verbose: bool, announce: Callable[[str], None]) -> None:
    server = make_server(output, port, verbose)
    url = f"http://{HOST}:{server.server_address[1]}/"
    announce(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
