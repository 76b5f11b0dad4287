"""Milliseconds to find the headline in a page and mark its words, in Chromium.

    python -m benchmarks.page_marks [--repeat N]

Runs extension/headline-marks.js (the code the content script uses) in Debian's
Chromium on the seed page, on the same article under 6 MB of comments, and on that
page when the headline is not in it (the slowest case: every element is looked at).
The highlights are the headline's words, every other one. Prints figures only.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from benchmarks.machine import describe

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "extension"))
import extension_harness as harness  # noqa: E402

MEASURE = """([text, repeat]) => {
  const marks = globalThis.sensationalismMarks;
  const words = [...text.matchAll(/\\S+/g)];
  const highlights = words
    .filter((_, i) => i % 2 === 0)
    .map((m) => ({ start: m.index, end: m.index + m[0].length, weight: 0.5 }));
  const times = [];
  let marked = null;
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    const element = marks.find(text);
    marked = element ? marks.mark(element, text, highlights, []) : null;
    times.push(performance.now() - started);
    marks.clear();
  }
  return { times, marked };
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    seed = "eastern-wire.war-question.html"
    headline = (
        "Is Russia officially entering war with NATO? Kremlin official confirms "
        "troops at border"
    )
    large = harness.large_page()
    cases = [
        ("seed page", f"/news/{seed}", headline),
        ("6 MB page", harness.LARGE_PAGE, harness.LARGE_HEADLINE),
        ("6 MB page, headline absent", harness.LARGE_PAGE, "Not on this page at all"),
    ]
    print(describe())
    with (
        harness.page_server(
            harness.ROOT / "tests",
            extra_pages={harness.LARGE_PAGE: large},
        ) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            headless=False,
            args=["--headless=new", "--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        for name, path, text in cases:
            page.goto(url + path.replace("/news/", "/pages/"))
            page.add_script_tag(path=str(harness.EXTENSION_DIR / "headline-marks.js"))
            result = page.evaluate(MEASURE, [text, args.repeat])
            print(
                f"{name:30} median {statistics.median(result['times']):7.1f} ms"
                f"  max {max(result['times']):7.1f} ms  words marked {result['marked']}"
            )
        browser.close()


if __name__ == "__main__":
    main()
