"""Photograph every state of the overlay, in Chromium and Firefox, into docs/.

Uses the extension's test harness (tests/extension): the real backend (the committed
model unless --artifact-dir says otherwise), the saved pages, and the browsers the
tests drive. A stopped service is a port nothing listens on, a hanging one a socket
that never answers (the extension gives up after 20 s), a page too large a real one
over a limit the backend is started with. Three states (language not supported, a
listing page, a body that could not be checked) are still photographed from a
canned service giving the API's answers for them; the extension's tests check the
same states against the real backend (tests/extension/test_extension.py):

    python scripts/screenshots.py [--browser chromium|firefox]
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click
import requests
from playwright.sync_api import sync_playwright

from model.scoring import band

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "extension"))
import extension_harness as harness  # noqa: E402
import firefox_harness  # noqa: E402

SEED = "eastern-wire.war-question.html"
VIEWPORT = {"width": 1366, "height": 900}


@dataclass(frozen=True)
class Shot:
    """One screenshot: a page, the service it is scored by, the state to wait for."""

    name: str
    page: str  # under /news/ (tests/pages) or /ext/ (tests/extension/pages)
    service: str  # real, limited, stopped, hanging, or a contract code
    state: str
    scheme: str = "light"
    collapse: bool = False


SHOTS = (
    Shot("verdict", f"news/{SEED}", "real", "result"),
    Shot("verdict-dark", f"news/{SEED}", "real", "result", scheme="dark"),
    Shot("collapsed", f"news/{SEED}", "real", "result", collapse=True),
    Shot("scoring", f"news/{SEED}", "hanging", "scoring"),
    Shot("service-down", f"news/{SEED}", "stopped", "service-down"),
    Shot("timeout", f"news/{SEED}", "hanging", "timeout"),
    Shot("too-large", f"ext{harness.LARGE_PAGE}", "limited", "too-large"),
    Shot("not-an-article", "ext/tideplanner.app-shell.html", "real", "no-article"),
    Shot(
        "listing",
        "ext/harbourtown-courier.news-front.html",
        "no_article",
        "no-article",
    ),
    Shot(
        "language",
        "ext/volzhskaya-pravda.most-remont.html",
        "unsupported_language",
        "unsupported-language",
    ),
    Shot(
        "could-not-check",
        "ext/harbourtown-courier.ferry-mixup.html",
        "could_not_check",
        "could-not-check",
    ),
)


@contextlib.contextmanager
def services(artifact_dir: Path | None):
    """Every service a shot may be scored by, by name; yields name -> base URL."""
    env = {"SENSATIONALISM_ARTIFACT_DIR": str(artifact_dir)} if artifact_dir else {}
    with contextlib.ExitStack() as stack:
        feedback = stack.enter_context(tempfile.TemporaryDirectory())
        env["SENSATIONALISM_FEEDBACK_DB_PATH"] = f"{feedback}/feedback.sqlite3"
        real = stack.enter_context(harness.backend(env))
        limited = stack.enter_context(
            harness.backend({**env, "SENSATIONALISM_MAX_HTML_BYTES": "1000000"})
        )
        urls = {
            "real": real,
            "limited": limited,
            "stopped": f"http://127.0.0.1:{harness.free_port()}",
            "hanging": stack.enter_context(harness.silent_server()),
        }
        for code, (status, error) in harness.CONTRACT_ERRORS.items():
            canned = harness.canned_backend({"error": error}, status)
            urls[code] = stack.enter_context(canned)[0]
        html = (harness.PAGES_DIR / "harbourtown-courier.ferry-mixup.html").read_text()
        scored = requests.post(f"{real}/api/v1/score", json={"html": html}, timeout=60)
        scored.raise_for_status()
        # As the contract has it: the headline's score alone, and no body findings.
        real_answer = scored.json()
        found = (real_answer["body_check"] or {}).get("reasons", [])
        body_codes = {r["code"] for r in found}
        answer = {
            **real_answer,
            "score": real_answer["headline"]["score"],
            "band": band(real_answer["headline"]["score"]),
            "reasons": [
                r for r in real_answer["reasons"] if r["code"] not in body_codes
            ],
            "body_check": harness.COULD_NOT_CHECK,
        }
        urls["could_not_check"] = stack.enter_context(harness.canned_backend(answer))[0]
        yield urls


@contextlib.contextmanager
def pages():
    """Both page folders on one server: /news/ and /ext/."""
    with (
        harness.page_server(harness.NEWS_PAGES_DIR) as news,
        harness.page_server(
            extra_pages={harness.LARGE_PAGE: harness.large_page()}
        ) as ext,
    ):
        yield {"news": news, "ext": ext}


def page_url(urls: dict, shot: Shot) -> str:
    folder, _, rest = shot.page.partition("/")
    return f"{urls[folder]}/{rest}"


def chromium_shots(out: Path, shots, backends, page_urls) -> None:
    with sync_playwright() as playwright:
        for scheme in ("light", "dark"):
            todo = [shot for shot in shots if shot.scheme == scheme]
            if not todo:
                continue
            with harness.chromium(
                playwright, color_scheme=scheme, viewport=VIEWPORT
            ) as context:
                worker = harness.service_worker(context)
                for shot in todo:
                    harness.configure(
                        worker, backendUrl=backends[shot.service], autoScore=False
                    )
                    page = context.new_page()
                    page.goto(page_url(page_urls, shot))
                    harness.score_tab(worker, page)
                    panel = page.locator(
                        f"{harness.OVERLAY}[data-state='{shot.state}']"
                    )
                    panel.wait_for(timeout=60_000)
                    if shot.collapse:
                        panel.get_by_role(
                            "button", name="Collapse the sensationalism panel"
                        ).click()
                    path = out / f"overlay-{shot.name}.png"
                    page.screenshot(path=path, animations="disabled")
                    if shot.collapse:
                        page.get_by_role(
                            "button", name="Show the sensationalism score"
                        ).click()
                    page.close()
                    click.echo(path)


def firefox_shots(out: Path, shots, backends, page_urls) -> None:
    with firefox_harness.firefox() as firefox:
        options = firefox.open_options()
        for shot in shots:
            if shot.scheme != "light" or shot.collapse:
                continue  # Chromium shows those; the panel is the same code
            firefox.storage(
                options, {"backendUrl": backends[shot.service], "autoScore": False}
            )
            url = page_url(page_urls, shot)
            tab = firefox.new_tab(url)
            firefox.set_viewport(tab, VIEWPORT["width"], VIEWPORT["height"])
            firefox.score_tab(options, url)
            firefox.wait_for_state(tab, shot.state, seconds=60)
            path = out / f"firefox-overlay-{shot.name}.png"
            firefox.screenshot(tab, path)
            firefox.close_tab(tab)
            click.echo(path)


@click.command()
@click.option(
    "--artifact-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Model artifacts for the backend (default: the committed model).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=harness.ROOT / "docs",
    show_default=True,
    help="Folder the PNG files are written to.",
)
@click.option(
    "--browser",
    "browsers",
    type=click.Choice(["chromium", "firefox"]),
    multiple=True,
    default=("chromium", "firefox"),
    show_default=True,
)
@click.option("--only", multiple=True, help="Only the shots with these names.")
def main(artifact_dir: Path | None, out: Path, browsers, only) -> None:
    """Photograph the overlay in every state."""
    out.mkdir(parents=True, exist_ok=True)
    shots = [shot for shot in SHOTS if not only or shot.name in only]
    with services(artifact_dir) as backends, pages() as page_urls:
        if "chromium" in browsers:
            chromium_shots(out, shots, backends, page_urls)
        if "firefox" in browsers:
            firefox_shots(out, shots, backends, page_urls)


if __name__ == "__main__":
    main()
