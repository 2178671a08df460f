"""The content editors' rules without Qt, on the real built-in briefing: an event's checks,
the later-development mark, ids, bookmarks that may not go, links a panel may use."""

from __future__ import annotations

import datetime as dt

from briefmap.model.briefing_edits import (
    EventDraft,
    LinkChoice,
    bookmark_in_use,
    edited_scenario,
    event_links,
    event_problems,
    link_choices,
    new_id,
    with_event,
    without_event,
)


def test_event_checks_name_the_field(briefing):
    sources = set(briefing.sources)
    assert event_problems(EventDraft(title="T", date_text="2025-03-13", source="factsheet"), briefing, sources) == {}
    found = event_problems(EventDraft(title=" ", date_text="13/03/2025", source=""), briefing, sources)
    assert set(found) == {"title", "date", "source"}
    late = event_problems(EventDraft(title="T", date_text="2030-01-01", source="nope"), briefing, sources)
    assert "outside the briefing's timeline" in late["date"] and "Unknown source" in late["source"]


def test_an_event_after_the_article_is_marked_and_sorted_in(briefing):
    draft = EventDraft(title="Joint appeal", date_text="2025-08-08", source="factsheet")
    event = draft.event("joint-appeal", briefing)
    assert event.after_article and event.date == dt.date(2025, 8, 8)
    early = EventDraft(title="Early", date_text="2024-05-30", source="factsheet").event("early", briefing)
    assert not early.after_article
    events = with_event(briefing.events, event)
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert without_event(events, "joint-appeal") == list(briefing.events)
    edited = with_event(events, EventDraft.from_event(event).event("joint-appeal", briefing), replacing="joint-appeal")
    assert len(edited) == len(events)


def test_ids_are_readable_and_unique():
    assert new_id("Peace treaty text agreed", []) == "peace-treaty-text-agreed"
    assert new_id("Peace treaty text agreed", ["peace-treaty-text-agreed"]) == "peace-treaty-text-agreed-2"
    assert new_id("…", [], "event") == "event"


def test_bookmarks_in_use_and_events_linked_from_panels(briefing):
    assert "default view" in bookmark_in_use(briefing, briefing.default_bookmark)
    linked = [e.id for e in briefing.events if event_links(briefing, e.id)]
    assert linked, "the built-in panels link to events"


def test_link_choices_and_markdown(briefing, tables):
    features = link_choices(briefing, tables, "feature")
    assert "later_developments/minsk-closure-2025" in {c.target for c in features}
    assert not any(c.target.startswith(tuple(s.id + "/" for s in briefing.layers if s.base)) for c in features)
    assert {c.target for c in link_choices(briefing, tables, "panel")} == {p.id for p in briefing.panels}
    assert LinkChoice("event", "washington", "White House [8 Aug]").markdown == \
        "[White House \\[8 Aug\\]](event:washington)"


def test_a_scenario_keeps_what_the_user_chose(briefing):
    s = briefing.scenarios[0]
    changed = edited_scenario(s, s.layers[1:], ("later_developments/minsk-closure-2025",), "One\n\n  Two  \n")
    assert changed.layers == s.layers[1:] and changed.key_points == ("One", "Two")
    assert changed.highlight == ("later_developments/minsk-closure-2025",) and changed.id == s.id
