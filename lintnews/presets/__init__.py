"""Presets: configurations for the common genres of article repository, used as
``extends: NAME`` in ``.lintnews.yaml`` and picked by ``lintnews init``.

Each preset is a YAML file in this package, in the configuration's own shape; its
opening comment says what kind of repository it is for, and a comment on each
setting says why.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

_FOLDER = Path(__file__).parent


def names() -> tuple[str, ...]:
    """The presets shipped, by name."""
    return tuple(sorted(path.stem for path in _FOLDER.glob("*.yaml")))


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """The settings of preset ``name``; KeyError when there is no such preset."""
    if name not in names():
        raise KeyError(name)
    return yaml.safe_load((_FOLDER / f"{name}.yaml").read_text(encoding="utf-8")) or {}


def describe(name: str) -> str:
    """The preset's opening comment: what it is for."""
    lines = (_FOLDER / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    about = []
    for line in lines:
        if not line.startswith("#"):
            break
        about.append(line.lstrip("#").strip())
    return "\n".join(about).strip()
