"""Window-only words in a panel (`[…]{.window}`): the window shows them without the marks,
print leaves them out with the space before them, and a stray mark is reported."""

from __future__ import annotations

from briefmap.model.panel_text import print_text, window_span_problems, window_text

SENTENCE = "The article sees three ways. [Choose a scenario in the **toolbar**.]{.window}\n\nNext."


def test_the_window_keeps_the_words_without_the_marks():
    assert window_text(SENTENCE) == "The article sees three ways. Choose a scenario in the **toolbar**.\n\nNext."


def test_print_leaves_the_span_out_with_the_space_before_it():
    assert print_text(SENTENCE) == "The article sees three ways.\n\nNext."
    # A clause ending in punctuation outside the span: the sentence still ends with it.
    clause = "Iran's line is its border[; turn on **Links** for the links]{.window}. Then more."
    assert print_text(clause) == "Iran's line is its border. Then more."
    assert window_text(clause) == "Iran's line is its border; turn on **Links** for the links. Then more."
    middle = "One [two]{.window} three"
    assert print_text(middle) == "One three" and window_text(middle) == "One two three"


def test_a_span_may_hold_links_and_brackets():
    text = "[*On the map:* see ([Russia](feature:a/b), [[Art]](source:article)).]{.window}"
    assert print_text(text) == ""
    assert window_text(text) == "*On the map:* see ([Russia](feature:a/b), [[Art]](source:article))."


def test_code_and_other_brackets_are_left_as_written():
    text = "Write `[x]{.window}` to mark [words](https://example.org) [kept]."
    assert print_text(text) == text and window_text(text) == text
    assert window_span_problems(text) == []


def test_a_mark_without_its_words_is_reported_with_its_line():
    text = "Fine [a]{.window}.\n\nno opening ]{.window}\n\n[across\n\nparagraphs]{.window}"
    problems = window_span_problems(text)
    assert [line for line, _ in problems] == [3, 7]
    assert all("{.window}" in msg for _, msg in problems)


def test_a_list_item_that_is_all_window_only_goes_whole():
    text = "- Kept.\n- [Turn on **Links** in the layer list.]{.window}\n- Also kept.\n\n> [Click a quote.]{.window}\n"
    assert print_text(text) == "- Kept.\n- Also kept.\n\n"
    assert window_text(text) == "- Kept.\n- Turn on **Links** in the layer list.\n- Also kept.\n\n> Click a quote.\n"
