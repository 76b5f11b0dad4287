"""How extraction time grows with page size, over generated page shapes.

    python -m benchmarks.extraction_scaling [--sizes 50,100,200] [--repeat 3]
                                            [--give-up 60]

Each shape is a page built by repeating one fragment to each size (in KB), then
decoded from bytes and extracted as the service does (decode_html, extract). It
prints the median seconds per size and the ratio of each size's time to the
previous one's: about 2 when a doubled page takes twice as long (linear), about
4 when quadratic. A shape whose page takes longer than --give-up seconds stops
there. Prints figures only; no timed assertions.
"""

from __future__ import annotations

import argparse
import statistics
import time

from backend.pages.charset import decode_html
from backend.pages.extract import extract
from benchmarks.machine import describe

HEAD = b'<!doctype html><html><head><meta charset="%s"><title>Head</title></head>'

# name: (charset label, opening, repeated fragment, closing)
SHAPES: dict[str, tuple[str, bytes, bytes, bytes]] = {
    # The pathological page: 420 KB took 35 s (justext's neighbours).
    "div-p (issue 12)": ("utf-8", b"<h1>Head</h1>", b"<div><p>a b</p></div>", b""),
    "paragraphs": (
        "utf-8",
        b"<h1>Council approves budget</h1><article>",
        b"<p>The council met on Monday and voted on the budget for next year.</p>",
        b"</article>",
    ),
    "h1 flood": ("utf-8", b"", b"<h1>Head</h1>", b""),
    "table rows": (
        "utf-8",
        b"<h1>Head</h1><table>",
        b"<tr><td>a</td><td>b</td></tr>",
        b"</table>",
    ),
    "link list": (
        "utf-8",
        b"<h1>Head</h1><ul>",
        b'<li><a href="/x">a link</a></li>',
        b"</ul>",
    ),
    "span soup": ("utf-8", b"<h1>Head</h1><p>", b"<span>a</span> ", b"</p>"),
    "nested divs": ("utf-8", b"<h1>Head</h1>", b"<div>a ", b""),
    # <meta charset=punycode> took 16 s for 400 KB; the label is now ignored.
    "punycode label": ("punycode", b"<h1>Head</h1><p>", b"abc def ghi ", b"</p>"),
}


def build(shape: tuple[str, bytes, bytes, bytes], kilobytes: int) -> bytes:
    charset, opening, fragment, closing = shape
    count = max(1, kilobytes * 1024 // len(fragment))
    return (
        HEAD % charset.encode()
        + b"<body>"
        + opening
        + fragment * count
        + closing
        + b"</body></html>"
    )


def seconds(page: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        extract(decode_html(page))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200", help="page sizes in KB")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--give-up", type=float, default=60.0, help="seconds")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    print(describe())
    print(f"median of {args.repeat} runs; ratio = time / time at the previous size")
    header = "".join(f"{f'{size} KB':>18}" for size in sizes)
    print(f"{'shape':<18}{header}   growth")
    for name, shape in SHAPES.items():
        cells, ratios = [], []
        previous: tuple[float, int] | None = None  # (seconds, size)
        for size in sizes:
            taken = seconds(build(shape, size), args.repeat)
            ratio = ""
            if previous is not None:
                ratio = f" (x{taken / previous[0]:.1f})"
                ratios.append(taken / previous[0] / (size / previous[1]))
            cells.append(f"{taken:>8.3f} s{ratio:<8}")
            previous = (taken, size)
            if taken > args.give_up:
                cells.append(f"{'gave up':>18}")
                break
        # Time ratio over size ratio: ~1 linear, ~2 quadratic for doubled sizes.
        growth = max(ratios) if ratios else float("nan")
        verdict = "linear" if growth < 1.5 else "SUPERLINEAR"
        print(f"{name:<18}{''.join(cells)}   {growth:.2f} {verdict}")


if __name__ == "__main__":
    main()
