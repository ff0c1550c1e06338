"""The studio's page over HTTP on the loopback address: the page, its state, its events, its pictures.

It serves exactly four things: the page (designer/studio.html), the state as JSON, a stream of
server-sent events that says when the state changed, and the pictures the studio drew, by name
(a content key and a suffix: nothing else matches, so no path can reach outside them). A choice made
in the page is posted as JSON. Only requests addressed to the loopback host are answered.
"""

from __future__ import annotations

import http.server
import json
import re
import signal
import threading
from importlib import resources
from pathlib import Path
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from assets_pipeline.core.errors import AssetsError
from assets_pipeline.core.i18n import _
from assets_pipeline.designer.studio import Choice, Studio, watch

HOST = "127.0.0.1"  # the designer's own machine: never the network
PICTURE = re.compile(r"[0-9a-f]{32}-(?:proof|detail)\.png|[0-9a-f]{32}-loop\.mp4")
TYPES = {".png": "image/png", ".mp4": "video/mp4"}
KEEPALIVE_S = 15


def page() -> bytes:
    return resources.files("assets_pipeline.designer").joinpath("studio.html").read_bytes()


MAX_CHOICE_BYTES = 10_000  # a choice is four short strings; a longer body is refused unread

class StudioHandler(http.server.BaseHTTPRequestHandler):
    server: StudioServer
    protocol_version = "HTTP/1.1"

    @property
    def studio(self) -> Studio:
        assert self.server.studio is not None  # set before the server handles a request (run_studio)
        return self.server.studio

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        path = self._path()
        if path is None:
            return
        if path in ("/", "/index.html"):
            self._send(200, page(), "text/html; charset=utf-8")
        elif path == "/state.json":
            self._send(200, json.dumps(self.studio.state(), ensure_ascii=False).encode(),
                       "application/json; charset=utf-8")
        elif path == "/events":
            self._events()
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")
        elif path.startswith("/files/") and PICTURE.fullmatch(path[len("/files/"):]):
            self._file(self.studio.files / path[len("/files/"):])
        else:
            self._text(404, _("not found"))

    def do_POST(self) -> None:  # noqa: N802
        path = self._path()
        if path is None:
            return
        if path != "/choose":
            self._text(404, _("not found"))
            return
        # only the studio's own page changes what it shows: a page of another site may send a form or a
        # text/plain POST to 127.0.0.1 without asking, never a JSON one, and its browser says its origin
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {f"http://{name}:{self.server.server_port}" for name in (HOST, "localhost")}:
            self._text(403, _("the studio takes choices from its own page only"))
            return
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            self._text(415, _("a choice is sent as application/json"))
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
            if not 0 <= length <= MAX_CHOICE_BYTES:
                raise ValueError
            changes = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(changes, dict) or not all(isinstance(v, (str, type(None))) for v in changes.values()):
                raise ValueError
        except ValueError:
            self._text(400, _("a choice is a JSON object of strings"))
            return
        self.studio.choose(**changes)
        self._send(204, b"", "text/plain")

    def _path(self) -> str | None:
        """The request's path, or None once refused: another host, or a path that climbs out."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in (HOST, "localhost"):
            self._text(403, _("the studio answers on 127.0.0.1 only"))
            return None
        path = urlsplit(self.path).path
        if ".." in unquote(path) or "\\" in unquote(path):
            self._text(403, _("refused: the studio serves its own pictures only"))
            return None
        return path

    def _text(self, status: int, said: str) -> None:
        self._send(status, (said + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _file(self, path: Path) -> None:
        """A picture or a loop; a video's byte ranges, which a browser asks for to play and seek."""
        try:
            data = path.read_bytes()
        except OSError:
            self._text(404, _("not drawn (yet)"))
            return
        kind = TYPES[path.suffix]
        wanted = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        if wanted and data:
            first = int(wanted[1]) if wanted[1] else max(len(data) - int(wanted[2] or 0), 0)
            last = min(int(wanted[2]), len(data) - 1) if wanted[1] and wanted[2] else len(data) - 1
            if first > last:
                self._send(416, b"", kind, {"Content-Range": f"bytes */{len(data)}"})
                return
            self._send(206, data[first:last + 1], kind,
                       {"Content-Range": f"bytes {first}-{last}/{len(data)}", "Accept-Ranges": "bytes"})
            return
        # a picture's name is its content: the same name is always the same picture
        self._send(200, data, kind, {"Accept-Ranges": "bytes"})

    def _events(self) -> None:
        """Server-sent events: `state` with the new version each time the state changes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        studio, version = self.studio, -1
        try:
            while not self.server.stopping.is_set():
                now = studio.wait(version, KEEPALIVE_S) if version >= 0 else studio.version
                message = f"event: state\ndata: {now}\n\n" if now != version else ": still here\n\n"
                version = now
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.verbose:
            super().log_message(format, *args)


class StudioServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, studio: Studio | None, port: int, verbose: bool = False):
        super().__init__((HOST, port), StudioHandler)
        self.studio, self.verbose, self.stopping = studio, verbose, threading.Event()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run_studio(root: Path, output: Path, choice: Choice, port: int, workers: int | None, verbose: bool,
               say: Callable[[str], None], announce: Callable[[str], None]) -> None:
    """Serve until Ctrl-C: the page, a thread that redraws, a thread that watches specs/ and fonts/.
    `announce` is given the line with the page's address; `say` everything else."""
    try:
        server = StudioServer(None, port, verbose)
    except OSError as exc:
        address = f"{HOST}:{port}"
        raise AssetsError(_("cannot listen on {address}: {problem} (another port: --port N, or 0 for any)",
                            address=address, problem=exc.strerror)) from None
    server.studio = studio = Studio(root, output, choice, workers, say)
    stop = server.stopping
    threads = [threading.Thread(target=studio.run, args=(stop,), daemon=True, name="redraw"),
               threading.Thread(target=watch, args=(studio, stop), daemon=True, name="watch")]
    for thread in threads:
        thread.start()
    announce(_("studio at {url} (Ctrl-C to stop)", url=server.url))
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        with studio.changed:
            studio.changed.notify_all()  # the event streams see the stop
        server.server_close()
        for thread in threads:
            thread.join(timeout=2)
        studio.close()
        say(_("studio stopped"))
