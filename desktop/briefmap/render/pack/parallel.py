"""Pages drawn in two halves, the second in a forked process when asked, then joined in
page order (pypdf). The halves are the same whether or not they run side by side, so the
file's bytes do not depend on the machine."""

from __future__ import annotations

import os
import select
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from briefmap.render.pack.content import Steps

RenderPart = Callable[[list[int], Path, Callable[[int], None]], None]


class PartFailed(Exception):
    """The process drawing half of the pages failed."""


def halves(costs: list[float], head: float = 0.0) -> tuple[list[int], list[int]]:
    """Pages split into two sets of about equal cost (largest first to the lighter set);
    the first set's process also has `head` to do."""
    parts: tuple[list[int], list[int]] = ([], [])
    load = [head, 0.0]
    for i in sorted(range(len(costs)), key=lambda i: (-costs[i], i)):
        k = 0 if load[0] <= load[1] else 1
        parts[k].append(i)
        load[k] += costs[i]
    return sorted(parts[0]), sorted(parts[1])


def _join(out: Path, parts: list[Path], order: list[tuple[int, int]], metadata: dict[str, str],
          outline: list[tuple[str, int, int]]) -> None:
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(p) for p in parts]
    writer = PdfWriter()
    for part, index in order:
        writer.add_page(readers[part].pages[index])
    writer.add_metadata({f"/{k}": v for k, v in metadata.items()})
    parent = None
    for title, page, depth in outline:
        item = writer.add_outline_item(title=title, page_number=page, parent=parent if depth else None)
        if depth == 0:
            parent = item
    with open(out, "wb") as fh:
        writer.write(fh)


def render_pages(render: RenderPart, costs: list[float], out: Path, steps: Steps, metadata: dict[str, str],
                 outline: list[tuple[str, int, int]], side_by_side: bool, head: float = 0.0) -> None:
    """Draw every page with `render(indices, part_path, tick)` and join the parts into `out`
    (which the first part's process does: `head`, in the pages' cost units)."""
    first, second = halves(costs, head)
    paths = [out.with_name(out.name[: -len(".part")] + f".{k}.part") for k in (1, 2)]
    order = sorted([(i, 0, j) for j, i in enumerate(first)] + [(i, 1, j) for j, i in enumerate(second)])
    try:
        if side_by_side and second:
            _side_by_side(render, first, second, paths, steps)
        else:
            render(first, paths[0], lambda _i: _count(steps))
            render(second, paths[1], lambda _i: _count(steps))
        _join(out, paths if second else paths[:1], [(part, j) for _i, part, j in order], metadata, outline)
    finally:
        for p in paths:
            p.unlink(missing_ok=True)


def _count(steps: Steps) -> None:
    """One more page under way (the halves finish in no fixed order, so pages are counted)."""
    steps.step(f"drawing page {steps.done + 1} of {steps.total}")


def _side_by_side(render: RenderPart, first: list[int], second: list[int], paths: list[Path], steps: Steps) -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the second half, in the child
        os.close(read_end)
        code = 1
        try:
            render(second, paths[1], lambda _i: os.write(write_end, b"."))
            code = 0
        except BaseException as exc:  # the parent reports the failure
            print(f"briefmap: a page could not be drawn: {exc}", file=sys.stderr)
        finally:
            os._exit(code)
    os.close(write_end)
    os.set_blocking(read_end, False)

    def drain(wait: float) -> bool:
        """Count the child's finished pages; False once it has closed its end."""
        ready, _, _ = select.select([read_end], [], [], wait)
        if not ready:
            return True
        data = os.read(read_end, 64)
        for _ in data:
            _count(steps)
        return bool(data)

    try:
        def tick(_i: int) -> None:
            drain(0)
            _count(steps)

        render(first, paths[0], tick)
        import pypdf  # noqa: F401  (while the other half may still be drawing)

        while drain(0.1):
            pass
        _pid, status = os.waitpid(pid, 0)
        pid = 0
        if os.waitstatus_to_exitcode(status) != 0:
            raise PartFailed("the process drawing half of the pages failed (see the message above)")
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(read_end)
