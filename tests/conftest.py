"""Shared test set-up: the results cache of every run in the suite lives in a folder of its own."""
import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder():
    """Runs under test (in this process and in the ones it starts) never touch the user's cache."""
    with tempfile.TemporaryDirectory(prefix="lintnews-test-cache-") as folder:
        previous = os.environ.get("LINTNEWS_CACHE_DIR")
        os.environ["LINTNEWS_CACHE_DIR"] = folder
        yield
        if previous is None:
            del os.environ["LINTNEWS_CACHE_DIR"]
        else:
            os.environ["LINTNEWS_CACHE_DIR"] = previous
