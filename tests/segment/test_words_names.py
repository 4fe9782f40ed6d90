"""Speaker names before a speech verb stay one word (李明说 is 李明 | 说, not 李 | 明说)."""

from __future__ import annotations

import pytest

from bitext.segment.words import WordSegmenter, split_name_before_verb


@pytest.mark.parametrize("text, words", [
    ("李明说，网络安全很重要。", ["李明", "说"]),
    ("他对李明说了。", ["对", "李明", "说"]),
    ("张华问：“为什么？”", ["张华", "问"]),
])
def test_name_before_speech_verb(text: str, words: list[str]) -> None:
    cut = WordSegmenter(()).cut(text)
    i = cut.index(words[0])
    assert cut[i:i + len(words)] == words


@pytest.mark.parametrize("text, word", [
    ("我明说了吧。", "明说"),      # no surname: the dictionary word stays
    ("沿着林荫道走。", "林荫道"),  # a known three-character word stays
    ("王小明指出问题。", "王小明"),
])
def test_words_that_are_not_names_stay(text: str, word: str) -> None:
    assert word in WordSegmenter(()).cut(text)


def test_offsets_still_cover_the_text() -> None:
    text = "李明说，张华问。"
    triples = WordSegmenter(()).tokenize(text)
    assert "".join(text[a:b] for _, a, b in triples) == text
    assert all(text[a:b] == w for w, a, b in triples)
    assert split_name_before_verb([("于", 0, 1), ("明说", 1, 3)]) == [("于", 0, 1), ("明说", 1, 3)]
