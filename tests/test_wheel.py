"""A built wheel works away from the checkout: it carries every file the code reads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.integration

# Runs the CLI from the unpacked wheel only: the editable install's finder (which
# points at the checkout) is taken off the import machinery first.
_RUN_FROM_WHEEL = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
sys.path[:] = [p for p in sys.path if not p.startswith({root!r})]
sys.path.insert(0, {wheel!r})
import backend, model
assert backend.__file__.startswith({wheel!r}), backend.__file__
assert model.__file__.startswith({wheel!r}), model.__file__
from backend.cli import main
main()
"""


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a clean copy: a stale build/ folder in the checkout could hold
    # files the package data no longer lists.
    source = out / "source"
    source.mkdir()
    for name in ("backend", "model"):
        shutil.copytree(
            ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("sensationalism-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_the_wheel_holds_every_data_file(unpacked_wheel):
    for relative in (
        "model/artifacts/headline.joblib",
        "model/artifacts/headline.json",
        "model/artifacts/stance.joblib",
        "model/artifacts/stance.json",
        "model/headline/common_words.txt",
        "model/training/floors.json",
        "model/training/eval/pairs.jsonl",
    ):
        assert (unpacked_wheel / relative).is_file(), relative


def test_the_wheel_scores_a_headline_with_its_body_from_another_folder(
    unpacked_wheel, tmp_path
):
    code = _RUN_FROM_WHEEL.format(root=str(ROOT), wheel=str(unpacked_wheel))
    body = (
        "Officials dismissed the reports on Tuesday. NATO states agreed not to "
        "send soldiers to Ukrainian soil, the alliance said, and the government "
        "denied that any decision had been made. Analysts said the rumours had "
        "spread quickly online before officials answered them, and that no troops "
        "had moved. The defence ministry called the claims false and said talks "
        "with allies would continue next week in Brussels as planned."
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "score",
            "--headline",
            "Is France officially entering the war?",
            "--body",
            body,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answer = json.loads(result.stdout)
    assert 0 <= answer["score"] <= 100
    assert answer["body_check"] is not None
