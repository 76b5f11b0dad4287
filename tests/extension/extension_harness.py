"""Run the extension for real: the backend, a page server, and Chromium with it loaded.

Shared by tests/test_extension.py and scripts/screenshots.py. Each piece is a context
manager, so whatever starts a process, a server or a browser also closes it.
"""

from __future__ import annotations

import functools
import json
import os
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import (
    BaseHTTPRequestHandler,
    SimpleHTTPRequestHandler,
    ThreadingHTTPServer,
)
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXTENSION_DIR = ROOT / "extension"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
# Saved real news pages, the seed page (eastern-wire.war-question.html) among them.
NEWS_PAGES_DIR = ROOT / "tests" / "pages"
# Where scripts/test.sh installs web-ext, at the version its package.json pins.
WEB_EXT_DIR = Path(__file__).resolve().parent
# A generated page too large to send whole (see large_page).
LARGE_PAGE = "/generated/large-article.html"
LARGE_PAGE_BYTES = 6_000_000  # over the 5 MB the service accepts
LARGE_HEADLINE = "You Won't Believe What This Council Did With Your Parking Fines"

BACKEND_START_SECONDS = 60
# Debian's Chromium: Playwright's headless=True would look for its own headless shell,
# so the browser is launched "headed" and told to use the new headless mode itself.
CHROMIUM_ARGS = (
    "--headless=new",
    f"--disable-extensions-except={EXTENSION_DIR}",
    f"--load-extension={EXTENSION_DIR}",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
)
OVERLAY = "sensationalism-overlay .panel"


def web_ext_version() -> str:
    """The web-ext version the tests expect (tests/extension/package.json)."""
    package = json.loads((WEB_EXT_DIR / "package.json").read_text(encoding="utf-8"))
    return package["devDependencies"]["web-ext"]


def large_page() -> bytes:
    """A real article followed by megabytes of comments: too large to send whole."""
    article = (PAGES_DIR / "dailybuzz.parking-fines-shock.html").read_text(
        encoding="utf-8"
    )
    comment = (
        "<div class=comment><p>First! Totally agree with this article.</p></div>\n"
    )
    comments = comment * (LARGE_PAGE_BYTES // len(comment) + 1)
    return article.replace("</main>", f"</main><section>{comments}</section>").encode()


def free_port() -> int:
    """A loopback port nobody listens on (at the moment of asking)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def backend(env: dict[str, str] | None = None) -> Iterator[str]:
    """The real API in a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "backend",
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-reload",
    ]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def model_backend(artifact_dir: Path, feedback_db: Path) -> Iterator[str]:
    """The real API serving the model in `artifact_dir`, its feedback in `feedback_db`.

    The tests compare the overlay with the API's own answers, so the session's
    small real model does: they need a model that loads, not a good one.
    """
    with backend(
        {
            "SENSATIONALISM_ARTIFACT_DIR": str(artifact_dir),
            "SENSATIONALISM_FEEDBACK_DB_PATH": str(feedback_db),
        }
    ) as url:
        yield url


def _wait_until_healthy(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + BACKEND_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(
                f"the backend exited with {process.returncode}:\n{output}"
            )
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)  # polling a process that gives no other sign of readiness
    raise RuntimeError(f"the backend did not answer {url}/api/v1/health in time")


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves a folder, plus pages made on the fly, without logging every request."""

    extra_pages: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        body = self.extra_pages.get(self.path)
        if body is None:
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:
        pass


@contextmanager
def _serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """Run an HTTP server in a thread; yields its base URL, then stops and closes it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def page_server(
    directory: Path = PAGES_DIR, extra_pages: dict[str, bytes] | None = None
) -> Iterator[str]:
    """Serve the test pages on a free loopback port; yields the base URL."""
    handler = type("Handler", (_QuietHandler,), {"extra_pages": extra_pages or {}})
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    with _serving(server) as url:
        yield url


@contextmanager
def chromium(playwright, color_scheme: str = "light", **options) -> Iterator:
    """Debian's Chromium with the extension loaded, in a fresh profile."""
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="sensationalism-profile-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=False,
            args=list(CHROMIUM_ARGS),
            color_scheme=color_scheme,
            **options,
        )
        try:
            yield context
        finally:
            context.close()


def service_worker(context):
    """The extension's service worker, once its defaults are written."""
    worker = next(
        (w for w in context.service_workers if w.url.startswith("chrome-extension://")),
        None,
    ) or context.wait_for_event("serviceworker")
    # runtime.onInstalled writes the defaults; settings written before it ends could be
    # overwritten by them.
    worker.evaluate(
        """() => new Promise((resolve) => {
          const check = async () => {
            const stored = await chrome.storage.local.get('openFrom');
            if ('openFrom' in stored) {
              chrome.storage.onChanged.removeListener(check);
              resolve();
            }
          };
          chrome.storage.onChanged.addListener(check);
          check();
        })"""
    )
    return worker


def configure(worker, **settings) -> None:
    """Write settings as the options page would (without its permission prompt)."""
    worker.evaluate("(settings) => chrome.storage.local.set(settings)", settings)


def score_tab(worker, page) -> dict:
    """Score a page's tab as the popup's "Score this page" button does."""
    return worker.evaluate(
        """async (url) => {
          const [tab] = await chrome.tabs.query({ url });
          return scoreTab(tab.id);
        }""",
        page.url,
    )


def badge_text(worker, page) -> str:
    return worker.evaluate(
        """async (url) => {
          const [tab] = await chrome.tabs.query({ url });
          return chrome.action.getBadgeText({ tabId: tab.id });
        }""",
        page.url,
    )


@contextmanager
def canned_backend(
    answer: dict, status: int = 200, headers: dict[str, str] | None = None
) -> Iterator[tuple[str, queue.Queue]]:
    """A stand-in API with one fixed answer; yields its URL and the requests it gets.

    `headers` go with every answer, e.g. Retry-After with a 429.
    """
    received: queue.Queue[dict] = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
            length = int(self.headers["Content-Length"])
            received.put(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": json.loads(self.rfile.read(length)),
                }
            )
            body = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:
            pass

    with _serving(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as url:
        yield url, received


@contextmanager
def silent_server() -> Iterator[str]:
    """A port that takes connections and never answers: a backend stuck on a request."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def wait_for_tab_state(worker, page, state: str) -> None:
    """Wait until the service worker records `state` for the page's tab."""
    worker.evaluate(
        """async ([url, state]) => {
          const [tab] = await chrome.tabs.query({ url });
          const key = `tab:${tab.id}`;
          await new Promise((resolve) => {
            const check = async () => {
              const stored = await chrome.storage.session.get(key);
              if (stored[key]?.state === state) {
                chrome.storage.onChanged.removeListener(check);
                resolve();
              }
            };
            chrome.storage.onChanged.addListener(check);
            check();
          });
        }""",
        [page.url, state],
    )


def content_script_state(worker, page) -> dict:
    """Whether the content script is in the page, and whether its overlay is open."""
    return worker.evaluate(
        """async (url) => {
          const [tab] = await chrome.tabs.query({ url });
          const [{ result }] = await chrome.scripting.executeScript({
            target: { tabId: tab.id },
            func: () => ({
              loaded: Boolean(globalThis.sensationalismContentLoaded),
              overlay: document.querySelector('sensationalism-overlay') !== null,
            }),
          });
          return result;
        }""",
        page.url,
    )


def score_if_automatic(worker, page) -> None:
    """Run the service worker's automatic-scoring decision for the page, to its end."""
    worker.evaluate(
        """async (url) => {
          const [tab] = await chrome.tabs.query({ url });
          await scoreIfAutomatic(tab.id, tab.url);
        }""",
        page.url,
    )


def overlay(page, state: str = "result"):
    """The overlay's panel once it shows `state`, e.g. result, error, no-article."""
    panel = page.locator(f"{OVERLAY}[data-state='{state}']")
    panel.wait_for()
    return panel


# The page's HTML as the content script sends it: without the overlay's host, and
# without the marks in its headline (taken out before the page is read).
SENT_HTML = """() => {
  const copy = document.documentElement.cloneNode(true);
  copy.querySelector('sensationalism-overlay')?.remove();
  for (const mark of copy.querySelectorAll('mark[data-sensationalism-mark]')) {
    mark.replaceWith(...mark.childNodes);
  }
  copy.normalize();
  return copy.outerHTML;
}"""


def sent_html(page) -> str:
    """The page's HTML as the content script sent it."""
    return page.evaluate(SENT_HTML)


# The page states as the API contract gives them (the lead's notes for issues 10a,
# 10b and 12), for rendering checks and screenshots while the backend on this branch
# cannot produce them: code -> (HTTP status, the error object).
CONTRACT_ERRORS = {
    "unsupported_language": (
        422,
        {
            "code": "unsupported_language",
            "message": "This page is in Russian; the scorer reads English only.",
            "language": "ru",
            "language_name": "Russian",
        },
    ),
    "no_article": (
        422,
        {
            "code": "no_article",
            "message": "This page has 14 links and 9 words of text, but no article.",
            "found": {"headline": "News", "body_words": 9, "links": 14},
        },
    ),
    "timeout": (
        504,
        {"code": "timeout", "message": "Scoring took longer than 10 s."},
    ),
}
COULD_NOT_CHECK = {
    "status": "could_not_check",
    "status_message": (
        "The article's text is not about its headline; it may be the wrong text."
    ),
    "stance": "unrelated",
    "probabilities": {"unrelated": 0.9, "agree": 0.1},
    "evidence": [],
    "reasons": [],
    "support": 0.0,
}
