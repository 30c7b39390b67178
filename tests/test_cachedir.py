"""The user cache folder: outside the checkout, keyed by repository."""
from pathlib import Path

from lintnews.cachedir import TAG, TAG_TEXT, repository_cache_dir, user_cache_root


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


def _repository_folders(cache: Path, count: int, days_ago: float) -> list[Path]:
    """``count`` repositories' cache folders (their checkouts in ``cache/checkouts``), the first
    used ``days_ago`` days ago and each next one an hour before it."""
    import os
    import time

    folders = []
    for n in range(count):
        folder = repository_cache_dir(cache / "checkouts" / f"r{n}", "results", cache_root=cache).parent
        (folder / "results").mkdir(parents=True)
        (folder / "results" / "00.bin").write_bytes(b"entries")
        (folder / TAG).write_text(TAG_TEXT, encoding="ascii")
        used = time.time() - days_ago * 86400 - n * 3600
        os.utime(folder, (used, used))
        folders.append(folder)
    return folders


def test_a_new_repository_makes_room_by_forgetting_those_used_least_recently(tmp_path):
    from lintnews.cachedir import using

    cache = tmp_path / "cache"
    folders = _repository_folders(cache, 6, days_ago=2)
    (cache / "patterns").mkdir()
    (cache / "entry-points-0123abcd.json").write_text("{}")
    (cache / "notes-of-mine").mkdir()
    using(tmp_path / "new", cache, keep=4)
    # three kept and the new one: the two used longest ago forgotten, what is no repository's left
    new = repository_cache_dir(tmp_path / "new", "results", cache_root=cache).parent
    assert sorted(path.name for path in cache.iterdir()) == sorted(
        [folder.name for folder in folders[:3]] + [new.name, "patterns", "entry-points-0123abcd.json", "notes-of-mine"])
    assert (new / TAG).read_text(encoding="ascii") == TAG_TEXT
    using(cache / "checkouts" / "r2", cache, keep=1)  # a known repository: marked used, nothing forgotten
    assert all(folder.exists() for folder in folders[:3])
    assert folders[2].stat().st_mtime > folders[0].stat().st_mtime


def test_a_repository_used_within_the_hour_is_kept_beyond_the_bound(tmp_path):
    from lintnews.cachedir import using

    cache = tmp_path / "cache"
    recent = _repository_folders(cache, 3, days_ago=1 / 144)  # used 10, 70 and 130 minutes ago
    using(tmp_path / "new", cache, keep=1)
    assert [folder.exists() for folder in recent] == [True, False, False]


def test_a_run_in_a_new_repository_bounds_the_cache_folder(tmp_path, monkeypatch):
    import os

    from lintnews import cachedir, cli

    cache = tmp_path / "cache"
    folders = _repository_folders(cache, 3, days_ago=1)
    project = tmp_path / "project"
    project.mkdir()
    (project / "a.md").write_text("---\ntitle: 标题\n---\n\n正文第一段。\n", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setenv("LINTNEWS_CACHE_DIR", str(cache))
    monkeypatch.setattr(cachedir, "KEEP_REPOSITORIES", 3)
    cli.main(["check", "--output-format", "json"])
    assert [folder.exists() for folder in folders] == [True, True, False]
    mine = repository_cache_dir(project, "results").parent
    assert mine.is_dir()
    os.utime(mine, (1e9, 1e9))
    cli.main(["check", "--no-cache", "--output-format", "json"])  # no cache: not even marked used
    assert mine.stat().st_mtime == 1e9
    cli.main(["check", "--output-format", "json"])
    assert mine.stat().st_mtime > folders[0].stat().st_mtime
    assert [folder.exists() for folder in folders] == [True, True, False]


def test_only_folders_lintnews_tagged_are_ever_forgotten(tmp_path):
    import os

    from lintnews.cachedir import using

    home = tmp_path / "home"  # say, --cache-dir ~
    folders = _repository_folders(home, 2, days_ago=30)
    theirs = home / "photos-0123456789abcdef"  # named as a repository's cache folder is, but not tagged
    (theirs / "2019").mkdir(parents=True)
    forged = home / "build-fedcba9876543210"
    forged.mkdir()
    (forged / TAG).write_text("Signature: 8a477f597d28d172789f06886806bc55\n# another tool's cache\n")
    for folder in (theirs, forged):
        os.utime(folder, (1e9, 1e9))
    using(tmp_path / "new", home, keep=1)
    assert [folder.exists() for folder in folders] == [False, False]
    assert (theirs / "2019").is_dir() and forged.is_dir()


def test_a_repository_folder_from_before_the_tag_is_tagged_when_used(tmp_path):
    from lintnews.cachedir import using

    cache = tmp_path / "cache"
    folder = repository_cache_dir(tmp_path / "repo", "results", cache_root=cache).parent
    (folder / "results").mkdir(parents=True)
    using(tmp_path / "repo", cache)
    assert (folder / TAG).read_text(encoding="ascii") == TAG_TEXT
    assert sorted(path.name for path in folder.iterdir()) == [TAG, "results"]
