"""One writer at a time in a renders folder, and no litter from runs that died.

Every ``mlv`` command that writes into the renders folder (render, chapter, course, slides, notes,
check) holds an exclusive advisory lock (``fcntl.flock``) on ``<renders>/.lock`` for its whole
run. A second run on the same folder says once on stderr which process it waits for, then blocks
until the first one is done; two runs never write the same files at once.

The lock file holds the holder's pid (for that message) and is removed when the holder is done, so
a command that wrote nothing leaves nothing, not even the folder if it had to make it. A waiter
that wakes up holding a lock file that was removed meanwhile simply takes the lock again on the
new file (the usual check of the inode after ``flock``).

While the lock is held no other mlv run can be writing, so whatever temporary file or scratch
folder is found in the renders folder was left by a run that was killed: :func:`sweep` removes it
when the lock is taken (and puts back a slide deck a killed run had moved aside). Which files and
folders those are is the layout's business (:meth:`mlv.scripts.renders.Renders.litter`). A run
that is stopped (Ctrl-C, SIGTERM, SIGHUP) sweeps too before it lets the lock go, once its workers
are gone, so it leaves no temporary file behind.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from mlv.scripts import tools
from mlv.scripts.errors import MlvError
from mlv.scripts.renders import LOCK_NAME, UNFINISHED, Renders

__all__ = ["LOCK_NAME", "UNFINISHED", "renders_lock", "sweep", "write_error"]


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return "?"
    return text if text.isdigit() else "?"


def _cannot(path: Path, exc: OSError) -> MlvError:
    return MlvError(f"cannot write {path}: {exc.strerror or exc}")


@contextmanager
def renders_lock(renders: str | os.PathLike, *, say: Callable[[str], None] = _stderr,
                 clean: bool = True) -> Iterator[Path]:
    """Hold the exclusive lock of ``renders`` (made if missing) for the ``with`` block; then
    :func:`sweep` it (unless ``clean`` is false). Raises :class:`MlvError` in one line if the
    folder or its lock file cannot be made."""
    renders = Path(renders)                 # as the user gave it, for messages
    # the folder itself: '..' and symlinks resolved, so that only what is needed is made
    real = Path(os.path.realpath(renders))
    path = real / LOCK_NAME
    made: list[Path] = []               # the folders this run made for the lock, deepest first
    said = False
    while True:
        if not real.is_dir():
            made = [p for p in [real, *real.parents] if not p.exists()] or made
        try:
            real.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise MlvError(f"cannot use {renders} as the renders folder: it is a file") from None
        except OSError as exc:
            raise MlvError(f"cannot create the renders folder {renders}: "
                           f"{exc.strerror or exc}") from None
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except IsADirectoryError:
            raise MlvError(f"cannot lock {renders}: {renders / LOCK_NAME} is a folder") from None
        except OSError as exc:
            raise _cannot(renders / LOCK_NAME, exc) from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not said:
                    say(f"mlv: waiting for another mlv run (pid {_holder(fd)}) to finish "
                        f"with {renders}")
                    said = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)                       # the holder removed that file when it was done: again
    try:
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass                            # only for the waiting message (a full disk, say)
        if clean:
            sweep(real)
        yield renders
    finally:
        if clean and tools.stopping():      # stopped: end what still runs, sweep what it left
            tools.stop_children()
            sweep(real)
        with suppress(OSError):
            os.unlink(path)                 # still ours: removed while held, so no one races it
        for folder in made:                 # made for a run that wrote nothing: not left behind
            try:
                folder.rmdir()
            except OSError:
                break
        os.close(fd)


# ---------------------------------------------------------------------------------------- sweep


def _remove(p: Path, removed: list[Path]) -> None:
    try:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        else:
            p.unlink()
        removed.append(p)
    except OSError:
        pass                            # gone already, or not ours to remove: leave it


def sweep(renders: str | os.PathLike[str]) -> list[Path]:
    """Remove what killed runs left in ``renders`` (call it only while holding the lock), as
    :meth:`Renders.litter` names it, and put back output folders moved aside whose replacement
    never arrived; returns what was removed."""
    remove, restore = Renders(Path(renders)).litter()
    removed: list[Path] = []
    for aside, final in restore:
        try:
            aside.rename(final)             # the old deck was never replaced: restore it
        except OSError:
            _remove(aside, removed)
    for p in remove:
        _remove(p, removed)
    return removed


def write_error(exc: OSError, where: str | os.PathLike | None = None) -> str:
    """One line for an OSError met while writing outputs (``where``: the folder written in,
    named when the error does not name a file)."""
    what = exc.filename if exc.filename is not None else (f"in {where}" if where else "")
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT,
                     errno.EFBIG, errno.EIO):
        return f"cannot write {what}: {reason}" if what else f"cannot write: {reason}"
    return f"{what}: {reason}" if what else reason
