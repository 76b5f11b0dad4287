"""From a trained candidate to the live model: stage, gate, publish.

``sensationalism train`` writes its candidate into a staging folder (by default
``staging/`` inside the artifact folder), never into the files the service
serves, and gates it against the live model's recorded figures
(``model.training.gate``). ``sensationalism publish`` gates it again (the live
model may have changed since) and puts it into place:

1. each model's pair is copied to ``published/<version>.joblib`` and
   ``published/<version>.json`` (written beside, synced, renamed), where it is
   never changed again;
2. the service's loader is run on exactly what the new manifest will name;
3. ``manifest.json`` is written beside, synced and renamed over the old one: the
   one step that changes what is live.

A reader that sees the new manifest before a named file is complete (a publish
by hand, in the wrong order) refuses the pair on its digest and tries again
(``backend.live_model``). An empty or missing live model is not a pass: with
nothing to compare with, publishing needs ``force``.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from model import artifacts
from model.training import data, gate

log = logging.getLogger(__name__)

STAGING = "staging"
PUBLISHED = "published"
#: Versions of each model kept in published/ besides the live one (for rollback).
KEEP_PREVIOUS = 2


class PublishRefused(Exception):
    """Nothing was published: nothing staged, a refused candidate, or a bad file."""


def default_stage_dir(artifact_dir: Path) -> Path:
    return Path(artifact_dir) / STAGING


@dataclass
class Verdict:
    """A candidate gated against the live model: the table and what refused it."""

    name: str
    candidate_version: str
    live_version: str | None
    rows: list = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        # No live model to compare with is not a pass.
        return self.live_version is not None and not self.failures

    def report(self) -> str:
        if self.live_version is None:
            return (
                f"NO LIVE {self.name.upper()} MODEL to gate {self.candidate_version} "
                "against: it is not gated (publishing it needs --force)"
            )
        lines = [gate.table(self.rows, self.live_version, self.candidate_version)]
        if self.failures:
            lines.append(f"gate: {self.name} REFUSED: " + "; ".join(self.failures))
        else:
            lines.append(f"gate: {self.name} passed (no metric fell beyond its noise)")
        return "\n".join(lines)

    def record(self, forced: bool = False) -> dict:
        """What the candidate's metadata keeps about this gate."""
        return {
            "against": self.live_version,
            "passed": self.passed,
            "failures": self.failures,
            "forced": forced and not self.passed,
        }


def live_metadata(name: str, artifact_dir: Path) -> dict | None:
    """The metadata of the model ``name`` live in ``artifact_dir``; None if none."""
    _, meta_path = artifacts.resolve(name, artifact_dir)
    if not meta_path.exists():
        return None
    return artifacts.read_artifact_metadata(name, artifact_dir)


def gate_candidate(name: str, candidate: dict, artifact_dir: Path) -> Verdict:
    """Compare a candidate's metadata with the live model's recorded figures."""
    live = live_metadata(name, artifact_dir)
    verdict = Verdict(name, candidate.get("version", "(unsaved)"), None)
    if live is None:
        return verdict
    verdict.live_version = live.get("version", "unknown")
    verdict.rows = gate.compare(name, candidate.get("metrics", {}), live["metrics"])
    verdict.failures = gate.refusals(verdict.rows)
    return verdict


def staged(stage_dir: Path) -> list[str]:
    """The models with a candidate pair in ``stage_dir``."""
    return [
        name
        for name in artifacts.MODELS
        if all(path.exists() for path in artifacts.paths(name, stage_dir))
    ]


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target``: beside it, synced, then renamed into place."""
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    with open(source, "rb") as src, open(partial, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    os.replace(partial, target)


def _write_json(data: dict, target: Path) -> None:
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    with open(partial, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(partial, target)
    _fsync_dir(target.parent)


def _copy_pair(model_path: Path, meta_path: Path, artifact_dir: Path) -> dict:
    """Copy a checked pair into published/ under its version; its manifest entry."""
    metadata = json.loads(meta_path.read_text())
    version = metadata["version"]
    expected = metadata["artifact"]["sha256"]
    if data.file_sha256(model_path) != expected:
        raise PublishRefused(f"{model_path} does not match the digest in {meta_path}")
    folder = Path(artifact_dir) / PUBLISHED
    folder.mkdir(parents=True, exist_ok=True)
    target_model, target_meta = folder / f"{version}.joblib", folder / f"{version}.json"
    # Published files never change: one already there is the same version.
    if not (target_model.exists() and data.file_sha256(target_model) == expected):
        _write_file(model_path, target_model)
    if not target_meta.exists():
        _write_file(meta_path, target_meta)
    _fsync_dir(folder)
    return {
        "version": version,
        "model": f"{PUBLISHED}/{target_model.name}",
        "metadata": f"{PUBLISHED}/{target_meta.name}",
        "sha256": expected,
    }


def publish(
    stage_dir: Path,
    artifact_dir: Path,
    names: list[str] | None = None,
    force: bool = False,
    say=print,
) -> dict:
    """Publish the staged candidates (all, or ``names``); return the new manifest.

    Each candidate is loaded (digest, library and word-list checks) and gated
    against the live model; a refused one stops the publish unless ``force``.
    Models not published keep their live pair. One publish runs at a time in
    a folder (a lock; a second one is refused). Raises PublishRefused.
    """
    stage_dir, artifact_dir = Path(stage_dir), Path(artifact_dir)
    names = list(names or staged(stage_dir))
    if not names:
        raise PublishRefused(f"nothing is staged in {stage_dir}: run train first")
    with _publish_lock(artifact_dir):
        return _publish(stage_dir, artifact_dir, names, force, say)


@contextmanager
def _publish_lock(artifact_dir: Path):
    """One publish at a time per folder: a lock on the folder itself (flock),
    which the system drops with its holder and which leaves no file behind."""
    artifact_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(artifact_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise PublishRefused(
                f"another publish into {artifact_dir} is running; try again after it"
            ) from err
        yield
    finally:
        os.close(fd)  # closing drops the lock


def _publish(stage_dir, artifact_dir, names, force, say) -> dict:
    from model.scoring import Scorer  # the loader the service runs

    refused = []
    verdicts = {}
    for name in names:
        try:
            _, candidate = artifacts.load(name, stage_dir, manifest=None)
        except artifacts.ArtifactError as err:
            raise PublishRefused(f"the staged {name} model: {err}") from err
        verdict = gate_candidate(name, candidate, artifact_dir)
        verdicts[name] = verdict
        say(verdict.report())
        if not verdict.passed:
            refused.append(name)
    if refused and not force:
        for name in refused:
            log.warning(
                "publish refused: %s %s (live %s): %s",
                name,
                verdicts[name].candidate_version,
                verdicts[name].live_version,
                "; ".join(verdicts[name].failures) or "no live model to gate against",
            )
        raise PublishRefused(
            f"not published: {', '.join(refused)} did not pass the gate "
            "(--force publishes anyway)"
        )

    current = artifacts.read_manifest(artifact_dir)
    entries = {}
    for name in artifacts.MODELS:
        if name in names:
            entries[name] = _copy_pair(*artifacts.paths(name, stage_dir), artifact_dir)
            gated = verdicts[name].candidate_version
            if entries[name]["version"] != gated:
                # A train wrote a new candidate between the gate and the copy.
                raise PublishRefused(
                    f"the staged {name} model changed while it was being published "
                    f"({gated} was gated, {entries[name]['version']} is staged now)"
                )
        elif current is not None and name in current["models"]:
            entries[name] = current["models"][name]
        elif artifacts.paths(name, artifact_dir)[1].exists():
            # First publish into a plain folder: the live plain pair is copied
            # too, so that everything the manifest names is immutable.
            entries[name] = _copy_pair(
                *artifacts.paths(name, artifact_dir), artifact_dir
            )
    previous = {name: live_metadata(name, artifact_dir) for name in artifacts.MODELS}
    manifest = {
        "format": 1,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "models": entries,
        "previous": {
            name: meta.get("version") for name, meta in previous.items() if meta
        },
        "gate": {name: v.record(forced=force) for name, v in verdicts.items()},
    }
    try:  # the service's own loader, on exactly what the manifest will name
        scorer = Scorer.load(artifact_dir, manifest=manifest)
    except artifacts.ArtifactError as err:
        raise PublishRefused(f"the pair to publish does not load: {err}") from err
    _write_json(manifest, artifacts.manifest_path(artifact_dir))
    for name in names:
        model_path, meta_path = artifacts.paths(name, stage_dir)
        try:
            staged_now = json.loads(meta_path.read_text()).get("version")
        except (OSError, ValueError):
            staged_now = None
        if staged_now == entries[name]["version"]:  # not a newer candidate
            for path in (model_path, meta_path):
                path.unlink(missing_ok=True)
    _prune(artifact_dir, manifest)
    was = "+".join(m["version"] for m in previous.values() if m) or "(none)"
    log.warning("published %s (was %s) in %s", scorer.version, was, artifact_dir)
    say(f"published {scorer.version} (was {was}) to {artifact_dir}")
    return manifest


def _prune(artifact_dir: Path, manifest: dict) -> None:
    """Keep in published/ the live versions and the last few before them."""
    folder = Path(artifact_dir) / PUBLISHED
    keep = {entry["version"] for entry in manifest["models"].values()}
    keep |= set(manifest["previous"].values())
    for name in artifacts.MODELS:
        versions = sorted(
            folder.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True
        )
        keep |= {p.stem for p in versions[: KEEP_PREVIOUS + 1]}
    for path in folder.iterdir():
        stem = path.name.split(".", 1)[0]
        if stem not in keep and path.suffix in (".joblib", ".json"):
            path.unlink(missing_ok=True)
