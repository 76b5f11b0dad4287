"""A throwaway PostgreSQL server for tests and load runs, from Debian's binaries.

``running_postgres()`` makes a new cluster (initdb), starts it on a free
loopback port with its unix socket beside it (pg_ctl), yields a
:class:`PostgresServer`, then stops it and deletes every file. Trust
authentication, user ``postgres``, no password; fsync is off unless asked for,
as the cluster is thrown away.

PostgreSQL refuses to run as root. When the tests run as root, the server runs
as the ``postgres`` account that Debian's package creates (subprocess's
``user=``, no su or sudo needed), in a directory made for it under the system
temporary directory: pytest's own directory is private to root, and a unix
socket path must stay under about 100 bytes.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT = 60  # seconds; a cold start on a slow CI machine takes a few
DEFAULT_SETTINGS = {"fsync": "off", "full_page_writes": "off", "max_connections": "200"}


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server could not be set up or started."""


@dataclass
class PostgresServer:
    """A running throwaway server; ``url`` reaches its ``postgres`` database."""

    port: int
    directory: Path
    _names: Iterator[int] = field(default_factory=itertools.count, repr=False)

    @property
    def url(self) -> str:
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self) -> str:
        """A new empty database, so each test starts clean; returns its URL."""
        import psycopg

        name = f"test_{next(self._names)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.database_url(name)


def bin_dir() -> Path:
    """Where initdb and pg_ctl are: on PATH, else Debian's newest version."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if not versions:
        raise PostgresUnavailable(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed:"
            " apt-get install postgresql (scripts/test.sh does)"
        )
    return versions[-1].parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_account() -> dict:
    """subprocess arguments that run the server as someone other than root."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "the tests run as root, and PostgreSQL refuses to; there is no"
            " 'postgres' account to run it as (Debian's postgresql package makes it)"
        ) from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


@contextmanager
def running_postgres(settings: dict | None = None) -> Iterator[PostgresServer]:
    """A fresh server for the duration of the block; PostgresUnavailable if not."""
    binaries = bin_dir()
    account = _server_account()
    directory = Path(tempfile.mkdtemp(prefix="pg-"))
    if account:
        os.chown(directory, account["user"], account["group"])
    data = directory / "data"
    logfile = directory / "server.log"

    def run(*args: str, timeout: float = START_TIMEOUT) -> None:
        result = subprocess.run(
            [str(binaries / args[0]), *args[1:]],
            cwd=directory,  # root's working directory may be closed to the account
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            **account,
        )
        if result.returncode != 0:
            log = (
                logfile.read_text(errors="replace")[-3000:] if logfile.exists() else ""
            )
            raise PostgresUnavailable(
                f"{' '.join(args[:2])} failed ({result.returncode}):"
                f"\n{result.stdout}{result.stderr}\n{log}"
            )

    try:
        run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--no-locale", "--no-sync")  # fmt: skip
        port = _start(run, data, directory, {**DEFAULT_SETTINGS, **(settings or {})})
    except BaseException as err:
        _stop(run, data)
        shutil.rmtree(directory, ignore_errors=True)
        if isinstance(err, OSError | subprocess.SubprocessError):
            raise PostgresUnavailable(f"PostgreSQL could not start: {err}") from err
        raise
    try:
        yield PostgresServer(port=port, directory=directory)
    finally:
        _stop(run, data)
        shutil.rmtree(directory, ignore_errors=True)


def _start(run, data: Path, directory: Path, settings: dict) -> int:
    """Start the server on a free port and return the port."""
    attempts = 3
    while True:
        # Another process may take the free port before the server binds it.
        port = free_port()
        flags = [f"-p {port}", f"-k {directory}", "-c listen_addresses=127.0.0.1"]
        flags += [f"-c {name}={value}" for name, value in settings.items()]
        try:
            run("pg_ctl", "start", "-D", str(data), "-l", str(directory / "server.log"),
                "-w", "-t", str(START_TIMEOUT), "-o", " ".join(flags))  # fmt: skip
            return port
        except PostgresUnavailable:
            _stop(run, data)  # in case it started but was slow to answer
            attempts -= 1
            if attempts == 0:
                raise


def _stop(run, data: Path) -> None:
    """Stop at once (the data is thrown away); kill the postmaster if that fails."""
    try:
        run("pg_ctl", "stop", "-D", str(data), "-m", "immediate", "-w", timeout=30)
    except (PostgresUnavailable, OSError, subprocess.SubprocessError):
        pidfile = data / "postmaster.pid"
        if pidfile.exists():
            try:
                os.kill(int(pidfile.read_text().split()[0]), signal.SIGKILL)
            except (ValueError, ProcessLookupError):
                pass
