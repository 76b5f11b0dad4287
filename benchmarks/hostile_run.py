"""The issue-12 hostile run: the real service on 127.0.0.1 against a hostile server.

    python -m benchmarks.hostile_run [--gunicorn] [--artifact-dir DIR] [--port 5077]

Starts `sensationalism serve` (Werkzeug, threaded), or gunicorn with
gunicorn.conf.py, with loopback fetching allowed and
tests/backend/pages/hostile_server.py beside it, then prints for each case the
HTTP status, the error code, the seconds taken and the growth of the serving
processes' peak RSS (VmHWM, the largest of the process and its workers). Also
pipes a JSONL file with a deeply nested line through `sensationalism score
--jsonl` and counts lines out. Prints figures only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.machine import describe

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "backend" / "pages"))
from hostile_server import HostileServer  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    """The largest peak RSS of ``pid`` and its children (gunicorn's workers)."""
    pids = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            pids += [int(child) for child in fh.read().split()]
    except OSError:
        pass
    peaks = []
    for each in pids:
        try:
            with open(f"/proc/{each}/status") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        except OSError:  # a worker that exited
            pass
    return max(peaks, default=float("nan"))


def post(port: int, path: str, body: dict, timeout: float = 300) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(
        "POST", path, json.dumps(body), {"Content-Type": "application/json"}
    )
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def chunked(port: int, megabytes: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.putrequest("POST", "/api/v1/score")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    chunk = b"[" * (1 << 20)
    try:
        for _ in range(megabytes):
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.send(b"0\r\n\r\n")
    except OSError:
        pass
    return connection.getresponse().status


def wait_for_health(port: int) -> None:
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/api/v1/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the service did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifact-dir", type=Path, default=None)
    parser.add_argument("--port", type=int, default=5077)
    parser.add_argument("--gunicorn", action="store_true", help="serve with gunicorn")
    args = parser.parse_args()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SENSATIONALISM_FETCH_ALLOW_LOOPBACK": "true",
        "SENSATIONALISM_RATE_LIMIT_ENABLED": "false",
        "SENSATIONALISM_CACHE_TTL": "0",
        "SENSATIONALISM_BIND": f"127.0.0.1:{args.port}",
    }
    artifact_args = []
    if args.artifact_dir:
        env["SENSATIONALISM_ARTIFACT_DIR"] = str(args.artifact_dir)
        artifact_args = ["--artifact-dir", str(args.artifact_dir)]
    print(describe())
    command = ["sensationalism", "serve", "--port", str(args.port)]
    if args.gunicorn:
        command = [
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "backend:create_app()",
        ]
    print("serving with", command[0])
    service = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_health(args.port)
        with HostileServer(drip_interval=2.0, drip_for=120.0) as hostile:
            hostile.bomb()  # built before the clock starts
            run_cases(args.port, service.pid, hostile)
        run_cli(env, artifact_args)
    finally:
        service.terminate()
        service.wait(10)


def run_cases(port: int, pid: int, hostile: HostileServer) -> None:
    pathological = "<h1>Head</h1>" + "<div><p>a b</p></div>" * 20000
    cases = [
        (
            "gzip-bomb redirect",
            "/api/v1/score",
            {"url": f"{hostile.url}/gzip-redirect"},
        ),
        (
            "dripping redirect body",
            "/api/v1/score",
            {"url": f"{hostile.url}/drip-redirect"},
        ),
        (
            "400 MB redirect body",
            "/api/v1/score",
            {"url": f"{hostile.url}/huge-redirect"},
        ),
        (
            "status line, a byte / 2 s",
            "/api/v1/score",
            {"url": f"{hostile.url}/slow-status"},
        ),
        (
            "headers, a byte / 2 s",
            "/api/v1/score",
            {"url": f"{hostile.url}/slow-headers"},
        ),
        ("gzip-bomb page", "/api/v1/score", {"url": f"{hostile.url}/gzip-page"}),
        (
            "punycode page, 400 KB",
            "/api/v1/score",
            {"url": f"{hostile.url}/charset/punycode?400"},
        ),
        ("non-UTF-8 Location", "/api/v1/score", {"url": f"{hostile.url}/bad-location"}),
        ("420 KB <div><p> page", "/api/v1/score", {"html": pathological}),
        (
            "invisible headline",
            "/api/v1/score",
            {"headline": "\u200b\u200c\u200d\ufeff"},
        ),
        ("soft-hyphen headline", "/api/v1/score", {"headline": "\u00ad"}),
        (
            "batch of 5 hanging URLs",
            "/api/v1/score/batch",
            {"items": [{"url": f"{hostile.url}/slow-status?{n}"} for n in range(5)]},
        ),
    ]
    print(f"{'case':<28}{'status':>7}  {'code':<20}{'seconds':>8}{'RSS +MB':>9}")
    for name, path, body in cases:
        before = peak_rss_mb(pid)
        started = time.perf_counter()
        status, answer = post(port, path, body)
        taken = time.perf_counter() - started
        grown = peak_rss_mb(pid) - before
        if "results" in answer:
            code = ",".join(
                r.get("error", {}).get("code", "ok") for r in answer["results"]
            )
        else:
            code = answer.get("error", {}).get("code", "ok")
        print(f"{name:<28}{status:>7}  {code:<20}{taken:>8.1f}{grown:>9.0f}")
    started = time.perf_counter()
    status = chunked(port, 100)
    taken = time.perf_counter() - started
    print(f"{'100 MB chunked body':<28}{status:>7}  {'':<20}{taken:>8.1f}")


def run_cli(env: dict, artifact_args: list[str]) -> None:
    lines = [json.dumps({"headline": f"{n} Things You Need"}) for n in range(30)]
    lines += ["[" * 100_000 + "]" * 100_000]
    lines += [
        json.dumps({"headline": f"Council {n} approves budget"}) for n in range(10)
    ]
    for workers in ("1", "2"):
        result = subprocess.run(
            [
                "sensationalism",
                "score",
                "--jsonl",
                "-",
                "--workers",
                workers,
                *artifact_args,
            ],
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            env=env,
        )
        out = result.stdout.splitlines()
        print(
            f"CLI --workers {workers}: {len(lines)} lines in, {len(out)} out, "
            f"exit {result.returncode}, traceback: {'Traceback' in result.stderr}"
        )


if __name__ == "__main__":
    main()
