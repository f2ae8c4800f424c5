"""Errors the CLI reports as one line on stderr with exit status 2, and how a run is stopped."""
from __future__ import annotations

import signal


class MlvError(Exception):
    """A problem with the user's input or machine, reported without a traceback."""


class RenderError(Exception):
    """A scene failed to render (exit status 1), with the tail of its log."""


class ToolError(RenderError, RuntimeError):
    """An external tool (ffmpeg, ffprobe) failed at its work: a render failure (exit status 1)
    reported in one line, still a ``RuntimeError`` for code that catches those."""


class Stopped(KeyboardInterrupt):
    """The run was told to stop by signal :attr:`signum` (SIGTERM, SIGHUP; Ctrl-C is SIGINT).

    A ``KeyboardInterrupt``, so every path that cleans up after Ctrl-C cleans up after these
    too; the CLI exits with ``128 + signum`` (130, 143, 129)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name


def one_line(message: str) -> str:
    """``message`` on one line of printable text: line breaks and other control characters (a
    user's value quoted back, say) are written as escapes, so an error stays one line and cannot
    drive the terminal."""
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in message)
