"""Shared test set-up: the caches of every run in the suite live in a folder of their own."""
import os
import shutil
import tempfile

_before: dict[str, str | None] = {}


def pytest_configure(config):
    """Runs under test (in this process and in the ones it starts) never touch the user's cache.

    Set before the test modules are imported, so that an environment a module copies at import
    (for the processes it starts) holds it too."""
    _before["LINTNEWS_CACHE_DIR"] = os.environ.get("LINTNEWS_CACHE_DIR")
    _before["folder"] = os.environ["LINTNEWS_CACHE_DIR"] = tempfile.mkdtemp(prefix="lintnews-test-cache-")


def pytest_unconfigure(config):
    if "folder" not in _before:
        return
    shutil.rmtree(_before.pop("folder"), ignore_errors=True)
    previous = _before.pop("LINTNEWS_CACHE_DIR")
    if previous is None:
        os.environ.pop("LINTNEWS_CACHE_DIR", None)
    else:
        os.environ["LINTNEWS_CACHE_DIR"] = previous
