"""An export killed midway (SIGKILL, a separate process) leaves the previous file intact,
and the next export clears what the killed one left behind."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from briefmap.cli import main


def test_sigkill_midway_keeps_the_old_file(tmp_path):
    out = tmp_path / "briefing.png"
    assert main(["export", "-o", str(out), "--size", "600x400", "--dpi", "60"]) == 0
    before = out.read_bytes()
    # A large sheet takes seconds: long enough to be killed while writing.
    proc = subprocess.Popen([sys.executable, "-m", "briefmap", "export", "-o", str(out), "--preset", "a4-landscape",
                             "--dpi", "600"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while not list(tmp_path.glob(".briefmap-*.part")):
            assert proc.poll() is None, "the export finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert out.read_bytes() == before
    assert list(tmp_path.glob(".briefmap-*.part")), "the killed export's temporary file is there"
    # The next export into the folder (any name) writes normally and removes the leftover.
    other = tmp_path / "other.png"
    assert main(["export", "-o", str(other), "--size", "600x400", "--dpi", "60", "--scenario", "collapse"]) == 0
    assert other.read_bytes() != before
    assert list(tmp_path.glob(".*.part")) == []
