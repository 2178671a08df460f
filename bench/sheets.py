"""Every sheet a user can export from a briefing, for a cartographer to look at: each
preset × scenario (at its own extent) and each preset × bookmark (overview), as PNG, with
preflight's findings and the labels left out by rule, and one contact sheet per preset
(with ImageMagick's `montage`, when it is installed).

    PYTHONPATH=desktop .venv/bin/python bench/sheets.py OUT_FOLDER [--briefing DIR] [--only TEXT] [--no-png]

Writes OUT_FOLDER/<preset>__<scenario>__<bookmark>.png, OUT_FOLDER/findings.json and
OUT_FOLDER/contact_<preset>.png; prints the findings and a total. Exit 1 when any sheet
has a finding.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--briefing", help="a briefing folder (default: the built-in one)")
    ap.add_argument("--only", default="", help="only the sheets whose name contains this")
    ap.add_argument("--no-png", action="store_true", help="preflight only")
    args = ap.parse_args(argv)

    import matplotlib

    from briefmap.cli.common import open_briefing
    from briefmap.data.projection import bounds_to_map
    from briefmap.model.view import scenario_state
    from briefmap.render.export import sheet_rc
    from briefmap.render.preflight import findings, left_out
    from briefmap.render.sheet import PRESETS, SheetOptions, SheetReport, build_sheet

    briefing, tables = open_briefing(args.briefing)
    first = briefing.scenarios[0].id
    sheets = [(p, s.id, None) for p in PRESETS for s in briefing.scenarios]
    sheets += [(p, first, b.id) for p in PRESETS for b in briefing.bookmarks]
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for preset, scenario, bookmark in sheets:
        name = f"{preset}__{scenario}__{bookmark or 'default'}"
        if args.only not in name:
            continue
        state = scenario_state(briefing, scenario)
        if bookmark:
            state = state.with_(extent=bounds_to_map(briefing.bookmark(bookmark).bounds, briefing.crs))
        opts = SheetOptions.from_preset(preset)
        report = SheetReport()
        with matplotlib.rc_context(sheet_rc()):
            fig, _renderer = build_sheet(briefing, tables, state, opts, report)
            found, accepted = [str(f) for f in findings(fig, report)], [str(f) for f in left_out(report)]
            if not args.no_png:
                fig.savefig(args.out / f"{name}.png", dpi=opts.dpi, facecolor="white")
        results[name] = {"layout": report.mode, "findings": found, "left_out": accepted}
        print(f"{name}: {len(found)} finding(s), {len(accepted)} left out by rule")
        for line in found:
            print(f"    {line}")
    (args.out / "findings.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    if not args.no_png and shutil.which("montage"):
        for preset in PRESETS:
            pngs = sorted(str(p) for p in args.out.glob(f"{preset}__*.png"))
            if pngs:
                subprocess.run(["montage", "-label", "%t", *pngs, "-tile", "5x", "-geometry", "640x640+3+3",
                                str(args.out / f"contact_{preset}.png")], check=True)
    total = sum(len(r["findings"]) for r in results.values())
    print(f"{total} finding(s) over {len(results)} sheets")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
