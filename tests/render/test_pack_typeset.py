"""Page breaks in the handout's text pages as a reader expects them: no heading or list
lead-in left at the foot of a page, no paragraph leaving a single line behind (orphan)
or carrying a single line over (widow) — on pages of many heights, so the breaks fall
everywhere."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from briefmap.render.pack.lines import TextOp
from briefmap.render.pack.markdown import Block, Notes, Run
from briefmap.render.pack.typeset import Typesetter

WORDS_PER_PARA = (9, 40, 23, 70, 14, 31, 55, 18, 26, 44, 12, 37)


def _para(k: int, words: int, **kw) -> Block:
    return Block("para", [Run(" ".join(f"p{k}w{j}" for j in range(words)))], **kw)


def document() -> list[Block]:
    """Sections of paragraphs of varied lengths, some introducing a list ("…:")."""
    blocks: list[Block] = []
    k = 0
    for s in range(6):
        blocks.append(Block("heading", [Run(f"h{s} Section")], level=2))
        for n in WORDS_PER_PARA[s: s + 4]:
            blocks.append(_para(k, n))
            k += 1
        lead = _para(k, 20)
        blocks.append(Block("para", [Run(lead.runs[0].text + " for example:")]))
        k += 1
        for n in (8, 25, 12):
            blocks.append(_para(k, n, indent=1, marker="•"))
            k += 1
    return blocks


def where(pages) -> tuple[dict[int, list[tuple[int, float]]], dict[int, int]]:
    """Each paragraph's lines as (page, baseline), and each heading's page."""
    lines: dict[int, set] = defaultdict(set)
    heads: dict[int, int] = {}
    for p, page in enumerate(pages):
        for op in page.ops:
            if not isinstance(op, TextOp):
                continue
            for k in {int(m) for m in re.findall(r"p(\d+)w", op.text)}:
                lines[k].add((p, round(op.y, 4)))
            if m := re.match(r"h(\d+) ", op.text):
                heads[int(m.group(1))] = p
    return {k: sorted(v, key=lambda t: (t[0], -t[1])) for k, v in lines.items()}, heads


@pytest.mark.parametrize("height", [round(4.6 + 0.173 * i, 3) for i in range(24)])
def test_no_stranded_heading_lead_in_orphan_or_widow(height):
    blocks = document()
    ts = Typesetter(8.27, height, Notes())
    ts.add(blocks, new_page=True)
    pages = ts.finish()
    assert len(pages) > 1
    lines, heads = where(pages)
    k = 0
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            s = int(block.plain.split()[0][1:])
            first_after = lines[int(re.match(r"p(\d+)w", blocks[i + 1].plain).group(1))][0][0]
            assert heads[s] == first_after, f"heading h{s} left at the foot of page {heads[s] + 1}"
            continue
        own = lines[k]
        per_page = defaultdict(int)
        for p, _y in own:
            per_page[p] += 1
        if len(per_page) > 1:
            counts = [per_page[p] for p in sorted(per_page)]
            assert counts[0] >= 2, f"paragraph {k}: orphan {counts}"
            assert counts[-1] >= 2, f"paragraph {k}: widow {counts}"
        if block.plain.endswith("for example:"):
            assert own[-1][0] == lines[k + 1][0][0], f"lead-in {k} apart from its list"
        k += 1


def test_lines_keep_their_order_and_count():
    """The breaks move lines between pages, never lose or repeat one."""
    blocks = document()
    ts = Typesetter(8.27, 6.0, Notes())
    ts.add(blocks, new_page=True)
    lines, _heads = where(ts.finish())
    ts_one = Typesetter(8.27, 200.0, Notes())  # one tall page: nothing breaks
    ts_one.add(blocks, new_page=True)
    unbroken, _ = where(ts_one.finish())
    assert {k: len(v) for k, v in lines.items()} == {k: len(v) for k, v in unbroken.items()}
    order = [k for k, _ in sorted(lines.items(), key=lambda kv: (kv[1][0][0], -kv[1][0][1]))]
    assert order == sorted(order)


def test_text_pages_are_drawn_as_wide_as_they_were_laid_out(tmp_path, briefing):
    """The PDF's glyph runs use the widths the typesetter measured: lines fill the measure
    up to the right margin and never cross it."""
    import subprocess

    import numpy as np
    from PIL import Image

    from briefmap.cli import main
    from briefmap.model.view import scenario_state
    from briefmap.render.pack import PackRequest
    from briefmap.render.pack.handout import page_size, plan

    out = tmp_path / "p.pdf"
    assert main(["pack", "-o", str(out), "--scenarios", "overview"]) == 0
    req = PackRequest(briefing, {}, (scenario_state(briefing, "overview"),), "a4-portrait", briefing.article_as_of)
    text_pages = [i + 1 for i, (kind, _p) in enumerate(plan(req).pages) if kind == "text"]
    W, H = page_size("a4-portrait")
    dpi = 100
    right = round((W - max(0.85, (W - 6.6) / 2)) * dpi)
    reached = 0
    for n in text_pages:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(n), "-l", str(n), "-singlefile", str(out),
                        str(tmp_path / "page")], check=True)
        ink = np.asarray(Image.open(tmp_path / "page.png")) < 160
        body = ink[: round((H - 0.6) * dpi)]  # above the running footer
        assert not body[:, right + 2:].any(), f"page {n}: text beyond the right margin"
        reached += int(body[:, right - 12: right + 2].any())
    assert reached > len(text_pages) // 2  # ragged right, but lines run up to the margin
