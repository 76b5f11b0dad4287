"""Tests for backend.pages.fetch: no test reaches the network.

``responses`` stands in for every server, and ``getaddrinfo`` is patched so that
test host names resolve to addresses each test chooses; any other host is only
parsed as a numeric address, never looked up.
"""

import io
import socket
import time

import pytest
import requests
import responses
import urllib3

from backend.errors import (
    BadInput,
    ForbiddenURL,
    NotHTML,
    TooLarge,
    UpstreamError,
    UpstreamTimeout,
)
from backend.pages.fetch import USER_AGENT, decode_html, fetch, is_public_address

PUBLIC = "93.184.216.34"
URL = "https://news.example/story"
HTML = "<!doctype html><html><head><title>Hi</title></head><body>Hi</body></html>"


class Resolver(dict):
    """Host name -> addresses, plus the names that were looked up."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        super().__init__(table)
        self.lookups: list[str] = []

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        self.lookups.append(host)
        if host not in self:
            return _real_getaddrinfo(
                host, port, family, type, proto, flags | socket.AI_NUMERICHOST
            )
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))
            if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in self[host]
        ]


_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture
def dns(monkeypatch):
    resolver = Resolver({"news.example": [PUBLIC], "other.example": ["93.184.216.35"]})
    monkeypatch.setattr(socket, "getaddrinfo", resolver.getaddrinfo)
    return resolver


@pytest.fixture
def rsps(dns):
    with responses.RequestsMock() as mock:
        yield mock


def add_html(rsps, url=URL, body=HTML, content_type="text/html; charset=utf-8"):
    rsps.add(responses.GET, url, body=body, content_type=content_type)


class EndlessBody(io.RawIOBase):
    """A response body that never ends, counting how much was read."""

    def __init__(self) -> None:
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = b"x" * len(buffer)
        self.bytes_read += len(buffer)
        return len(buffer)


class SlowBody(io.RawIOBase):
    """A response body that sends a byte every 50 ms, for two seconds."""

    def __init__(self) -> None:
        self.left = 40

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self.left:
            return 0
        time.sleep(0.05)
        self.left -= 1
        buffer[:1] = b"x"
        return 1


class FailingBody(io.RawIOBase):
    """A response body whose socket fails after the first bytes."""

    def __init__(self, failure: OSError) -> None:
        self.failure, self.sent = failure, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.sent:
            raise self.failure
        self.sent = True
        buffer[:6] = b"<html>"
        return 6


# Success


def test_fetch_returns_the_page(rsps):
    add_html(rsps)
    page = fetch(URL)
    assert (page.url, page.status, page.content_type) == (URL, 200, "text/html")
    assert (page.charset, page.body, page.text) == ("utf-8", HTML.encode(), HTML)


def test_fetch_sends_an_honest_user_agent(rsps):
    add_html(rsps)
    fetch(URL)
    assert rsps.calls[0].request.headers["User-Agent"] == USER_AGENT


def test_fetch_accepts_xhtml(rsps):
    add_html(rsps, content_type="application/xhtml+xml")
    assert fetch(URL).content_type == "application/xhtml+xml"


def test_fetch_sniffs_html_without_a_content_type(rsps):
    rsps.add(responses.GET, URL, body=HTML.encode(), content_type=None)
    assert fetch(URL).content_type == "text/html"


def test_fetch_follows_a_relative_redirect(rsps):
    rsps.add(responses.GET, URL, status=301, headers={"Location": "/moved?x=1"})
    add_html(rsps, "https://news.example/moved?x=1")
    assert fetch(URL).url == "https://news.example/moved?x=1"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_fetch_follows_each_redirect_status(rsps, status):
    target = "https://other.example/story"
    rsps.add(responses.GET, URL, status=status, headers={"Location": target})
    add_html(rsps, target)
    assert fetch(URL).url == target


def test_fetch_follows_exactly_max_redirects(rsps):
    for hop in range(3):
        location = f"https://news.example/{hop + 1}"
        rsps.add(
            responses.GET,
            f"https://news.example/{hop}",
            status=302,
            headers={"Location": location},
        )
    add_html(rsps, "https://news.example/3")
    assert fetch("https://news.example/0", max_redirects=3).url.endswith("/3")


def test_allow_loopback_permits_a_local_test_server(rsps):
    add_html(rsps, "http://127.0.0.1:5000/page")
    assert fetch("http://127.0.0.1:5000/page", allow_loopback=True).status == 200


def test_allow_loopback_still_refuses_private_addresses(rsps):
    with pytest.raises(ForbiddenURL):
        fetch("http://10.0.0.1/", allow_loopback=True)


# Charsets

LATIN = "Größe café".encode("cp1252")


@pytest.mark.parametrize(
    ("content_type", "body", "charset"),
    [
        pytest.param("text/html; charset=cp1252", LATIN, "cp1252", id="header"),
        pytest.param('text/html; charset="UTF-8"', b"", "utf-8", id="header-quoted"),
        pytest.param(
            "text/html",
            b'<meta charset="windows-1252">' + LATIN,
            "cp1252",
            id="meta-charset",
        ),
        pytest.param(
            "text/html",
            b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            + LATIN,
            "cp1252",
            id="meta-http-equiv-latin1-read-as-windows-1252",
        ),
        pytest.param(
            "text/html; charset=no-such-charset",
            b'<meta charset="windows-1252">' + LATIN,
            "cp1252",
            id="unknown-header-charset-falls-back-to-meta",
        ),
        pytest.param(
            "text/html; charset=base64",
            b'<meta charset="bogus">' + "Größe".encode(),
            "utf-8",
            id="non-text-codec-and-unknown-meta-fall-back-to-detection",
        ),
        pytest.param(
            "text/html",
            b'<meta charset="utf-16">' + "Größe".encode(),
            "utf-8",
            id="meta-utf-16-means-utf-8",
        ),
        pytest.param(
            "text/html; charset=cp1252",
            b"\xef\xbb\xbf" + "Größe".encode(),
            "utf-8-sig",
            id="byte-order-mark-outranks-header",
        ),
        pytest.param("text/html", b"", None, id="nothing-to-go-on"),
    ],
)
def test_charset_is_chosen_in_order(rsps, content_type, body, charset):
    rsps.add(responses.GET, URL, body=body, content_type=content_type)
    assert fetch(URL).charset == charset


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param("text/html; charset=cp1252", id="header"),
        pytest.param("text/html", id="detected"),
    ],
)
def test_text_is_decoded_with_the_charset(rsps, content_type):
    body = "<p>Die Größe des Stadtrats überraschte alle Bürger.</p>".encode("cp1252")
    rsps.add(responses.GET, URL, body=body, content_type=content_type)
    assert "Größe des Stadtrats überraschte alle Bürger" in fetch(URL).text


@pytest.mark.parametrize(
    ("body", "declared", "text"),
    [
        pytest.param(LATIN, "cp1252", "Größe café", id="declared"),
        pytest.param(b'<meta charset="cp1252">' + LATIN, None, "Größe café", id="meta"),
        pytest.param(b"\xef\xbb\xbfGr\xc3\xb6\xc3\x9fe", None, "Größe", id="bom"),
        pytest.param(b"", None, "", id="empty"),
    ],
)
def test_decode_html_decodes_saved_pages_as_fetch_does(body, declared, text):
    assert decode_html(body, declared).endswith(text)


def test_undecodable_bytes_are_replaced_not_raised(rsps):
    body = b"<p>caf\xe9 \xff\xfe</p>"
    rsps.add(responses.GET, URL, body=body, content_type="text/html; charset=utf-8")
    assert fetch(URL).text == "<p>caf\ufffd \ufffd\ufffd</p>"


# Upstream failures


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        pytest.param(requests.ReadTimeout(), UpstreamTimeout, id="read-timeout"),
        pytest.param(requests.ConnectTimeout(), UpstreamTimeout, id="connect-timeout"),
        pytest.param(requests.ConnectionError(), UpstreamError, id="connection-error"),
        pytest.param(requests.TooManyRedirects(), UpstreamError, id="other-requests"),
    ],
)
def test_requests_errors_become_ours(rsps, exception, error):
    rsps.add(responses.GET, URL, body=exception)
    with pytest.raises(error) as caught:
        fetch(URL)
    assert caught.value.__cause__ is exception


def test_a_timeout_is_a_504(rsps):
    rsps.add(responses.GET, URL, body=requests.ReadTimeout())
    with pytest.raises(UpstreamTimeout) as caught:
        fetch(URL)
    assert caught.value.status == 504


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        pytest.param(TimeoutError("timed out"), UpstreamTimeout, id="read-timeout"),
        pytest.param(ConnectionResetError("reset"), UpstreamError, id="reset"),
    ],
)
def test_a_failure_while_streaming_becomes_ours(rsps, failure, error):
    rsps.add(
        responses.GET,
        URL,
        body=io.BufferedReader(FailingBody(failure)),
        content_type="text/html",
    )
    with pytest.raises(error):
        fetch(URL)


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_a_non_2xx_answer_is_an_upstream_error_naming_the_status(rsps, status):
    add_html(rsps)
    rsps.replace(responses.GET, URL, body=HTML, status=status)
    with pytest.raises(UpstreamError, match=str(status)):
        fetch(URL)


def test_an_unresolvable_name_is_an_upstream_error(dns):
    with pytest.raises(UpstreamError):
        fetch("https://no-such-host.example/")


def test_a_body_that_trickles_past_the_timeout_is_a_timeout(rsps):
    rsps.add(
        responses.GET, URL, body=io.BufferedReader(SlowBody()), content_type="text/html"
    )
    with pytest.raises(UpstreamTimeout):
        fetch(URL, timeout=0.2)


# Size limits


def test_a_large_content_length_is_refused_before_reading(rsps):
    body = EndlessBody()
    rsps.add(
        responses.GET,
        URL,
        body=io.BufferedReader(body),
        headers={"Content-Length": "6000000", "Content-Type": "text/html"},
    )
    with pytest.raises(TooLarge):
        fetch(URL, max_bytes=5_000_000)
    assert body.bytes_read == 0


def test_a_stream_without_content_length_stops_past_max_bytes(rsps):
    body = EndlessBody()
    rsps.add(responses.GET, URL, body=io.BufferedReader(body), content_type="text/html")
    with pytest.raises(TooLarge):
        fetch(URL, max_bytes=100_000)
    assert body.bytes_read < 100_000 + 2 * 64 * 1024 + io.DEFAULT_BUFFER_SIZE


def test_a_body_of_exactly_max_bytes_is_accepted(rsps):
    add_html(rsps, body=b"x" * 1000)
    assert len(fetch(URL, max_bytes=1000).body) == 1000


# Redirects


def test_too_many_redirects_is_an_upstream_error(rsps):
    for hop in range(3):
        rsps.add(
            responses.GET,
            f"https://news.example/{hop}",
            status=302,
            headers={"Location": f"/{hop + 1}"},
        )
    with pytest.raises(UpstreamError, match="redirects"):
        fetch("https://news.example/0", max_redirects=2)


@pytest.mark.parametrize(
    "location",
    [
        pytest.param("http://127.0.0.1/admin", id="loopback"),
        pytest.param("http://169.254.169.254/latest/meta-data/", id="cloud-metadata"),
        pytest.param("http://internal.example/", id="name-of-private-address"),
        pytest.param("http://[::1]:8080/", id="ipv6-loopback"),
        pytest.param("file:///etc/passwd", id="file-scheme"),
        pytest.param("http://user:pw@news.example/", id="credentials"),
    ],
)
def test_a_redirect_to_a_forbidden_url_is_never_requested(rsps, dns, location):
    dns["internal.example"] = ["10.1.2.3"]
    rsps.add(responses.GET, URL, status=302, headers={"Location": location})
    with pytest.raises(ForbiddenURL):
        fetch(URL)
    assert [call.request.url for call in rsps.calls] == [URL]


# Addresses


@pytest.mark.parametrize(
    "address",
    [
        pytest.param("127.0.0.1", id="loopback"),
        pytest.param("127.53.0.1", id="loopback-range"),
        pytest.param("10.0.0.1", id="private-10"),
        pytest.param("172.16.5.4", id="private-172"),
        pytest.param("192.168.1.1", id="private-192"),
        pytest.param("100.64.0.1", id="carrier-grade-nat"),
        pytest.param("169.254.169.254", id="link-local-metadata"),
        pytest.param("0.0.0.0", id="unspecified"),
        pytest.param("224.0.0.1", id="multicast"),
        pytest.param("240.0.0.1", id="reserved"),
        pytest.param("255.255.255.255", id="broadcast"),
        pytest.param("192.0.2.1", id="documentation"),
        pytest.param("::1", id="ipv6-loopback"),
        pytest.param("::", id="ipv6-unspecified"),
        pytest.param("fc00::1", id="ipv6-unique-local"),
        pytest.param("fd12:3456::1", id="ipv6-unique-local-fd"),
        pytest.param("fe80::1", id="ipv6-link-local"),
        pytest.param("ff0e::1", id="ipv6-multicast"),
        pytest.param("::ffff:127.0.0.1", id="ipv4-mapped-loopback"),
        pytest.param("::ffff:169.254.169.254", id="ipv4-mapped-metadata"),
        pytest.param("::7f00:1", id="ipv4-compatible-loopback"),
        pytest.param("2002:7f00:1::", id="6to4-of-loopback"),
        pytest.param("2002:a00:1::", id="6to4-of-private"),
        pytest.param("2001:0:4136:e378:8000:63bf:3fff:fdd2", id="teredo"),
        pytest.param("64:ff9b::7f00:1", id="nat64-of-loopback"),
    ],
)
def test_a_name_resolving_to_a_non_public_address_is_refused(rsps, dns, address):
    dns["sneaky.example"] = [address]
    with pytest.raises(ForbiddenURL):
        fetch("https://sneaky.example/story")


def test_every_resolved_address_must_be_public(rsps, dns):
    dns["sneaky.example"] = [PUBLIC, "10.0.0.7"]
    with pytest.raises(ForbiddenURL):
        fetch("https://sneaky.example/story")


@pytest.mark.parametrize(
    "address",
    [
        pytest.param(PUBLIC, id="ipv4"),
        pytest.param("2606:2800:220:1:248:1893:25c8:1946", id="ipv6"),
        pytest.param("::ffff:93.184.216.34", id="ipv4-mapped"),
        pytest.param("2002:5db8:d822::", id="6to4-of-public"),
    ],
)
def test_public_addresses_are_allowed(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("http://2130706433/", id="decimal"),
        pytest.param("http://0x7f.1/", id="hex-short"),
        pytest.param("http://0x7f000001/", id="hex"),
        pytest.param("http://017700000001/", id="octal"),
        pytest.param("http://127.1/", id="two-part"),
        pytest.param("http://0/", id="zero"),
        pytest.param("http://[::ffff:127.0.0.1]/", id="ipv6-mapped-literal"),
        pytest.param("http://[::ffff:7f00:1]/", id="ipv6-mapped-hex-literal"),
        pytest.param("http://[fe80::1%25eth0]/", id="ipv6-zone"),
    ],
)
def test_numeric_host_forms_are_checked_as_the_address_they_mean(rsps, url):
    with pytest.raises(ForbiddenURL):
        fetch(url)


# URLs


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("file:///etc/passwd", id="file"),
        pytest.param("ftp://news.example/story", id="ftp"),
        pytest.param("javascript:alert(1)", id="javascript"),
        pytest.param("gopher://news.example:70/_GET", id="gopher"),
        pytest.param("data:text/html,<h1>hi</h1>", id="data"),
        pytest.param("//news.example/story", id="scheme-relative"),
        pytest.param("news.example/story", id="no-scheme"),
    ],
)
def test_only_http_and_https_are_fetched(rsps, url):
    with pytest.raises(ForbiddenURL):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://user:secret@news.example/", id="user-and-password"),
        pytest.param("https://user@news.example/", id="user"),
        pytest.param("https://@news.example/", id="empty-user"),
        pytest.param("http://news.example@127.0.0.1/", id="host-like-user"),
    ],
)
def test_urls_with_credentials_are_refused(rsps, url):
    with pytest.raises(ForbiddenURL):
        fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("", id="empty"),
        pytest.param("https://", id="no-host"),
        pytest.param("https:///story", id="empty-host"),
        pytest.param("https://news.example:99999/", id="port-out-of-range"),
        pytest.param("https://news.example:http/", id="port-not-a-number"),
        pytest.param("https://news.example/" + "a" * 2048, id="too-long"),
        pytest.param("https://news.example/\x00", id="nul"),
        pytest.param("https://news.example/\r\nX-Injected: 1", id="crlf"),
        pytest.param("https://news.example\\.evil.example/", id="backslash"),
        pytest.param("https://" + "a" * 64 + ".example/", id="label-too-long"),
    ],
)
def test_malformed_urls_are_bad_input(rsps, url):
    with pytest.raises(BadInput):
        fetch(url)


# Content types


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "image/png", "application/json", "text/plain", "text/xml"],
)
def test_non_html_content_types_are_refused(rsps, content_type):
    add_html(rsps, content_type=content_type)
    with pytest.raises(NotHTML):
        fetch(URL)


def test_a_body_without_content_type_that_is_not_html_is_refused(rsps):
    rsps.add(responses.GET, URL, body=b"%PDF-1.7 ...", content_type=None)
    with pytest.raises(NotHTML):
        fetch(URL)


# Connections go to the checked address


class Connects(list):
    """Where connections went; each one fails with ``failure``."""

    failure: OSError = ConnectionRefusedError("no network in tests")

    def create_connection(self, address, *args, **kwargs):
        self.append(address)
        raise self.failure


@pytest.fixture
def connects(monkeypatch):
    connects = Connects()
    monkeypatch.setattr(
        urllib3.util.connection, "create_connection", connects.create_connection
    )
    return connects


@pytest.mark.parametrize(("scheme", "port"), [("http", 80), ("https", 443)])
def test_the_connection_goes_to_the_checked_address(dns, connects, scheme, port):
    with pytest.raises(UpstreamError):
        fetch(f"{scheme}://news.example/story")
    assert connects == [(PUBLIC, port)]


def test_each_checked_address_is_tried_in_turn(dns, connects):
    dns["news.example"] = [PUBLIC, "2606:2800:220:1:248:1893:25c8:1946"]
    with pytest.raises(UpstreamError):
        fetch(URL)
    assert connects == [(PUBLIC, 443), ("2606:2800:220:1:248:1893:25c8:1946", 443)]


def test_a_connect_timeout_is_a_timeout(dns, connects):
    connects.failure = TimeoutError("timed out")
    with pytest.raises(UpstreamTimeout):
        fetch(URL)


def test_a_name_is_resolved_once_so_it_cannot_rebind(dns, connects):
    with pytest.raises(UpstreamError):
        fetch(URL)
    assert dns.lookups == ["news.example"]
