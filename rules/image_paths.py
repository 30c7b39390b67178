"""Checking image URLs on their face and resolving local image paths inside the repository."""
from __future__ import annotations

import base64
import binascii
import os
import posixpath
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lintnews.files import JEKYLL_CONFIGS
from lintnews.lazy_re import lazy_compile

_SCHEME = lazy_compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# a label: letters and digits, hyphens only inside. The repeats are possessive (never given
# back): nothing after a label, a user or a path can start with what they consumed, so no
# match is lost, and the engine does not retry each shorter run before failing
_LABEL = r"[A-Za-z0-9]++(?:-++[A-Za-z0-9]++)*+"
_HOST_NAME = _LABEL + r"(?:\." + _LABEL + r")*+\.?"
_HOST = lazy_compile(_HOST_NAME + r"|\[[0-9A-Fa-f:.]+\]")
# "//", user, host name (group 1), port (group 2, checked apart: at most 65535), then path,
# query and fragment (group 3)
_AUTHORITY_ON = r"//(?:[^\s/?#@\[\]]*+@)?(" + _HOST_NAME + r")(?::(\d{1,5}))?([/?#]\S*+)?"
_WELL_FORMED = lazy_compile(r"(?:[Hh][Tt][Tt][Pp][Ss]?:)?" + _AUTHORITY_ON)  # the common case, without urlsplit
_PLAIN_REMOTE = lazy_compile(r"[Hh][Tt][Tt][Pp][Ss]?:" + _AUTHORITY_ON)  # the same with its scheme
_TEMPLATE = lazy_compile(r"\{\{|\{%|<%|\$\{")

# a web address whose form was lost in copying, read as a relative path into a missing folder: a
# scheme without its colon or with a full-width one ("https//", "https：//"), or Markdown link
# syntax around a "//" and a host name ("[//host.org](//host.org)"); "http/a.png" is a folder's
_WEB_ADDRESS = lazy_compile(r"(?i:https?|ftp)(?:[:：]|//)|[^\[(]*+[\[(]//[\w-]++\.[\w.-]")
BROKEN, UNVERIFIED = "broken", "unverified"
# a local image in a folder that does not exist: one defect for all its images, image-folder-missing's
FOLDER = "folder"
MAX_NAME_BYTES, MAX_PATH_BYTES = 255, 4096  # the limits of common file systems (NAME_MAX, PATH_MAX)


def is_remote(url: str) -> bool:
    return url.startswith("//") or bool(re.match(r"[Hh][Tt][Tt][Pp][Ss]?://", url))


def is_template(url: str) -> bool:
    """URLs holding template code are filled in by the site generator; nothing to check here."""
    return bool(_TEMPLATE.search(url))


def plainly_remote(url: str) -> bool:
    """Whether ``url`` is, exactly as written, a well-formed ``http(s):`` URL: most images of an
    archive. Such a URL has no problem on its face (``url_problem`` finds its scheme and form
    good; template code in it changes nothing) and is no local path (``local_problem`` stops at
    its scheme), so one regex settles what both would: with no space around it to strip, the
    same text reaches both."""
    match = _PLAIN_REMOTE.fullmatch(url)
    return (match is not None and int(match.group(2) or 0) <= 65535
            and not_an_image(match.group(1), match.group(3) or "") is None)


# Names that serve no image to anyone: the domains kept for examples and the top-level names
# that are never delegated (RFC 2606). An image there is a placeholder left where an address
# was (a template's, or a rewriting tool's).
_PLACEHOLDER_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
_PLACEHOLDER_SUBDOMAINS = tuple("." + domain for domain in _PLACEHOLDER_DOMAINS)
_RESERVED_TLDS = frozenset({"example", "test", "invalid"})
# Video sites' pages, by host (without "www." or "m."): what their paths start with. A video
# page written as an image shows a broken image: an <iframe> or a link shows the video.
_VIDEO_PAGES = {"youtube.com": ("YouTube", ("/watch", "/embed/", "/shorts/", "/live/", "/v/")),
                "youtu.be": ("YouTube", ("/",)),
                "youtube-nocookie.com": ("YouTube", ("/embed/",)),
                "player.vimeo.com": ("Vimeo", ("/video/",)),
                "player.bilibili.com": ("bilibili", ("/player.html",)),
                "bilibili.com": ("bilibili", ("/video/",)),
                "v.qq.com": ("Tencent Video", ("/x/", "/txp/iframe/")),
                "player.youku.com": ("Youku", ("/embed/",)),
                "v.youku.com": ("Youku", ("/v_show/",)),
                "vimeo.com": ("Vimeo", ())}  # a page named by its number: vimeo.com/76979871


def not_an_image(host: str, path: str) -> str | None:
    """What is wrong with a well-formed remote image URL on ``host`` (as written) at ``path``
    (with query and fragment), said after the URL: a placeholder name, or a video site's page;
    None for any other."""
    host = host.lower().rstrip(".")
    bare = host.removeprefix("www.").removeprefix("m.")
    _, dot, top = host.rpartition(".")
    if (dot and top in _RESERVED_TLDS) or bare in _PLACEHOLDER_DOMAINS or bare.endswith(_PLACEHOLDER_SUBDOMAINS):
        return f"points at {host}, a name kept for examples that serves no image: put back the image's real address"
    video = _VIDEO_PAGES.get(bare)
    if video is not None and len(path) > 1 and (path.startswith(video[1]) if video[1]
                                                else path[1:].split("/", 1)[0].split("?", 1)[0].isdigit()):
        return f"is a {video[0]} video page, not an image: embed the video (<iframe>) or link to it"
    return None


@lru_cache(maxsize=4096)
def url_problem(url: str) -> tuple[str, str] | None:
    """(BROKEN or UNVERIFIED, message) for what is wrong with an image URL on its face."""
    url = url.strip()
    if not url:
        return BROKEN, "empty image URL"
    if is_template(url):
        return None
    if url.startswith("#"):
        return BROKEN, f"image URL {url!r} points into the page itself, not at an image"
    scheme = _SCHEME.match(url)
    if scheme and len(scheme.group(1)) == 1:
        return BROKEN, f"image path {url!r} is a path on the author's computer"
    if scheme:
        name = scheme.group(1).lower()
        if name == "data":
            problem = data_url_problem(url)
            return (BROKEN, problem) if problem else None
        if name == "file":
            return BROKEN, f"image path {url!r} leaves the repository (a file: URL)"
        if name not in ("http", "https"):
            return BROKEN, f"image URL {url!r} uses unsupported scheme '{name}:'"
    if scheme or url.startswith("//"):
        problem = _remote_problem(url)
        if problem:
            return BROKEN, problem
        if not scheme:
            return UNVERIFIED, f"protocol-relative image URL {url!r}: write https:// (it breaks outside a web page)"
    return None


def data_url_problem(url: str) -> str | None:
    """What is wrong with a ``data:`` URL: never fetched, but it must hold an image."""
    header, comma, payload = url[5:].partition(",")
    if not comma:
        return "malformed data URL: no ',' before the data"
    media = header.split(";")[0].strip().lower()
    if media and not media.startswith("image/"):
        return f"data URL is not an image ({media})"
    if not payload.strip():
        return "empty data URL"
    if ";base64" in header.lower():
        try:
            data = base64.b64decode(re.sub(r"\s+", "", unquote(payload)), validate=True)
        except (binascii.Error, ValueError):
            return "data URL holds invalid base64"
        size = _pixels(data)
        if size is not None and size[0] <= 1 and size[1] <= 1:
            return (f"data URL holds a {size[0]}×{size[1]} placeholder, a lazy loader's stand-in:"
                    " the image itself was not copied")
    return None


def _pixels(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a GIF or PNG, from its header; None for anything else."""
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None


def _remote_problem(url: str) -> str | None:
    if (match := _WELL_FORMED.fullmatch(url)) and int(match.group(2) or 0) <= 65535:
        problem = not_an_image(match.group(1), match.group(3) or "")
        return None if problem is None else f"image URL {url!r} {problem}"
    try:
        parts = urlsplit(url)
        parts.port  # raises ValueError for a bad port
    except ValueError as exc:
        return f"malformed image URL {url!r}: {exc}"
    host = parts.netloc.rpartition("@")[2].rsplit(":", 1)[0] if not parts.netloc.endswith("]") \
        else parts.netloc.rpartition("@")[2]
    if not host:
        if parts.scheme and url[len(parts.scheme) + 1:][:1] == "/" and url[len(parts.scheme) + 2:][:1] not in "/\\":
            return f"malformed image URL {url!r}: one slash after '{parts.scheme}:' (write '{parts.scheme}://')"
        return f"malformed image URL {url!r}: no host"
    if not host.isascii():                         # an internationalised name: valid in its IDNA form
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return f"malformed image URL {url!r}: bad host {host!r}"
    if not _HOST.fullmatch(host):
        return f"malformed image URL {url!r}: bad host {host!r}"
    if re.search(r"\s", url):
        return f"malformed image URL {url!r}: contains whitespace"
    problem = not_an_image(host, urlsplit(url)._replace(scheme="", netloc="").geturl())
    return None if problem is None else f"image URL {url!r} {problem}"


def local_problem(doc, url: str, roots: Sequence[str]) -> tuple | None:
    """Whether a local image path exists inside the repository, relative to the article or a site
    root: None, ``(BROKEN, message)``, or ``(FOLDER, message, folder)`` when the folder it would be
    in does not exist (``folder``: the outermost missing one, relative to the project root).

    Paths that leave the repository (``..``, symlinks pointing out) are reported as such
    before anything is looked up, so the message never reveals whether they exist.
    """
    if _SCHEME.match(url) or url.startswith("//") or is_template(url):
        return None
    path = unquote(re.split(r"[?#]", url.strip(), maxsplit=1)[0])  # decoded once
    if not path:
        return None
    unusable = unusable_path(path)
    if unusable:
        return BROKEN, f"image path {url!r} {unusable}"
    try:
        return _local_problem(doc, url, path, roots)
    except (OSError, ValueError) as exc:  # what unusable_path cannot foresee must not stop the file
        return BROKEN, (f"image path {url!r} cannot be looked up: {exc.strerror or exc}" if isinstance(exc, OSError)
                        else f"image path {url!r} cannot name a file: {exc}")


def unusable_path(path: str) -> str | None:
    """Why text from an article can never name a file (a NUL, a lone surrogate, a name longer
    than file systems allow), or None; every path operation on untrusted text checks first."""
    if "\x00" in path:
        return "holds a NUL character, which no file name can"
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a lone surrogate, which no file name can"
    if len(encoded) > MAX_PATH_BYTES or any(len(part) > MAX_NAME_BYTES for part in encoded.split(b"/")):
        return "is longer than any file name can be"
    return None


def _local_problem(doc, url: str, path: str, roots: Sequence[str]) -> tuple | None:
    files = files_of(doc)
    join, normpath = files.path.join, files.path.normpath
    root = files.root if files.root is not None else doc.root
    if path.startswith("/"):
        if not roots and files.root is None:  # which site roots exist decides where the path is looked for
            doc.depends_on(*_site_root_markers(doc), on="exists")
        bases = _site_roots(doc, root, roots, files)
        if not bases:
            return None  # no site root in this project: root-relative paths cannot be resolved
        candidates = [join(base, path.lstrip("/")) for base in bases]
        where = ", ".join(f"{_rel(base, root)}/" for base in bases)
    else:
        folder = files.path.dirname(files.absolute(doc.fs_path))
        # Hexo's post asset folders sit beside the post, named after it
        candidates = [join(folder, path), join(files.path.splitext(str(doc.fs_path))[0], path)]
        where = "the article's folder"
    doc.depends_on(*candidates)  # the verdict holds while these are as they were (see Document.depends_on)
    boundary = repository_boundary(doc)  # (a root-relative path without a site root never needs it)
    outside = BROKEN, f"image path {url!r} leaves the repository"
    if not all(_inside(normpath(candidate), boundary, files) for candidate in candidates[:1]):
        return outside
    for candidate in candidates:
        if not _inside(normpath(candidate), boundary, files):
            continue
        if not _inside(_real(doc, files, candidate), boundary, files):  # a symlink on the way points out
            return outside
        if files.isfile(candidate):
            actual = _case_mismatch(doc, boundary, candidate)
            if actual:
                return BROKEN, f"image path {url!r} differs in case from the file on disk ({actual!r}): " \
                               "it breaks on case-sensitive servers"
            if files.size(candidate) == 0:
                return BROKEN, f"image file {url!r} is empty"
            return None
    if files.isdir(candidates[0]):
        return BROKEN, f"image path {url!r} is a folder, not an image"
    actual = _case_mismatch(doc, boundary, candidates[0])
    if actual:
        return BROKEN, f"image not found: {url!r}; the file on disk is {actual!r} (case differs)"
    actual = _case_mismatch(doc, boundary, candidates[0], _nfc)
    if actual:
        return BROKEN, (f"image not found: {url!r}; the file on disk is {actual!r}, the same name in another "
                        "Unicode normalisation (NFC/NFD): rename the file or retype the reference")
    missing = _missing_folder(doc, files, boundary, [normpath(candidate) for candidate in candidates])
    if missing is not None:
        if _WEB_ADDRESS.match(path):  # no folder to commit: a URL that lost its form
            return BROKEN, f"malformed image URL {url!r}: a web address, not written as one (https://host/path)"
        folder = _rel(missing, root) + "/"
        return FOLDER, f"image folder {folder!r} does not exist: {url!r} points into it", folder
    return BROKEN, f"image not found: {url!r} (looked in {where})"


def _missing_folder(doc, files: "LocalFiles", boundary: str, candidates: list[str]) -> str | None:
    """When none of the folders the ``candidates`` would be in exists, the outermost missing folder
    on the way to the first (below ``boundary``, which exists); None when one of them exists, or
    when the outermost one's name is not free in its folder.

    The verdict holds while those folders are as they were: nothing under the outermost missing
    folder can exist before it does, so its existence and spelling and the other candidates'
    folders' existence are what it depends on."""
    dirname = files.path.dirname
    folders = [dirname(candidate) for candidate in candidates]
    doc.depends_on(*folders[1:], on="exists")
    if any(_inside(folder, boundary, files) and files.isdir(folder) for folder in folders):
        return None
    missing = _per_run(doc, "image-missing-folder", (files, boundary, folders[0]),
                       lambda: _outermost_missing(files, boundary, folders[0]))
    doc.depends_on(missing, on="exists")
    if not _inside(missing, boundary, files) or missing == boundary:
        return None
    # a name taken in its folder (a file, a link to nothing or to itself), a folder spelled there
    # in another case or Unicode normalisation, or a folder that cannot be listed (no read
    # permission): no folder to commit, or none known to be missing; the image is not found
    parent, name = dirname(missing), files.path.basename(missing)
    # the stamp of a spelling tells names apart by case, not by Unicode normalisation: the name's
    # composed and decomposed forms are watched as names of their own
    doc.depends_on(missing, on="spelling")
    doc.depends_on(*(files.path.join(parent, unicodedata.normalize(form, name)) for form in ("NFC", "NFD")),
                   on="exists")
    listing = _listing(doc, files, parent)
    if listing is None or name in listing.names \
            or any(same(name) in listing.spelled(same) for same in (str.casefold, _nfc)):
        return None
    return missing


def _outermost_missing(files: "LocalFiles", boundary: str, folder: str) -> str:
    """The outermost folder on the way from ``boundary`` to the missing ``folder`` that does not
    exist: looked up once per run for a folder (its images share it)."""
    missing = folder
    while (parent := files.path.dirname(missing)) != missing and _inside(parent, boundary, files) \
            and parent != boundary and not files.isdir(parent):
        missing = parent
    return missing


def _per_run(doc, table: str, key, make):
    """``make()``, worked out once per run for ``key``: one project root and its folders serve
    many articles and images (the run cache is new each run, so a later run sees the disk afresh)."""
    found = doc.run_cache.setdefault(table, {})
    if key not in found:
        found[key] = make()
    return found[key]


def _real(doc, files: "LocalFiles", path: str) -> str:
    """``files.real(path)``, with the folder's part resolved once per run: realpath looks at every
    folder on the way (an lstat each), and the articles and images of a folder share them. When
    the last name is no symlink, the real path is the folder's real path with that name added,
    as realpath itself builds it; a symlink, or a path ending in "." or "..", is resolved whole."""
    if files is not LOCAL_FILES:  # other storage has no symlinks and no lstat to save
        return files.real(path)
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or os.path.islink(path):
        return files.real(path)
    return os.path.join(_per_run(doc, "image-real-folder", folder, lambda: files.real(folder)), name)


def _site_root_markers(doc) -> tuple[Path, ...]:
    """The paths whose existence decides the site roots."""
    names = ("source", "static", "public", *JEKYLL_CONFIGS)
    return _per_run(doc, "image-site-markers", doc.root, lambda: tuple(doc.root / name for name in names))


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def repository_boundary(doc) -> str:
    """The folder no image path may leave: the project root, or the article's folder when the
    article lies outside the project. Computed once per document."""
    if "image-boundary" not in doc.cache:
        doc.cache["image-boundary"] = _boundary(doc)
    return doc.cache["image-boundary"]


def _boundary(doc) -> str:
    files = files_of(doc)
    root = str(doc.root) if files.root is None else files.root
    root = _per_run(doc, "image-real-root", (files, root), lambda: files.real(root))
    article = _real(doc, files, str(doc.fs_path))
    return root if _inside(article, root, files) else files.path.dirname(article)


def _site_roots(doc, root: Path | str, roots: Sequence[str], files: "LocalFiles") -> list:
    """``site_roots`` looked up once per run for each project root (not once per image)."""
    return _per_run(doc, "image-site-roots", (files, root, tuple(roots)), lambda: site_roots(root, roots, files))


def site_roots(project_root: Path | str, roots: Sequence[str], files: "LocalFiles | None" = None) -> list:
    """The folders that root-relative URLs resolve against, detected when ``roots`` is empty:
    Paths on the local disk, or the storage's own paths (strings) with ``files`` of other storage."""
    if files is not None and files.root is not None:
        join = files.path.join
        if roots:
            return [join(project_root, root) for root in roots]
        found = [join(project_root, name) for name in ("source", "static", "public")
                 if files.isdir(join(project_root, name))]
        if any(files.isfile(join(project_root, name)) for name in JEKYLL_CONFIGS):
            found.append(project_root)
        return found
    if roots:
        return [project_root / root for root in roots]
    found = [project_root / name for name in ("source", "static", "public") if (project_root / name).is_dir()]
    if any((project_root / name).is_file() for name in JEKYLL_CONFIGS):
        found.append(project_root)
    return found


def _inside(path: str, boundary: str, files: "LocalFiles | None" = None) -> bool:
    sep = files.path.sep if files is not None else os.sep
    return path == boundary or path.startswith(boundary.rstrip(sep) + sep)


def _case_mismatch(doc, boundary: str, candidate: str, same=str.casefold) -> str | None:
    """The on-disk spelling of ``candidate`` when it differs only in case (or in what ``same``
    drops: Unicode normalisation), walking from ``boundary``."""
    files = files_of(doc)
    relative = files.path.relpath(files.path.normpath(candidate), boundary)
    current, actual, differs = boundary, [], False
    for part in relative.split(files.path.sep):
        if part in (".", ""):
            continue
        doc.depends_on(files.path.join(current, part), on="spelling")
        listing = _listing(doc, files, current)
        if listing is None:
            return None
        if part in listing.names:
            name = part
        else:
            name = listing.spelled(same).get(same(part))
            if name is None:
                return None
            differs = True
        actual.append(name)
        current = files.path.join(current, name)
    return "/".join(actual) if differs else None


class _Listing:
    """A folder's entries, and per way of comparing names (``same``) the first entry under each
    compared form: a folder of 500 images is normalised once per run, not once per image."""

    __slots__ = ("order", "names", "_spelled")

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.names = frozenset(order)
        self._spelled: dict = {}

    def spelled(self, same) -> dict[str, str]:
        index = self._spelled.get(same)
        if index is None:
            index = self._spelled[same] = {}
            for name in self.order:
                index.setdefault(same(name), name)  # the first in listing order, as a scan would find
        return index


def _listing(doc, files: "LocalFiles", folder: str) -> _Listing | None:
    """``folder``'s listing, read once per run; None when it cannot be listed."""
    def read() -> _Listing | None:
        try:
            return _Listing(files.listdir(folder))
        except OSError:
            return None
    return _per_run(doc, "image-listdir", (files, folder), read)


def _rel(path: Path | str, root: Path | str) -> str:
    if isinstance(path, str):  # a path on other storage: both are POSIX strings
        relative = posixpath.relpath(path, root)  # outside the root: "..", "../x" (not "..x", a name)
        return path if relative == ".." or relative.startswith("../") else relative
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return path.as_posix()


class LocalFiles:
    """Where image paths are looked up: the local disk, unless the document says otherwise.

    A document read from other storage (an fsspec URL on a Dask run) carries its own
    ``storage`` with the same methods, POSIX ``path`` functions and its own ``root`` (the
    folder its URL names), so its image paths resolve next to it, not on this machine's disk.
    ``root`` None means the project root (``doc.root``).
    """

    path = os.path
    root: str | None = None

    absolute = staticmethod(os.path.abspath)
    real = staticmethod(os.path.realpath)
    isfile = staticmethod(os.path.isfile)
    isdir = staticmethod(os.path.isdir)
    size = staticmethod(os.path.getsize)
    listdir = staticmethod(os.listdir)


LOCAL_FILES = LocalFiles()


def files_of(doc) -> LocalFiles:
    """The storage ``doc``'s image paths are looked up in: its own, or the local disk."""
    return getattr(doc, "storage", None) or LOCAL_FILES
