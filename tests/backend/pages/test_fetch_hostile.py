"""The fetcher against a hostile HTTP server on real 127.0.0.1 sockets.

Bounds are asserted as outcomes, not timings: the fetch returned the right error
while the server was still dripping (it had not run to its end), and memory or
bytes read stayed far below what the server offered.
"""

import os
import threading
import time
import tracemalloc

import pytest
from hostile_server import HostileServer

from backend.errors import (
    ForbiddenURL,
    TooLarge,
    UnsupportedCharset,
    UpstreamError,
    UpstreamTimeout,
)
from backend.pages.fetch import fetch

pytestmark = pytest.mark.integration

MB = 1 << 20


@pytest.fixture(scope="module")
def server():
    # Each dripping answer lasts 30 s unless the client hangs up first.
    with HostileServer(drip_interval=0.25, drip_for=30.0) as hostile:
        yield hostile


def get(server, path, **options):
    return fetch(f"{server.url}{path}", allow_loopback=True, **options)


@pytest.mark.parametrize("path", ["/slow-status", "/slow-headers"])
def test_a_dripping_status_line_or_header_ends_at_the_deadline(server, path):
    # Each byte comes well inside the per-read timeout; only the overall
    # deadline can end this.
    with pytest.raises(UpstreamTimeout):
        get(server, path, timeout=1.0)
    record = server.records[path]
    assert record.cut_off.wait(5), "the server never saw the fetcher hang up"
    assert not record.finished


def test_a_redirect_body_is_never_read(server):
    page = get(server, "/drip-redirect", timeout=3.0)
    assert page.url.endswith("/page") and "Plain page" in page.text
    assert not server.records["/drip-redirect"].finished


def test_a_huge_redirect_body_is_not_read(server):
    page = get(server, "/huge-redirect", timeout=5.0)
    assert "Plain page" in page.text
    record = server.records["/huge-redirect"]
    assert record.cut_off.wait(5)
    # What the kernel's socket buffers took before the fetcher hung up, not 400 MB.
    assert record.sent < 32 * MB


def test_a_gzip_bomb_on_a_redirect_is_never_inflated(server):
    tracemalloc.start()
    try:
        page = get(server, "/gzip-redirect", timeout=5.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "Plain page" in page.text
    assert peak < 16 * MB, f"peak {peak / MB:.0f} MB for a 200 MB bomb"


def test_a_gzip_bomb_page_stops_at_max_bytes_decoded(server):
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            get(server, "/gzip-page", timeout=5.0, max_bytes=5_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * MB, f"peak {peak / MB:.0f} MB for a 200 MB bomb"


def test_a_location_that_is_not_utf8_is_an_upstream_error(server):
    with pytest.raises(UpstreamError, match="UTF-8"):
        get(server, "/bad-location")


@pytest.mark.parametrize(
    "label", ["punycode", "utf-7", "unicode_escape", "raw_unicode_escape", "rot13"]
)
def test_charsets_browsers_do_not_know_are_ignored(server, label):
    # As in browsers (WHATWG Encoding): the label is ignored and the page is
    # read as if it had none. 400 KB of punycode took 16 s; this is UTF-8.
    page = get(server, f"/charset/{label}?400")
    assert page.charset in (None, "utf-8")
    assert "Café owners cheer" in page.text
    assert len(page.text) > 300_000


@pytest.mark.parametrize(
    ("label", "codec"),
    [("windows-1252", "cp1252"), ("latin1", "cp1252"), ("shift_jis", "cp932")],
)
def test_whatwg_labels_map_to_their_codecs(server, label, codec):
    assert get(server, f"/charset/{label}").charset == codec


@pytest.mark.parametrize("label", ["iso-2022-kr", "hz-gb-2312", "csiso2022kr"])
def test_replacement_encodings_are_refused_clearly(server, label):
    with pytest.raises(UnsupportedCharset, match="replacement"):
        get(server, f"/charset/{label}")


def test_the_guard_still_refuses_loopback_unless_allowed(server):
    before = len(server.requests)
    with pytest.raises(ForbiddenURL):
        fetch(f"{server.url}/page")
    assert len(server.requests) == before


def test_fetches_leave_no_socket_or_thread_behind(server):
    # The server runs in this process too: its handlers close their sockets once
    # they notice the fetcher hung up, so the counts are polled, not read once.
    def settled(count, baseline) -> bool:
        for _ in range(100):
            if count() <= baseline:
                return True
            time.sleep(0.1)
        return False

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    get(server, "/page")  # warm up: imports and pools that live for the process
    fds, threads = open_fds(), threading.active_count()
    for _ in range(3):
        get(server, "/drip-redirect", timeout=3.0)
        with pytest.raises(UpstreamTimeout):
            get(server, "/slow-headers", timeout=0.5)
    # The watchdogs' duplicate descriptors are closed, their timers' threads gone.
    assert settled(open_fds, fds)
    assert settled(threading.active_count, threads)
