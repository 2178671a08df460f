#!/usr/bin/env bash
# The README's two Quick start commands:
#   bash packaging/quickstart.sh run    set up (once) and open the briefing window
#   bash packaging/quickstart.sh test   set up (once) and run the whole test suite
# Set-up: the system libraries Qt needs (installed with apt-get when missing and we are
# root), a virtual environment in .venv, and the pinned Python packages.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
shift || true

say() { printf 'briefmap setup: %s\n' "$*" >&2; }

# ----------------------------------------------------------------- Python
PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  say "Python 3.11 or newer is needed (found: $("$PY" --version 2>&1 || echo none))."
  exit 1
fi

# ----------------------------------------------------------------- system libraries
# What PySide6's wheels need on Debian/Ubuntu: OpenGL/EGL, fonts, xkbcommon, GLib and the
# xcb platform plugin's libraries (the last only for a real display).
QT_DEBS="libegl1 libgl1 libopengl0 libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 fonts-dejavu-core \
libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 \
libxcb-xinerama0 libxcb-xkb1 libxrender1 libxi6 libsm6 libice6 libxext6"
# The tests also validate the desktop entry and the AppStream metadata with their own tools,
# and read the text of exported PDFs with pdftotext.
[ "$mode" = test ] && QT_DEBS="$QT_DEBS appstream desktop-file-utils poppler-utils"
if command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for deb in $QT_DEBS; do  # (and the validators, for the tests)
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing="$missing $deb"
  done
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing system packages:$missing"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      # shellcheck disable=SC2086
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      say "Qt may need these system packages, which are missing:$missing"
      say "install them with:  sudo apt-get install$missing"
    fi
  fi
fi

# ----------------------------------------------------------------- virtual environment
stamp=.venv/.briefmap-setup
want=$(cat pyproject.toml packaging/constraints.txt | "$PY" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  [ -x .venv/bin/python ] || { say "creating the virtual environment .venv"; "$PY" -m venv .venv; }
  say "installing briefmap and its pinned dependencies into .venv (a few minutes the first time)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -c packaging/constraints.txt -e ".[dev]"
  echo "$want" > "$stamp"
fi

case "$mode" in
  run)
    exec .venv/bin/briefmap "$@"
    ;;
  test)
    status=0
    echo "== ruff"; .venv/bin/ruff check desktop tests geodata bench packaging || status=1
    echo "== import contracts"; .venv/bin/lint-imports --config pyproject.toml || status=1
    echo "== pytest"; QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@" || status=1
    exit $status
    ;;
  *)
    echo "usage: bash packaging/quickstart.sh run|test" >&2
    exit 2
    ;;
esac
