"""Errors the CLI reports as one line on stderr with exit status 2."""


class MlvError(Exception):
    """A problem with the user's input or machine, reported without a traceback."""


class RenderError(Exception):
    """A scene failed to render (exit status 1), with the tail of its log."""
