"""Saving and loading the trained pipeline, with metadata and an integrity check.

A joblib file runs code when it is loaded, so ``load`` refuses any artifact whose
SHA-256 differs from the digest recorded in its metadata JSON beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import subprocess
from pathlib import Path

import joblib

ARTIFACT_DIR = Path(__file__).resolve().parent
HEADLINE = "headline"


class ArtifactError(Exception):
    """The model artifact is missing, unreadable or fails its integrity check."""


def library_versions() -> dict[str, str]:
    import numpy
    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "joblib": joblib.__version__,
    }


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def paths(name: str, directory: Path = ARTIFACT_DIR) -> tuple[Path, Path]:
    """The artifact's joblib file and its metadata JSON."""
    directory = Path(directory)
    return directory / f"{name}.joblib", directory / f"{name}.json"


def save(estimator, metadata: dict, name: str = HEADLINE, directory=ARTIFACT_DIR):
    """Write the estimator and its metadata (with the file's digest); return it.

    Each file is written beside its final name and renamed into place, model
    first, so a running service that watches the metadata (backend.live_model)
    never reads half a file, and a reader that sees new metadata with the old
    model refuses the pair on its digest and tries again.
    """
    model_path, meta_path = paths(name, directory)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    partial = model_path.with_name(model_path.name + ".partial")
    joblib.dump(estimator, partial, compress=3)
    digest = _sha256(partial)
    os.replace(partial, model_path)
    metadata = {
        "libraries": library_versions(),
        **metadata,
        "artifact": {
            "file": model_path.name,
            "sha256": digest,
            "bytes": model_path.stat().st_size,
        },
        "version": f"{name}-{digest[:12]}",
    }
    partial = meta_path.with_name(meta_path.name + ".partial")
    partial.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")
    os.replace(partial, meta_path)
    return metadata


def read_metadata(name: str = HEADLINE, directory=ARTIFACT_DIR) -> dict:
    _, meta_path = paths(name, directory)
    try:
        return json.loads(meta_path.read_text())
    except (OSError, ValueError) as err:
        raise ArtifactError(f"cannot read {meta_path}: {err}") from err


def load(name: str = HEADLINE, directory=ARTIFACT_DIR):
    """Return (estimator, metadata), refusing a file whose digest does not match."""
    model_path, _ = paths(name, directory)
    metadata = read_metadata(name, directory)
    try:
        # Read once: the bytes checked are the bytes loaded, even if a new
        # model is renamed into place meanwhile.
        blob = model_path.read_bytes()
    except OSError as err:
        raise ArtifactError(f"cannot read {model_path}: {err}") from err
    digest = hashlib.sha256(blob).hexdigest()
    expected = metadata.get("artifact", {}).get("sha256")
    if digest != expected:
        raise ArtifactError(
            f"{model_path} has SHA-256 {digest}, but its metadata says {expected}: "
            "refusing to load a file that may have been tampered with"
        )
    return joblib.load(io.BytesIO(blob)), metadata
