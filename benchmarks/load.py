"""Load run: gunicorn on loopback, wrk sending {"html", "url"} requests.

    python -m benchmarks.load [--seconds 20] [--connections 8] [--cached]

Starts the service under gunicorn (workers sized to cores, gunicorn.conf.py) on
127.0.0.1, posts a typical ~150 KB page (benchmarks/pages.py) with wrk for a
bounded time, and prints throughput, p50/p99 latency and errors. Without
--cached the result cache is off, so every request parses, extracts and scores.
Needs wrk (apt-get install wrk). Only ever targets 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

# The same gunicorn start-up the load and swap tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from servers import running_gunicorn  # noqa: E402

from benchmarks.machine import describe
from benchmarks.pages import PAGES, inflate, saved_pages

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("{body}", "rb")
wrk.body = f:read("*a")
f:close()
errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cached", action="store_true")
    parser.add_argument("--page", default="valley-herald.rail-strike-talks.html")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    html = dict(saved_pages(PAGES))[args.page]
    page = inflate(html)
    # running_gunicorn turns rate limits off: one client sends everything here.
    env = {"SENSATIONALISM_CACHE_TTL": "300" if args.cached else "0"}
    with running_gunicorn(env, workers=os.cpu_count() or 2) as (base, _):
        body = json.dumps({"html": page, "url": "https://valley-herald.example/a"})
        check = requests.post(
            f"{base}/api/v1/score",
            data=body,
            timeout=30,
            headers={"Content-Type": "application/json"},
        )
        check.raise_for_status()
        with tempfile.TemporaryDirectory() as tmp:
            body_path = Path(tmp) / "body.json"
            body_path.write_text(body, encoding="utf-8")
            script = Path(tmp) / "post.lua"
            script.write_text(LUA.replace("{body}", str(body_path)))
            out = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    str(script),
                    f"{base}/api/v1/score",
                ],
                capture_output=True,
                text=True,
                timeout=args.seconds + 60,
            ).stdout

    def grab(pattern: str, default: str = "?") -> str:
        match = re.search(pattern, out)
        return match.group(1) if match else default

    throughput = grab(r"Requests/sec:\s+([\d.]+)")
    p50, p99 = grab(r"50%\s+([\d.]+\w+)"), grab(r"99%\s+([\d.]+\w+)")
    total = grab(r"(\d+) requests in")
    non_2xx = grab(r"Non-2xx or 3xx responses: (\d+)", "0")
    socket_errors = grab(r"Socket errors: (.*)", "none")
    print(describe())
    print(
        f"gunicorn, {os.cpu_count()} workers x 2 threads; wrk 2 threads, "
        f"{args.connections} connections, {args.seconds} s; page "
        f"{len(body) / 1000:.0f} KB of JSON; cache {'on' if args.cached else 'off'}"
    )
    print(
        f"throughput {throughput} req/s, p50 {p50}, p99 {p99}, requests {total}, "
        f"non-2xx {non_2xx}, socket errors {socket_errors}"
    )


if __name__ == "__main__":
    main()
