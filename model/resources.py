"""What a model reads besides its fitted parameters: word lists, tables and files.

The features and rule checks read module-level tables (``CERTAINTY``, ``SIGNALS``,
``common_words.txt`` ...) when they run, and a pickled model does not hold them.
An artifact records a digest of each table here when it is trained, and loading
compares them (``model.artifacts.load``): a word list edited without retraining
would otherwise change every score under an unchanged version string.

A table is any module-level name in capitals (``CERTAINTY``, ``_ABBREVIATIONS``)
whose value is data; a ``Path`` stands for the bytes of its file. Functions in a
table count by name only: a rule's code is pinned by the code's version, not here.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from pathlib import Path
from typing import Any

#: The modules whose tables each model reads, when it is trained or when it runs.
MODULES = {
    "headline": (
        "model.headline.lexicons",
        "model.headline.wordlist",
        "model.headline.features",
    ),
    "stance": (
        "model.headline.lexicons",
        "model.body.text",
        "model.body.scope",
        "model.body.features",
        "model.body.classifier",
        "model.body.rules",
        "model.body.claims",
        "model.body.checker",
    ),
}

_TABLE_NAME = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
_DATA = (str, int, float, bool, type(None), frozenset, set, tuple, list, dict, Path)


def _canonical(value: Any) -> Any:
    """A JSON-able form of a table that does not depend on set order or the machine."""
    if isinstance(value, Path):
        return {"file_sha256": hashlib.sha256(value.read_bytes()).hexdigest()}
    if isinstance(value, frozenset | set):
        return sorted((_canonical(v) for v in value), key=json.dumps)
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return sorted(
            ([_canonical(k), _canonical(v)] for k, v in value.items()), key=json.dumps
        )
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    if callable(value):
        return {"function": f"{value.__module__}.{value.__qualname__}"}
    return value


def _digest(value: Any) -> str:
    text = json.dumps(_canonical(value), sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def digests(model: str) -> dict[str, dict[str, str]]:
    """Each module's tables and their digests, for the model named ``model``."""
    out: dict[str, dict[str, str]] = {}
    for name in MODULES[model]:
        module = importlib.import_module(name)
        tables = {}
        for attr, value in vars(module).items():
            if not _TABLE_NAME.match(attr) or not isinstance(
                value, (*_DATA, re.Pattern)
            ):
                continue
            if isinstance(value, Path) and not value.is_file():
                continue
            tables[attr] = _digest(value)
        out[name] = dict(sorted(tables.items()))
    return out


def changes(recorded: dict, current: dict) -> list[str]:
    """The tables that differ between two ``digests()``, as "module.NAME" strings."""
    changed = []
    for module in sorted(set(recorded) | set(current)):
        old, new = recorded.get(module, {}), current.get(module, {})
        for table in sorted(set(old) | set(new)):
            if old.get(table) != new.get(table):
                changed.append(f"{module}.{table}")
    return changed
