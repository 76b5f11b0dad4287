"""The service under gunicorn on a free loopback port, for load and swap tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_gunicorn(
    env: dict[str, str], workers: int = 2, log_path: Path | None = None
) -> Iterator[tuple[str, int]]:
    """Yield (base URL, master pid) of `gunicorn 'backend:create_app()'`.

    ``env`` adds SENSATIONALISM_* settings; rate limits are off unless it says so.
    ``log_path``: a file for gunicorn's error log (its stderr, where the app's
    warnings go too), else it is dropped.
    """
    port = free_port()
    log_file = open(log_path, "wb") if log_path is not None else None  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "backend:create_app()",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "SENSATIONALISM_BIND": f"127.0.0.1:{port}",
            "SENSATIONALISM_RATE_LIMIT_ENABLED": "false",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=log_file or subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/api/v1/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if log_file is not None:
            log_file.close()


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's worker processes (Linux /proc)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]
