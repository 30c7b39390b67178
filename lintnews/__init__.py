"""lintnews: a content-moderation and quality-check linter for news-article repositories.

The public plugin API: ``hookimpl`` marks a plugin's hook, ``rule`` makes a rule
from a generator function, ``Violation`` is what that function yields, and
``Document`` is what it receives; ``FrontMatterFormat`` and ``FrontMatterError``
teach the Document another front-matter syntax. See docs/plugins.md.
"""
from .document import Document, FrontMatterError, FrontMatterFormat
from .hookspecs import hookimpl
from .rule import Rule, rule
from .violation import Deferred, Severity, Violation

__version__ = "0.1.0"
__all__ = ["Deferred", "Document", "FrontMatterError", "FrontMatterFormat", "Rule", "Severity", "Violation", "hookimpl",
           "rule", "__version__"]
