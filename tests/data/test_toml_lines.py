"""Line numbers of catalog keys, for `file:line: field: message` problems."""

from __future__ import annotations

import tomllib

from briefmap.data.toml_lines import KeyLines

TEXT = '''\
[briefing]
id = "x"
tags = [
  "a [bracket] inside",
  "[",
]
title = "after the array"
article.author = "dotted"
"quoted.key" = 1

[[layers]]
id = "one"
note = "a ] and a [ in one string"
label = "name"

[[layers]]
id = "two"
'''


def test_a_bracket_inside_a_string_in_an_array_keeps_later_lines():
    tomllib.loads(TEXT)  # the sample is valid TOML
    lines = KeyLines(TEXT)
    assert lines.line(("briefing", "title")) == 7
    assert lines.line(("layers", 0, "label")) == 14
    assert lines.line(("layers", 1, "id")) == 17


def test_dotted_and_quoted_keys_are_stored_under_their_path():
    lines = KeyLines(TEXT)
    assert lines.line(("briefing", "article", "author")) == 8
    assert lines.line(("briefing", "article")) == 8
    assert lines.line(("briefing", "quoted.key")) == 9
    # An absent key points at its table.
    assert lines.line(("layers", 1, "missing")) == 16
