"""Saving and loading the trained models, with metadata and the checks that pin them.

This folder holds the committed artifacts (``headline.joblib``, ``stance.joblib``)
and, beside each, its metadata JSON. ``load`` refuses an artifact when:

- its SHA-256 differs from the digest in its metadata (a joblib file runs code
  when it is loaded, so a corrupt or swapped file must never be unpickled);
- it was pickled under another scikit-learn, or another numpy or scipy release
  series (a pickle is only supported by the version that wrote it);
- a word list, table or file that the features read has changed since it was
  trained (``model.resources``): the answers would change under the same version.

The version string (also the result cache's key) covers the file and those
tables, so retraining after a word-list change always gives a new version.
The fast path's probe outputs are stored here too and checked by the loaders
(``model.fastpath``).

Which pair is live: a folder that holds ``manifest.json`` serves the files the
manifest names (``sensationalism publish`` writes versioned copies under
``published/``, then the manifest last, in one rename); a folder without one
serves the plain ``<name>.joblib`` and ``<name>.json`` (the committed models,
and what the wheel carries). ``resolve`` says which files a model is.
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

from model import fastpath, resources

ARTIFACT_DIR = Path(__file__).resolve().parent
HEADLINE = "headline"
STANCE = "stance"
MODELS = (HEADLINE, STANCE)
#: Written last by a publish: names the live pair of each model (see ``resolve``).
MANIFEST = "manifest.json"
#: Libraries whose versions must match the ones an artifact was pickled under:
#: scikit-learn exactly, numpy and scipy within a release series.
PINNED_LIBRARIES = {"scikit-learn": 3, "numpy": 2, "scipy": 2}


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


def manifest_path(directory=ARTIFACT_DIR) -> Path:
    return Path(directory) / MANIFEST


def read_manifest(directory=ARTIFACT_DIR) -> dict | None:
    """The folder's manifest, or None when it has none (the plain layout).

    A manifest that cannot be read or is not one raises ArtifactError: a folder
    with a broken manifest serves nothing rather than an older plain pair.
    """
    path = manifest_path(directory)
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise ArtifactError(f"cannot read {path}: {err}") from err
    try:
        manifest = json.loads(text)
    except ValueError as err:
        raise ArtifactError(f"{path} is not JSON: {err}") from err
    models = manifest.get("models") if isinstance(manifest, dict) else None
    if not isinstance(models, dict):
        raise ArtifactError(f"{path} names no models")
    for name, entry in models.items():
        for key in ("model", "metadata"):
            named = entry.get(key) if isinstance(entry, dict) else None
            # Inside the folder only: a manifest must not point elsewhere.
            if (
                not isinstance(named, str)
                or Path(named).is_absolute()
                or ".." in Path(named).parts
            ):
                raise ArtifactError(
                    f"{path}: {name}.{key} is not a file in {directory}"
                )
    return manifest


_FROM_FOLDER = object()  # resolve(): read the manifest now


def resolve(
    name: str, directory=ARTIFACT_DIR, manifest=_FROM_FOLDER
) -> tuple[Path, Path]:
    """The live joblib file and metadata JSON of model ``name`` in ``directory``.

    The manifest's pair when it names this model, else the plain pair. Pass the
    ``manifest`` already read to resolve several models from one publish.
    """
    directory = Path(directory)
    if manifest is _FROM_FOLDER:
        manifest = read_manifest(directory)
    entry = (manifest or {}).get("models", {}).get(name)
    if entry is None:
        return paths(name, directory)
    return directory / entry["model"], directory / entry["metadata"]


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
    tables = resources.digests(name) if name in resources.MODULES else {}
    pinned = json.dumps([digest, tables], sort_keys=True).encode()
    metadata = {
        "libraries": library_versions(),
        **metadata,
        "resources": tables,
        "probes": fastpath.reference_outputs(name, estimator),
        "artifact": {
            "file": model_path.name,
            "sha256": digest,
            "bytes": model_path.stat().st_size,
        },
        "version": f"{name}-{hashlib.sha256(pinned).hexdigest()[:12]}",
    }
    partial = meta_path.with_name(meta_path.name + ".partial")
    partial.write_text(json.dumps(metadata, indent=2, sort_keys=True) + "\n")
    os.replace(partial, meta_path)
    return metadata


def read_artifact_metadata(
    name: str = HEADLINE, directory=ARTIFACT_DIR, manifest=_FROM_FOLDER
) -> dict:
    """The metadata JSON of the live artifact (``resolve``)."""
    if manifest is _FROM_FOLDER:
        manifest = read_manifest(directory)
    _, meta_path = resolve(name, directory, manifest)
    try:
        metadata = json.loads(meta_path.read_text())
    except (OSError, ValueError) as err:
        raise ArtifactError(f"cannot read {meta_path}: {err}") from err
    entry = (manifest or {}).get("models", {}).get(name)
    if entry is not None and entry.get("version") not in (
        None,
        metadata.get("version"),
    ):
        raise ArtifactError(
            f"{meta_path} holds {metadata.get('version')}, but "
            f"{manifest_path(directory)} publishes {entry['version']}"
        )
    return metadata


def load(
    name: str = HEADLINE,
    directory=ARTIFACT_DIR,
    shared: bool = False,
    manifest=_FROM_FOLDER,
):
    """Return (estimator, metadata), refusing a file whose digest does not match.

    With ``shared``, an estimator already unpickled from the same bytes is
    returned again (for callers that only read it, such as the scorers).
    """
    if manifest is _FROM_FOLDER:
        manifest = read_manifest(directory)
    model_path, _ = resolve(name, directory, manifest)
    metadata = read_artifact_metadata(name, directory, manifest)
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
    # Before unpickling: a pickle from another scikit-learn may fail or mislead.
    check_pinned(name, metadata, model_path)
    if not shared:
        return joblib.load(io.BytesIO(blob)), metadata
    return _unpickle(blob, digest), metadata


# The last few models unpickled for readers, by the SHA-256 of their bytes:
# loading the same bytes again (an app factory, every test's app) reuses the
# object instead of spending a third of a second unpickling it.
_UNPICKLED: dict[str, object] = {}
_UNPICKLED_KEEP = 4


def _unpickle(blob: bytes, digest: str):
    if digest not in _UNPICKLED:
        while len(_UNPICKLED) >= _UNPICKLED_KEEP:
            del _UNPICKLED[next(iter(_UNPICKLED))]
        _UNPICKLED[digest] = joblib.load(io.BytesIO(blob))
    return _UNPICKLED[digest]


def _retrain(name: str) -> str:
    which = name if name in (HEADLINE, STANCE) else "all"
    return f"retrain it with `sensationalism train --model {which}`"


def check_pinned(name: str, metadata: dict, model_path: Path) -> None:
    """Refuse an artifact whose libraries or word lists differ from this install's."""
    recorded = metadata.get("libraries", {})
    installed = library_versions()
    for library, parts in PINNED_LIBRARIES.items():
        then, now = recorded.get(library), installed[library]
        if then is None or then.split(".")[:parts] != now.split(".")[:parts]:
            raise ArtifactError(
                f"{model_path} was pickled under {library} {then}, but {now} is "
                f"installed: install {library}=={then} or {_retrain(name)}"
            )
    if name not in resources.MODULES:
        return
    if "resources" not in metadata:
        raise ArtifactError(
            f"{model_path} does not record the word lists it was trained with: "
            f"{_retrain(name)}"
        )
    changed = resources.changes(metadata["resources"], resources.digests(name))
    if changed:
        shown = ", ".join(changed[:6]) + (" ..." if len(changed) > 6 else "")
        raise ArtifactError(
            f"{model_path} was trained with other word lists or tables than the "
            f"code now has ({shown} changed): {_retrain(name)}"
        )
