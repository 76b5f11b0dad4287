"""A small hostile HTTP server on 127.0.0.1, for testing the fetcher on real sockets.

Each path is a misbehaviour written byte by byte: a status line or headers that
drip, redirects whose bodies drip, are huge or are gzip bombs, exotic charsets,
a Location that is not UTF-8. The server records what it did (bytes sent,
whether a dripping answer was cut off by the client or ran to its end), so tests
can assert a bounded outcome without timing anything tightly.
"""

from __future__ import annotations

import gzip
import io
import socketserver
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

PAGE = (
    b"<!doctype html><html><head><title>Plain page</title></head><body>ok</body></html>"
)


@dataclass
class Record:
    """What the server did on one path."""

    sent: int = 0
    finished: bool = False  # the answer ran to its end: the client never hung up
    cut_off: threading.Event = field(default_factory=threading.Event)


def _gzip_bomb(decoded_bytes: int) -> bytes:
    chunk = b"\0" * (1 << 20)
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as stream:
        for _ in range(decoded_bytes // len(chunk)):
            stream.write(chunk)
    return out.getvalue()


class HostileServer:
    """Serve the misbehaviours on an ephemeral port until closed."""

    def __init__(self, drip_interval: float = 0.25, drip_for: float = 30.0) -> None:
        self.drip_interval, self.drip_for = drip_interval, drip_for
        self.records: dict[str, Record] = {}
        self.requests: list[str] = []
        self._stop = threading.Event()
        self._bomb: bytes | None = None
        self.routes: dict[str, Callable] = {
            "/page": self._page,
            "/slow-status": self._slow_status,
            "/slow-headers": self._slow_headers,
            "/drip-redirect": self._drip_redirect,
            "/huge-redirect": self._huge_redirect,
            "/gzip-redirect": self._gzip_redirect,
            "/gzip-page": self._gzip_page,
            "/bad-location": self._bad_location,
        }
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                server._handle(self)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def bomb(self) -> bytes:
        """A gzip body about 200 KB long that decodes to 200 MiB of zeros."""
        if self._bomb is None:
            self._bomb = _gzip_bomb(200 << 20)
        return self._bomb

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    # The request loop

    def _handle(self, handler: socketserver.StreamRequestHandler) -> None:
        line = handler.rfile.readline(65537).decode("latin-1")
        while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass  # the request's headers
        parts = line.split()
        path = parts[1] if len(parts) > 1 else "/"
        self.requests.append(path)
        name, _, argument = path.partition("?")
        if name.startswith("/charset/"):  # /charset/<label>?<kilobytes>
            name, argument = "/charset", path.removeprefix("/charset/")
        route = self.routes.get(name, self._charset if name == "/charset" else None)
        record = self.records.setdefault(path, Record())
        try:
            if route is None:
                self._send(handler, record, b"HTTP/1.1 404 Not Found\r\n\r\n")
            else:
                route(handler, record, argument)
        except OSError:  # the client hung up: what a bounded fetcher does
            record.cut_off.set()

    def _send(self, handler, record: Record, data: bytes) -> None:
        handler.wfile.write(data)
        handler.wfile.flush()
        record.sent += len(data)

    def _drip(self, handler, record: Record, data: bytes) -> None:
        """Send ``data`` a byte every drip_interval, then ``drip_for`` more bytes."""
        ends = time.monotonic() + self.drip_for
        stream = iter(data)
        while time.monotonic() < ends and not self._stop.is_set():
            byte = next(stream, ord("x"))
            self._send(handler, record, bytes([byte]))
            time.sleep(self.drip_interval)
        record.finished = True

    # The misbehaviours

    def _page(self, handler, record, _):
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(PAGE)
        )
        self._send(handler, record, head + PAGE)
        record.finished = True

    def _slow_status(self, handler, record, _):
        self._drip(handler, record, b"HTTP/1.1 200 OK\r\n")

    def _slow_headers(self, handler, record, _):
        self._send(handler, record, b"HTTP/1.1 200 OK\r\n")
        self._drip(handler, record, b"Content-Type: text/html\r\nX-Slow: ")

    def _redirect_head(self, extra: bytes = b"") -> bytes:
        return b"HTTP/1.1 302 Found\r\nLocation: /page\r\nConnection: close\r\n" + extra

    def _drip_redirect(self, handler, record, _):
        self._send(
            handler, record, self._redirect_head(b"Content-Length: 100000000\r\n\r\n")
        )
        self._drip(handler, record, b"")

    def _huge_redirect(self, handler, record, _):
        size = 400 << 20
        self._send(
            handler, record, self._redirect_head(b"Content-Length: %d\r\n\r\n" % size)
        )
        chunk = b"x" * (1 << 16)
        while record.sent < size and not self._stop.is_set():
            self._send(handler, record, chunk)
        record.finished = True

    def _gzip_redirect(self, handler, record, _):
        bomb = self.bomb()
        head = self._redirect_head(
            b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(bomb)
        )
        self._send(handler, record, head + bomb)
        record.finished = True

    def _gzip_page(self, handler, record, _):
        bomb = self.bomb()
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(bomb)
        )
        self._send(handler, record, head + bomb)
        record.finished = True

    def _bad_location(self, handler, record, _):
        self._send(
            handler,
            record,
            b"HTTP/1.1 302 Found\r\nLocation: /\xff\xfe\x80page\r\n"
            b"Content-Length: 0\r\nConnection: close\r\n\r\n",
        )
        record.finished = True

    def _charset(self, handler, record, label):
        """A page declaring ``label`` in a <meta> tag, then ``?N`` KB of text."""
        label, _, kilobytes = label.partition("?")
        size = int(kilobytes or 0)
        body = (
            b'<!doctype html><html><head><meta charset="%s">'
            b"<title>Caf\xc3\xa9 owners cheer</title></head><body><h1>"
            b"Caf\xc3\xa9 owners cheer</h1><p>"
            % label.encode("ascii")
            + b"Stadt Stra\xc3\x9fe a-b " * (size * 1024 // 20)
            + b"</p></body></html>"
        )
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        )
        self._send(handler, record, head + body)
        record.finished = True
