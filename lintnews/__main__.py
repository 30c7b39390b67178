"""``python -m lintnews``."""
from .cli import entry

entry()
