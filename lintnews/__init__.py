"""lintnews: a content-moderation and quality-check linter for news-article repositories.

The public plugin API: ``hookimpl`` marks a plugin's hook, ``rule`` makes a rule
from a generator function (or a class, for a rule that sees the whole run),
``Violation`` and ``Deferred`` are what it yields (a Violation may carry ``Edit``s that fix
it), ``Option`` declares an option's constraint next to its default, ``OptionError`` refuses a
bad setting, and ``Document`` is what it receives; ``FrontMatterFormat`` and ``FrontMatterError``
teach the Document another front-matter syntax. See docs/plugins.md.
"""
from .document import Document
from .frontmatter import FrontMatterError, FrontMatterFormat
from .hookspecs import hookimpl
from .options import Option
from .rule import OptionError, Rule, rule
from .violation import Deferred, Edit, Severity, Violation

__version__ = "0.1.0"
__all__ = ["Deferred", "Document", "Edit", "FrontMatterError", "FrontMatterFormat", "Option", "OptionError", "Rule",
           "Severity", "Violation", "hookimpl", "rule", "__version__"]
