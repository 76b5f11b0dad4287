"""Fetch a web page for scoring, refusing anything but public http(s) HTML.

The service fetches URLs that callers choose, so this module is the SSRF guard:
every hop of a redirect chain is parsed, its host resolved, and every address
it resolves to checked before a connection is made. The connection then goes to
the address that was checked (``_PinnedAdapter``), never to a second DNS answer,
so a name that rebinds to a private address between the check and the connect
gains nothing. The host name is still sent in ``Host`` and used for TLS (SNI and
the certificate check).

Cost is bounded: one deadline covers the whole fetch (connect, status line,
headers, every redirect hop, the body and its decoding). A watchdog shuts the
fetch's sockets down when it passes, so a server dripping a byte at a time ends
there, whatever the per-read timeout. Redirect bodies are never read; the page's
body is streamed and cut off at ``max_bytes`` of decoded (decompressed) bytes,
then decoded to text by ``backend.pages.charset``.

This is the only module that imports ``requests``; it turns every
``requests.RequestException`` (and urllib3's errors while streaming the body)
into one of the service's errors.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.cookies import extract_cookies_to_jar

from backend.config import DEFAULTS, MAX_URL_LENGTH
from backend.errors import (
    BadInput,
    ForbiddenURL,
    NotHTML,
    TooLarge,
    UpstreamError,
    UpstreamTimeout,
)
from backend.pages.charset import decode, decode_html

__all__ = ["Page", "check_url", "decode_html", "fetch", "is_public_address"]

USER_AGENT = "sensationalism-scorer/0.1 (+https://github.com/sensationalism-scorer)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class Page:
    """A fetched HTML page."""

    url: str  # after redirects
    status: int
    content_type: str  # the media type alone, e.g. "text/html"
    charset: str | None  # what the text was decoded with; None: UTF-8 by default
    body: bytes
    text: str


def fetch(
    url: str,
    *,
    timeout: float = DEFAULTS["FETCH_TIMEOUT"],
    max_bytes: int = DEFAULTS["MAX_HTML_BYTES"],
    max_redirects: int = DEFAULTS["FETCH_MAX_REDIRECTS"],
    allow_loopback: bool = DEFAULTS["FETCH_ALLOW_LOOPBACK"],
    user_agent: str = USER_AGENT,
) -> Page:
    """Fetch ``url`` within ``timeout`` seconds, following checked redirects."""
    headers = {
        "User-Agent": user_agent,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    }
    deadline = Deadline(timeout)
    try:
        with requests.Session() as session:
            # No proxies, .netrc credentials or CA bundles from the environment.
            session.trust_env = False
            for hop in range(max_redirects + 1):
                try:
                    addresses = check_url(url, allow_loopback=allow_loopback)
                except BadInput as err:
                    if hop == 0:
                        raise
                    raise UpstreamError(
                        "The page's server redirected to a malformed URL."
                    ) from err
                if deadline.passed():  # name resolution is not under the watchdog
                    raise UpstreamTimeout(
                        f"The server for {url[:200]} did not answer in time."
                    )
                location = _get(session, url, headers, addresses, deadline, max_bytes)
                if isinstance(location, Page):
                    return _decoded(location, deadline)
                url = location
    finally:
        deadline.cancel()
    raise UpstreamError(f"More than {max_redirects} redirects from the page's server.")


def _get(
    session: requests.Session,
    url: str,
    headers: dict,
    addresses: tuple[str, ...],
    deadline: Deadline,
    max_bytes: int,
) -> Page | str:
    """One hop: the page (body read, not yet decoded), or where it redirects."""
    adapter = _PinnedAdapter(addresses, deadline)
    request = session.prepare_request(requests.Request("GET", url, headers=headers))
    try:
        # The adapter, not session.send: Session.send reads every redirect's body
        # (resolve_redirects touches resp.content) with no cap and no deadline.
        response = adapter.send(request, stream=True, timeout=deadline.remaining())
        with response:
            extract_cookies_to_jar(session.cookies, request, response.raw)
            location = response.headers.get("Location")
            if response.status_code in REDIRECT_STATUSES and location:
                # Closed unread: the connection is dropped with its body.
                return urljoin(url, _header_text(location))
            return _read_page(url, response, max_bytes, deadline)
    except (requests.RequestException, urllib3.exceptions.HTTPError) as err:
        raise _upstream_error(err, url, deadline) from err
    except ValueError as err:  # urljoin on a Location that is not a URL
        raise UpstreamError("The page's server redirected to a malformed URL.") from err
    finally:
        adapter.close()


class Deadline:
    """A fetch's time limit, enforced on its sockets by a watchdog thread.

    Each connection's socket is watched through a duplicate of its descriptor:
    shutting the duplicate down ends every blocked read on the socket (TLS
    included), and owning it means the number is never another thread's socket.
    """

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(seconds, 0), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        """Seconds left, never zero (a zero timeout would mean non-blocking)."""
        return max(self.at - time.monotonic(), 0.001)

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.at

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            duplicate = sock.dup()
            self._sockets.append(duplicate)
            if self.expired:
                _shut(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by its peer
        pass


def check_url(url: str, *, allow_loopback: bool = False) -> tuple[str, ...]:
    """Return the addresses to connect to for ``url``, or raise if it is not allowed.

    Raises BadInput for a malformed URL and ForbiddenURL for one that is not a
    public http(s) address; every address the host resolves to must pass.
    """
    if not isinstance(url, str) or not url:
        raise BadInput("The URL is missing.")
    if len(url) > MAX_URL_LENGTH:
        raise BadInput(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    # Backslashes are read as slashes by browsers but not by urlsplit.
    if "\\" in url or not url.isprintable():
        raise BadInput("The URL contains a backslash or an unprintable character.")
    try:
        parts = urlsplit(url)
    except ValueError as err:  # e.g. an unclosed IPv6 bracket
        raise BadInput(f"The URL is malformed: {err}.") from err
    if parts.scheme.lower() not in ("http", "https"):
        raise ForbiddenURL(f"Only http and https URLs are fetched, not {url[:50]!r}.")
    if "@" in parts.netloc:
        raise ForbiddenURL("URLs with credentials are not fetched.")
    try:
        host, port = parts.hostname, parts.port
    except ValueError as err:
        raise BadInput("The URL's port is not a number from 0 to 65535.") from err
    if not host:
        raise BadInput("The URL has no host.")
    # Hosts may be percent-encoded, as in an IPv6 zone: [fe80::1%25eth0].
    host = unquote(host)
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as err:
        raise BadInput("The URL's host name is not a valid domain name.") from err
    except OSError as err:
        raise UpstreamError(f"The host {host!r} could not be resolved.") from err
    addresses = tuple(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UpstreamError(f"The host {host!r} could not be resolved.")
    for address in addresses:
        if not is_public_address(address, allow_loopback=allow_loopback):
            raise ForbiddenURL(f"The host {host!r} is not a public address.")
    return addresses


def is_public_address(address: str, *, allow_loopback: bool = False) -> bool:
    """Tell whether an IP address may be fetched from.

    IPv6 forms that embed an IPv4 address (mapped, 6to4, Teredo) must pass on
    the embedded address too; NAT64's 64:ff9b::/96 lies in the reserved ::/8.
    """
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        # ::ffff:a.b.c.d is the IPv4 address a.b.c.d itself.
        ip = ip.ipv4_mapped
    embedded: list[ipaddress.IPv4Address] = []
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.sixtofour:
            embedded.append(ip.sixtofour)
        if ip.teredo:
            embedded.extend(ip.teredo)
    return _allowed(ip, allow_loopback) and all(
        _allowed(inner, allow_loopback) for inner in embedded
    )


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, loopback: bool) -> bool:
    if ip.is_loopback:
        return loopback
    # is_global alone lets multicast and some reserved ranges through.
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_unspecified
    )


def _read_page(
    url: str, response: requests.Response, max_bytes: int, deadline: Deadline
) -> Page:
    if not 200 <= response.status_code < 300:
        raise UpstreamError(f"The page's server answered {response.status_code}.")
    media_type, params = _parse_content_type(response.headers.get("Content-Type"))
    if media_type and media_type not in HTML_TYPES:
        raise NotHTML(f"The page is {media_type}, not HTML.")
    length = response.headers.get("Content-Length", "")
    if length.isascii() and length.isdigit() and int(length) > max_bytes:
        raise TooLarge(f"The page is larger than {max_bytes} bytes.")
    chunks, size = [], 0
    # read1 returns what one read of the socket brings, decompressed to at most
    # CHUNK_SIZE bytes, so max_bytes caps the decoded size of a gzip bomb too.
    while chunk := response.raw.read1(CHUNK_SIZE, decode_content=True):
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(f"The page is larger than {max_bytes} bytes.")
        if deadline.passed():
            raise _too_slow()
        chunks.append(chunk)
    if deadline.passed():  # the watchdog ends a dripping body as if complete
        raise _too_slow()
    body = b"".join(chunks)
    if not media_type:
        head = body[:1024].lstrip().lower()
        if b"<html" not in head and b"<!doctype html" not in head:
            raise NotHTML("The page has no content type and does not look like HTML.")
        media_type = "text/html"
    return Page(url, response.status_code, media_type, params.get("charset"), body, "")


def _decoded(page: Page, deadline: Deadline) -> Page:
    charset, text = decode(page.body, page.charset)
    if deadline.passed():
        raise _too_slow()
    return Page(page.url, page.status, page.content_type, charset, page.body, text)


def _too_slow() -> UpstreamTimeout:
    return UpstreamTimeout("The page's server sent it too slowly.")


def _parse_content_type(header: str | None) -> tuple[str, dict[str, str]]:
    media_type, *rest = (header or "").split(";")
    params = {}
    for param in rest:
        key, _, value = param.partition("=")
        params[key.strip().lower()] = value.strip().strip("\"'")
    return media_type.strip().lower(), params


def _header_text(value: str) -> str:
    # http.client decodes headers as Latin-1; servers send UTF-8 in Location.
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError as err:
        raise UpstreamError(
            "The page's server redirected to a Location that is not UTF-8."
        ) from err


def _upstream_error(err: Exception, url: str, deadline: Deadline) -> Exception:
    # Errors while streaming the body come from urllib3 unwrapped; a socket the
    # watchdog shut down fails as a dropped connection.
    if deadline.passed() or isinstance(
        err, requests.Timeout | urllib3.exceptions.TimeoutError
    ):
        return UpstreamTimeout(f"The server for {url[:200]} did not answer in time.")
    return UpstreamError(f"The page at {url[:200]} could not be fetched.")


class _PinnedAdapter(HTTPAdapter):
    """An adapter whose connections go only to addresses that were checked."""

    def __init__(self, addresses: tuple[str, ...], deadline: Deadline) -> None:
        # Set before super().__init__, which builds the pools.
        self.addresses, self.deadline = addresses, deadline
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        # New pool classes for this adapter only: the default mapping is shared.
        self.poolmanager.pool_classes_by_scheme = {
            scheme: type(
                f"Pinned{pool.__name__}",
                (pool,),
                {
                    "ConnectionCls": _pinned(
                        pool.ConnectionCls, self.addresses, self.deadline
                    )
                },
            )
            for scheme, pool in self.poolmanager.pool_classes_by_scheme.items()
        }


def _pinned(
    connection_cls: type, addresses: tuple[str, ...], deadline: Deadline
) -> type:
    class PinnedConnection(connection_cls):
        def _new_conn(self):
            # Only where the socket connects changes; self.host still names
            # the site for the Host header, SNI and the certificate check.
            # Each checked address is tried in turn, as urllib3 itself would.
            failures: list[OSError] = []
            for address in addresses:
                try:
                    sock = urllib3.util.connection.create_connection(
                        (address, self.port),
                        deadline.remaining(),
                        source_address=self.source_address,
                        socket_options=self.socket_options,
                    )
                except OSError as err:
                    failures.append(err)
                    continue
                deadline.watch(sock)
                return sock
            if isinstance(failures[-1], TimeoutError):
                raise urllib3.exceptions.ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out."
                ) from failures[-1]
            raise urllib3.exceptions.NewConnectionError(
                self, f"Failed to connect to {self.host}: {failures[-1]}"
            ) from failures[-1]

    return PinnedConnection
