"""External tools mlv needs, how to install them, and their versions."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from mlv.scripts.errors import MlvError


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
