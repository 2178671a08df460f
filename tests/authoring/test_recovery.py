"""Recovery files: written, read back, restored, and left behind by a killed session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefmap.data.briefing import open_briefing, validate
from briefmap.data.new_briefing import copy_briefing
from briefmap.data.paths import builtin_briefing_dir
from briefmap.data.recovery import RecoveryError, discard, pending, read_recovery, restore, write_recovery

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def edited_catalog(folder: Path, title: str) -> str:
    text = (folder / "catalog.toml").read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("title = "))
    return text.replace(old, f'title = "{title}"', 1)


def test_write_read_and_restore(tmp_path):
    folder = tmp_path / "mine"
    copy_briefing(folder, builtin_briefing_dir())
    state = tmp_path / "state"
    files = {"catalog.toml": edited_catalog(folder, "Recovered title"), "panels/01-bottom-line.md": "# Recovered\n"}
    path = write_recovery(folder, files, "Edit title", state_dir=state)
    rec = read_recovery(path)
    assert rec.briefing == folder.resolve() and rec.summary == "Edit title"
    assert rec.files["panels/01-bottom-line.md"] == b"# Recovered\n"
    restored = restore(rec, tmp_path / "restored")
    assert validate(restored) == []
    b, _ = open_briefing(restored)
    assert b.title == "Recovered title" and b.panel("bottom-line").text == "# Recovered\n"
    # The original folder is untouched.
    assert open_briefing(folder)[0].title != "Recovered title"
    discard(rec)
    assert pending(state) == []


def test_a_killed_session_leaves_a_recovery_that_restores_the_edit(tmp_path):
    folder = tmp_path / "mine"
    copy_briefing(folder, builtin_briefing_dir())
    state = tmp_path / "state"
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from briefmap.data.recovery import write_recovery
        folder = Path({str(folder)!r})
        text = (folder / "catalog.toml").read_text(encoding="utf-8")
        old = next(line for line in text.splitlines() if line.startswith("title = "))
        write_recovery(folder, {{"catalog.toml": text.replace(old, 'title = "Before the crash"', 1)}},
                       "Edit title", state_dir=Path({str(state)!r}))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], env=os.environ | {"PYTHONPATH": str(DESKTOP)},
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    found = pending(state)
    assert len(found) == 1 and found[0].briefing == folder.resolve()
    restored = restore(found[0], tmp_path / "restored")
    assert open_briefing(restored)[0].title == "Before the crash"


@pytest.mark.parametrize("content", [
    b"not json",
    b'{"format": "something-else"}',
    b'{"format": "briefmap-recovery", "version": 1, "briefing": "/x", "saved_at": "2026-11-28T12:00:00", '
    b'"files": {"../escape.txt": "aGk="}}',
    b'{"format": "briefmap-recovery", "version": 1, "briefing": "/x", "saved_at": "2026-11-28T12:00:00", '
    b'"files": {"/etc/passwd": "aGk="}}',
    b'{"format": "briefmap-recovery", "version": 99, "files": {}}',
])
def test_bad_recovery_files_are_refused_with_a_reason(tmp_path, content):
    path = tmp_path / "r.json"
    path.write_bytes(content)
    with pytest.raises(RecoveryError):
        read_recovery(path)
    assert pending(tmp_path) == []
