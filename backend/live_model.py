"""The model a worker answers with, swapped for a newly published one without a restart.

What is live is what ``manifest.json`` in the artifact folder names (written last
by ``sensationalism publish``), or the plain ``headline``/``stance`` pairs in a
folder without one (``model.artifacts.resolve``). Before each request a worker
compares the identity (inode, size, mtime) of every file that decides this (the
manifest and each file it names, or the four plain files) with the identity it
loaded; on any change it loads the named pairs, checking their digests, before
answering. So every request that starts after a publish is answered by the new
model, and the version switches at one point.

A pair that fails its checks (a file half copied, copied in the wrong order, or
tampered with) is refused and the worker keeps answering with the model it has;
it tries again when any of the files changes, and every ``retry_seconds`` while
they stay as they are, so a slow copy (or a file system with coarse mtimes) never
leaves it on the old model for good. Every load, swap and refusal is logged at
WARNING or above, with the versions.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from model import artifacts

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0


def _identity(path: Path):
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


class LiveModel:
    """Holds the current scorer; ``current()`` reloads it when its files change."""

    def __init__(
        self,
        directory: Path | str,
        loader,
        retry_seconds: float = RETRY_SECONDS,
        clock=time.monotonic,
    ) -> None:
        self._directory = Path(directory)
        self._loader = loader  # directory -> scorer, raising on a bad artifact
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._named: tuple = (None, ())  # the manifest's identity, the files it names
        self._identity = self._stat()
        self._refused = None  # the identity of files that failed to load
        self._retry_at = 0.0
        self._scorer = loader(self._directory)
        log.warning("model loaded: %s from %s", self._scorer.version, self._describe())

    def _describe(self) -> str:
        manifest = artifacts.manifest_path(self._directory)
        return str(manifest if manifest.exists() else self._directory)

    def _files(self) -> tuple[Path, ...]:
        """The files that decide what is live, the manifest first when there is one."""
        manifest = artifacts.manifest_path(self._directory)
        seen = _identity(manifest)
        if seen is None:
            return tuple(
                path
                for name in artifacts.MODELS
                for path in artifacts.paths(name, self._directory)
            )
        if self._named[0] != seen:  # read the manifest only when it changed
            try:
                parsed = artifacts.read_manifest(self._directory) or {"models": {}}
                named = tuple(
                    path
                    for name in artifacts.MODELS
                    for path in artifacts.resolve(name, self._directory, parsed)
                )
            except artifacts.ArtifactError:
                named = ()  # a broken manifest: the load will say why
            self._named = (seen, named)
        return (manifest, *self._named[1])

    def _stat(self) -> tuple:
        return tuple((str(path), _identity(path)) for path in self._files())

    def current(self):
        """The scorer to answer this request with."""
        identity = self._stat()
        if identity != self._identity and (
            identity != self._refused or self._clock() >= self._retry_at
        ):
            with self._lock:
                if identity != self._identity and (
                    identity != self._refused or self._clock() >= self._retry_at
                ):
                    self._reload(identity)
        return self._scorer

    def _reload(self, identity) -> None:
        try:
            scorer = self._loader(self._directory)
        except Exception as err:  # keep serving; try again (see the module)
            if identity != self._refused:
                log.error(
                    "new model refused, still answering with %s (trying again "
                    "every %.0f s): %s",
                    self._scorer.version,
                    self._retry_seconds,
                    err,
                )
            self._refused = identity
            self._retry_at = self._clock() + self._retry_seconds
            return
        previous = self._scorer.version
        self._scorer = scorer
        self._identity = identity
        self._refused = None
        if scorer.version == previous:
            log.warning("model reloaded, unchanged: %s", scorer.version)
        else:
            log.warning(
                "model swapped: %s -> %s (%s)",
                previous,
                scorer.version,
                self._describe(),
            )
