"""The model a worker answers with, swapped for a new artifact without a restart.

Publishing a model (``sensationalism train``, or copying a .joblib and its .json
into the artifact folder) replaces the metadata file last, atomically; the
headline and the stance (body check) models are watched alike. Before
each request a worker compares the metadata file's identity (inode, size,
mtime) with the one it loaded; when it changed, the worker loads the new pair,
checking its digest, before answering. So every request that starts after the
metadata is replaced is answered by the new model, and the version switches at
one point. A pair that fails its check (half published, or tampered with) is
refused and the worker keeps answering with the model it has.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from model import artifacts

log = logging.getLogger(__name__)
WATCHED = (artifacts.HEADLINE, "stance")  # the stance model is optional


class LiveModel:
    """Holds the current scorer; ``current()`` reloads it when its files change."""

    def __init__(self, directory: Path | str, loader) -> None:
        self._directory = Path(directory)
        self._loader = loader  # directory -> scorer, raising on a bad artifact
        self._lock = threading.Lock()
        self._identity = self._stat()
        self._refused = None  # the identity of a pair that failed to load
        self._scorer = loader(self._directory)

    def _stat(self):
        """The identity of each model's metadata file (headline, then stance)."""
        identity = []
        for name in WATCHED:
            _, meta_path = artifacts.paths(name, self._directory)
            try:
                st = os.stat(meta_path)
            except OSError:
                identity.append(None)
                continue
            identity.append((st.st_ino, st.st_size, st.st_mtime_ns))
        return tuple(identity)

    def current(self):
        """The scorer to answer this request with."""
        identity = self._stat()
        if identity != self._identity and identity != self._refused:
            with self._lock:
                if identity != self._identity and identity != self._refused:
                    self._reload(identity)
        return self._scorer

    def _reload(self, identity) -> None:
        try:
            scorer = self._loader(self._directory)
        except Exception as err:  # keep serving; retry when the files change again
            log.warning(
                "new model not loaded, keeping %s: %s", self._scorer.version, err
            )
            self._refused = identity
            return
        log.info("model %s replaced by %s", self._scorer.version, scorer.version)
        self._scorer = scorer
        self._identity = identity
