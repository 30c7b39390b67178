"""The user cache folder: outside the checkout, keyed by repository."""
from pathlib import Path

from lintnews.cachedir import repository_cache_dir, user_cache_root


def test_lintnews_cache_dir_wins(tmp_path):
    env = {"LINTNEWS_CACHE_DIR": str(tmp_path / "c"), "XDG_CACHE_HOME": str(tmp_path / "x")}
    assert user_cache_root(env) == tmp_path / "c"


def test_xdg_cache_home_then_home(tmp_path, monkeypatch):
    assert user_cache_root({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "lintnews"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_cache_root({}) == Path(tmp_path / "home" / ".cache" / "lintnews")


def test_each_repository_and_kind_gets_its_own_folder(tmp_path):
    env = {"LINTNEWS_CACHE_DIR": str(tmp_path / "c")}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = repository_cache_dir(tmp_path / "a", "remote", env)
    assert a.parent.parent == tmp_path / "c"
    assert a.name == "remote" and a.parent.name.startswith("a-")
    assert a != repository_cache_dir(tmp_path / "b", "remote", env)
    assert a.parent == repository_cache_dir(tmp_path / "a", "results", env).parent


def test_a_symlinked_root_shares_the_folder_of_its_target(tmp_path):
    env = {"LINTNEWS_CACHE_DIR": str(tmp_path / "c")}
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert repository_cache_dir(tmp_path / "link", "results", env) == repository_cache_dir(tmp_path / "real", "results", env)


def test_the_hashes_are_hashlibs():
    import hashlib

    from lintnews.hashes import blake2b, sha256

    data = "长江 text".encode()
    assert blake2b(data, digest_size=16).digest() == hashlib.blake2b(data, digest_size=16).digest()
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
