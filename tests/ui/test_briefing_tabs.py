"""The briefing's text in the window: citations open the Sources tab at their source, the
Sources tab opens at the top with its web addresses clickable after confirmation, the
Timeline tab uses one date style, and the identify popup speaks in human labels."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox

from briefmap.data.layers import read_base
from briefmap.ui import panels as panels_module
from briefmap.ui.identify import feature_html


def test_a_citation_opens_the_sources_tab_at_its_source(window):
    window.panels.show_panel("how-we-got-here")
    browser = window.panels.browser
    assert browser.link_positions("source:azernews-226488"), "the citation is a link"
    # A citation is drawn smaller than the sentence it ends.
    doc = browser.document()
    start = browser.link_positions("source:azernews-226488")[0]
    block = doc.findBlock(start)
    sizes = {}
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        sizes[frag.charFormat().anchorHref()] = frag.charFormat().fontPointSize() or doc.defaultFont().pointSizeF()
        it += 1
    assert sizes["source:azernews-226488"] < sizes[""]
    browser.anchorClicked.emit(QUrl("source:azernews-226488"))
    assert window.tabs.currentWidget() is window.sources
    assert window.sources.textCursor().selectedText() == "[azernews-226488]"
    assert window.sources.verticalScrollBar().value() > 0


def test_the_sources_tab_opens_at_the_top_with_clickable_addresses(window, monkeypatch):
    window.tabs.setCurrentWidget(window.sources)
    assert window.sources.verticalScrollBar().value() == 0
    assert window.sources.link_positions("https://www.eeas.europa.eu/euma")
    asked, opened = [], []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or QMessageBox.StandardButton.No)
    monkeypatch.setattr(panels_module.QDesktopServices, "openUrl", lambda url: opened.append(url))
    window.sources.anchorClicked.emit(QUrl("https://www.eeas.europa.eu/euma"))
    assert asked and "https://www.eeas.europa.eu/euma" in asked[0]
    assert opened == []  # declined: nothing opens
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Yes)
    window.sources.anchorClicked.emit(QUrl("https://www.eeas.europa.eu/euma"))
    assert [u.toString() for u in opened] == ["https://www.eeas.europa.eu/euma"]


def test_the_timeline_uses_one_date_style(window, briefing):
    texts = [window.events.item(i).text() for i in range(window.events.count())]
    style = re.compile(r"^(\d{1,2} )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} — |^\d{4} — ")
    assert all(style.match(t) for t in texts), [t for t in texts if not style.match(t)]
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", t) for t in texts)
    by_id = {window.events.item(i).data(256): window.events.item(i).text() for i in range(window.events.count())}
    assert by_id["offensive-2023"].startswith("19 Sep 2023 — ")
    assert by_id["shusha-ratified"].startswith("Feb 2022 — ")


def test_identify_shows_human_labels(briefing, tables):
    borders = read_base(briefing, "borders")
    i = borders.ids.index("GEO-RUS")
    html = feature_html(briefing, briefing.layer("borders"), "GEO-RUS", borders.properties[i], "both")
    assert "Border: Georgia – Russia" in html and ">GEO-RUS<" not in html
    countries = read_base(briefing, "countries")
    i = countries.ids.index("ARM")
    html = feature_html(briefing, briefing.layer("countries"), "ARM", countries.properties[i], "both")
    for internal in ("Iso a3", "Name ru", "Role", "focus<"):
        assert internal not in html, internal
    assert "Name in Russian" in html and "Armenia (ARM)" in html and "a party to the talks" in html
    t = tables["karabakh"]
    html = feature_html(briefing, briefing.layer("karabakh"), "peacekeepers",
                        t.properties[t.index("peacekeepers")], "both")
    assert "ended after the article" in html and "10 Nov 2020 – 12 Jun 2024" in html
    assert "Source of the end date" in html and "Kyiv Independent" in html and "kyiv-independent-peacekeepers" not in html
    assert "1,960" in html and "1960.0" not in html


def test_the_panel_shows_window_only_words_without_their_marks(window):
    window.panels.show_panel("outcomes")
    shown = window.panels.browser.toPlainText()
    assert "Choose a scenario in the toolbar to see each on the map." in shown
    assert "{.window}" not in shown and "[Choose" not in shown
    window.panels.show_panel("sources")
    shown = window.panels.browser.toPlainText()
    assert "click a feature to see them." in shown and "{.window}" not in shown
    # The citation inside a window-only sentence is still a link to its source.
    assert window.panels.browser.link_positions("source:factsheet")


def test_the_panel_editor_previews_window_only_words_as_the_tab_does(window):
    from briefmap.ui.editing.panel_editor import PanelEditor

    editor = PanelEditor(window.content_editing.panels, "outcomes", window)
    shown = editor.preview.toPlainText()
    assert "Choose a scenario in the toolbar" in shown and "{.window}" not in shown
    editor.text.setPlainText(editor.text.toPlainText().replace("[Choose a scenario", "Choose a scenario"))
    editor.render_preview()
    assert "closes no [bracketed words]" in editor.problems_label.text()
    editor.close()
