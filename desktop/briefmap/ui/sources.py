"""The Sources tab: the analysis credited, then every source with its licence."""

from __future__ import annotations

from briefmap.model.briefing import Briefing


def sources_markdown(b: Briefing) -> str:
    lines = [f"# Sources\n\n**Analysis:** {b.credit()}. Summarised in our own words.\n"]
    for s in b.sources.values():
        bits = [f"**{s.title}**"] + [v for v in (s.author, s.publisher, s.date) if v]
        if s.licence:
            bits.append(f"licence: {s.licence}")
        line = " — ".join(bits)
        if s.note:
            line += f". *{s.note}*"
        lines.append(f"- {line} `[{s.id}]`")
    return "\n".join(lines)
