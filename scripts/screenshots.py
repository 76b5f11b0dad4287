"""Regenerate the overlay screenshots in docs/ with the extension's test harness.

Starts the backend (the committed model unless --artifact-dir says otherwise), serves
the test pages, loads the extension into Debian's Chromium and photographs the overlay
on a sensational and on a sober article, one of them after the reader's feedback (kept
in a throwaway database):

    python scripts/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "extension"))
import extension_harness as harness  # noqa: E402

SENSATIONAL = "dailybuzz.parking-fines-shock.html"
SOBER = "wendmouth-gazette.parking-income-report.html"
SHOTS = (
    # file name in docs/, test page, colour scheme, details opened, feedback button
    ("overlay-sensational.png", SENSATIONAL, "light", False, None),
    ("overlay-sober.png", SOBER, "light", True, None),
    ("overlay-sensational-dark.png", SENSATIONAL, "dark", False, "Too high"),
)
VIEWPORT = {"width": 1100, "height": 720}


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
def main(artifact_dir: Path | None, out: Path) -> None:
    """Photograph the overlay on a sensational and on a sober page."""
    out.mkdir(parents=True, exist_ok=True)
    env = {"SENSATIONALISM_ARTIFACT_DIR": str(artifact_dir)} if artifact_dir else {}
    with (
        tempfile.TemporaryDirectory(prefix="sensationalism-feedback-") as feedback,
        harness.backend(
            {**env, "SENSATIONALISM_FEEDBACK_DB_PATH": f"{feedback}/feedback.sqlite3"}
        ) as backend_url,
        harness.page_server() as pages_url,
        sync_playwright() as playwright,
    ):
        for scheme in ("light", "dark"):
            shots = [shot for shot in SHOTS if shot[2] == scheme]
            with harness.chromium(
                playwright, color_scheme=scheme, viewport=VIEWPORT
            ) as context:
                worker = harness.service_worker(context)
                harness.configure(
                    worker, backendUrl=backend_url, autoScore=True, openFrom="low"
                )
                for filename, page_name, _, open_details, verdict in shots:
                    page = context.new_page()
                    page.goto(f"{pages_url}/{page_name}")
                    panel = harness.overlay(page)
                    if open_details:
                        panel.locator("summary").click()
                    if verdict:
                        panel.get_by_role("button", name=verdict).click()
                        panel.locator(".feedback-status[data-state='sent']").wait_for()
                    page.screenshot(path=out / filename, animations="disabled")
                    page.close()
                    click.echo(out / filename)


if __name__ == "__main__":
    main()
