"""Writing a fixed file back: atomically, only if nobody changed it since it was read, never
through a symlink that leaves the repository.

A temporary file is written in the target's own folder (so ``os.replace`` stays on one file
system and is atomic), flushed and fsynced, given the original's mode, then renamed over the
original. Whatever fails, the original is intact and the temporary file is removed. SIGINT
is held off while a file is being replaced (and, by the caller, while it is counted), so an
interrupted run never stops half-way through one file.
"""
from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..reading import ReadRefused, read_article

TEMP_SUFFIX = ".lintnews-fix.tmp"


class WriteRefused(Exception):
    """The fixed text was not written; the message says why (the original is untouched)."""


def target_of(path: Path | str, root: Path) -> Path:
    """The file to write: ``path`` itself, or the file a symlink points to when it lies inside
    ``root``; WriteRefused for a symlink out of the repository, or for anything but a regular
    file (a device or a FIFO named on the command line is never replaced by a file)."""
    target = path = Path(path)
    if path.is_symlink():
        # realpath, not Path.resolve, which raises RuntimeError on a symlink loop in Python 3.11:
        # a loop ends inside, and the stat below refuses it
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(root.resolve()):
            raise WriteRefused(f"it is a symlink to {target}, outside the repository; not written through")
    try:
        regular = stat.S_ISREG(os.stat(target).st_mode)
    except OSError as exc:
        raise WriteRefused(f"cannot write {target.name}: {exc.strerror or exc}") from None
    if not regular:
        raise WriteRefused("it is not a regular file; not written")
    return target


def write_back(path: Path | str, root: Path, original: bytes, data: bytes) -> None:
    """Replace the file at ``path`` (read as ``original``) with ``data``; WriteRefused when the
    file changed on disk since it was read, is a symlink out of the repository, or cannot be
    written."""
    target = target_of(path, root)
    with holding_interrupts():
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
        except OSError as exc:
            raise WriteRefused(f"cannot write in {target.parent}: {exc.strerror or exc}") from None
        try:
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(temporary, mode)
                try:  # as linting reads: a FIFO swapped in meanwhile is refused, not waited on
                    current = read_article(target)
                except ReadRefused as exc:
                    raise WriteRefused(f"{exc.message}; not written") from None
                if current != original:
                    raise WriteRefused("the file changed on disk while it was being fixed; not written")
                os.replace(temporary, target)
            except OSError as exc:
                raise WriteRefused(f"cannot write {target.name}: {exc.strerror or exc}") from None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


@contextlib.contextmanager
def holding_interrupts():
    """Hold SIGINT back (on POSIX, in the main thread) until the block is done; a Ctrl-C
    pressed meanwhile is delivered right after."""
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Writers:
    """A few threads that write fixed files back while the next files are linted.

    Each fsync waits for the disk; several at once share the file system's journal commits,
    so a run fixing thousands of files is not bound by one fsync after another. At most
    ``window`` files wait to be written (bounding memory). Threads are not interrupted by
    SIGINT (only the main thread is): a write that started finishes, atomically.
    """

    def __init__(self, threads: int = 4, window: int = 64) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lintnews-fix-write")
        self._slots = threading.BoundedSemaphore(window)

    def submit(self, job, *args) -> Future:
        """Run ``job(*args)`` on a writer thread, once fewer than ``window`` jobs wait."""
        self._slots.acquire()
        try:
            future = self._pool.submit(job, *args)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return future

    def close(self, cancel: bool = False) -> None:
        """Wait for the writes under way; with ``cancel``, drop those not started yet."""
        self._pool.shutdown(wait=True, cancel_futures=cancel)
