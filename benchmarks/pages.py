"""Saved pages for benchmarks, and typical-size (~150 KB) versions of them.

Real news pages weigh 100-300 KB of HTML, most of it not the article: inline
scripts and JSON state, navigation, related links, footers. ``inflate`` adds that
kind of weight to a saved page so benchmarks see typical sizes.
"""

from __future__ import annotations

import json
from pathlib import Path

PAGES = Path(__file__).resolve().parents[1] / "tests" / "pages"


def saved_pages(folder: Path = PAGES) -> list[tuple[str, str]]:
    """(name, html) of every saved page in a folder, decoded as the fetcher would."""
    from backend.pages.fetch import decode_html

    return [
        (path.name, decode_html(path.read_bytes()))
        for path in sorted(Path(folder).glob("*.html"))
    ]


def inflate(html: str, target_bytes: int = 150_000) -> str:
    """The page with site furniture added until it weighs about target_bytes."""
    state = {
        "config": {"ads": [f"slot-{i}" for i in range(40)], "consent": True},
        "related": [
            {"title": f"Related story number {i} about something else", "id": i}
            for i in range(60)
        ],
    }
    script = f"<script>window.__STATE__ = {json.dumps(state)};</script>"
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(80))
    footer_links = "".join(
        f'<a href="/about/{i}">Footer link {i}</a> ' for i in range(60)
    )
    furniture = f"<nav><ul>{nav}</ul></nav>{script}"
    head_extra = "<style>" + ".c{color:#123456;margin:0 auto}\n" * 400 + "</style>"
    out = html.replace("</head>", head_extra + "</head>", 1)
    out = out.replace("<body>", "<body>" + furniture, 1) if "<body>" in out else out
    filler = []
    size = len(out.encode("utf-8"))
    while size < target_bytes:
        block = f"<footer><p>{footer_links}</p>{script}</footer>"
        filler.append(block)
        size += len(block.encode("utf-8"))
    return out.replace("</body>", "".join(filler) + "</body>", 1)
