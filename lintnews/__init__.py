"""lintnews: a content-moderation and quality-check linter for news-article repositories.

The public plugin API: ``hookimpl`` marks a plugin's hook, ``rule`` makes a rule
from a generator function (or a class, for a rule that sees the whole run),
``Violation`` and ``Deferred`` are what it yields (a Violation may carry ``Edit``s that fix
it), ``Option`` declares an option's constraint next to its default, ``OptionError`` refuses a
bad setting, and ``Document`` is what it receives; ``FrontMatterFormat`` and ``FrontMatterError``
teach the Document another front-matter syntax. See docs/plugins.md.
"""
import sys


def _forget_the_current_folder() -> None:
    """``python -m lintnews`` puts the current folder first on ``sys.path`` (unless ``-P``,
    ``-I`` or PYTHONSAFEPATH), and this package is imported before anything else of lintnews: a
    checkout's ``yaml.py`` would be the yaml every module below imports, ``--isolated`` or not.
    The folder is dropped here, as the console script never has it; Python itself imports
    nothing from it before this runs. Only when the module run is lintnews (runpy's frame says
    which): a program run with ``-m`` that imports lintnews keeps its own path."""
    if sys.argv[:1] != ["-m"] or sys.flags.safe_path or not sys.path:
        return
    frame = sys._getframe(1)
    while frame is not None and not (frame.f_code.co_name == "_run_module_as_main"
                                     and frame.f_globals.get("__name__") == "runpy"):
        frame = frame.f_back
    if frame is None or str(frame.f_locals.get("mod_name", "")).partition(".")[0] != __name__:
        return
    import os

    if os.path.abspath(sys.path[0] or os.curdir) == os.getcwd():
        del sys.path[0]


_forget_the_current_folder()

# the imports below come after the path is made safe
from .document import Document
from .frontmatter import FrontMatterError, FrontMatterFormat
from .hookspecs import hookimpl
from .options import Option
from .rule import OptionError, Rule, rule
from .violation import Deferred, Edit, Severity, Violation

__version__ = "0.1.0"
__all__ = ["Deferred", "Document", "Edit", "FrontMatterError", "FrontMatterFormat", "Option", "OptionError", "Rule",
           "Severity", "Violation", "hookimpl", "rule", "__version__"]
