"""CI output formats: SARIF, GitHub workflow commands, JUnit XML and GitLab Code Quality."""
from __future__ import annotations

from typing import Callable

CI_FORMATS: dict[str, Callable] = {}
