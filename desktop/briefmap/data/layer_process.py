"""Reading a user's layer file in a child process that Cancel can stop.

GDAL cannot be interrupted from Python, and a hostile file can make it (or the geometry
repair) run for minutes or exhaust memory; in a child process Cancel kills the work at
once, a crash or a memory limit becomes a message, and the window keeps running.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from briefmap.data.user_layers import Cancelled, ImportedLayer, LayerImportError, Progress, import_layer

# Address space the child may use: a backstop behind import_layer's up-front estimate.
CHILD_ADDRESS_SPACE = 6 * 1024**3
POLL_SECONDS = 0.05


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the up-front budget still applies
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = CHILD_ADDRESS_SPACE if hard == resource.RLIM_INFINITY else min(CHILD_ADDRESS_SPACE, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _child(path: str, map_crs: str, conn) -> None:
    _limit_memory()
    name = Path(path).name

    def progress(fraction: float, message: str) -> bool:
        conn.send(("progress", fraction, message))
        return True

    try:
        conn.send(("done", import_layer(Path(path), map_crs, progress)))
    except LayerImportError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", f"{name}: not enough memory to read this file (more than "
                            f"{CHILD_ADDRESS_SPACE // 1024**3} GB)"))
    except RecursionError:
        conn.send(("error", f"{name}: the file is nested too deeply to read"))
    except Exception as exc:  # any other fault of the file: a message, never a crash of the app
        conn.send(("error", f"{name}: cannot be read ({type(exc).__name__}: {str(exc)[:200]})"))
    finally:
        conn.close()


def import_isolated(path: Path, map_crs: str, progress: Progress | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ImportedLayer:
    """import_layer in a child process. Raises Cancelled as soon as progress() returns False
    or cancelled() returns True (the child is killed), LayerImportError otherwise."""
    path = Path(path)
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(os.fspath(path), map_crs, send), daemon=True,
                        name=f"briefmap-import-{path.name[:40]}")
    child.start()
    send.close()
    try:
        while True:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if receive.poll(POLL_SECONDS):
                try:
                    message = receive.recv()
                except EOFError:
                    break
                if message[0] == "progress":
                    if progress is not None and not progress(message[1], message[2]):
                        raise Cancelled()
                elif message[0] == "done":
                    return message[1]
                else:
                    raise LayerImportError(message[1])
            elif not child.is_alive() and not receive.poll():
                break
        child.join(5)
        raise LayerImportError(f"{path.name}: the reader stopped without a result (exit code {child.exitcode}); "
                               "the file may be damaged or too large")
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
