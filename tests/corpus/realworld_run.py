"""Reads and draws each file named on the command line; one JSON line per file:
{"file", "result": "drawn" | "refused" | "error", "message", "features"}. Run by
tests/data/test_realworld_corpus.py, which restarts it after a crash or a hang."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path


def main(files: list[str]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from briefmap.data.briefing import open_briefing
    from briefmap.data.layers import map_crs
    from briefmap.data.paths import builtin_briefing_dir
    from briefmap.data.user_layer_spec import spec_and_style
    from briefmap.data.user_layers import LayerImportError, import_layer
    from briefmap.model.view import scenario_state
    from briefmap.render.sheet import SheetOptions, build_sheet

    base, base_tables = open_briefing(builtin_briefing_dir())
    crs = map_crs(base)
    print(json.dumps({"ready": True}), flush=True)
    for file in files:
        out = {"file": file}
        try:
            layer = import_layer(Path(file), crs)
        except LayerImportError as exc:
            out.update(result="refused", message=str(exc))
        except Exception as exc:
            out.update(result="error", message=f"{type(exc).__name__}: {exc}"[:300])
        else:
            try:
                briefing, tables = copy.copy(base), dict(base_tables)
                briefing.layers, briefing.styles = list(base.layers), dict(base.styles)
                spec, style = spec_and_style(layer, set(briefing.layer_ids), 999)
                briefing.layers.append(spec)
                briefing.styles[style.id] = style
                tables[spec.id] = layer.table
                state = scenario_state(briefing)
                state = state.with_(visible=(*state.visible, spec.id))
                fig, _renderer = build_sheet(briefing, tables, state, SheetOptions.from_pixels(480, 320, 50))
                FigureCanvasAgg(fig).draw()
                out.update(result="drawn", message="; ".join(layer.warnings)[:300], features=len(layer.table))
            except Exception as exc:
                out.update(result="error", message=f"drawing: {type(exc).__name__}: {exc}"[:300])
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
