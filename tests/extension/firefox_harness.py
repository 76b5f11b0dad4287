"""Firefox with the extension installed, driven over WebDriver BiDi.

Playwright cannot drive Debian's Firefox (it needs its own patched build), but
Firefox speaks WebDriver BiDi itself: this is a small client for the few commands
the tests need. The extension is installed as a temporary add-on, the way
`about:debugging` loads an unpacked one.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from extension_harness import EXTENSION_DIR
from websockets.sync.client import connect

EXTENSION_ID = "sensationalism@example.org"  # browser_specific_settings.gecko.id
# A fixed internal UUID, so the test can open moz-extension://<uuid>/options.html.
EXTENSION_UUID = "6b1d1a1e-0000-4000-8000-5e45a7105a11"
START_SECONDS = 60
WAIT_SECONDS = 30
_LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")
PREFERENCES = {
    "extensions.webextensions.uuids": json.dumps({EXTENSION_ID: EXTENSION_UUID}),
    # Answers "Allow" to the prompt permissions.request() shows (headless Firefox
    # has no one to click it); a request still needs a real click to be made.
    "extensions.webextOptionalPermissionPrompts": False,
    # Nothing to click in headless Firefox: no first-run pages or update checks.
    "browser.shell.checkDefaultBrowser": False,
    "app.update.disabledForTesting": True,
    "datareporting.policy.dataSubmissionEnabled": False,
}


class BiDiError(RuntimeError):
    """Firefox refused a command, or a script threw."""


class Firefox:
    """One BiDi session with the extension installed."""

    def __init__(self, websocket) -> None:
        self._ws = websocket
        self._next_id = 0

    def call(self, method: str, **params) -> dict:
        self._next_id += 1
        self._ws.send(
            json.dumps({"id": self._next_id, "method": method, "params": params})
        )
        while True:  # events (none subscribed) and answers come on one socket
            message = json.loads(self._ws.recv(timeout=WAIT_SECONDS))
            if message.get("id") == self._next_id:
                break
        if message.get("type") == "error":
            raise BiDiError(f"{method}: {message['error']}: {message['message']}")
        return message["result"]

    def evaluate(self, context: str, expression: str):
        """Run `expression` in a tab (awaiting a promise); returns a JSON value."""
        result = self.call(
            "script.evaluate",
            expression=f"Promise.resolve({expression}).then(JSON.stringify)",
            target={"context": context},
            awaitPromise=True,
        )
        if result["type"] == "exception":
            raise BiDiError(result["exceptionDetails"]["text"])
        value = result["result"].get("value")
        return None if value is None else json.loads(value)

    def click(self, context: str, selector: str) -> None:
        """A real click (trusted input, so it counts as the user's) on an element."""
        found = self.call(
            "browsingContext.locateNodes",
            context=context,
            locator={"type": "css", "value": selector},
            maxNodeCount=1,
        )["nodes"]
        if not found:
            raise BiDiError(f"nothing matches {selector!r}")
        element = {"type": "element", "element": {"sharedId": found[0]["sharedId"]}}
        self.call(
            "input.performActions",
            context=context,
            actions=[
                {
                    "type": "pointer",
                    "id": "mouse",
                    "actions": [
                        {"type": "pointerMove", "x": 0, "y": 0, "origin": element},
                        {"type": "pointerDown", "button": 0},
                        {"type": "pointerUp", "button": 0},
                    ],
                }
            ],
        )

    def new_tab(self, url: str) -> str:
        context = self.call("browsingContext.create", type="tab")["context"]
        self.call("browsingContext.navigate", context=context, url=url, wait="complete")
        return context

    def close_tab(self, context: str) -> None:
        self.call("browsingContext.close", context=context)

    def open_options(self) -> str:
        """The extension's options page in a new tab."""
        return self.open_extension_page("options.html")

    def activate(self, context: str) -> None:
        """Make a tab the selected one, as a reader clicking on it does."""
        self.call("browsingContext.activate", context=context)

    def open_extension_page(self, name: str) -> str:
        """One of the extension's pages in a new tab.

        BiDi may not navigate to extension pages, so the browser's own window
        (reachable with --remote-allow-system-access) opens it, as a user would
        from about:addons.
        """
        (window,) = self.call("browsingContext.getTree", **{"moz:scope": "chrome"})[
            "contexts"
        ]
        url = f"moz-extension://{EXTENSION_UUID}/{name}"
        self.evaluate(
            window["context"],
            f"""(() => {{
              const principal = Services.scriptSecurityManager.getSystemPrincipal();
              gBrowser.selectedTab = gBrowser.addTab({json.dumps(url)},
                {{ triggeringPrincipal: principal }});
              return true;
            }})()""",
        )
        return self.wait_for(
            lambda: next(
                (
                    c["context"]
                    for c in self.call("browsingContext.getTree")["contexts"]
                    if c["url"] == url
                ),
                None,
            ),
            f"{name} to open",
        )

    def storage(self, options_tab: str, settings: dict | None = None) -> dict:
        """The extension's stored settings, after writing `settings` if given."""
        write = (
            f"browser.storage.local.set({json.dumps(settings)})"
            if settings
            else "Promise.resolve()"
        )
        return self.evaluate(
            options_tab, f"{write}.then(() => browser.storage.local.get(null))"
        )

    def score_tab(self, options_tab: str, url: str) -> dict:
        """Score the tab showing `url` as the popup's "Score this page" button does."""
        return self.evaluate(
            options_tab,
            # Firefox's match patterns take no port: find the tab by its URL here.
            f"""browser.tabs.query({{}}).then((tabs) => {{
              const tab = tabs.find((t) => t.url === {json.dumps(url)});
              const message = {{ type: MSG.SCORE_TAB, tabId: tab.id }};
              return browser.runtime.sendMessage(message);
            }})""",
        )

    def overlay(self, context: str, state: str = "result") -> dict:
        """What the overlay shows once it reaches `state`: score, band, reasons."""
        script = """(() => {
          const panel = document.querySelector('sensationalism-overlay')
            ?.shadowRoot?.querySelector('.panel');
          if (!panel) return null;
          return {
            state: panel.dataset.state,
            score: panel.querySelector("[data-field='score']")?.textContent,
            band: panel.querySelector('.gauge')?.dataset.band,
            headline: panel.querySelector("[data-field='headline']")?.textContent,
            reasons: [...panel.querySelectorAll('.all-reasons li')]
              .map((li) => li.dataset.code),
            message: panel.querySelector('.message')?.textContent,
            text: panel.textContent,
            gauges: panel.querySelectorAll('.gauge').length,
            images: panel.querySelectorAll('img').length,
          };
        })()"""

        def shown():
            seen = self.evaluate(context, script)
            return seen if seen and seen["state"] == state else None

        return self.wait_for(shown, f"the overlay to show {state!r}")

    def wait_for_state(self, context: str, state: str, seconds: float) -> None:
        """Wait until the overlay's panel shows `state`."""
        probe = f"""document.querySelector('sensationalism-overlay')?.shadowRoot
          ?.querySelector(".panel[data-state='{state}']") ? true : null"""
        self.wait_for(lambda: self.evaluate(context, probe), f"{state!r}", seconds)

    def set_viewport(self, context: str, width: int, height: int) -> None:
        self.call(
            "browsingContext.setViewport",
            context=context,
            viewport={"width": width, "height": height},
        )

    def screenshot(self, context: str, path) -> None:
        """Save what the tab shows (its viewport) as a PNG file."""
        data = self.call("browsingContext.captureScreenshot", context=context)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    @staticmethod
    def wait_for(probe, what: str, seconds: float = WAIT_SECONDS):
        """Poll `probe` until it returns something; the browser gives no event here."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = probe()
            if found is not None:
                return found
            time.sleep(0.2)
        raise TimeoutError(f"waited {seconds} s for {what}")


def firefox_executable() -> str:
    executable = shutil.which("firefox-esr") or shutil.which("firefox")
    if executable is None:
        raise RuntimeError("Firefox is not installed (apt-get install firefox-esr)")
    return executable


@contextmanager
def firefox() -> Iterator[Firefox]:
    """Headless Firefox in a fresh profile, the extension installed; closed after."""
    with tempfile.TemporaryDirectory(prefix="sensationalism-firefox-") as profile:
        with open(os.path.join(profile, "user.js"), "w", encoding="utf-8") as prefs:
            for name, value in PREFERENCES.items():
                prefs.write(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n")
        process = subprocess.Popen(
            [
                firefox_executable(),
                "--headless",
                "--no-remote",
                "--profile",
                profile,
                "--remote-debugging-port=0",  # Firefox picks one and prints it
                "--remote-allow-system-access",
            ],
            env={**os.environ, "MOZ_HEADLESS": "1"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
        lines: queue.Queue[str | None] = queue.Queue()
        drain = threading.Thread(target=_drain, args=(process, lines), daemon=True)
        drain.start()
        try:
            with connect(_bidi_url(lines), max_size=None) as websocket:
                browser = Firefox(websocket)
                browser.call("session.new", capabilities={})
                installed = browser.call(
                    "webExtension.install",
                    extensionData={"type": "path", "path": str(EXTENSION_DIR)},
                )
                if installed["extension"] != EXTENSION_ID:
                    raise BiDiError(f"installed as {installed['extension']!r}")
                yield browser
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            drain.join(timeout=15)
            process.stdout.close()


def _drain(process: subprocess.Popen, lines: queue.Queue) -> None:
    """Read Firefox's output as it comes, so it never blocks on a full pipe."""
    for line in process.stdout:
        lines.put(line)
    lines.put(None)


def _bidi_url(lines: queue.Queue) -> str:
    """The session URL Firefox prints once it listens."""
    deadline = time.monotonic() + START_SECONDS
    seen = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if match := _LISTENING.search(line):
            return match.group(1) + "/session"
    raise RuntimeError(
        "Firefox did not start its WebDriver BiDi server:\n" + "".join(seen)
    )
